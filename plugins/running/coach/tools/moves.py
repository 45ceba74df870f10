"""``move_session``: "move my long run to Sunday", "swap Tuesday and Thursday".

The session is found by its kind (the long run, the tempo…) in the week holding today,
else next week, or by the day it is on; a bare weekday for the target means that weekday
of the session's own week. The move itself is the plan engine's swap
(:func:`momentum.plugins.running.plans.swap_sessions`): whatever is on the target day goes the other
way, and a move that breaks a guardrail (a hard day stacked, the race's lead-in, strength
before the long run with the DOMS lesson) is refused with the rule's name.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach import memory as memory_mod
from momentum.plugins.running.coach.formatting import DAY_NAMES
from momentum.plugins.running.coach.tools.common import (
    DAY_SCHEMA,
    WEEKDAY_NAMES,
    now_local,
    parse_day,
    schema,
)
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind, SessionStatus

SESSION_KINDS = {
    "long": (SessionKind.LONG,),
    "tempo": (SessionKind.TEMPO,),
    "intervals": (SessionKind.INTERVALS,),
    "hills": (SessionKind.INTERVALS,),
    "strength": (SessionKind.STRENGTH,),
    "cross": (SessionKind.CROSS,),
    "easy": (SessionKind.EASY,),
    "quality": (SessionKind.TEMPO, SessionKind.INTERVALS),
}

MOVE_SESSION = ToolSpec(
    name="move_session",
    description=(
        "Move a planned session to another day of its week, or swap two days "
        "('move my long run to Sunday', 'swap Tuesday and Thursday'). Give the session's "
        "kind or the day it is on, and the day to move it to (or the session to swap with)."
    ),
    parameters=schema(
        {
            "session": {"type": "string", "enum": list(SESSION_KINDS)},
            "with_session": {
                "type": "string",
                "enum": list(SESSION_KINDS),
                "description": "swap with this session's day instead of naming a day",
            },
            "from_day": DAY_SCHEMA,
            "to_day": DAY_SCHEMA,
        },
        [],
    ),
)


def _open(session: PlannedSession) -> bool:
    return session.status not in (
        SessionStatus.DONE,
        SessionStatus.ASSUMED,
        SessionStatus.DROPPED,
        SessionStatus.MISSED,
    )


def find_session(plan: Plan, kind: str, today: dt.date) -> PlannedSession:
    """The next open session of ``kind`` from ``today`` in this week, else next week."""
    kinds = SESSION_KINDS[kind]
    for start in (today, today + dt.timedelta(days=7)):
        week = plan.week_of(start)
        if week is None:
            continue
        found = [s for s in week.sessions if s.kind in kinds and _open(s) and s.date >= today]
        if found:
            return min(found, key=lambda s: s.date)
    raise ToolArgumentError(f"no {kind} session left to move this week or next")


def _in_week_of(word: str, anchor: dt.date, today: dt.date) -> dt.date:
    """A bare weekday is that day of ``anchor``'s week; anything else as :func:`parse_day`."""
    text = word.strip().lower()
    for index, name in enumerate(WEEKDAY_NAMES):
        if text in (name, name[:3]):
            return anchor + dt.timedelta(days=index - anchor.weekday())
    return parse_day(word, today)


def _on(plan: Plan, day: dt.date) -> list[PlannedSession]:
    week = plan.week_of(day)
    return [s for s in (week.sessions if week else ()) if s.date == day]


def _label(day: dt.date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day:%b} {day.day}"


def move_session(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Swap the session's day with the target day through the plan engine; store the plan."""
    from momentum.plugins.running.plans import swap_sessions

    athlete, _, now = now_local(ctx)
    today = now.date()
    plan = ctx.app.storage.get_plan(Plan, ctx.athlete_id)
    if plan is None:
        raise ToolArgumentError("there is no plan yet to move sessions in")
    if args.get("from_day"):
        source = parse_day(str(args["from_day"]), today)
        moving = [s for s in _on(plan, source) if s.kind is not SessionKind.REST]
        what = moving[0].title if moving else "rest"
    elif args.get("session"):
        found = find_session(plan, str(args["session"]), today)
        source, what = found.date, found.title or found.kind.value
    else:
        raise ToolArgumentError("say which session (its kind) or the day it is on")
    if args.get("with_session"):
        target = find_session(plan, str(args["with_session"]), today).date
    elif args.get("to_day"):
        target = _in_week_of(str(args["to_day"]), source, today)
    else:
        raise ToolArgumentError("say the day to move it to, or the session to swap it with")
    if target == source:
        return f"ok: {what} is already on {_label(source)}; nothing moved"
    memory = memory_mod.active(ctx.app.storage.list_memory(ctx.athlete_id))
    moved = swap_sessions(plan, athlete, source, target, memory, today=today)
    stored = ctx.app.storage.put_plan(moved, expected_version=plan.version)
    back = [s for s in _on(stored, source) if s.kind is not SessionKind.REST]
    other = ", ".join(f"{s.title or s.kind.value}" for s in back)
    tail = f"; {other} moves to {_label(source)}" if other else ""
    return f"ok: moved {what} from {_label(source)} to {_label(target)}{tail}"
