"""Small text formats the coach prints: durations, paces, distances, date ranges."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from momentum.core.model import Activity

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def minutes_of(activity: Activity) -> float:
    """Moving minutes, falling back to elapsed time for logged sessions."""
    seconds = activity.moving_time_seconds or activity.elapsed_time_seconds
    return seconds / 60.0


def fmt_minutes(minutes: float) -> str:
    """``48min`` under an hour, ``1:12`` from an hour up (the talk's tree style)."""
    total = round(minutes)
    if total < 60:
        return f"{total}min"
    return f"{total // 60}:{total % 60:02d}"


def fmt_hours(minutes: float) -> str:
    """Hours and minutes with an ``h``: ``2:48h``."""
    total = round(minutes)
    return f"{total // 60}:{total % 60:02d}h"


def fmt_pace(seconds_per_km: float | None) -> str:
    """``9:58 min/km``; empty when unknown."""
    if seconds_per_km is None or seconds_per_km <= 0:
        return ""
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d} min/km"


def fmt_km(meters: float) -> str:
    """``4.40 km``."""
    return f"{meters / 1000:.2f} km"


def fmt_signed_percent(value: float) -> str:
    """``+5%`` / ``-3%`` / ``0%``."""
    rounded = round(value)
    return f"{rounded:+d}%" if rounded else "0%"


def week_range(start: dt.date) -> str:
    """``Feb 16–22`` or ``Feb 23–Mar 1`` for the week starting ``start``."""
    end = start + dt.timedelta(days=6)
    if start.month == end.month:
        return f"{start:%b} {start.day}–{end.day}"
    return f"{start:%b} {start.day}–{end:%b} {end.day}"


def long_date(day: dt.date) -> str:
    """``Tuesday, March 3``."""
    return f"{day:%A}, {day:%B} {day.day}"


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def local_day(at: dt.datetime, tz: ZoneInfo) -> dt.date:
    """The athlete's calendar day for an instant."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(tz).date()


def local_bounds(start: dt.date, end: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """UTC instants spanning local days ``start`` to ``end`` inclusive."""
    lo = dt.datetime.combine(start, dt.time(0, 0), tzinfo=tz).astimezone(dt.UTC)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=tz)
    return lo, hi.astimezone(dt.UTC)


def ago(days: int | None) -> str:
    """``today``, ``yesterday``, ``3 days ago`` or ``a while ago``."""
    if days is None:
        return "a while ago"
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{days} days ago"


def activity_label(activity: Activity) -> str:
    """A short kind for an activity: ``Run``, ``Strength``, ``Ride``, ``Walk`` …"""
    kind = activity.activity_type.lower()
    if "run" in kind:
        return "Run"
    if any(word in kind for word in ("weight", "strength", "workout", "crossfit")):
        return "Strength"
    for word, label in (
        ("ride", "Ride"),
        ("cycl", "Ride"),
        ("walk", "Walk"),
        ("hike", "Hike"),
        ("swim", "Swim"),
        ("yoga", "Yoga"),
        ("row", "Row"),
        ("ski", "Ski"),
    ):
        if word in kind:
            return label
    return activity.activity_type.strip().title() or "Activity"


def is_strength(activity: Activity) -> bool:
    """True for strength and conditioning sessions."""
    return activity_label(activity) == "Strength"
