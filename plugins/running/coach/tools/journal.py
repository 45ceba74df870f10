"""Journal tools: ``save_reflection``, ``save_activity_note`` and ``remember``."""

from __future__ import annotations

from typing import Any

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.model import ActivityNote, MemoryItem, MemorySection, Reflection
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach import memory as memory_mod
from momentum.plugins.running.coach.tools.common import schema, stable_id

SAVE_REFLECTION = ToolSpec(
    name="save_reflection",
    description=(
        "Keep something the athlete thinks or feels that is not about one specific "
        "recorded activity (opinions, mood, body state, motivation, what they enjoy)."
    ),
    parameters=schema(
        {"text": {"type": "string", "minLength": 1, "maxLength": 1000}},
        ["text"],
    ),
)


def save_reflection(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Keep the athlete's words as a reflection."""
    now = ctx.app.clock.now()
    text = args["text"]
    reflection = Reflection(
        reflection_id=stable_id("refl", ctx.athlete_id, now.date(), text),
        athlete_id=ctx.athlete_id,
        at=now,
        text=text,
        source="chat",
    )
    ctx.app.storage.put_reflection(reflection)
    return "ok: reflection saved"


SAVE_ACTIVITY_NOTE = ToolSpec(
    name="save_activity_note",
    description=(
        "Attach how a specific recorded activity felt to that activity (e.g. 'that run "
        "felt harder than expected' when a run is in context)."
    ),
    parameters=schema(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": 1000},
            "activity_id": {"type": "string", "maxLength": 80},
        },
        ["text"],
    ),
)


def save_activity_note(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Attach the words to the activity in context (only this athlete's)."""
    activity_id = args.get("activity_id") or ctx.activity_id
    if not activity_id:
        raise ToolArgumentError("no activity in context; save a reflection instead")
    # Looked up under the context's athlete: another athlete's id is simply not found.
    activity = ctx.app.storage.get_activity(ctx.athlete_id, activity_id)
    if activity is None:
        raise ToolArgumentError(f"no activity {activity_id!r} for this athlete")
    now = ctx.app.clock.now()
    note = ActivityNote(
        note_id=stable_id("note", ctx.athlete_id, activity_id, args["text"]),
        athlete_id=ctx.athlete_id,
        activity_id=activity_id,
        at=now,
        text=args["text"],
    )
    ctx.app.storage.put_note(note)
    return f"ok: note saved on activity {activity_id}"


REMEMBER = ToolSpec(
    name="remember",
    description=(
        "Curate the coach's memory with a lasting lesson about this athlete: a discovery "
        "or experiment result, something they enjoy, a constraint, or a goal."
    ),
    parameters=schema(
        {
            "section": {
                "type": "string",
                "enum": ["discoveries", "enjoys", "constraints", "goals"],
            },
            "text": {"type": "string", "minLength": 1, "maxLength": 300},
            "tag": {"type": "string", "maxLength": 40},
        },
        ["section", "text"],
    ),
)

_SECTIONS = {
    "discoveries": MemorySection.DISCOVERIES,
    "enjoys": MemorySection.ENJOYS,
    "constraints": MemorySection.CONSTRAINTS,
    "goals": MemorySection.GOALS,
}


def remember(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Add or replace one item of the coach's curated memory."""
    tag = "".join(ch for ch in args.get("tag", "").lower() if ch.isalnum() or ch in "_:-")
    key = tag or args["text"].lower()
    item = MemoryItem(
        memory_id=memory_mod.memory_id(ctx.athlete_id, key),
        athlete_id=ctx.athlete_id,
        section=_SECTIONS[args["section"]],
        text=args["text"],
        created=ctx.app.clock.now(),
        tags=(tag,) if tag else (),
    )
    ctx.app.storage.put_memory(item)
    return f"ok: remembered under {item.section.value}"
