"""Garmin Connect's activity list export (``Activities.csv``): one summary per row.

Columns are matched by name, case-insensitively: ``Activity Type``, ``Date``, ``Title``,
``Distance``, ``Time`` / ``Moving Time`` / ``Elapsed Time``, ``Avg HR``, ``Max HR``,
``Total Ascent`` (or ``Elev Gain``). Garmin writes ``--`` for "no value", may quote
numbers, and uses the account's number format, so both ``1,024`` (thousands) and ``5,81``
(decimal comma) are read. Distance is in the account's unit, which the file does not state:
kilometres by default (``distance_unit="mi"`` for miles); swims are in metres. Dates are
the athlete's local time. A row that cannot be read (bad date, no duration) is an error
naming the row; the file is rejected as a whole rather than half-imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.core.errors import InputError
from momentum.plugins.files.common import (
    ParsedActivity,
    Summary,
    activity_type_of,
    is_indoor_sport,
    text_id,
)

REQUIRED = ("activity type", "date")
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)
_MILE = 1609.344
_INT_COLUMNS = {"calories", "steps", "total ascent", "total descent", "elev gain", "elev loss"}


def _number(text: str, column: str = "") -> float | None:
    value = text.strip().strip('"')
    if not value or value in {"--", "-"}:
        return None
    if "," in value and "." in value:
        value = (
            value.replace(",", "")
            if value.rfind(".") > value.rfind(",")
            else value.replace(".", "").replace(",", ".")
        )
    elif "," in value:
        _, _, frac = value.rpartition(",")
        thousands = column != "distance" and (column in _INT_COLUMNS or len(frac) == 3)
        value = value.replace(",", "") if thousands else value.replace(",", ".")
    try:
        return float(value)
    except ValueError:
        return None


def _duration(text: str) -> float | None:
    value = text.strip().strip('"')
    if not value or value == "--":
        return None
    parts = value.split(":")
    try:
        numbers = [float(p.replace(",", ".")) for p in parts]
    except ValueError:
        return None
    seconds = 0.0
    for n in numbers:
        seconds = seconds * 60.0 + n
    return seconds


def _date(text: str, zone: dt.tzinfo) -> dt.datetime | None:
    value = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).replace(tzinfo=zone)
        except ValueError:
            continue
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def _zone(timezone: str) -> dt.tzinfo:
    try:
        return ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def looks_like_garmin_csv(header: list[str]) -> bool:
    """True when a CSV header is Garmin Connect's activity export."""
    names = {h.strip().lower() for h in header}
    return all(column in names for column in REQUIRED) and "title" in names


def read_garmin_csv(
    data: bytes, name: str, *, timezone: str = "UTC", distance_unit: str = "km"
) -> list[ParsedActivity]:
    """Parse a Garmin Connect activities CSV into summary activities."""
    if not data.strip():
        raise InputError(name, "empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(name, "not a text CSV file") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or not looks_like_garmin_csv(rows[0]):
        raise InputError(
            name,
            "not a Garmin Connect activities export (needs columns Activity Type, Date, Title)",
        )
    header = [h.strip().lower() for h in rows[0]]
    index = {h: i for i, h in reversed(list(enumerate(header)))}
    zone = _zone(timezone)
    unit = _MILE if distance_unit.lower().startswith("mi") else 1000.0
    out: list[ParsedActivity] = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(*columns: str, row: list[str] = row) -> str:
            for column in columns:
                i = index.get(column)
                if i is not None and i < len(row) and row[i].strip() not in {"", "--"}:
                    return row[i]
            return ""

        raw_type = cell("activity type")
        start = _date(cell("date"), zone)
        if start is None:
            raise InputError(name, f"row {line}: date {cell('date')!r} not understood")
        moving = _duration(cell("moving time", "time", "activity time", "elapsed time"))
        elapsed = _duration(cell("elapsed time", "time", "activity time"))
        if moving is None:
            raise InputError(name, f"row {line}: no duration (Time / Moving Time)")
        activity_type = activity_type_of(raw_type)
        distance = _number(cell("distance"), "distance") or 0.0
        metres = distance if activity_type == "Swim" else distance * unit
        title = cell("title").strip()
        out.append(
            ParsedActivity(
                start=start,
                activity_type=activity_type,
                subtype="Indoor"
                if is_indoor_sport(raw_type)
                or "treadmill" in raw_type.lower()
                or "indoor" in raw_type.lower()
                else "",
                name=title,
                summary=Summary(
                    moving_time_seconds=moving,
                    elapsed_time_seconds=elapsed,
                    distance_meters=metres,
                    avg_hr=_number(cell("avg hr")),
                    max_hr=_number(cell("max hr")),
                    elevation_gain_meters=_number(cell("total ascent", "elev gain"), "total ascent")
                    or 0.0,
                ),
                activity_id=text_id(
                    "garmin",
                    [
                        raw_type,
                        cell("date").strip(),
                        title,
                        cell("distance").strip(),
                        cell("time", "moving time").strip(),
                    ],
                ),
            )
        )
    if not out:
        raise InputError(name, "Garmin export has no activity rows")
    return out
