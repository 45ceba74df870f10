"""The numbers a message prints, from :mod:`momentum.plugins.running.analytics` and
:mod:`momentum.plugins.running.plans`.

A message must still go out at 6 am if one metric cannot be computed from odd data, so
each call here degrades to "unknown" and logs, instead of failing the check-in.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model import Activity
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.plans import WeekStatus, week_status

log = logging.getLogger("momentum.coach")


@dataclass(frozen=True)
class Fitness:
    """Fitness, fatigue and form on a day, the 30-day change and durability."""

    ctl: float | None
    atl: float | None
    tsb: float | None
    change_30d_percent: float | None
    durability: str


UNKNOWN_FITNESS = Fitness(None, None, None, None, "unknown")


def fitness(view: AthleteView, day: dt.date | None = None) -> Fitness:
    """The fitness snapshot on ``day`` (default: the view's day)."""
    try:
        from momentum.plugins.running.analytics.snapshot import fitness_snapshot

        snap = fitness_snapshot(view.activities, view.athlete, day or view.day)
    except Exception:
        log.exception("fitness snapshot failed for %s", view.athlete_id)
        return UNKNOWN_FITNESS
    return Fitness(snap.ctl, snap.atl, snap.tsb, snap.change_30d_percent, snap.durability)


def load_of(view: AthleteView, activity: Activity) -> float | None:
    """HRSS-like load of one activity."""
    try:
        from momentum.plugins.running.analytics.load import activity_load

        return activity_load(activity, view.athlete)
    except Exception:
        log.exception("load failed for activity %s", activity.activity_id)
        return None


def contribution_of(view: AthleteView, activity: Activity) -> tuple[float, float] | None:
    """What an activity added to fitness and fatigue on its day."""
    load = load_of(view, activity)
    if load is None:
        return None
    from momentum.plugins.running.analytics.load import contribution

    return contribution(load)


def status_of(view: AthleteView, day: dt.date, activities: Sequence[Activity]) -> WeekStatus:
    """The plan's weekly picture for ``day``'s week."""
    return week_status(view.plan, list(activities), day, timezone=view.athlete.timezone)


def aerobic_done(view: AthleteView, start: dt.date, end: dt.date) -> int:
    """Aerobic (run and cross-training) minutes done on local days ``start..end``, one
    Monday-to-Sunday week at most, by :func:`momentum.plugins.running.plans.week_status`'s
    convention: the
    figure the ``Aerobic: 2:48h / 5:00h`` bar shows, strength never included."""
    return status_of(view, start, view.between(start, end)).aerobic_minutes_done
