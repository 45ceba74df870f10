"""Strava's bulk export: a zip (or its unzipped folder) with ``activities.csv`` and the
original files under ``activities/`` (``.fit``, ``.gpx``, ``.tcx``, often ``.gz``).

Conventions: each CSV row is one activity with the Strava id as its activity id (and in
``source_ids["strava"]``), so an export and the Strava API agree. A row with a file is
built from that file's streams, with the CSV's name and type (Strava's classification
wins over the file's); a row without one (a manual entry) becomes a summary from the CSV
(moving and elapsed time in seconds, distance, heart rate, climb). The CSV repeats some
headers: the later ``Distance`` is in metres and preferred; a lone ``Distance`` is in
kilometres (metres for swims). ``Activity Date`` is UTC. Each row succeeds or fails on its
own, with an error naming the export and the row or member. A zip without
``activities.csv`` is read as a plain bundle of activity files.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from momentum.core.errors import InputError
from momentum.plugins.files.common import (
    MAX_FILE_BYTES,
    ParsedActivity,
    Summary,
    activity_type_of,
    is_indoor_sport,
)
from momentum.plugins.files.formats import (
    ACTIVITY_SUFFIXES,
    Identified,
    format_of,
    read_activity_file,
)

CSV_NAME = "activities.csv"
_DATE_FORMATS = (
    "%b %d, %Y, %I:%M:%S %p",
    "%b %d, %Y %I:%M:%S %p",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%SZ",
)


@dataclass(frozen=True)
class Entry:
    """One unit of an export that succeeds or fails on its own."""

    label: str
    load: Callable[[], list[Identified]]
    known_id: str = ""
    """The id the entry will get, when known before parsing (lets re-imports skip work)."""


def is_strava_header(header: list[str]) -> bool:
    """True when a CSV header is Strava's ``activities.csv``."""
    names = {h.strip().lower() for h in header}
    return {"activity id", "activity date", "activity type"} <= names


def _date(text: str) -> dt.datetime | None:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=dt.UTC)
        except ValueError:
            continue
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _float(text: str) -> float | None:
    value = text.strip().replace(",", "")
    if not value:
        return None
    try:
        return float(value)
    except ValueError:
        return None


class _Row:
    """Cells of one CSV row by header name; repeated headers keep every position."""

    def __init__(self, header: list[str], cells: list[str]) -> None:
        self.positions: dict[str, list[int]] = {}
        for i, h in enumerate(header):
            self.positions.setdefault(h.strip().lower(), []).append(i)
        self.cells = cells

    def get(self, column: str, *, last: bool = False) -> str:
        indexes = self.positions.get(column, [])
        ordered = list(reversed(indexes)) if last else indexes
        for i in ordered:
            if i < len(self.cells) and self.cells[i].strip():
                return self.cells[i].strip()
        return ""

    def count(self, column: str) -> int:
        return len(self.positions.get(column, []))


def entries_from_export(
    label: str, csv_bytes: bytes, read_member: Callable[[str], bytes]
) -> list[Entry]:
    """The entries of a Strava export, given its CSV and a way to read member files."""
    try:
        text = csv_bytes.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{label}:{CSV_NAME}", "not a text CSV file") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not is_strava_header(rows[0]):
        raise InputError(
            f"{label}:{CSV_NAME}",
            "not Strava's activities.csv (needs Activity ID, Activity Date, Activity Type)",
        )
    header = rows[0]
    entries = []
    for line, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row = _Row(header, cells)
        strava_id = row.get("activity id")
        where = f"{label}: row {line}" + (f" (activity {strava_id})" if strava_id else "")
        entries.append(
            Entry(
                where,
                _row_loader(where, row, read_member),
                known_id=strava_id if strava_id.isdigit() else "",
            )
        )
    return entries


def _row_loader(
    where: str, row: _Row, read_member: Callable[[str], bytes]
) -> Callable[[], list[Identified]]:
    def load() -> list[Identified]:
        strava_id = row.get("activity id")
        if not strava_id:
            raise InputError(where, "no Activity ID")
        start = _date(row.get("activity date"))
        if start is None:
            raise InputError(where, f"Activity Date {row.get('activity date')!r} not understood")
        raw_type = row.get("activity type")
        activity_type = activity_type_of(raw_type)
        name = row.get("activity name")
        filename = row.get("filename")
        indoor = is_indoor_sport(raw_type)
        ids = {"strava": strava_id}
        if filename:
            member_label = f"{where.split(':')[0]}:{filename}"
            fmt = format_of(filename)
            if fmt not in ACTIVITY_SUFFIXES:
                raise InputError(member_label, f"unsupported file type in export ({filename})")
            data = read_member(filename)
            items = read_activity_file(data, member_label, fmt)
            parsed = items[0].parsed
            subtype = "Indoor" if indoor or parsed.subtype == "Indoor" else parsed.subtype
            parsed = replace(
                parsed,
                activity_type=activity_type if raw_type else parsed.activity_type,
                name=name or parsed.name,
                subtype=subtype,
                activity_id=strava_id,
                source_ids=ids,
            )
            return [Identified(strava_id, parsed)]
        moving = _float(row.get("moving time")) or _float(row.get("elapsed time", last=True))
        if moving is None:
            raise InputError(where, "no file and no Moving Time")
        if row.count("distance") > 1:
            metres = _float(row.get("distance", last=True)) or 0.0
        else:
            distance = _float(row.get("distance")) or 0.0
            metres = distance if activity_type == "Swim" else distance * 1000.0
        summary = Summary(
            moving_time_seconds=moving,
            elapsed_time_seconds=_float(row.get("elapsed time", last=True)),
            distance_meters=metres,
            avg_hr=_float(row.get("average heart rate")),
            max_hr=_float(row.get("max heart rate", last=True)),
            elevation_gain_meters=_float(row.get("elevation gain")) or 0.0,
        )
        parsed = ParsedActivity(
            start=start,
            activity_type=activity_type,
            summary=summary,
            subtype="Indoor" if indoor else "",
            name=name,
            activity_id=strava_id,
            source_ids=ids,
        )
        return [Identified(strava_id, parsed)]

    return load


@contextmanager
def zip_entries(path: Path) -> Iterator[list[Entry]]:
    """Entries of a zip (a Strava export, or a bundle of activity files), readable while
    the context is open."""
    label = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(label, f"not a readable zip file ({exc})") from None
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir() and "__MACOSX" not in i.filename]
        by_name = {i.filename: i for i in infos}

        def read(member: str, root: str = "") -> bytes:
            key = f"{root}{member}" if f"{root}{member}" in by_name else member
            info = by_name.get(key)
            if info is None:
                raise InputError(
                    f"{label}:{member}", "listed in activities.csv but missing from the zip"
                )
            too_big = f"expands beyond {MAX_FILE_BYTES // (1024 * 1024)} MB when decompressed"
            if info.file_size > MAX_FILE_BYTES:
                raise InputError(f"{label}:{member}", too_big)
            try:
                # The size in the directory can lie: read at most one byte past the limit.
                with archive.open(info) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, zlib.error) as exc:
                raise InputError(f"{label}:{member}", f"corrupt zip member ({exc})") from None
            if len(data) > MAX_FILE_BYTES:
                raise InputError(f"{label}:{member}", too_big)
            return data

        csv_infos = sorted(
            (i for i in infos if PurePosixPath(i.filename).name.lower() == CSV_NAME),
            key=lambda i: len(i.filename),
        )
        if csv_infos:
            info = csv_infos[0]
            root = info.filename[: -len(CSV_NAME)]
            yield entries_from_export(label, read(info.filename), lambda m: read(m, root))
            return
        out = []
        for info in infos:
            fmt = format_of(info.filename)
            if fmt not in ACTIVITY_SUFFIXES:
                continue
            member_label = f"{label}:{info.filename}"
            out.append(Entry(member_label, _member_loader(member_label, fmt, info.filename, read)))
        if not out:
            raise InputError(label, "zip holds no activities.csv and no activity files")
        yield out


def _member_loader(
    label: str, fmt: str, member: str, read: Callable[[str], bytes]
) -> Callable[[], list[Identified]]:
    def load() -> list[Identified]:
        return read_activity_file(read(member), label, fmt)

    return load


def folder_entries(folder: Path) -> list[Entry]:
    """Entries of an unzipped Strava export folder (``activities.csv`` at its root)."""
    csv_path = folder / CSV_NAME

    def read(member: str) -> bytes:
        target = (folder / member).resolve()
        if folder.resolve() not in target.parents:
            raise InputError(f"{folder.name}:{member}", "path outside the export folder")
        try:
            if target.stat().st_size > MAX_FILE_BYTES:
                raise InputError(
                    f"{folder.name}:{member}",
                    f"file too large (the limit is {MAX_FILE_BYTES // (1024 * 1024)} MB)",
                )
            return target.read_bytes()
        except OSError as exc:
            raise InputError(
                f"{folder.name}:{member}", f"cannot read ({exc.strerror or exc})"
            ) from None

    return entries_from_export(folder.name, csv_path.read_bytes(), read)
