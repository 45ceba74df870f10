"""The week's bed and wake targets: a small step toward the athlete's goal each week.

Moving a sleep schedule by more than about 15 minutes at a time is hard to keep (the body
clock shifts slowly), so each week's targets move **at most 15 minutes** toward the goal
bedtime and wake time, the short way round the clock. The first week starts from the
athlete's habit (the circular mean of the last 14 nights' bed and wake times, rounded to
5 minutes), or from the goal when there is no timed night. Asking again in the same week
returns that week's targets unchanged, so a re-run never moves twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from momentum.plugins.sleep.clock import step_toward
from momentum.plugins.sleep.nights import Night
from momentum.plugins.sleep.profile import SleepProfile, Targets
from momentum.plugins.sleep.regularity import clock_spread

WEEKLY_STEP_MINUTES = 15
"""The most a target moves in one week."""


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def bed_time(night: Night) -> float | None:
    """When the night began: the time into bed when known, else sleep onset (minutes from
    the wake day's midnight)."""
    return night.bed_start_min if night.bed_start_min is not None else night.onset_min


def _habit(nights: Sequence[Night]) -> tuple[int, int] | None:
    timed = [n for n in nights if n.timed]
    beds = clock_spread(t for n in timed if (t := bed_time(n)) is not None)
    wakes = clock_spread(n.offset_min for n in timed if n.offset_min is not None)
    if beds is None or wakes is None:
        return None
    return (5 * round(beds.mean / 5)) % 1440, (5 * round(wakes.mean / 5)) % 1440


def next_targets(profile: SleepProfile, recent: Sequence[Night], day: dt.date) -> Targets:
    """This week's targets (see the module): last week's moved by at most
    :data:`WEEKLY_STEP_MINUTES` toward the goal."""
    monday = week_start(day)
    current = profile.targets
    if current is not None and current.week == monday:
        return current
    if current is not None:
        bed, wake = current.bedtime, current.wake
    else:
        bed, wake = _habit(recent) or (profile.goal_bedtime, profile.goal_wake)
    return Targets(monday, _step(bed, profile.goal_bedtime), _step(wake, profile.goal_wake))


def _step(current: int, goal: int) -> int:
    return round(step_toward(current, goal, WEEKLY_STEP_MINUTES)) % 1440
