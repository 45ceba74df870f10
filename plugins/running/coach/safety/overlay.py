"""The safety overlay: what each coming day's session becomes under the health records.

It is applied after every plan change the coach stores (build, reshuffle, refresh, a chat
tool), so no plan refresh and no tool call can bring back a run the records rule out. It
only touches sessions still planned from ``today`` on, and it is idempotent: a session it
replaced carries a ``[was <kind> <minutes>min]`` marker in its purpose, from which the
original comes back once the restriction lifts (hard sessions come back as easy runs:
intensity returns with the next plan refresh, after the graded return).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from momentum.plugins.running.coach.formatting import DAY_NAMES
from momentum.plugins.running.coach.safety.records import HealthRecord
from momentum.plugins.running.coach.safety.rules import DayRule, Restriction, rule_on, spared_areas
from momentum.plugins.running.model.plan import (
    Exercise,
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
    StrengthWorkout,
)

MARKER = re.compile(r"\s*\[was (?P<kind>[a-z]+) (?P<minutes>\d+)min\]$")
_PLYO = re.compile(r"\b(hops?|bounds?|jumps?|skips?|plyo\w*|pogo\w*|box)\b", re.IGNORECASE)
SAFETY_PREFIX = "Safety: "
_FLOW = Exercise(
    "Breathing and mobility flow",
    1,
    "5 min",
    "Slow nasal breathing, cat–cow, thoracic rotations.",
)


def is_plyometric(exercise: Exercise) -> bool:
    """Jumping drills (hops, bounds, jumps, skips): impact the bone and tendons feel."""
    return bool(_PLYO.search(exercise.name))


def spare(workout: StrengthWorkout, areas: frozenset[str], *, plyometrics: bool) -> StrengthWorkout:
    """``workout`` without exercises loading ``areas`` (and without jumping drills unless
    ``plyometrics``); never empty (a mobility flow loads nothing)."""
    main = tuple(
        e
        for e in workout.main_set
        if not set(e.loads) & areas and (plyometrics or not is_plyometric(e))
    )
    if main == workout.main_set:
        return workout
    return dataclasses.replace(workout, main_set=main or (_FLOW,))


def _original(session: PlannedSession) -> tuple[SessionKind, int, bool]:
    m = MARKER.search(session.purpose)
    if m is None:
        return session.kind, session.minutes, False
    return SessionKind(m.group("kind")), int(m.group("minutes")), True


def _mark(purpose: str, kind: SessionKind, minutes: int) -> str:
    return f"{SAFETY_PREFIX}{purpose} [was {kind.value} {minutes}min]"


def _replace(session: PlannedSession, rule: DayRule, areas: frozenset[str]) -> PlannedSession:
    kind, minutes, marked = _original(session)
    base = session
    if marked:
        base = dataclasses.replace(session, purpose=MARKER.sub("", session.purpose))
    why = rule.reason
    if rule.restriction is Restriction.NONE:
        if not marked:
            return session
        back = SessionKind.EASY if kind.is_hard or kind is SessionKind.RACE else kind
        if back is SessionKind.REST:
            return session
        return dataclasses.replace(
            session,
            kind=back,
            minutes=minutes,
            title="" if back is not SessionKind.STRENGTH else session.title,
            zone="Z1-Z2" if back.is_run else session.zone,
            purpose="Back to the plan: easy and steady",
            pace=None,
        )
    if kind is SessionKind.STRENGTH or (session.strength is not None and not kind.is_run):
        if rule.restriction is Restriction.REST:
            return dataclasses.replace(
                base,
                kind=SessionKind.REST,
                minutes=0,
                title="Rest",
                purpose=_mark(f"rest today ({why})", kind, minutes),
            )
        workout = session.strength
        spared = spare(workout, areas, plyometrics=False) if workout is not None else None
        return dataclasses.replace(
            base, kind=SessionKind.STRENGTH, minutes=minutes, strength=spared, title=base.title
        )
    if not (kind.is_run or kind is SessionKind.CROSS):
        return session
    if rule.restriction is Restriction.REST:
        return dataclasses.replace(
            base,
            kind=SessionKind.REST,
            minutes=0,
            title="Rest",
            zone="",
            pace=None,
            distance_meters=None,
            purpose=_mark(f"rest, no training ({why})", kind, minutes),
        )
    if rule.restriction is Restriction.NO_IMPACT:
        if kind is SessionKind.CROSS and not marked:
            return session
        length = min(minutes, rule.cap) if rule.cap else minutes
        return dataclasses.replace(
            base,
            kind=SessionKind.CROSS,
            minutes=length,
            title=f"{length}min non-impact cross-training (bike, swim or pool run)",
            zone="Z1-Z2",
            pace=None,
            distance_meters=None,
            optional=False,
            purpose=_mark(
                f"keep the engine ticking without impact ({why}); stop if it hurts", kind, minutes
            ),
        )
    # EASY_ONLY: a shorter easy run, never intensity.
    length = max(10, round(minutes * rule.factor))
    if rule.cap:
        length = min(length, rule.cap)
    if kind is SessionKind.CROSS:
        return session if not marked else dataclasses.replace(base, minutes=length)
    label = "Return Run" if rule.returning else "Easy Run"
    return dataclasses.replace(
        base,
        kind=SessionKind.EASY,
        minutes=length,
        title=f"{length}min Z1-Z2 {label}",
        zone="Z1-Z2",
        pace=None,
        distance_meters=None,
        optional=not rule.returning,
        purpose=_mark(
            f"{why}: easy only, stop at once if pain or symptoms come back", kind, minutes
        ),
    )


def _label(session: PlannedSession) -> str:
    from momentum.plugins.running.coach.render import session_label

    return "rest" if session.kind is SessionKind.REST else session_label(session)


def apply_overlay(plan: Plan, records: Sequence[HealthRecord], today: dt.date) -> Plan:
    """``plan`` with every still-planned session from ``today`` on fitted to ``records``."""
    if not records:
        return plan
    weeks: list[PlanWeek] = []
    changed = False
    for week in plan.weeks:
        sessions = []
        notes = list(week.changes)
        for session in week.sessions:
            if session.date < today or session.status is not SessionStatus.PLANNED:
                sessions.append(session)
                continue
            rule = rule_on(records, session.date)
            new = _replace(session, rule, spared_areas(records, session.date))
            if new != session:
                note = (
                    f"{SAFETY_PREFIX}{DAY_NAMES[session.date.weekday()]} {_label(session)} → "
                    f"{_label(new)} ({rule.reason or 'restriction lifted'})"
                )
                if note not in notes:
                    notes.append(note)
                changed = True
            sessions.append(new)
        weeks.append(dataclasses.replace(week, sessions=tuple(sessions), changes=tuple(notes)))
    if not changed:
        return plan
    return dataclasses.replace(plan, weeks=tuple(weeks))
