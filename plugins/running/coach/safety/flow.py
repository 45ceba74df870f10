"""The safety layer wired to the coach: screen words, store records, decide the day.

:func:`screen` runs on the athlete's words (a chat message, a run's description and notes)
before any model sees them; it opens, updates or closes health records. :func:`day_of`
tells what the records allow on a day, with the facts the model (or the offline composer)
gets and the check its final text must pass. :func:`overlay` fits a plan to the records;
:mod:`momentum.plugins.running.coach.planning` applies it to every plan change it stores.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from momentum.core.model import MemoryItem
from momentum.core.ports.storage import Storage
from momentum.plugins.running.coach.safety import guard
from momentum.plugins.running.coach.safety.classify import Finding, classify
from momentum.plugins.running.coach.safety.overlay import apply_overlay
from momentum.plugins.running.coach.safety.records import (
    HealthRecord,
    health_records,
    merge,
    new_record,
    resolve,
    to_memory,
)
from momentum.plugins.running.coach.safety.rules import DayRule, Restriction, rule_on
from momentum.plugins.running.coach.safety.words import safety_message
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind


@dataclass(frozen=True)
class Screened:
    """What screening one text found and changed."""

    finding: Finding
    opened: tuple[HealthRecord, ...] = ()
    closed: tuple[HealthRecord, ...] = ()
    memory: tuple[MemoryItem, ...] = field(default=())
    """The athlete's memory after the change (active items)."""

    @property
    def changed(self) -> bool:
        """A record was opened, updated or closed."""
        return bool(self.opened or self.closed)


def screen(
    storage: Storage,
    athlete_id: str,
    memory: Sequence[MemoryItem],
    text: str,
    *,
    day: dt.date,
    at: dt.datetime,
    source: str,
) -> Screened:
    """Classify ``text`` and store what it opens or closes (idempotent: the same words
    twice leave the same records)."""
    finding = classify(text)
    records = {r.record_id: r for r in health_records(memory)}
    opened: list[HealthRecord] = []
    closed: list[HealthRecord] = []
    if finding.resolves:
        closed = [r for r in resolve(records.values(), finding, day) if r.since <= day]
    if finding.is_concern:
        record = new_record(athlete_id, finding, day, at, source, text)
        old = records.get(record.record_id)
        record = merge(old, record) if old is not None else record
        if old is None or to_memory(old) != to_memory(record):
            opened.append(record)
        closed = [r for r in closed if r.record_id != record.record_id]
    items = {m.memory_id: m for m in memory}
    for record in (*closed, *opened):
        item = to_memory(record)
        storage.put_memory(item)
        items[item.memory_id] = item
    return Screened(finding, tuple(opened), tuple(closed), tuple(items.values()))


def overlay(plan: Plan, memory: Sequence[MemoryItem], today: dt.date) -> Plan:
    """``plan`` fitted to the health records in ``memory`` from ``today`` on."""
    return apply_overlay(plan, health_records(memory), today)


@dataclass(frozen=True)
class SafetyDay:
    """What the health records allow on one day, and what to say about it."""

    day: dt.date
    rule: DayRule
    sessions: tuple[PlannedSession, ...]
    opening: bool = False
    referral: bool = True
    """Whether the text must carry the red flag's referral (a physio, a doctor)."""

    @property
    def active(self) -> bool:
        """Training is limited today."""
        return self.rule.restriction is not Restriction.NONE

    @property
    def session_text(self) -> str:
        """Today's (fitted) sessions as the athlete reads them."""
        from momentum.plugins.running.coach.render import session_label

        return ", ".join(session_label(s) for s in self.sessions if s.kind is not SessionKind.REST)

    def message(self) -> str:
        """The offline safety text for the day."""
        record = self.rule.record
        start = None if record is None else record.resolved or record.since
        number = (self.day - start).days + 1 if start is not None else 1
        return safety_message(self.rule, self.session_text, opening=self.opening, day_number=number)

    def facts(self) -> dict[str, str]:
        """Facts for the prompt: the decision is made; the model only words it."""
        if not self.active or self.rule.record is None:
            return {}
        record = self.rule.record
        return {
            "safety": self.rule.restriction.name.lower(),
            "safety_reason": self.rule.reason,
            "safety_referral": record.triage.value if not self.rule.returning else "",
            "safety_today": self.session_text or "rest",
            "safety_message": self.message(),
        }

    def check(self, text: str) -> bool:
        """Whether a written message respects the day (see :mod:`.guard`)."""
        return guard.is_safe(text, self.rule, referral=self.referral)


def day_of(
    memory: Sequence[MemoryItem],
    plan: Plan | None,
    day: dt.date,
    *,
    opening: bool = False,
    referral: bool = True,
) -> SafetyDay:
    """The records' rule on ``day`` and the plan's sessions that day."""
    rule = rule_on(health_records(memory), day)
    week = plan.week_of(day) if plan is not None else None
    sessions = tuple(s for s in (week.sessions if week else ()) if s.date == day)
    return SafetyDay(day, rule, sessions, opening, referral)
