"""Coaching tools: ``coaching_question`` (facts to answer from) and ``adjust_session``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.model import MemorySection
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach import memory as memory_mod
from momentum.plugins.running.coach.formatting import DAY_NAMES, fmt_minutes, minutes_of
from momentum.plugins.running.coach.tools.common import DAY_SCHEMA, now_local, parse_day, schema
from momentum.plugins.running.coach.view import load_view
from momentum.plugins.running.model.plan import Plan

COACHING_QUESTION = ToolSpec(
    name="coaching_question",
    description=(
        "The athlete asked for coaching advice (rest, pace, plan, injury, fuel, race). "
        "Returns the facts needed to answer; answer in your reply."
    ),
    parameters=schema(
        {
            "question": {"type": "string", "minLength": 1, "maxLength": 500},
            "topic": {
                "type": "string",
                "enum": [
                    "rest",
                    "pace",
                    "plan",
                    "last_run",
                    "injury",
                    "nutrition",
                    "gear",
                    "race",
                    "other",
                ],
            },
        },
        ["question"],
    ),
)


def coaching_question(ctx: ToolContext, args: dict[str, Any]) -> str:
    """The facts the model needs to answer: today's and tomorrow's plan, the last days, form."""
    from momentum.plugins.running.coach.facts import sessions_on
    from momentum.plugins.running.coach.metrics import fitness
    from momentum.plugins.running.coach.render import session_label

    _, _, now = now_local(ctx)
    view = load_view(ctx.app.storage, ctx.athlete_id, now.date())
    today = view.day
    facts = [f"topic: {args.get('topic', 'other')}"]
    for label, day in (("today", today), ("tomorrow", today + dt.timedelta(days=1))):
        planned = ", ".join(session_label(s) for s in sessions_on(view, day))
        facts.append(f"planned {label}: {planned or 'rest'}")
    for offset in (2, 1, 0):
        day = today - dt.timedelta(days=offset)
        done = view.on(day)
        if done:
            text = ", ".join(
                f"{fmt_minutes(minutes_of(a))} {a.activity_type}"
                + (f" ({a.intensity})" if a.intensity else "")
                for a in done
            )
            facts.append(f"{DAY_NAMES[day.weekday()]}: {text}")
    rest_days = [
        offset for offset in range(1, 15) if not view.on(today - dt.timedelta(days=offset))
    ]
    facts.append(f"active days in a row before today: {rest_days[0] - 1 if rest_days else '14+'}")
    fit = fitness(view)
    if fit.tsb is not None:
        facts.append(f"form (fitness - fatigue): {fit.tsb:+.0f}")
    if view.athlete.injuries:
        facts.append("injuries: " + "; ".join(view.athlete.injuries))
    for item in view.memory:
        if item.section is MemorySection.DISCOVERIES:
            facts.append(f"discovery: {item.text}")
    from momentum.plugins.running.coach.answers import question_facts

    facts += question_facts(view)
    return "\n".join(facts)


ADJUST_SESSION = ToolSpec(
    name="adjust_session",
    description=(
        "Change one day's planned session because the athlete can't do it as planned "
        "(short on time, sore, travelling). The rest of the plan stays."
    ),
    parameters=schema(
        {"day": DAY_SCHEMA, "reason": {"type": "string", "minLength": 1, "maxLength": 300}},
        ["day", "reason"],
    ),
)


def adjust_session(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Replace one day's session through the plan engine and store the plan."""
    from momentum.plugins.running.plans import adjust_session

    athlete, _, now = now_local(ctx)
    day = parse_day(args["day"], now.date())
    plan = ctx.app.storage.get_plan(Plan, ctx.athlete_id)
    if plan is None or plan.week_of(day) is None:
        raise ToolArgumentError(f"no plan covers {day.isoformat()}")
    memory = memory_mod.active(ctx.app.storage.list_memory(ctx.athlete_id))
    updated = adjust_session(plan, athlete, day, args["reason"], memory)
    stored = ctx.app.storage.put_plan(updated, expected_version=plan.version)
    week = stored.week_of(day)
    sessions = [s for s in (week.sessions if week else ()) if s.date == day]
    now_planned = ", ".join(
        f"{fmt_minutes(s.minutes)} {s.kind.value}" + (f" ({s.purpose})" if s.purpose else "")
        for s in sessions
    )
    return f"ok: {DAY_NAMES[day.weekday()]} {day.isoformat()} is now {now_planned or 'rest'}"
