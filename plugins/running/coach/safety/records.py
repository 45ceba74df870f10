"""Stored health records: an injury or illness with its body areas, date, status and the
words it came from.

They live as coach memory items (every Storage backend keeps those), tagged so code can
read them back: ``safety`` marks the record, ``status:active|resolved``, ``concern:…``,
``triage:…``, ``since:<date>``, ``resolved:<date>``, ``flag:<red flag>``, ``bone``,
``below_neck``, and while active one ``injury:<area>`` per area, which the plan engine's
layout rules (:mod:`momentum.plugins.running.plans.rules`) already turn into "spare this area" for
strength work. A record's id depends on the athlete, the concern and the areas, so the
same report twice (a platform retry, the run note and the chat) keeps one record.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from momentum.core.model import MemoryItem, MemorySection
from momentum.plugins.running.coach.memory import memory_id
from momentum.plugins.running.coach.safety.classify import Concern, Finding, Triage

SAFETY_TAG = "safety"
_TEXT_LIMIT = 200


@dataclass(frozen=True)
class HealthRecord:
    """One injury or illness the athlete reported."""

    record_id: str
    athlete_id: str
    concern: Concern
    areas: frozenset[str]
    since: dt.date
    source: str
    """Where it was read: ``chat``, ``activity <id>``."""
    text: str
    """The athlete's words (trimmed)."""
    triage: Triage = Triage.SELF_CARE
    red_flags: tuple[str, ...] = ()
    bone: bool = False
    below_neck: bool = False
    resolved: dt.date | None = None
    created: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Still hurting or ill (not yet said to be better)."""
        return self.resolved is None

    @property
    def what(self) -> str:
        """``shin pain``, ``illness (fever)``, ``chest pain`` …"""
        if self.concern is Concern.INJURY:
            main = sorted(self.areas - {"calf"} or self.areas)
            where = "/".join(main) if main else "injury"
            return f"{where} pain" if main else "pain"
        if self.red_flags:
            return self.red_flags[0]
        return "a cold" if not self.below_neck else "illness"


def record_key(athlete_id: str, finding: Finding) -> str:
    """The stable id of the record ``finding`` opens (same concern and areas → same id)."""
    areas = ",".join(sorted(finding.areas)) or "-"
    return memory_id(athlete_id, f"{SAFETY_TAG}|{finding.concern.value}|{areas}")


def new_record(
    athlete_id: str, finding: Finding, day: dt.date, at: dt.datetime, source: str, text: str
) -> HealthRecord:
    """A record opened on ``day`` from ``finding``."""
    return HealthRecord(
        record_id=record_key(athlete_id, finding),
        athlete_id=athlete_id,
        concern=finding.concern,
        areas=finding.areas,
        since=day,
        source=source,
        text=" ".join(text.split())[:_TEXT_LIMIT],
        triage=finding.triage,
        red_flags=finding.red_flags,
        bone=finding.bone,
        below_neck=finding.below_neck,
        created=at,
    )


def merge(old: HealthRecord, new: HealthRecord) -> HealthRecord:
    """The same problem reported again: keep the first date, take the worse triage, reopen."""
    triage = new.triage if new.triage.rank > old.triage.rank else old.triage
    since = old.since if old.active else new.since
    return dataclasses.replace(
        old,
        since=since,
        triage=triage,
        red_flags=tuple(dict.fromkeys((*old.red_flags, *new.red_flags))),
        bone=old.bone or new.bone,
        below_neck=old.below_neck or new.below_neck,
        resolved=None,
        text=new.text if new.text != old.text else old.text,
        source=new.source,
    )


def to_memory(record: HealthRecord) -> MemoryItem:
    """The record as a memory item."""
    tags = [
        SAFETY_TAG,
        f"status:{'active' if record.active else 'resolved'}",
        f"concern:{record.concern.value}",
        f"triage:{record.triage.value}",
        f"since:{record.since.isoformat()}",
        f"source:{record.source}",
        *(f"area:{a}" for a in sorted(record.areas)),
        *(f"flag:{f}" for f in record.red_flags),
    ]
    if record.bone:
        tags.append("bone")
    if record.below_neck:
        tags.append("below_neck")
    if record.resolved is not None:
        tags.append(f"resolved:{record.resolved.isoformat()}")
    else:
        tags += [f"injury:{a}" for a in sorted(record.areas)]
    state = (
        f"better since {record.resolved:%b} {record.resolved.day}"
        if record.resolved
        else "still active"
    )
    text = (
        f"Health: {record.what} reported {record.since:%b} {record.since.day} ({state}): "
        f"“{record.text}”"
    )
    return MemoryItem(
        memory_id=record.record_id,
        athlete_id=record.athlete_id,
        section=MemorySection.CONSTRAINTS,
        text=text,
        created=record.created or dt.datetime.combine(record.since, dt.time(), tzinfo=dt.UTC),
        tags=tuple(tags),
    )


def _tag(item: MemoryItem, prefix: str) -> list[str]:
    return [t[len(prefix) :] for t in item.tags if t.startswith(prefix)]


def from_memory(item: MemoryItem) -> HealthRecord | None:
    """The record a memory item holds, or ``None`` if it is not a health record."""
    if SAFETY_TAG not in item.tags:
        return None
    try:
        since = dt.date.fromisoformat(_tag(item, "since:")[0])
        resolved = [dt.date.fromisoformat(v) for v in _tag(item, "resolved:")]
        concern = Concern(_tag(item, "concern:")[0])
        triage = Triage((_tag(item, "triage:") or ["self_care"])[0])
    except (IndexError, ValueError):
        return None
    text = item.text.partition("“")[2].rstrip("”")
    return HealthRecord(
        record_id=item.memory_id,
        athlete_id=item.athlete_id,
        concern=concern,
        areas=frozenset(_tag(item, "area:")),
        since=since,
        source=(_tag(item, "source:") or ["chat"])[0],
        text=text,
        triage=triage,
        red_flags=tuple(_tag(item, "flag:")),
        bone="bone" in item.tags,
        below_neck="below_neck" in item.tags,
        resolved=resolved[0] if resolved else None,
        created=item.created,
    )


def health_records(items: Iterable[MemoryItem]) -> list[HealthRecord]:
    """Every health record among ``items``, oldest first."""
    found = [r for r in (from_memory(i) for i in items if i.active) if r is not None]
    return sorted(found, key=lambda r: (r.since, r.record_id))


def resolve(records: Iterable[HealthRecord], finding: Finding, day: dt.date) -> list[HealthRecord]:
    """The active records ``finding`` says are better, marked resolved on ``day``."""
    closed = []
    for record in records:
        if not record.active:
            continue
        named = bool(record.areas & finding.resolved_areas)
        if named or finding.resolved_all:
            closed.append(dataclasses.replace(record, resolved=day))
    return closed
