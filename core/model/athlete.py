"""The athlete profile: who the coach works for and the numbers that personalise it."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from momentum.core.model.record import Record


class ZoneModel(enum.Enum):
    """How heart-rate zones are derived.

    ``LTHR_FRIEL`` uses Joe Friel's five running zones as % of lactate-threshold heart rate,
    ``HRMAX`` uses % of maximum heart rate and ``HRR`` uses % of heart-rate reserve
    (Karvonen). The boundaries live in :mod:`momentum.plugins.running.analytics.zones`.
    """

    LTHR_FRIEL = "lthr_friel"
    HRMAX = "hrmax"
    HRR = "hrr"


class Weekday(enum.IntEnum):
    """ISO weekday numbers, Monday = 0 like :meth:`datetime.date.weekday`."""

    MON = 0
    TUE = 1
    WED = 2
    THU = 3
    FRI = 4
    SAT = 5
    SUN = 6


class Equipment(enum.Enum):
    """Strength equipment tiers; each tier includes the ones before it."""

    BODYWEIGHT = "bodyweight"
    BANDS = "bands"
    DUMBBELLS = "dumbbells"
    KETTLEBELLS = "kettlebells"
    FULL_GYM = "full_gym"
    TREADMILL = "treadmill"


class CoachingStyle(enum.Enum):
    """How the coach talks: warm encouragement, plain data, or a firmer push."""

    ENCOURAGING = "encouraging"
    ANALYTICAL = "analytical"
    TOUGH_LOVE = "tough_love"


@dataclass(frozen=True, repr=False, eq=False)
class HeartRateProfile(Record):
    """Heart-rate anchors in beats per minute and the zone model built on them."""

    max_hr: int = 185
    resting_hr: int = 55
    threshold_hr: int = 165
    zone_model: ZoneModel = ZoneModel.LTHR_FRIEL


@dataclass(frozen=True, repr=False, eq=False)
class RaceResult(Record):
    """A race or time trial the athlete ran; VDOT is estimated from the most recent one."""

    date: dt.date
    distance_meters: float
    time_seconds: float
    name: str = ""
    surface: str = ""
    """``road``, ``track``, ``trail`` or ``""`` (not said: road)."""
    elevation_gain_meters: float = 0.0
    """Total climb of the course; a hilly result is grade-adjusted before it sets VDOT."""


@dataclass(frozen=True, repr=False, eq=False)
class CurrentTraining(Record):
    """What the athlete said they do now (``momentum init``): a new athlete's plan starts
    here until their own activities say more."""

    as_of: dt.date
    weekly_minutes: int = 0
    runs_per_week: int = 0
    longest_run_minutes: int = 0


@dataclass(frozen=True, repr=False, eq=False)
class GoalRace(Record):
    """The race the plan builds toward."""

    name: str
    date: dt.date
    distance_meters: float
    goal_time_seconds: float | None = None
    course_notes: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class AthleteProfile(Record):
    """Everything the coach knows about the athlete that is not activity data."""

    athlete_id: str
    name: str
    timezone: str = "UTC"
    heart_rate: HeartRateProfile = field(default_factory=HeartRateProfile)
    goal_race: GoalRace | None = None
    race_results: tuple[RaceResult, ...] = ()
    preferred_days: tuple[Weekday, ...] = (Weekday.MON, Weekday.WED, Weekday.FRI, Weekday.SAT)
    long_run_day: Weekday = Weekday.SAT
    unavailable_days: tuple[Weekday, ...] = ()
    equipment: tuple[Equipment, ...] = (Equipment.BODYWEIGHT,)
    injuries: tuple[str, ...] = ()
    coaching_style: CoachingStyle = CoachingStyle.ENCOURAGING
    weekly_minutes_target: int = 300
    checkin_hour: int = 6
    chat_user_id: str = ""
    """The athlete's user id on the chat platform (e.g. a Slack user id) for direct messages."""
    created: dt.datetime | None = None
    sex: str | None = None
    """``"female"``, ``"male"`` or ``None`` (not given): picks Banister's TRIMP weighting
    (:mod:`momentum.plugins.running.analytics.trimp`, which also checks the value)."""
    current_training: CurrentTraining | None = None
    """What a new athlete said they run now (:mod:`momentum.plugins.running.plans.comeback`)."""
    domain_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per-domain profile data a domain plugin owns, keyed by the domain's name
    (``{"meals": {"allergies": ["peanut"], ...}, "sleep": {"need_hours": 8.0}}``). JSON-ready
    values only; each domain validates its own section when it reads it."""
