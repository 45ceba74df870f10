"""What the weekly tree's buttons do: mark a session done, swap two days.

"Done" goes through the coach's own ``log_activity`` tool (the same thing the model
calls when the athlete writes "did 60 min strength"), so the activity is recorded once,
with a stable id, however often the button is pressed. "Swap" asks the plan engine
(:func:`momentum.plugins.running.plans.swap_sessions`, which holds the rules and refuses a swap that
breaks a
guardrail) and writes the result back with the plan's version so a concurrent change (the
Sunday refresh, another click) is never overwritten: on
:class:`~momentum.core.ports.storage.ConflictError` the edit is re-applied to the fresh plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from momentum.core.app import App
from momentum.core.errors import InputError, NotFoundError
from momentum.core.model import AthleteProfile
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.storage import ConflictError, Storage
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind

MAX_ATTEMPTS = 3
SOURCE = "slack button"
LOG_TOOL = "log_activity"
_HARD = (SessionKind.TEMPO, SessionKind.INTERVALS, SessionKind.RACE)


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


def swap_days(app: App, athlete: AthleteProfile, day: dt.date, other: dt.date) -> Plan:
    """Swap ``day`` and ``other`` in the athlete's stored plan (the plan engine decides,
    with the athlete's memory and local date); returns the stored plan. Refusals are
    :class:`InputError` with the engine's reason."""
    from momentum.plugins.running.coach.view import athlete_zone
    from momentum.plugins.running.plans import (
        swap_sessions,  # the plan engine loads when a swap is clicked
    )

    memory = app.storage.list_memory(athlete.athlete_id)
    today = app.clock.now().astimezone(athlete_zone(athlete)).date()

    def edit(plan: Plan) -> Plan:
        return swap_sessions(plan, athlete, day, other, memory, today=today)

    return apply(app.storage, athlete.athlete_id, edit)


def apply(storage: Storage, athlete_id: str, edit: Callable[[Plan], Plan]) -> Plan:
    """Apply ``edit`` to the stored plan with optimistic versioning; returns the stored plan."""
    for _ in range(MAX_ATTEMPTS):
        plan = storage.get_plan(Plan, athlete_id)
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
