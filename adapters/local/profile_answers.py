"""Parse and check one answer to a profile question each, and write answers back as text.

Every parser takes the text a person typed (or passed as a flag to ``momentum init``) and
returns the typed value, or raises :class:`ValueError` whose message names what was wrong
and how to write it. The ``*_text`` helpers turn a value back into text the matching parser
accepts, for the defaults shown at the prompt and for summaries.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.core.model import CoachingStyle, Equipment, Weekday

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NAMED_DISTANCES = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "half marathon": 21097.5,
    "marathon": 42195.0,
}
_ATHLETE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


def parse_timezone(value: str) -> str:
    """An IANA timezone name such as ``America/Toronto``."""
    name = value.strip()
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r} (use an IANA name such as America/Toronto)"
        ) from None
    return name


def parse_day(value: str, what: str = "day") -> Weekday:
    """One weekday: ``mon`` / ``Monday`` / ``0`` (Monday) … ``sun`` / ``6``."""
    text = value.strip().lower()
    if text.isdigit() and int(text) < 7:
        return Weekday(int(text))
    if len(text) >= 3:
        for number, full_name in enumerate(FULL_DAY_NAMES):
            if full_name.startswith(text):
                return Weekday(number)
    raise ValueError(f"unknown {what} {value!r} (use mon, tue, wed, thu, fri, sat or sun)")


def parse_days(value: str, what: str = "day") -> tuple[Weekday, ...]:
    """Comma-separated weekdays, or ``none`` for no days."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return ()
    days = {parse_day(part, what) for part in re.split(r"[,\s]+", text) if part}
    return tuple(sorted(days))


def parse_distance(value: str) -> float:
    """A race distance in metres from ``30K``, ``30 km``, ``21097m``, ``13.1mi``, ``half``,
    ``marathon``; a bare number is kilometres."""
    text = value.strip().lower()
    if text in NAMED_DISTANCES:
        return NAMED_DISTANCES[text]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(k|km|m|mi|miles?)?", text)
    if match is None:
        raise ValueError(f"unknown distance {value!r} (use e.g. 10K, 21.1km, 13.1mi, marathon)")
    number, unit = float(match.group(1)), match.group(2) or "km"
    metres = number * {"k": 1000.0, "km": 1000.0, "m": 1.0}.get(unit, 1609.344)
    if not 100 <= metres <= 500_000:
        raise ValueError(f"distance {value!r} is out of range (100 m to 500 km)")
    return metres


def parse_race_date(value: str, today: dt.date) -> dt.date:
    """A goal race date (``YYYY-MM-DD``) that is not in the past."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"goal date {value!r} is not a date (use YYYY-MM-DD)") from None
    if day < today:
        raise ValueError(f"goal date {day.isoformat()} is in the past")
    return day


def parse_duration(value: str) -> float | None:
    """A goal time as ``H:MM:SS`` or ``MM:SS`` in seconds; empty or ``none`` for no goal."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return None
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"goal time {value!r} is not a duration (use H:MM:SS)")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if seconds <= 0:
        raise ValueError(f"goal time {value!r} must be more than zero")
    return float(seconds)


def _choice(value: str, what: str, choices: list[str]) -> str:
    text = re.sub(r"[\s-]+", "_", value.strip().lower())
    if text not in choices:
        raise ValueError(f"unknown {what} {value!r} (choose from {', '.join(choices)})")
    return text


def parse_equipment(value: str) -> tuple[Equipment, ...]:
    """Comma-separated equipment; ``none`` means bodyweight only."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return (Equipment.BODYWEIGHT,)
    choices = [e.value for e in Equipment]
    found = {
        Equipment(_choice(part, "equipment", choices)) for part in text.split(",") if part.strip()
    }
    return tuple(e for e in Equipment if e in found)


def parse_style(value: str) -> CoachingStyle:
    """``encouraging``, ``analytical`` or ``tough_love``."""
    return CoachingStyle(_choice(value, "coaching style", [s.value for s in CoachingStyle]))


def parse_injuries(value: str) -> tuple[str, ...]:
    """Injuries or niggles separated by commas or semicolons; ``none`` for none."""
    text = value.strip()
    if text.lower() in ("", "none", "-"):
        return ()
    return tuple(part.strip() for part in re.split(r"[;,]", text) if part.strip())


def int_in(low: int, high: int, what: str) -> Callable[[str], int]:
    """A parser for a whole number from ``low`` to ``high``; ``what`` names it in errors."""

    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{what} {number} is out of range ({low}–{high})")
        return number

    return parse


def parse_name(value: str) -> str:
    """The athlete's name (not empty)."""
    name = value.strip()
    if not name:
        raise ValueError("name must not be empty")
    return name


def parse_athlete_id(value: str) -> str:
    """A short id: letters, digits, ``_ . -``."""
    if not _ATHLETE_ID.match(value):
        raise ValueError(f"athlete id {value!r} must be letters, digits, '_', '.' or '-'")
    return value


def local_timezone_name() -> str:
    """This machine's IANA timezone name, or ``UTC`` when it can't be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        try:
            return parse_timezone(name)
        except ValueError:
            continue
    return "UTC"


def days_text(days: tuple[Weekday, ...]) -> str:
    """Weekdays as ``mon,wed,sat`` (``none`` for none), as :func:`parse_days` reads them."""
    return ",".join(DAY_NAMES[d] for d in days) or "none"


def distance_text(metres: float) -> str:
    """A distance as its name (``10k``, ``marathon``) or in kilometres (``30K``)."""
    for name, value in NAMED_DISTANCES.items():
        if value == metres and " " not in name:
            return name
    return f"{metres / 1000:g}K"


def duration_text(seconds: float | None) -> str:
    """A goal time as ``H:MM:SS`` (empty for none), as :func:`parse_duration` reads it."""
    if seconds is None:
        return ""
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"
