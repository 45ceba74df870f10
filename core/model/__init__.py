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
from momentum.core.model.domain_plan import LEGACY_PLAN_KEY, DomainPlan, plan_key, with_version
from momentum.core.model.journal import ActivityNote, MemoryItem, MemorySection, Reflection
from momentum.core.model.message import LLMUsage, Message, MessageKind, OAuthToken, Role
from momentum.core.model.serde import from_dict, from_json, to_dict, to_json

__all__ = [
    "LEGACY_PLAN_KEY",
    "STREAM_CHANNELS",
    "Activity",
    "ActivityNote",
    "AthleteProfile",
    "CoachingStyle",
    "DomainPlan",
    "Equipment",
    "HeartRateProfile",
    "LLMUsage",
    "MemoryItem",
    "MemorySection",
    "Message",
    "MessageKind",
    "OAuthToken",
    "Reflection",
    "Role",
    "SourceRange",
    "Split",
    "Streams",
    "Weekday",
    "ZoneModel",
    "from_dict",
    "from_json",
    "plan_key",
    "to_dict",
    "to_json",
    "with_version",
]
