"""What the weekly tree's buttons do: mark a session done, swap two days.

"Done" goes through the coach's own ``log_activity`` tool (the same thing the model
calls when the athlete writes "did 60 min strength"), so the activity is recorded once,
with a stable id, however often the button is pressed. "Swap" exchanges two days'
sessions in the stored plan, written back with the plan's version so a concurrent
change (the Sunday refresh, another click) is never overwritten: on
:class:`~core.ports.storage.ConflictError` the edit is re-applied to the fresh plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

from core.app import App
from core.errors import InputError, NotFoundError
from core.model import Plan, PlannedSession, PlanWeek, SessionKind
from core.plugins.types import ToolContext
from core.ports.storage import ConflictError, Storage

MAX_ATTEMPTS = 3
SOURCE = "slack button"
LOG_TOOL = "log_activity"
_HARD = (SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.RACE)


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


def session_on(plan: Plan | None, day: dt.date) -> PlannedSession:
    """The main session planned on ``day`` (a run before strength)."""
    week = plan.week_of(day) if plan is not None else None
    planned = [
        s
        for s in (week.sessions if week else ())
        if s.date == day and s.kind is not SessionKind.REST
    ]
    if not planned:
        raise InputError(SOURCE, f"no session planned on {day:%a %d %b}")
    return min(planned, key=lambda s: (s.kind is SessionKind.STRENGTH, s.optional, -s.minutes))


def log_done(app: App, athlete_id: str, session: PlannedSession) -> str:
    """Record ``session`` as completed through the coach's ``log_activity`` tool."""
    tool = next((t for t in app.plugins.tools() if t.spec.name == LOG_TOOL), None)
    if tool is None:
        raise InputError(SOURCE, "this coach has no log_activity tool")
    if session.kind.is_run:
        kind = "run"
    elif session.kind is SessionKind.STRENGTH:
        kind = "strength"
    elif session.kind is SessionKind.CROSS:
        kind = "cross"
    else:
        kind = "other"
    if session.kind in _HARD:
        intensity = "hard"
    elif session.kind is SessionKind.STRENGTH:
        intensity = session.strength.intensity if session.strength else "moderate"
        intensity = intensity if intensity in ("easy", "moderate", "hard") else "moderate"
    else:
        intensity = "easy"
    arguments = {
        "activity_type": kind,
        "duration": max(1, min(600, session.minutes)),
        "intensity": intensity,
        "day": session.date.isoformat(),
        "note": "marked done in Slack",
    }
    try:
        return tool.run(ToolContext(app, athlete_id), arguments)
    except ValueError as exc:  # the tool's argument errors (e.g. more than 14 days back)
        raise InputError(SOURCE, str(exc)) from exc


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
