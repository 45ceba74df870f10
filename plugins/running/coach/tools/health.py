"""``report_health``: the athlete reports pain, an injury or illness (or that it is better).

The safety layer has already read the chat message before any model ran; this tool lets a
model (or the offline intents) pass on words the rules should see, e.g. a paraphrase. It
can only open or close records through the same rules: it never lifts a restriction the
athlete's own words did not lift, and it refits the plan to the records.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach import planning
from momentum.plugins.running.coach.tools.common import now_local, schema
from momentum.plugins.running.coach.view import load_view

REPORT_HEALTH = ToolSpec(
    name="report_health",
    description=(
        "The athlete reports pain, an injury, illness or a symptom (or says one is better "
        "now). Pass their own words; code decides what training is safe."
    ),
    parameters=schema(
        {"text": {"type": "string", "minLength": 1, "maxLength": 1000}},
        ["text"],
    ),
)


def report_health(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Screen the words through the safety layer and fit the plan to the records."""
    from momentum.plugins.running.coach import safety

    _, _, now = now_local(ctx)
    day = now.date()
    view = load_view(ctx.app.storage, ctx.athlete_id, day)
    screened = safety.screen(
        ctx.app.storage,
        ctx.athlete_id,
        view.memory,
        args["text"],
        day=day,
        at=ctx.app.clock.now(),
        source="chat",
    )
    view = planning.protect(ctx.app.storage, dataclasses.replace(view, memory=screened.memory))
    today = safety.day_of(view.memory, view.plan, day)
    if not screened.finding.is_concern and not screened.finding.resolves:
        return "ok: nothing the safety rules act on"
    if today.active:
        return f"ok: safety: {today.rule.reason}; today is {today.session_text or 'rest'}"
    return "ok: recorded as better"
