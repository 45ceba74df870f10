"""The training log: fourteen weeks of what the demo athlete did, 1 Dec 2025 – 10 Mar 2026.

The last four weeks of the Fall Reset, then the Winter Engine: easy Z2 runs, a long run
most weeks (on the trails, or on the treadmill in a snowstorm), intervals every other
week, treadmill classes with incline hikes, and strength. Three stretches of missed days:
14–17 Jan (4 days), 23–24 Feb (2 days, the demo's fragile check-in) and 2–9 Mar (8 days,
the low check-in). Sunday 8 Feb stacks a 90-minute treadmill long run and a hard strength
class the athlete only mentions in chat, as in the talk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

D = dt.date


@dataclass(frozen=True)
class Entry:
    """One session on the calendar: local day and start time, kind and minutes.

    ``kind`` is one of ``easy``, ``recovery``, ``long``, ``intervals``, ``treadmill``,
    ``treadmill_long`` or ``strength``. ``via_chat`` marks a session no device recorded:
    the athlete tells the coach about it instead.
    """

    day: dt.date
    at: str
    kind: str
    minutes: int
    intensity: str = ""
    reps: int = 0
    via_chat: bool = False

    @property
    def local_time(self) -> dt.time:
        """The local start time."""
        hour, minute = self.at.split(":")
        return dt.time(int(hour), int(minute))


FIRST_DAY = D(2025, 12, 1)
LAST_DAY = D(2026, 3, 10)

CALENDAR: tuple[Entry, ...] = (
    # weeks of 1–22 Dec: Fall Reset, rebuilding toward 5 h a week
    Entry(D(2025, 12, 1), "07:10", "easy", 40),
    Entry(D(2025, 12, 3), "18:15", "treadmill", 40),
    Entry(D(2025, 12, 4), "18:30", "strength", 30, intensity="moderate"),
    Entry(D(2025, 12, 6), "09:00", "long", 60),
    Entry(D(2025, 12, 8), "07:10", "easy", 40),
    Entry(D(2025, 12, 10), "18:15", "treadmill", 40),
    Entry(D(2025, 12, 11), "18:30", "strength", 30, intensity="moderate"),
    Entry(D(2025, 12, 13), "09:00", "long", 65),
    Entry(D(2025, 12, 15), "07:10", "easy", 40),
    Entry(D(2025, 12, 17), "18:15", "treadmill", 45),
    Entry(D(2025, 12, 18), "18:30", "strength", 35, intensity="moderate"),
    Entry(D(2025, 12, 20), "09:00", "long", 65),
    Entry(D(2025, 12, 22), "07:10", "easy", 40),
    Entry(D(2025, 12, 24), "10:00", "treadmill", 40),
    Entry(D(2025, 12, 27), "09:00", "long", 60),
    # week of 29 Dec: the fall reset carries on over the holidays
    Entry(D(2025, 12, 29), "07:10", "easy", 40),
    Entry(D(2025, 12, 30), "12:00", "strength", 40, intensity="moderate"),
    Entry(D(2025, 12, 31), "10:00", "treadmill", 45),
    Entry(D(2026, 1, 2), "09:30", "easy", 40),
    Entry(D(2026, 1, 3), "09:00", "long", 70),
    # week of 5 Jan: Winter Engine starts
    Entry(D(2026, 1, 5), "06:45", "easy", 45),
    Entry(D(2026, 1, 6), "18:30", "strength", 45, intensity="moderate"),
    Entry(D(2026, 1, 7), "18:15", "treadmill", 45),
    Entry(D(2026, 1, 8), "12:10", "intervals", 0, reps=5),
    Entry(D(2026, 1, 10), "09:00", "long", 75),
    Entry(D(2026, 1, 11), "10:00", "recovery", 30),
    # week of 12 Jan: work crunch, Wed–Sat missed
    Entry(D(2026, 1, 12), "06:45", "easy", 45),
    Entry(D(2026, 1, 13), "18:30", "strength", 40, intensity="moderate"),
    Entry(D(2026, 1, 18), "10:00", "treadmill_long", 80),
    # week of 19 Jan
    Entry(D(2026, 1, 19), "06:45", "easy", 45),
    Entry(D(2026, 1, 20), "18:30", "strength", 45, intensity="moderate"),
    Entry(D(2026, 1, 21), "18:15", "treadmill", 50),
    Entry(D(2026, 1, 22), "12:10", "intervals", 0, reps=6),
    Entry(D(2026, 1, 24), "09:00", "long", 80),
    Entry(D(2026, 1, 25), "10:00", "easy", 40),
    # week of 26 Jan: snowstorm Saturday, long run indoors
    Entry(D(2026, 1, 26), "06:45", "easy", 48),
    Entry(D(2026, 1, 28), "18:15", "treadmill", 50),
    Entry(D(2026, 1, 29), "18:30", "strength", 45, intensity="moderate"),
    Entry(D(2026, 1, 31), "09:00", "treadmill_long", 85),
    Entry(D(2026, 2, 1), "10:00", "recovery", 30),
    # week of 2 Feb: Sunday stacks the longest run yet and a hard strength class
    Entry(D(2026, 2, 2), "06:45", "easy", 45),
    Entry(D(2026, 2, 3), "18:30", "strength", 40, intensity="moderate"),
    Entry(D(2026, 2, 4), "07:00", "easy", 48),
    Entry(D(2026, 2, 5), "12:10", "intervals", 0, reps=5),
    Entry(D(2026, 2, 8), "09:30", "treadmill_long", 90),
    Entry(D(2026, 2, 8), "20:30", "strength", 60, intensity="hard", via_chat=True),
    # week of 9 Feb: DOMS Monday and Tuesday
    Entry(D(2026, 2, 11), "18:15", "easy", 40),
    Entry(D(2026, 2, 12), "18:30", "strength", 30, intensity="easy"),
    Entry(D(2026, 2, 14), "09:00", "long", 95),
    Entry(D(2026, 2, 15), "10:00", "easy", 40),
    # week of 16 Feb: the talk's week
    Entry(D(2026, 2, 16), "06:30", "easy", 72),
    Entry(D(2026, 2, 17), "18:30", "strength", 40, intensity="moderate"),
    Entry(D(2026, 2, 18), "18:20", "treadmill", 46),
    Entry(D(2026, 2, 21), "09:00", "treadmill_long", 92),
    Entry(D(2026, 2, 22), "10:30", "strength", 60, intensity="moderate"),
    # week of 23 Feb: Mon/Tue quiet, then back
    Entry(D(2026, 2, 25), "19:00", "treadmill", 25),
    Entry(D(2026, 2, 26), "18:30", "strength", 35, intensity="moderate"),
    Entry(D(2026, 2, 28), "09:00", "long", 100),
    Entry(D(2026, 3, 1), "10:00", "easy", 45),
    # 2–9 Mar: a cold, then a work trip: eight days off; a short treadmill restart on Tuesday
    Entry(D(2026, 3, 10), "17:30", "treadmill", 25),
)
"""The athlete's sessions, in time order."""
