"""The built-in file import plugin: FIT, GPX, TCX, Garmin Connect CSV, Strava bulk export.

Registered in the ``momentum`` entry-point group. ``momentum import`` and ``momentum
analyze`` use :func:`momentum.plugins.files.importer.import_paths` and
:func:`momentum.plugins.files.importer.read_path`; the importers below serve
``momentum_file_importers``
callers that pick a reader by suffix.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from momentum.core.model import Activity, AthleteProfile
from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import DataSource, FileImporter


@dataclass
class FilesSource:
    """Activity files on disk, as a data source."""

    name: str = "files"
    description: str = (
        "Activity files: FIT, GPX, TCX (optionally .gz), Garmin Connect CSV exports and "
        "Strava bulk exports (zip or folder)."
    )


@dataclass
class FormatImporter:
    """Reads the files of some suffixes into activity records (strict: one bad unit raises
    its ``InputError``)."""

    name: str
    extensions: tuple[str, ...]

    def read(self, path: Path, athlete: AthleteProfile) -> Sequence[Activity]:
        """Parse one file into records without storing them."""
        from momentum.plugins.files.importer import read_path

        return read_path(path, athlete)


IMPORTERS = (
    FormatImporter("fit", (".fit", ".fit.gz")),
    FormatImporter("gpx", (".gpx", ".gpx.gz")),
    FormatImporter("tcx", (".tcx", ".tcx.gz")),
    FormatImporter("garmin_csv", (".csv",)),
    FormatImporter("strava_export", (".zip",)),
)


@hookimpl
def momentum_file_importers() -> list[FileImporter]:
    """FIT, GPX, TCX, Garmin CSV and Strava export importers."""
    return list(IMPORTERS)


@hookimpl
def momentum_data_sources() -> list[DataSource]:
    """Files on disk as a data source."""
    return [FilesSource()]
