"""Clock times as minutes of the day, with the arithmetic that wraps at midnight.

A bedtime of 23:30 and one of 00:15 are 45 minutes apart, not 23 h 15 min: every
difference here is the shorter way round the 24-hour clock.
"""

from __future__ import annotations

import re

from momentum import InputError

DAY_MINUTES = 1440
"""Minutes in a day on the clock face."""
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: object, where: str) -> int:
    """``"22:45"`` → 1365 (minutes after midnight); :class:`InputError` naming ``where``
    for anything that is not a 24-hour ``HH:MM``."""
    match = _CLOCK.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        raise InputError(where, f"{text!r} is not a time of day like 22:45")
    return int(match.group(1)) * 60 + int(match.group(2))


def clock_text(minutes: float) -> str:
    """Minutes after midnight (any real number, wrapped onto the day) as ``HH:MM``."""
    whole = round(minutes) % DAY_MINUTES
    return f"{whole // 60:02d}:{whole % 60:02d}"


def wrap(minutes: float) -> float:
    """``minutes`` onto the clock face, ``0 <= result < 1440``."""
    return minutes % DAY_MINUTES


def signed_difference(later: float, earlier: float) -> float:
    """``later - earlier`` the short way round the clock, in ``[-720, 720)`` minutes:
    ``signed_difference(15, 1410)`` (00:15 after 23:30) is 45."""
    return (later - earlier + DAY_MINUTES / 2) % DAY_MINUTES - DAY_MINUTES / 2


def step_toward(current: float, goal: float, limit: float) -> float:
    """``current`` moved toward ``goal`` the short way round the clock by at most
    ``limit`` minutes (exactly onto ``goal`` when it is that close), wrapped."""
    gap = signed_difference(goal, current)
    if abs(gap) <= limit:
        return wrap(goal)
    return wrap(current + (limit if gap > 0 else -limit))
