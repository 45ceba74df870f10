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
class AthleteProfile(Record):
    """Everything the coach knows about the athlete that is not activity data.

    What only one domain needs lives in that domain's section of :attr:`domain_profiles`,
    read and written through the domain's own typed accessor. Profiles stored before a
    field moved there read back through :func:`~momentum.core.model.serde.from_dict`,
    which moves the old top-level keys into the owning domain's section.
    """

    __domain_field__ = "domain_profiles"

    athlete_id: str
    name: str
    timezone: str = "UTC"
    heart_rate: HeartRateProfile = field(default_factory=HeartRateProfile)
    preferred_days: tuple[Weekday, ...] = (Weekday.MON, Weekday.WED, Weekday.FRI, Weekday.SAT)
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
    """``"female"``, ``"male"`` or ``None`` (not given), for the sex-specific formulas a
    domain uses (training-load weighting, energy needs); each domain checks the value."""
    domain_profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per-domain profile data a domain plugin owns, keyed by the domain's name
    (``{"meals": {"allergies": ["peanut"], ...}, "sleep": {"need_hours": 8.0}}``). JSON-ready
    values only; each domain validates its own section when it reads it."""
