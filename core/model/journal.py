"""What the athlete tells the coach, and what the coach remembers."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from momentum.core.model.record import Record


@dataclass(frozen=True, repr=False, eq=False)
class Reflection(Record):
    """A thought or feeling the athlete shared that is not tied to one activity."""

    reflection_id: str
    athlete_id: str
    at: dt.datetime
    text: str
    source: str = "chat"


@dataclass(frozen=True, repr=False, eq=False)
class ActivityNote(Record):
    """A note attached to one activity, e.g. "that run felt harder than expected"."""

    note_id: str
    athlete_id: str
    activity_id: str
    at: dt.datetime
    text: str


class MemorySection(enum.Enum):
    """Sections of the coach's curated memory."""

    DISCOVERIES = "Discoveries & Experiments"
    ENJOYS = "Enjoys"
    CONSTRAINTS = "Constraints"
    GOALS = "Goals"


@dataclass(frozen=True, repr=False, eq=False)
class MemoryItem(Record):
    """One thing the coach learned, e.g. "two hard sessions on one day → multi-day DOMS".

    ``tags`` let a domain's code act on it (a tag can keep two kinds of session apart in
    later plans).
    """

    memory_id: str
    athlete_id: str
    section: MemorySection
    text: str
    created: dt.datetime
    tags: tuple[str, ...] = ()
    active: bool = True
