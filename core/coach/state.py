"""The athlete's motivation state for a day: thriving, on track, fragile or low.

The state decides the tone of every message. It is judged from two things code can
count: *missed days* (days since the last activity on which training was planned, or on
which nothing was planned because there is no plan) and *adherence* (active days in the
last seven against the days training was planned). Thresholds come from
``Settings.fragile_missed_days`` and ``Settings.low_missed_days``; the talk's defaults are
2–4 missed days for fragile and 5 or more for low.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

LOOKBACK_DAYS = 42
"""How far back the last activity is searched for; beyond it the athlete counts as low."""

THRIVING_ADHERENCE = 0.8
"""Share of planned training days in the last week that must be active to be thriving."""

DEFAULT_TRAINING_DAYS = 5
"""Training days a week assumed when no plan covers a day (the domain's usual floor)."""


class TrainingDays(Protocol):
    """What the state needs of a domain's plan: the domain answers, core only counts."""

    def training_day(self, day: dt.date) -> bool | None:
        """Whether the plan expected training on ``day``; ``None`` when it does not cover
        ``day``."""


class MotivationState(enum.Enum):
    """How the athlete is doing, which sets the coach's tone."""

    THRIVING = "thriving"
    ON_TRACK = "on_track"
    FRAGILE = "fragile"
    LOW = "low"

    @property
    def label(self) -> str:
        """Human form: ``on track``."""
        return self.value.replace("_", " ")

    @property
    def off_track(self) -> bool:
        """Fragile or low: no progress bars, short, warm, curious."""
        return self in (MotivationState.FRAGILE, MotivationState.LOW)


@dataclass(frozen=True)
class StateThresholds:
    """Missed-day thresholds (``fragile`` ≤ missed < ``low``)."""

    fragile: int = 2
    low: int = 5

    def __post_init__(self) -> None:
        if not 1 <= self.fragile < self.low:
            raise ValueError(
                f"need 1 <= fragile_missed_days < low_missed_days, got {self.fragile}/{self.low}"
            )


@dataclass(frozen=True)
class StateAssessment:
    """The state and the counts it was judged from."""

    day: dt.date
    state: MotivationState
    missed_days: int
    last_activity_day: dt.date | None
    last_run_day: dt.date | None
    active_days_7d: int
    planned_days_7d: int
    recent_days: tuple[bool, ...]
    """Active or not for the seven days ending on ``day``, oldest first."""

    @property
    def adherence(self) -> float:
        """Active days / planned training days over the last seven (capped at 1)."""
        if self.planned_days_7d <= 0:
            return 1.0
        return min(1.0, self.active_days_7d / self.planned_days_7d)

    @property
    def days_since_activity(self) -> int | None:
        """Whole days since the last activity (0 = today), ``None`` if none was found."""
        if self.last_activity_day is None:
            return None
        return (self.day - self.last_activity_day).days

    @property
    def days_since_run(self) -> int | None:
        """Whole days since the last run (0 = today), ``None`` if none was found."""
        if self.last_run_day is None:
            return None
        return (self.day - self.last_run_day).days


def is_training_day(plan: TrainingDays | None, day: dt.date) -> bool:
    """Whether training was expected on ``day``: as the domain's plan says, or on any day
    with no plan or one the plan does not cover."""
    expected = plan.training_day(day) if plan is not None else None
    return True if expected is None else expected


def assess_state(
    day: dt.date,
    activity_days: Iterable[dt.date],
    run_days: Iterable[dt.date],
    plan: TrainingDays | None,
    thresholds: StateThresholds | None = None,
    *,
    new_athlete: bool = False,
) -> StateAssessment:
    """Judge the state on local ``day`` from the local days activities (and runs) fell on.

    Missed days are the days strictly between the last activity and ``day`` on which
    training was planned (see :func:`is_training_day`). A ``new_athlete`` with no history
    is on track, not low.
    """
    thresholds = thresholds or StateThresholds()
    active = {d for d in activity_days if d <= day}
    runs = {d for d in run_days if d <= day}
    window_start = day - dt.timedelta(days=LOOKBACK_DAYS)
    recent_active = [d for d in active if d >= window_start]
    last_activity = max(recent_active) if recent_active else None
    recent_runs = [d for d in runs if d >= window_start]
    last_run = max(recent_runs) if recent_runs else None

    if last_activity is None:
        missed = 0 if new_athlete else LOOKBACK_DAYS
    else:
        missed = sum(
            1
            for offset in range(1, (day - last_activity).days)
            if is_training_day(plan, last_activity + dt.timedelta(days=offset))
        )

    last7 = [day - dt.timedelta(days=offset) for offset in range(6, -1, -1)]
    recent_days = tuple(d in active for d in last7)
    # Today only counts when already done: at 6 am it is still ahead.
    past7 = [d for d in last7 if d < day or d in active]
    planned = round(sum(_planned(plan, d) for d in past7))
    active_count = sum(1 for d in past7 if d in active)

    if missed >= thresholds.low:
        state = MotivationState.LOW
    elif missed >= thresholds.fragile:
        state = MotivationState.FRAGILE
    elif (
        missed <= 1
        and last_activity is not None
        and (planned and active_count / planned >= THRIVING_ADHERENCE)
    ):
        state = MotivationState.THRIVING
    else:
        state = MotivationState.ON_TRACK
    return StateAssessment(
        day=day,
        state=state,
        missed_days=missed,
        last_activity_day=last_activity,
        last_run_day=last_run,
        active_days_7d=active_count,
        planned_days_7d=planned,
        recent_days=recent_days,
    )


def _planned(plan: TrainingDays | None, day: dt.date) -> float:
    expected = plan.training_day(day) if plan is not None else None
    if expected is None:
        # Without a plan, expect training on DEFAULT_TRAINING_DAYS of every seven.
        return DEFAULT_TRAINING_DAYS / 7
    return 1.0 if expected else 0.0
