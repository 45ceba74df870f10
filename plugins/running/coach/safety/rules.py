"""What a day's training may be, given the athlete's health records.

* An active injury: no impact. Runs become non-impact cross-training (bike, swim, pool
  running), at most :data:`CROSS_CAP` minutes; strength spares the injured areas and drops
  plyometrics.
* An active illness below the neck, a fever, or any urgent red flag: rest, nothing else.
* A cold above the neck only (the "neck check"): easy and short at most, never intensity.
* After the athlete says it is better, a graded return: :data:`RETURN_DAYS` days of easy
  running only, at half the planned time for the first half of them (at most 30 min) and
  three quarters after (at most 60 min); bone pain gets a longer return. Conservative
  return-to-run guidance (e.g. Warden et al. 2014 for bone stress; the common "two weeks
  easy before intensity" rule after a running injury) with intensity only after it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass

from momentum.plugins.running.coach.safety.classify import Concern, Triage
from momentum.plugins.running.coach.safety.records import HealthRecord

CROSS_CAP = 45
"""Longest cross-training session that replaces a run while injured."""
RETURN_DAYS = {"injury": 14, "bone": 21, "illness": 7}
"""Days of graded return after the athlete says it is better."""


class Restriction(enum.IntEnum):
    """How far a day's training is limited; higher wins when records overlap."""

    NONE = 0
    EASY_ONLY = 1
    NO_IMPACT = 2
    REST = 3


@dataclass(frozen=True)
class DayRule:
    """The restriction on one day and why."""

    restriction: Restriction = Restriction.NONE
    factor: float = 1.0
    """Share of the planned minutes a return run keeps."""
    cap: int = 0
    """Most minutes a return run or replacement may last (0: no cap)."""
    reason: str = ""
    record: HealthRecord | None = None
    returning: bool = False
    """A graded return after the athlete said it is better."""


def _return_days(record: HealthRecord) -> int:
    if record.bone:
        return RETURN_DAYS["bone"]
    return RETURN_DAYS["injury" if record.concern is Concern.INJURY else "illness"]


def rule_for(record: HealthRecord, day: dt.date) -> DayRule:
    """What ``record`` allows on ``day``."""
    if day < record.since:
        return DayRule()
    if record.active:
        if record.triage is Triage.URGENT or (
            record.concern is Concern.ILLNESS
            and (record.below_neck or record.triage.rank >= Triage.DOCTOR.rank)
        ):
            return DayRule(Restriction.REST, 0.0, 0, f"{record.what}: rest", record)
        if record.concern is Concern.ILLNESS:
            return DayRule(
                Restriction.EASY_ONLY, 0.5, 30, f"{record.what}: easy and short at most", record
            )
        return DayRule(Restriction.NO_IMPACT, 1.0, CROSS_CAP, f"{record.what}: no impact", record)
    assert record.resolved is not None
    since = (day - record.resolved).days
    days = _return_days(record)
    if since < 0 or since >= days:
        return DayRule()
    early = since < days // 2
    return DayRule(
        Restriction.EASY_ONLY,
        0.5 if early else 0.75,
        30 if early else 60,
        f"graded return after {record.what}",
        record,
        returning=True,
    )


def rule_on(records: Iterable[HealthRecord], day: dt.date) -> DayRule:
    """The strictest rule any record sets on ``day``."""
    best = DayRule()
    for record in records:
        rule = rule_for(record, day)
        if rule.restriction > best.restriction or (
            rule.restriction == best.restriction and rule.restriction and rule.factor < best.factor
        ):
            best = rule
    return best


def spared_areas(records: Iterable[HealthRecord], day: dt.date) -> frozenset[str]:
    """Body areas strength work must spare on ``day`` (active and returning injuries)."""
    areas: set[str] = set()
    for record in records:
        if rule_for(record, day).restriction is not Restriction.NONE:
            areas |= record.areas
    return frozenset(areas)
