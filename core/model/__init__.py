"""Typed records that round-trip through JSON without loss (see
:mod:`momentum.core.model.serde`)."""

from momentum.core.model.activity import STREAM_CHANNELS, Activity, SourceRange, Split, Streams
from momentum.core.model.athlete import (
    AthleteProfile,
    CoachingStyle,
    Equipment,
    HeartRateProfile,
    Weekday,
    ZoneModel,
)
from momentum.core.model.journal import ActivityNote, MemoryItem, MemorySection, Reflection
from momentum.core.model.message import LLMUsage, Message, MessageKind, OAuthToken, Role
from momentum.core.model.plan import (
    Exercise,
    MinimumViableWeek,
    Phase,
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
    StrengthWorkout,
)
from momentum.core.model.serde import from_dict, from_json, to_dict, to_json

__all__ = [
    "STREAM_CHANNELS",
    "Activity",
    "ActivityNote",
    "AthleteProfile",
    "CoachingStyle",
    "Equipment",
    "Exercise",
    "HeartRateProfile",
    "LLMUsage",
    "MemoryItem",
    "MemorySection",
    "Message",
    "MessageKind",
    "MinimumViableWeek",
    "OAuthToken",
    "Phase",
    "Plan",
    "PlanWeek",
    "PlannedSession",
    "Reflection",
    "Role",
    "SessionKind",
    "SessionStatus",
    "SourceRange",
    "Split",
    "Streams",
    "StrengthWorkout",
    "Weekday",
    "ZoneModel",
    "from_dict",
    "from_json",
    "to_dict",
    "to_json",
]
