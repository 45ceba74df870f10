"""A small grammar for what athletes type: days, distances, durations, paces and sessions.

Offline chat (no model, or a model outage) turns words into tool calls with these pieces;
each one parses one kind of phrase and returns ``None`` when the text holds none:

* day: ``today``, ``tonight``, ``yesterday``, ``tomorrow``, a weekday name (``sunday``,
  ``sun``; "last sunday" looks back, "next sunday" forward) or an ISO date ``2026-03-01``;
* distance: ``5 km``, ``5k``, ``10.5 kilometres``, ``3 mi``, ``3 miles``, ``800 m``,
  ``half marathon``, ``marathon`` → metres;
* duration: ``45 min``, ``1 h``, ``1h20``, ``1:05:00``, ``25:30`` (minutes:seconds),
  ``90 minutes`` → seconds;
* pace: ``5:30/km``, ``5:30 per km``, ``8:45/mi``, ``8:45 min/mile`` → seconds per km;
* session: the plan's words for a session (``long run``, ``tempo``, ``intervals``,
  ``strength``, ``easy run``…) → a :class:`~momentum.plugins.running.model.plan.SessionKind` value.

The grammar is English and deliberately small: when a phrase is ambiguous it is not parsed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
METERS_PER_MILE = 1609.344
HALF_MARATHON = 21_097.5
MARATHON = 42_195.0

_NUMBER = r"\d+(?:[.,]\d+)?"
_DAY_NAME = r"(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?|" + "|".join(WEEKDAYS)
_DAY = re.compile(
    r"\b(?P<rel>last|next|this)?\s*(?P<word>today|tonight|yesterday|tomorrow|" + _DAY_NAME + r")\b"
    r"|\b(?P<iso>\d{4}-\d{2}-\d{2})\b",
    re.IGNORECASE,
)
_DISTANCE = re.compile(
    rf"(?<![\d:])(?P<value>{_NUMBER})\s*(?P<unit>km|kms|k|kilomet(?:er|re)s?|mi|miles?|m|"
    r"met(?:er|re)s?)\b(?!\s*/|\s*per\b)"
    r"|\b(?P<name>half[- ]marathon|half|marathon)\b",
    re.IGNORECASE,
)
_CLOCK = re.compile(r"\b(?P<a>\d{1,2}):(?P<b>\d{2})(?::(?P<c>\d{2}))?\b(?!\s*(?:/|per|min/))")
_HOURS_MINUTES = re.compile(r"\b(?P<h>\d{1,2})\s*h(?:ours?|rs?)?\s*(?P<m>\d{1,2})\b(?!\s*:)")
_UNIT_TIME = re.compile(
    rf"(?P<value>{_NUMBER})\s*(?P<unit>h|hrs?|hours?|min|mins|minutes?|s|secs?|seconds?)\b"
    r"(?!\s*/)",
    re.IGNORECASE,
)
_PACE = re.compile(
    r"\b(?P<m>\d{1,2}):(?P<s>\d{2})\s*(?:min)?\s*(?:/|per)\s*(?P<unit>km|kilomet(?:er|re)|mi|mile)",
    re.IGNORECASE,
)
SESSION_WORDS = (
    ("long", r"long run|long|lr"),
    ("tempo", r"tempo|threshold"),
    ("intervals", r"intervals?|reps|track|vo2"),
    ("hills", r"hills?|hill repeats"),
    ("strength", r"strength|gym|weights|lifting"),
    ("cross", r"cross[- ]?training|bike|ride|swim"),
    ("easy", r"easy run|easy|recovery run|run"),
)


@dataclass(frozen=True)
class DayMatch:
    """A day found in the text, and where."""

    day: dt.date
    start: int
    end: int


def _weekday_index(word: str) -> int:
    word = word.lower()
    for index, name in enumerate(WEEKDAYS):
        if name.startswith(word[:3]):
            return index
    raise ValueError(word)


def days_in(text: str, today: dt.date, *, past: bool = False) -> list[DayMatch]:
    """Every day named in ``text``, in order. A bare weekday is the nearest one ahead
    (today included), or with ``past`` (logging what was done) the nearest one behind;
    "last sunday" is the latest Sunday before today, "next sunday" the first after it."""
    found: list[DayMatch] = []
    for m in _DAY.finditer(text):
        if m.group("iso"):
            try:
                day = dt.date.fromisoformat(m.group("iso"))
            except ValueError:
                continue
        else:
            word = m.group("word").lower()
            relative = (m.group("rel") or "").lower()
            if word in ("today", "tonight"):
                day = today
            elif word == "yesterday":
                day = today - dt.timedelta(days=1)
            elif word == "tomorrow":
                day = today + dt.timedelta(days=1)
            else:
                day = today + dt.timedelta(days=_weekday_index(word) - today.weekday())
                if relative == "last":
                    day -= dt.timedelta(days=7) if day >= today else dt.timedelta(0)
                elif relative == "next":
                    day += dt.timedelta(days=7) if day <= today else dt.timedelta(0)
                elif past and day > today:
                    day -= dt.timedelta(days=7)
                elif not past and day < today:
                    day += dt.timedelta(days=7)
        found.append(DayMatch(day, m.start(), m.end()))
    return found


def day_in(text: str, today: dt.date, *, past: bool = False) -> dt.date | None:
    """The first day named in ``text`` (see :func:`days_in`)."""
    days = days_in(text, today, past=past)
    return days[0].day if days else None


def distance_in(text: str) -> float | None:
    """The first distance in ``text``, in metres (``5k`` = 5000, ``3 mi`` = 4828)."""
    for m in _DISTANCE.finditer(text):
        name = (m.group("name") or "").lower()
        if name:
            return MARATHON if name == "marathon" else HALF_MARATHON
        value = float(m.group("value").replace(",", "."))
        unit = m.group("unit").lower()
        if unit.startswith("k"):
            meters = value * 1000
        elif unit.startswith("mi"):
            meters = value * METERS_PER_MILE
        else:
            if value < 100:  # "30 m" is more likely thirty minutes than thirty metres
                continue
            meters = value
        if 0 < meters <= 500_000:
            return meters
    return None


def duration_in(text: str) -> float | None:
    """The first duration in ``text``, in seconds. ``1:05:00`` is h:mm:ss; ``25:30`` is
    mm:ss unless the first part is small and the phrase is a long effort (``2:10`` with a
    marathon distance is read by the caller); ``45 min``; ``1h20``; ``1.5 hours``."""
    cleaned = _PACE.sub(" ", text)
    m = _CLOCK.search(cleaned)
    if m:
        a, b, c = int(m.group("a")), int(m.group("b")), m.group("c")
        if b < 60 and (c is None or int(c) < 60):
            return float(a * 3600 + b * 60 + int(c)) if c is not None else float(a * 60 + b)
    m = _HOURS_MINUTES.search(cleaned)
    if m and int(m.group("m")) < 60:
        return float(int(m.group("h")) * 3600 + int(m.group("m")) * 60)
    total = 0.0
    for m in _UNIT_TIME.finditer(cleaned):
        value = float(m.group("value").replace(",", "."))
        unit = m.group("unit").lower()
        total += value * (3600 if unit.startswith("h") else 60 if unit.startswith("m") else 1)
    return total or None


def pace_in(text: str) -> float | None:
    """The first pace in ``text``, in seconds per kilometre."""
    m = _PACE.search(text)
    if not m:
        return None
    seconds = int(m.group("m")) * 60 + int(m.group("s"))
    if m.group("unit").lower().startswith("mi"):
        return seconds / (METERS_PER_MILE / 1000)
    return float(seconds)


def session_in(text: str) -> str | None:
    """The plan session named in ``text`` (``long``, ``tempo``, ``intervals``, ``hills``,
    ``strength``, ``cross`` or ``easy``)."""
    for kind, pattern in SESSION_WORDS:
        if re.search(rf"\b(?:{pattern})\b", text, re.IGNORECASE):
            return kind
    return None


def clock_text(seconds: float) -> str:
    """``1:05:00`` or ``25:30``."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def past_day(text: str, today: dt.date) -> dt.date | None:
    """The day something was done: like :func:`day_in` with ``past`` (a weekday later in the
    week than today means last week's), or ``None`` when ``text`` names no day."""
    return day_in(text, today, past=True)
