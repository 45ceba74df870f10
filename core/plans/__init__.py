"""Plan engine: periodised race plans that adapt every week (issue 4).

Public surface (agreed with the coach engine and the demo):

- :func:`build_plan` – a macrocycle, a Minimum Viable Week and a rolling window of weeks.
- :func:`weekly_refresh` – Sunday night: planned vs actual, regenerate the coming weeks.
- :func:`reshuffle` – midweek: move key sessions after missed days.
- :func:`adjust_session` – replace one day's session ("only 20 minutes", "calf is sore").
- :func:`week_status` – the weekly picture the coach renders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.model.activity import Activity
from core.model.athlete import AthleteProfile
from core.model.journal import MemoryItem
from core.model.plan import Plan, PlannedSession

__all__ = [
    "DayStatus",
    "WeekStatus",
    "adjust_session",
    "build_plan",
    "reshuffle",
    "week_status",
    "weekly_refresh",
]


@dataclass(frozen=True)
class DayStatus:
    """One day of the weekly picture."""

    day: dt.date
    session: PlannedSession | None
    activities: tuple[Activity, ...] = ()
    status: str = "rest"


@dataclass(frozen=True)
class WeekStatus:
    """The weekly picture: seven days, aerobic minutes and Minimum Viable Week ticks."""

    start: dt.date
    days: tuple[DayStatus, ...] = ()
    aerobic_minutes_done: int = 0
    aerobic_minutes_planned: int = 0
    mvw: dict[str, tuple[int, int]] = field(default_factory=dict)


def build_plan(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
    weeks: int = 8,
) -> Plan:
    """Build a plan (placeholder while the engine is written)."""
    raise NotImplementedError


def weekly_refresh(
    plan: Plan,
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
) -> Plan:
    """Sunday-night refresh (placeholder)."""
    raise NotImplementedError


def reshuffle(
    plan: Plan,
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
) -> Plan:
    """Midweek reshuffle (placeholder)."""
    raise NotImplementedError


def adjust_session(
    plan: Plan, athlete: AthleteProfile, day: dt.date, reason: str, memory: Sequence[MemoryItem]
) -> Plan:
    """One-day adjustment (placeholder)."""
    raise NotImplementedError


def week_status(plan: Plan | None, activities: Sequence[Activity], day: dt.date) -> WeekStatus:
    """The weekly picture (placeholder)."""
    raise NotImplementedError
