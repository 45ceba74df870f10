"""Built-in file import plugin (being written)."""

from __future__ import annotations

from core.plugins.host import hookimpl
from core.plugins.types import FileImporter


@hookimpl
def momentum_file_importers() -> list[FileImporter]:
    """FIT, GPX, TCX, Garmin CSV and Strava export importers."""
    return []
