"""A week's training volume, like with like: aerobic time against planned aerobic time,
strength counted on its own.

Convention (the talk's ``Aerobic: 2:48h / 5:00h`` bar, as computed by
:func:`momentum.plugins.running.plans.week_status`): aerobic minutes are runs and cardio
cross-training, done
from the activities and planned from the plan's run and cross-training sessions. Strength
(and other non-aerobic sessions such as yoga) never enters an aerobic figure, so "vs
plan", "vs last week", momentum and "next week" all compare running time with running
time; strength is reported as sessions and minutes beside it, against the strength the
plan holds. Activities are classified by
:func:`momentum.plugins.running.plans.history.activity_class`, the
same rule ``week_status`` uses, so every figure agrees with the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model import Activity
from momentum.plugins.running.coach.formatting import fmt_hours, fmt_km
from momentum.plugins.running.model.plan import PlanWeek, SessionKind, SessionStatus
from momentum.plugins.running.plans import WeekStatus
from momentum.plugins.running.plans.history import CROSS, RUN, STRENGTH, activity_class, minutes_of


def fmt_duration(minutes: float) -> str:
    """``40min`` and ``60min`` up to an hour, ``1:40h`` above it."""
    return f"{round(minutes)}min" if round(minutes) <= 60 else fmt_hours(minutes)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass(frozen=True)
class Strength:
    """Strength sessions (done or planned) and their minutes."""

    sessions: int = 0
    minutes: float = 0.0

    def text(self) -> str:
        """``1 session, 60min`` / ``2 sessions, 1:40h`` / ``none``."""
        if self.sessions <= 0:
            return "none"
        return f"{_plural(self.sessions, 'session')}, {fmt_duration(self.minutes)}"


@dataclass(frozen=True)
class WeekVolume:
    """One week's volume split by kind (minutes are moving minutes)."""

    aerobic_done: int
    """Run and cross-training minutes done (``WeekStatus.aerobic_minutes_done``)."""
    aerobic_planned: int
    """Run and cross-training minutes planned (``WeekStatus.aerobic_minutes_planned``)."""
    runs: int = 0
    cross: int = 0
    other: int = 0
    run_meters: float = 0.0
    strength: Strength = Strength()
    strength_planned: Strength = Strength()

    @property
    def sessions(self) -> int:
        """Every session done, whatever its kind."""
        return self.runs + self.cross + self.other + self.strength.sessions

    @property
    def plan_share(self) -> float | None:
        """Aerobic done over aerobic planned (``None`` without a plan)."""
        return self.aerobic_done / self.aerobic_planned if self.aerobic_planned > 0 else None

    def sessions_text(self) -> str:
        """``5 (3 runs, 2 strength)``: the count, then its kinds (zeros left out)."""
        parts = [
            _plural(self.runs, "run"),
            *([f"{self.strength.sessions} strength"] if self.strength.sessions else []),
            *([f"{self.cross} cross-training"] if self.cross else []),
            *([f"{self.other} other"] if self.other else []),
        ]
        return f"{self.sessions} ({', '.join(parts)})"

    def aerobic_sessions_text(self) -> str:
        """``3 runs`` or ``3 runs and 1 cross-training session``: what the aerobic time
        was made of."""
        text = _plural(self.runs, "run")
        if self.cross:
            text += f" and {_plural(self.cross, 'cross-training session')}"
        return text

    def run_distance_text(self) -> str:
        """``23.31 km`` of running, or ``''`` when there is none."""
        return fmt_km(self.run_meters) if self.run_meters > 0 else ""


def planned_strength(week: PlanWeek | None) -> Strength:
    """The strength sessions a plan week holds (dropped ones left out)."""
    sessions = [
        s
        for s in (week.sessions if week is not None else ())
        if s.kind is SessionKind.STRENGTH and s.status is not SessionStatus.DROPPED
    ]
    return Strength(len(sessions), float(sum(s.minutes for s in sessions)))


def done_strength(activities: Sequence[Activity]) -> Strength:
    """Strength sessions among ``activities``."""
    found = [a for a in activities if activity_class(a) == STRENGTH]
    return Strength(len(found), sum(minutes_of(a) for a in found))


def week_volume(status: WeekStatus, week: PlanWeek | None) -> WeekVolume:
    """The volume of ``status``'s week: aerobic figures from the status itself, kinds
    counted from its activities, planned strength from the plan ``week``."""
    activities = [a for day in status.days for a in day.activities]
    kinds = [activity_class(a) for a in activities]
    return WeekVolume(
        aerobic_done=status.aerobic_minutes_done,
        aerobic_planned=status.aerobic_minutes_planned,
        runs=kinds.count(RUN),
        cross=kinds.count(CROSS),
        other=sum(1 for k in kinds if k not in (RUN, CROSS, STRENGTH)),
        run_meters=sum(a.distance_meters for a in activities if activity_class(a) == RUN),
        strength=done_strength(activities),
        strength_planned=planned_strength(week),
    )


def change_text(now: float, before: float) -> str:
    """``+28%`` (``''`` when there is nothing to compare with)."""
    return f"{(now - before) / before:+.0%}" if before > 0 else ""
