"""The two plan edits the weekly tree's buttons make: mark a session done, swap two days.

Both are small, pure edits of :class:`~core.model.Plan` records, written back with the
plan's version so a concurrent change (the Sunday refresh, another click) is never
overwritten: on :class:`~core.ports.storage.ConflictError` the edit is re-applied to the
fresh plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from core.errors import InputError, NotFoundError
from core.model import Plan, PlannedSession, PlanWeek, SessionStatus
from core.ports.storage import ConflictError, Storage

MAX_ATTEMPTS = 3
SOURCE = "slack button"


def _week_index(plan: Plan, day: dt.date) -> int:
    for index, week in enumerate(plan.weeks):
        if week.start <= day < week.start + dt.timedelta(days=7):
            return index
    raise InputError(SOURCE, f"{day.isoformat()} is not in the plan")


def _with_week(plan: Plan, index: int, sessions: list[PlannedSession]) -> Plan:
    week = plan.weeks[index]
    ordered = tuple(sorted(sessions, key=lambda s: s.date))
    weeks = list(plan.weeks)
    weeks[index] = PlanWeek(week.start, week.phase, ordered, week.is_recovery)
    return dataclasses.replace(plan, weeks=tuple(weeks))


def mark_done(plan: Plan, day: dt.date) -> Plan:
    """The session on ``day`` marked done (the athlete did it; no device data needed)."""
    index = _week_index(plan, day)
    sessions = list(plan.weeks[index].sessions)
    found = [i for i, s in enumerate(sessions) if s.date == day]
    if not found:
        raise InputError(SOURCE, f"no session planned on {day:%a %d %b}")
    for i in found:
        sessions[i] = dataclasses.replace(sessions[i], status=SessionStatus.DONE)
    return _with_week(plan, index, sessions)


def swap_days(plan: Plan, day: dt.date, other: dt.date) -> Plan:
    """The sessions of ``day`` and ``other`` (same plan week) exchanged; a move when
    ``other`` has none."""
    index = _week_index(plan, day)
    if _week_index(plan, other) != index:
        raise InputError(SOURCE, f"{day} and {other} are in different weeks")
    if day == other:
        raise InputError(SOURCE, "swap needs two different days")
    sessions = list(plan.weeks[index].sessions)
    if not any(s.date == day for s in sessions):
        raise InputError(SOURCE, f"no session planned on {day:%a %d %b}")
    swapped = []
    for session in sessions:
        if session.date == day:
            swapped.append(dataclasses.replace(session, date=other))
        elif session.date == other:
            swapped.append(dataclasses.replace(session, date=day))
        else:
            swapped.append(session)
    return _with_week(plan, index, swapped)


def apply(storage: Storage, athlete_id: str, edit: Callable[[Plan], Plan]) -> Plan:
    """Apply ``edit`` to the stored plan with optimistic versioning; returns the stored plan."""
    for _ in range(MAX_ATTEMPTS):
        plan = storage.get_plan(athlete_id)
        if plan is None:
            raise NotFoundError(f"no plan for athlete {athlete_id}")
        try:
            return storage.put_plan(edit(plan), expected_version=plan.version)
        except ConflictError:
            continue
    raise ConflictError(f"plan for {athlete_id} kept changing; gave up after {MAX_ATTEMPTS} tries")


def parse_value(value: str) -> tuple[str, dt.date, dt.date | None]:
    """``done:<date>`` or ``swap:<date>:<date>`` from a button, checked."""
    parts = value.split(":")
    try:
        if parts[0] == "done" and len(parts) == 2:
            return "done", dt.date.fromisoformat(parts[1]), None
        if parts[0] == "swap" and len(parts) == 3:
            return "swap", dt.date.fromisoformat(parts[1]), dt.date.fromisoformat(parts[2])
    except ValueError as exc:
        raise InputError(SOURCE, f"bad date in {value!r}") from exc
    raise InputError(SOURCE, f"unknown action value {value!r}")
