"""Calendar helpers: plan weeks run Monday to Sunday in the athlete's local time."""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def monday_of(day: dt.date) -> dt.date:
    """The Monday starting ``day``'s week (ISO weeks start on Monday)."""
    return day - dt.timedelta(days=day.weekday())


RACE_WEEK_LEAD = 4
"""A race on Monday–Thursday has at least four of its last seven days in the plan week before."""


def race_week_start(race_day: dt.date) -> dt.date:
    """The Monday of a race's race week: the plan week holding most of the seven days before
    the race. That is the race's own week for a Friday–Sunday race and the week before for a
    Monday–Thursday race (a Monday race has no day of its own week before it)."""
    return monday_of(race_day - dt.timedelta(days=RACE_WEEK_LEAD))


def week_days(start: dt.date) -> list[dt.date]:
    """The seven dates of the week starting ``start``."""
    return [start + dt.timedelta(days=i) for i in range(7)]


def day_name(day: dt.date) -> str:
    """``Mon`` … ``Sun``."""
    return DAY_NAMES[day.weekday()]


def round5(minutes: float) -> int:
    """Round to the nearest 5 minutes: plans speak in 5-minute steps."""
    return int(5 * round(minutes / 5.0))


def floor5(minutes: float) -> int:
    """Round down to 5 minutes, so a week never exceeds the volume it was allowed."""
    return int(5 * (int(minutes + 1e-9) // 5))


def weekday_gap(a: int, b: int) -> int:
    """Days between two weekdays on the weekly cycle (0..3): Sunday and Monday are 1 apart."""
    diff = abs(a - b) % 7
    return min(diff, 7 - diff)
