"""Calendar helpers: plan weeks run Monday to Sunday in the athlete's local time."""

from __future__ import annotations

import datetime as dt

ONE_DAY = dt.timedelta(days=1)
ONE_WEEK = dt.timedelta(days=7)
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def monday_of(day: dt.date) -> dt.date:
    """The Monday starting ``day``'s week (ISO weeks start on Monday)."""
    return day - dt.timedelta(days=day.weekday())


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
