"""The fitness snapshot the coach prints: "Fitness: ↑ +5% (30d) | Durability: building".

It gathers, for one day: fitness, fatigue and form (:mod:`.load`, seeded from the first
weeks of the history), the 30-day fitness change (``None`` until the history starts 42
days before the 30-day window: "building a baseline"), durability (:mod:`.trends`), the
ramp rate, ACWR and this week's monotony.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.analytics.load import (
    daily_loads,
    fitness_change_percent,
    local_day,
    pmc_from_loads,
)
from momentum.plugins.running.analytics.trends import (
    acute_chronic_ratio,
    durability,
    monotony_strain,
    ramp_rate,
)

CHANGE_DAYS = 30


@dataclass(frozen=True)
class FitnessSnapshot:
    """Fitness numbers on one day."""

    day: dt.date
    ctl: float
    atl: float
    tsb: float
    change_30d_percent: float | None
    durability: str
    ramp_rate: float | None = None
    acwr: float | None = None
    monotony: float | None = None

    @property
    def arrow(self) -> str:
        """↑, ↓ or → for the 30-day fitness change (±1 % counts as flat)."""
        change = self.change_30d_percent
        if change is None or abs(change) < 1.0:
            return "→"
        return "↑" if change > 0 else "↓"

    def summary(self) -> str:
        """One line as the coach prints it."""
        change = self.change_30d_percent
        fitness = "building a baseline" if change is None else f"{self.arrow} {change:+.0f}% (30d)"
        return f"Fitness: {fitness} | Durability: {self.durability}"


def fitness_snapshot(
    activities: Iterable[Activity], athlete: AthleteProfile, day: dt.date
) -> FitnessSnapshot:
    """The snapshot on ``day`` from every activity up to and including it."""
    upto = [a for a in activities if local_day(a.start, athlete.timezone) <= day]
    loads = daily_loads(upto, athlete)
    points = pmc_from_loads(loads, day - dt.timedelta(days=CHANGE_DAYS), day)
    last = points[-1]
    monotony, _ = monotony_strain(loads, day)
    return FitnessSnapshot(
        day=day,
        ctl=last.ctl,
        atl=last.atl,
        tsb=last.tsb,
        change_30d_percent=fitness_change_percent(
            points, CHANGE_DAYS, history_start=min(loads, default=None)
        ),
        durability=durability(upto, as_of=day).label,
        ramp_rate=ramp_rate(points),
        acwr=acute_chronic_ratio(loads, day),
        monotony=monotony,
    )
