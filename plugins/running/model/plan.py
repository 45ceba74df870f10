"""The running domain's training plan: phases, the Minimum Viable Week, weeks and their
sessions.

It is the plan record running keeps in the Storage port (a
:class:`~momentum.core.model.DomainPlan`): ``storage.put_plan(plan)`` and
``storage.get_plan(Plan, athlete_id)``. It moved here from core's model with its fields
unchanged, so every plan stored before reads back as it was.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import ClassVar

from momentum.core.model import LEGACY_PLAN_KEY
from momentum.core.model.record import Record


class SessionKind(enum.Enum):
    """What a planned session is. ``TEMPO``, ``INTERVALS`` and ``RACE`` count as hard."""

    EASY = "easy"
    LONG = "long"
    TEMPO = "tempo"
    INTERVALS = "intervals"
    STRENGTH = "strength"
    REST = "rest"
    CROSS = "cross"
    RACE = "race"

    @property
    def is_hard(self) -> bool:
        """Hard sessions are the 20 in 80/20."""
        return self in (SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.RACE)

    @property
    def is_run(self) -> bool:
        """Sessions that are runs."""
        return self in (
            SessionKind.EASY,
            SessionKind.LONG,
            SessionKind.TEMPO,
            SessionKind.INTERVALS,
            SessionKind.RACE,
        )


class SessionStatus(enum.Enum):
    """Where a planned session stands against what actually happened."""

    PLANNED = "planned"
    DONE = "done"
    MISSED = "missed"
    ASSUMED = "assumed"
    """No device data yet: assumed done until the data arrives (weekly refresh)."""
    MOVED = "moved"
    DROPPED = "dropped"


@dataclass(frozen=True, repr=False, eq=False)
class Exercise(Record):
    """One strength exercise in a main set."""

    name: str
    sets: int
    reps: str
    notes: str = ""
    equipment: str = "bodyweight"
    loads: tuple[str, ...] = ()
    """Body areas it loads (e.g. ``"knee"``, ``"calf"``), to avoid injured ones."""


@dataclass(frozen=True, repr=False, eq=False)
class StrengthWorkout(Record):
    """A strength & conditioning session: warm-up, main set, cool-down."""

    warm_up: tuple[str, ...]
    main_set: tuple[Exercise, ...]
    cool_down: tuple[str, ...]
    intensity: str = "moderate"


@dataclass(frozen=True, repr=False, eq=False)
class PlannedSession(Record):
    """One day's session. ``pace`` is (fast, slow) seconds per km from the athlete's VDOT."""

    date: dt.date
    kind: SessionKind
    minutes: int
    zone: str = ""
    pace: tuple[float, float] | None = None
    purpose: str = ""
    title: str = ""
    distance_meters: float | None = None
    optional: bool = False
    status: SessionStatus = SessionStatus.PLANNED
    activity_id: str | None = None
    strength: StrengthWorkout | None = None

    @property
    def is_key(self) -> bool:
        """Key sessions get moved first when days are missed: the long run, then hard ones."""
        return self.kind is SessionKind.LONG or self.kind.is_hard


@dataclass(frozen=True, repr=False, eq=False)
class PlanWeek(Record):
    """A Monday-to-Sunday week of sessions."""

    start: dt.date
    phase: str
    sessions: tuple[PlannedSession, ...] = ()
    is_recovery: bool = False
    changes: tuple[str, ...] = ()
    """What adapting changed this week and why, e.g. "Mon 45min easy run moved to Tue"."""
    missed_days: tuple[dt.date, ...] = ()
    """Days whose planned session was missed, kept after a reshuffle moves the session on,
    so the coach can still count them."""

    @property
    def planned_minutes(self) -> int:
        """The week's total: always the sum of its sessions (rest days count zero)."""
        return sum(s.minutes for s in self.sessions if s.kind is not SessionKind.REST)


@dataclass(frozen=True, repr=False, eq=False)
class Phase(Record):
    """One block of the macrocycle, e.g. "Winter Engine", with its focus sentence."""

    name: str
    start: dt.date
    end: dt.date
    focus: str
    volume_factor: float = 1.0
    kind: str = ""
    """What the block does: ``reset``, ``base``, ``build``, ``sharpen``, ``taper`` or
    ``momentum`` (a plan without a goal race); drives sessions and strength loading."""


@dataclass(frozen=True, repr=False, eq=False)
class MinimumViableWeek(Record):
    """The floor of a week that keeps momentum, e.g. 3× Z2, 1× long run, 1× strength."""

    easy_runs: int = 3
    easy_minutes: tuple[int, int] = (45, 60)
    long_runs: int = 1
    long_minutes: tuple[int, int] = (90, 120)
    strength_sessions: int = 1

    def describe(self) -> str:
        """The talk's one-line form: ``3× 45–60 min Z2 | 1× 90–120 min long run | 1× strength``."""
        return (
            f"{self.easy_runs}× {self.easy_minutes[0]}–{self.easy_minutes[1]} min Z2 | "
            f"{self.long_runs}× {self.long_minutes[0]}–{self.long_minutes[1]} min long run | "
            f"{self.strength_sessions}× strength"
        )


@dataclass(frozen=True, repr=False, eq=False)
class Plan(Record):
    """An athlete's current plan: the macrocycle and a rolling window of weeks."""

    plan_key: ClassVar[str] = LEGACY_PLAN_KEY
    """Stored where plans were stored before each domain had its own (see
    :data:`~momentum.core.model.LEGACY_PLAN_KEY`)."""

    athlete_id: str
    created: dt.datetime
    phases: tuple[Phase, ...] = ()
    mvw: MinimumViableWeek = field(default_factory=MinimumViableWeek)
    weeks: tuple[PlanWeek, ...] = ()
    vdot: float | None = None
    goal: str = ""
    version: int = 0
    timezone: str = ""
    """The athlete's IANA timezone when the plan was made, so activities fall on local days."""

    def week_of(self, day: dt.date) -> PlanWeek | None:
        """The plan week containing ``day``, if the plan covers it."""
        for week in self.weeks:
            if week.start <= day < week.start + dt.timedelta(days=7):
                return week
        return None

    def phase_on(self, day: dt.date) -> Phase | None:
        """The macrocycle phase that ``day`` falls in."""
        for phase in self.phases:
            if phase.start <= day <= phase.end:
                return phase
        return None

    def training_day(self, day: dt.date) -> bool | None:
        """Whether training was expected on ``day`` (core's tone by state asks this, see
        :func:`momentum.core.coach.state.is_training_day`): a non-optional, non-rest session,
        or a day whose session a reshuffle recorded as missed and moved on
        (:attr:`PlanWeek.missed_days`); ``None`` when the plan does not cover ``day``."""
        week = self.week_of(day)
        if week is None:
            return None
        if any(
            s.date == day and s.kind is not SessionKind.REST and not s.optional
            for s in week.sessions
        ):
            return True
        return day in week.missed_days
