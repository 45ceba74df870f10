"""Swap two days of a plan week ("do Thursday's run on Wednesday"), within the guardrails.

Conventions:

* The two days must be different days of the same plan week, and at least one of them
  must hold a session; with nothing on the other day the swap is a move. Rest entries go
  along with their day's sessions, so every day keeps what it had, only exchanged.
* Nothing already lived moves: a session done (or assumed done) stays on its day, and so
  does the race. Nothing moves onto a day before ``today`` or onto one of the athlete's
  unavailable days.
* The swapped plan must keep every guardrail the plan kept before (:mod:`.guardrails`):
  no hard days stacked (no quality the day after the long run, none next to another hard
  day), the race's lead-in and race week, no quality in a race's recovery window, and
  the strength rules (not on the long-run day unless the athlete asked for it; not the day
  before it either with the DOMS lesson in memory). A swap breaking one is refused with an
  :class:`~momentum.core.errors.InputError` whose reason names the rule.
* Sessions that change day become ``moved`` (like a reshuffle's moves, so the long run is
  not expected back on the athlete's usual day); the week's ``changes`` says what was
  swapped.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from collections.abc import Sequence

from momentum.core.errors import InputError
from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind, SessionStatus
from momentum.plugins.running.plans.dates import day_name
from momentum.plugins.running.plans.guardrails import (
    check_hard_days,
    check_post_race,
    check_race_days,
    check_race_week,
    check_strength,
)

SOURCE = "swap"
_LIVED = (SessionStatus.DONE, SessionStatus.ASSUMED)


def _label(day: dt.date) -> str:
    return f"{day_name(day)} {day.day} {day:%b}"


def _what(session: PlannedSession) -> str:
    return session.title or f"{session.kind.value} session"


def _guardrails(plan: Plan, athlete: AthleteProfile, memory: Sequence[MemoryItem]) -> list[str]:
    return [
        *check_hard_days(plan),
        *check_race_days(plan, athlete),
        *check_race_week(plan, athlete),
        *check_post_race(plan, athlete),
        *check_strength(plan, athlete, memory),
    ]


def _new_violations(before: list[str], after: list[str]) -> list[str]:
    """Violations of ``after`` the plan did not have ``before``. A problem the plan already
    had (say, a strength session without a main set) moves with its session, so it is
    compared without its leading date."""
    left = Counter(v.split(": ", 1)[-1] for v in before)
    new = []
    for violation in after:
        key = violation.split(": ", 1)[-1]
        if left[key] > 0:
            left[key] -= 1
        else:
            new.append(violation)
    return new


def _moved(session: PlannedSession, day: dt.date) -> PlannedSession:
    if session.kind is SessionKind.REST:
        return dataclasses.replace(session, date=day)
    return dataclasses.replace(session, date=day, status=SessionStatus.MOVED, activity_id=None)


def swap_sessions(
    plan: Plan,
    athlete: AthleteProfile,
    day_a: dt.date,
    day_b: dt.date,
    memory: Sequence[MemoryItem] = (),
    *,
    today: dt.date | None = None,
) -> Plan:
    """``plan`` with the sessions of ``day_a`` and ``day_b`` exchanged (see module doc).

    Raises :class:`InputError` (source ``swap``) naming why a swap is refused: a day not in
    the plan, days in different weeks, nothing to swap, a session already done, the race,
    a day in the past or unavailable, or the guardrail the swap would break.
    """
    if day_a == day_b:
        raise InputError(SOURCE, "a swap needs two different days")
    week = plan.week_of(day_a)
    if week is None:
        raise InputError(SOURCE, f"{_label(day_a)} is not in the plan")
    other_week = plan.week_of(day_b)
    if other_week is None:
        raise InputError(SOURCE, f"{_label(day_b)} is not in the plan")
    if other_week.start != week.start:
        raise InputError(SOURCE, f"{_label(day_a)} and {_label(day_b)} are in different weeks")
    on_a = [s for s in week.sessions if s.date == day_a]
    on_b = [s for s in week.sessions if s.date == day_b]
    real = [
        s
        for s in on_a + on_b
        if s.kind is not SessionKind.REST and s.status is not SessionStatus.DROPPED
    ]
    if not real:
        raise InputError(SOURCE, f"no session planned on {_label(day_a)} or {_label(day_b)}")
    for s in real:
        if s.status in _LIVED:
            raise InputError(SOURCE, f"{_label(s.date)}'s {_what(s)} is already done")
        if s.kind is SessionKind.RACE:
            raise InputError(SOURCE, "race day stays put; change the goal race instead")
    blocked = {int(w) for w in athlete.unavailable_days}
    for source, target in ((on_a, day_b), (on_b, day_a)):
        if not any(s.kind is not SessionKind.REST for s in source):
            continue
        if today is not None and target < today:
            raise InputError(SOURCE, f"{_label(target)} is already past")
        if target.weekday() in blocked:
            raise InputError(SOURCE, f"{day_name(target)} is one of your unavailable days")
    sessions = [
        _moved(s, day_b) if s.date == day_a else _moved(s, day_a) if s.date == day_b else s
        for s in week.sessions
    ]
    note = f"Swapped {day_name(day_a)} and {day_name(day_b)}"
    new_week = dataclasses.replace(
        week,
        sessions=tuple(sorted(sessions, key=lambda s: s.date)),
        changes=tuple(dict.fromkeys([*week.changes, note])),
    )
    swapped = dataclasses.replace(
        plan, weeks=tuple(new_week if w.start == week.start else w for w in plan.weeks)
    )
    broken = _new_violations(
        _guardrails(plan, athlete, memory), _guardrails(swapped, athlete, memory)
    )
    if broken:
        where, what = broken[0].split(": ", 1) if ": " in broken[0] else ("", broken[0])
        raise InputError(
            SOURCE,
            f"swapping {day_name(day_a)} and {day_name(day_b)} would break a guardrail: {what}"
            + (f" ({where})" if where else ""),
        )
    return swapped
