"""What the athlete actually did: weekly volume, the longest recent run and breaks.

Conventions:

* Aerobic volume is moving minutes of runs and cardio cross-training (ride, swim, hike,
  walk, row, elliptical, ski); strength does not count. This is the talk's "Aerobic:
  3:30h / 5:00h" line.
* Established volume is the mean of the best three of the last four complete weeks, so one
  down or sick week does not drag the base down (the 10% rule is applied to it; Daniels,
  *Daniels' Running Formula*, "stress for 3–4 weeks before increasing").
* A break is six or more days without any activity (Daniels' return-to-training table:
  up to five days off needs no adjustment).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from momentum.core.model.activity import Activity
from momentum.plugins.running.analytics.load import local_day
from momentum.plugins.running.plans.dates import ONE_DAY, monday_of

RUN, STRENGTH, CROSS, OTHER = "run", "strength", "cross", "other"
_STRENGTH_WORDS = ("strength", "weight", "workout", "crossfit", "gym", "hiit", "conditioning")
_CROSS_WORDS = (
    "ride",
    "cycl",
    "bike",
    "swim",
    "row",
    "elliptical",
    "hike",
    "walk",
    "ski",
    "stair",
    "paddle",
    "skate",
)
BREAK_DAYS = 6
"""Days without activity that count as a break (Daniels: up to 5 days needs no change)."""
MIN_COUNTED_RUN = 15.0
"""Minutes a run needs to count toward the Minimum Viable Week's runs."""


def activity_class(activity: Activity) -> str:
    """``run``, ``strength``, ``cross`` (aerobic cross-training) or ``other`` (yoga, …)."""
    if activity.is_run:
        return RUN
    kind = activity.activity_type.lower()
    if any(word in kind for word in _STRENGTH_WORDS):
        return STRENGTH
    if any(word in kind for word in _CROSS_WORDS):
        return CROSS
    return OTHER


def minutes_of(activity: Activity) -> float:
    """Moving minutes, falling back to elapsed time for logged sessions."""
    seconds = activity.moving_time_seconds or activity.elapsed_time_seconds
    return max(0.0, seconds) / 60.0


def is_aerobic(activity: Activity) -> bool:
    """Runs and cardio cross-training count toward aerobic volume."""
    return activity_class(activity) in (RUN, CROSS)


def day_of(activity: Activity, timezone: str) -> dt.date:
    """The athlete's local calendar day of ``activity``."""
    return local_day(activity.start, timezone or "UTC")


@dataclass(frozen=True)
class History:
    """Activities bucketed by local day, plus minutes assumed done without device data."""

    by_day: Mapping[dt.date, tuple[Activity, ...]]
    assumed_minutes: Mapping[dt.date, float]
    assumed_long: Mapping[dt.date, float]

    @classmethod
    def of(
        cls,
        activities: Iterable[Activity],
        timezone: str,
        assumed: Mapping[dt.date, float] | None = None,
        assumed_long: Mapping[dt.date, float] | None = None,
    ) -> History:
        """Bucket ``activities`` by local day; ``assumed`` adds planned minutes taken as done."""
        days: dict[dt.date, list[Activity]] = {}
        for activity in activities:
            days.setdefault(day_of(activity, timezone), []).append(activity)
        return cls(
            {d: tuple(sorted(a, key=lambda x: x.start)) for d, a in days.items()},
            dict(assumed or {}),
            dict(assumed_long or {}),
        )

    @property
    def active_days(self) -> list[dt.date]:
        """Days with any activity or assumed session, oldest first."""
        return sorted(set(self.by_day) | {d for d, m in self.assumed_minutes.items() if m > 0})

    def aerobic_minutes(self, start: dt.date, end: dt.date) -> float:
        """Aerobic minutes on days ``start <= day < end``."""
        total = 0.0
        for day, items in self.by_day.items():
            if start <= day < end:
                total += sum(minutes_of(a) for a in items if is_aerobic(a))
        total += sum(m for d, m in self.assumed_minutes.items() if start <= d < end)
        return total

    def weekly_minutes(self, before: dt.date, weeks: int) -> list[float]:
        """Aerobic minutes of the ``weeks`` complete weeks before ``before``'s week, oldest
        first."""
        this_monday = monday_of(before)
        out = []
        for back in range(weeks, 0, -1):
            start = this_monday - dt.timedelta(days=7 * back)
            out.append(self.aerobic_minutes(start, start + dt.timedelta(days=7)))
        return out

    def longest_run(self, start: dt.date, end: dt.date) -> float:
        """The longest single run (or assumed long run) on days ``start <= day < end``."""
        best = 0.0
        for day, items in self.by_day.items():
            if start <= day < end:
                for activity in items:
                    if activity_class(activity) == RUN:
                        best = max(best, minutes_of(activity))
        for day, minutes in self.assumed_long.items():
            if start <= day < end:
                best = max(best, minutes)
        return best

    @property
    def has_data(self) -> bool:
        """True when there is any activity or assumed session at all."""
        return bool(self.active_days)


def established_volume(history: History, today: dt.date) -> float | None:
    """Weekly aerobic minutes the athlete is used to: the mean of the best three of the last
    four complete weeks (``None`` without any history)."""
    if not history.has_data:
        return None
    weeks = sorted(history.weekly_minutes(today, 4), reverse=True)[:3]
    return sum(weeks) / len(weeks)


@dataclass(frozen=True)
class Break:
    """A stretch of days without any activity."""

    first_day_off: dt.date
    days: int
    ongoing: bool


def recent_break(history: History, today: dt.date, lookback_days: int = 21) -> Break | None:
    """The latest break of at least :data:`BREAK_DAYS` days that is still going on or ended
    within the last ``lookback_days``; ``None`` when training has been continuous.

    Only gaps after some earlier activity count: a brand-new athlete is not "returning".
    """
    days = [d for d in history.active_days if d < today]
    if not days:
        return None
    since_last = (today - days[-1]).days - 1
    if since_last >= BREAK_DAYS:
        return Break(days[-1] + ONE_DAY, since_last, True)
    window_start = today - dt.timedelta(days=lookback_days)
    for earlier, later in zip(reversed(days[:-1]), reversed(days[1:]), strict=True):
        if later < window_start:
            break
        gap = (later - earlier).days - 1
        if gap >= BREAK_DAYS:
            return Break(earlier + ONE_DAY, gap, False)
    return None


def pre_break_volume(history: History, brk: Break) -> float:
    """Established volume in the four weeks before the break started."""
    return established_volume(history, brk.first_day_off) or 0.0
