"""The chat tools the model may call, each bound to one athlete through ``ToolContext``.

Function calling is how the coach understands intent: "did 60 min strength, totally
gassed" becomes ``log_activity(duration=60, intensity=hard)``; "legs are tired, should I
rest?" becomes ``save_reflection`` plus ``coaching_question``. Every tool reads and writes
only ``ctx.athlete_id``'s records: no schema declares an athlete, unknown arguments are
refused, and activities are looked up under the context's athlete, so a prompt-injected
call cannot reach anyone else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from core.coach import memory as memory_mod
from core.coach.formatting import DAY_NAMES, fmt_minutes, local_day, minutes_of
from core.coach.toolargs import ToolArgumentError, validate_arguments
from core.coach.view import athlete_zone, load_view
from core.errors import InputError
from core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    CoachingStyle,
    Equipment,
    MemoryItem,
    MemorySection,
    Reflection,
    Weekday,
)
from core.plugins.types import Tool, ToolContext
from core.ports.model import ToolSpec

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_LOG_BACK_DAYS = 14

ACTIVITY_TYPES = {
    "run": "Run",
    "strength": "WeightTraining",
    "walk": "Walk",
    "ride": "Ride",
    "hike": "Hike",
    "yoga": "Yoga",
    "swim": "Swim",
    "cross": "Elliptical",
    "other": "Other",
}

PROFILE_FIELDS = (
    "name",
    "max_hr",
    "resting_hr",
    "threshold_hr",
    "long_run_day",
    "preferred_days",
    "unavailable_days",
    "weekly_minutes_target",
    "checkin_hour",
    "coaching_style",
    "injuries",
    "equipment",
)

_DAY_SCHEMA = {
    "type": "string",
    "maxLength": 20,
    "description": "today, yesterday, tomorrow, a weekday name or YYYY-MM-DD",
}


def _stable_id(prefix: str, *parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


def _now_local(ctx: ToolContext) -> tuple[AthleteProfile, ZoneInfo, dt.datetime]:
    athlete = ctx.app.storage.get_athlete(ctx.athlete_id)
    if athlete is None:
        raise InputError("tool", f"no athlete {ctx.athlete_id!r}")
    tz = athlete_zone(athlete)
    return athlete, tz, ctx.app.clock.now().astimezone(tz)


def parse_day(text: str, today: dt.date, *, future: bool = True) -> dt.date:
    """``today``/``yesterday``/``tomorrow``/weekday/ISO date → a date near ``today``.

    A weekday means the one in the current week, or the next one when ``future`` and
    that day has already passed.
    """
    word = text.strip().lower()
    if word in ("", "today", "tonight", "now"):
        return today
    if word == "yesterday":
        return today - dt.timedelta(days=1)
    if word == "tomorrow":
        return today + dt.timedelta(days=1)
    for index, name in enumerate(WEEKDAY_NAMES):
        if word in (name, name[:3]):
            day = today + dt.timedelta(days=index - today.weekday())
            if future and day < today:
                day += dt.timedelta(days=7)
            return day
    try:
        return dt.date.fromisoformat(word)
    except ValueError as exc:
        raise ToolArgumentError(f"day {text!r} is not a day I understand") from exc


def _bound(spec: ToolSpec, run: Callable[[ToolContext, dict[str, Any]], str]) -> Tool:
    """A tool whose arguments are validated against its schema before ``run``."""

    def checked(ctx: ToolContext, arguments: dict[str, Any]) -> str:
        return run(ctx, validate_arguments(spec.parameters, arguments))

    return Tool(spec=spec, run=checked, tags=("builtin",))


def _schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


# -- log_activity ----------------------------------------------------------------------
LOG_ACTIVITY = ToolSpec(
    name="log_activity",
    description=(
        "Record a session the athlete says they COMPLETED that no device recorded "
        "(e.g. 'did 60 min strength, totally gassed'). Not for opinions or plans."
    ),
    parameters=_schema(
        {
            "activity_type": {"type": "string", "enum": list(ACTIVITY_TYPES)},
            "duration": {
                "type": "integer",
                "minimum": 1,
                "maximum": 600,
                "description": "minutes",
            },
            "intensity": {"type": "string", "enum": ["easy", "moderate", "hard"]},
            "day": _DAY_SCHEMA,
            "note": {"type": "string", "maxLength": 300},
        },
        ["activity_type", "duration", "intensity"],
    ),
)


def _log_activity(ctx: ToolContext, args: dict[str, Any]) -> str:
    _, tz, now = _now_local(ctx)
    today = now.date()
    day = parse_day(str(args.get("day", "today")), today, future=False)
    if day > today or (today - day).days > MAX_LOG_BACK_DAYS:
        raise ToolArgumentError(f"day must be within the last {MAX_LOG_BACK_DAYS} days")
    kind = args["activity_type"]
    minutes = int(args["duration"])
    start = (
        now - dt.timedelta(minutes=minutes)
        if day == today
        else dt.datetime.combine(day, dt.time(12, 0), tzinfo=tz)
    )
    activity = Activity(
        activity_id=_stable_id("chat", ctx.athlete_id, day, kind, minutes),
        athlete_id=ctx.athlete_id,
        activity_type=ACTIVITY_TYPES[kind],
        start=start.astimezone(dt.UTC),
        name=f"{kind.title()} (logged in chat)",
        source="chat",
        moving_time_seconds=minutes * 60.0,
        elapsed_time_seconds=minutes * 60.0,
        intensity=args["intensity"],
        notes=(args["note"],) if args.get("note") else (),
    )
    new = ctx.app.storage.put_activity(activity)
    verb = "Logged" if new else "Already had"
    return (
        f"ok: {verb} {minutes}min {kind} ({args['intensity']}) on "
        f"{DAY_NAMES[day.weekday()]} {day:%b} {day.day}; id {activity.activity_id}"
    )


# -- save_reflection -------------------------------------------------------------------
SAVE_REFLECTION = ToolSpec(
    name="save_reflection",
    description=(
        "Keep something the athlete thinks or feels that is not about one specific "
        "recorded activity (opinions, mood, body state, motivation, what they enjoy)."
    ),
    parameters=_schema(
        {"text": {"type": "string", "minLength": 1, "maxLength": 1000}},
        ["text"],
    ),
)


def _save_reflection(ctx: ToolContext, args: dict[str, Any]) -> str:
    now = ctx.app.clock.now()
    text = args["text"]
    reflection = Reflection(
        reflection_id=_stable_id("refl", ctx.athlete_id, now.date(), text),
        athlete_id=ctx.athlete_id,
        at=now,
        text=text,
        source="chat",
    )
    ctx.app.storage.put_reflection(reflection)
    return "ok: reflection saved"


# -- save_activity_note ----------------------------------------------------------------
SAVE_ACTIVITY_NOTE = ToolSpec(
    name="save_activity_note",
    description=(
        "Attach how a specific recorded activity felt to that activity (e.g. 'that run "
        "felt harder than expected' when a run is in context)."
    ),
    parameters=_schema(
        {
            "text": {"type": "string", "minLength": 1, "maxLength": 1000},
            "activity_id": {"type": "string", "maxLength": 80},
        },
        ["text"],
    ),
)


def _save_activity_note(ctx: ToolContext, args: dict[str, Any]) -> str:
    activity_id = args.get("activity_id") or ctx.activity_id
    if not activity_id:
        raise ToolArgumentError("no activity in context; save a reflection instead")
    # Looked up under the context's athlete: another athlete's id is simply not found.
    activity = ctx.app.storage.get_activity(ctx.athlete_id, activity_id)
    if activity is None:
        raise ToolArgumentError(f"no activity {activity_id!r} for this athlete")
    now = ctx.app.clock.now()
    note = ActivityNote(
        note_id=_stable_id("note", ctx.athlete_id, activity_id, args["text"]),
        athlete_id=ctx.athlete_id,
        activity_id=activity_id,
        at=now,
        text=args["text"],
    )
    ctx.app.storage.put_note(note)
    return f"ok: note saved on activity {activity_id}"


# -- coaching_question -----------------------------------------------------------------
COACHING_QUESTION = ToolSpec(
    name="coaching_question",
    description=(
        "The athlete asked for coaching advice (rest, pace, plan, injury, fuel, race). "
        "Returns the facts needed to answer; answer in your reply."
    ),
    parameters=_schema(
        {
            "question": {"type": "string", "minLength": 1, "maxLength": 500},
            "topic": {
                "type": "string",
                "enum": ["rest", "pace", "plan", "injury", "nutrition", "gear", "race", "other"],
            },
        },
        ["question"],
    ),
)


def _coaching_question(ctx: ToolContext, args: dict[str, Any]) -> str:
    from core.coach.facts import sessions_on
    from core.coach.metrics import fitness
    from core.coach.render import session_label

    _, _, now = _now_local(ctx)
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
    return "\n".join(facts)


# -- update_profile --------------------------------------------------------------------
UPDATE_PROFILE = ToolSpec(
    name="update_profile",
    description=(
        "Change one fact in the athlete's own profile when they state it (heart rate "
        "anchors, long-run day, days they cannot train, weekly minutes, check-in hour, "
        "coaching style, an injury, equipment)."
    ),
    parameters=_schema(
        {
            "field": {"type": "string", "enum": list(PROFILE_FIELDS)},
            "value": {"type": "string", "minLength": 1, "maxLength": 120},
        },
        ["field", "value"],
    ),
)


def _weekday(value: str) -> Weekday:
    word = value.strip().lower().rstrip("s")
    for index, name in enumerate(WEEKDAY_NAMES):
        if word in (name, name[:3]):
            return Weekday(index)
    raise ToolArgumentError(f"{value!r} is not a weekday")


def _int_in(value: str, name: str, lo: int, hi: int) -> int:
    try:
        number = int(float(value.strip().split()[0]))
    except (ValueError, IndexError) as exc:
        raise ToolArgumentError(f"{name} must be a number") from exc
    if not lo <= number <= hi:
        raise ToolArgumentError(f"{name} must be between {lo} and {hi}")
    return number


def _update_profile(ctx: ToolContext, args: dict[str, Any]) -> str:
    athlete, _, _ = _now_local(ctx)
    field, value = args["field"], args["value"]
    hr = athlete.heart_rate
    changes: dict[str, Any] = {}
    if field == "name":
        changes["name"] = " ".join(value.split())[:60]
    elif field == "max_hr":
        changes["heart_rate"] = dataclasses.replace(hr, max_hr=_int_in(value, field, 120, 230))
    elif field == "resting_hr":
        changes["heart_rate"] = dataclasses.replace(hr, resting_hr=_int_in(value, field, 30, 100))
    elif field == "threshold_hr":
        changes["heart_rate"] = dataclasses.replace(
            hr, threshold_hr=_int_in(value, field, 100, 220)
        )
    elif field == "long_run_day":
        changes["long_run_day"] = _weekday(value)
    elif field in ("preferred_days", "unavailable_days"):
        days = tuple(
            sorted({_weekday(part) for part in value.replace(" and ", ",").split(",") if part})
        )
        if field == "unavailable_days":
            days = tuple(sorted(set(athlete.unavailable_days) | set(days)))
        changes[field] = days
    elif field == "weekly_minutes_target":
        changes[field] = _int_in(value, field, 30, 1500)
    elif field == "checkin_hour":
        changes[field] = _int_in(value, field, 0, 23)
    elif field == "coaching_style":
        try:
            changes[field] = CoachingStyle(value.strip().lower().replace(" ", "_"))
        except ValueError as exc:
            options = ", ".join(s.value for s in CoachingStyle)
            raise ToolArgumentError(f"coaching_style must be one of {options}") from exc
    elif field == "injuries":
        changes[field] = tuple(dict.fromkeys((*athlete.injuries, value.strip())))
    elif field == "equipment":
        try:
            item = Equipment(value.strip().lower().replace(" ", "_"))
        except ValueError as exc:
            options = ", ".join(e.value for e in Equipment)
            raise ToolArgumentError(f"equipment must be one of {options}") from exc
        changes[field] = tuple(dict.fromkeys((*athlete.equipment, item)))
    ctx.app.storage.put_athlete(dataclasses.replace(athlete, **changes))
    return f"ok: profile {field} updated"


# -- adjust_session --------------------------------------------------------------------
ADJUST_SESSION = ToolSpec(
    name="adjust_session",
    description=(
        "Change one day's planned session because the athlete can't do it as planned "
        "(short on time, sore, travelling). The rest of the plan stays."
    ),
    parameters=_schema(
        {"day": _DAY_SCHEMA, "reason": {"type": "string", "minLength": 1, "maxLength": 300}},
        ["day", "reason"],
    ),
)


def _adjust_session(ctx: ToolContext, args: dict[str, Any]) -> str:
    from core.plans import adjust_session

    athlete, _, now = _now_local(ctx)
    day = parse_day(args["day"], now.date())
    plan = ctx.app.storage.get_plan(ctx.athlete_id)
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


# -- remember --------------------------------------------------------------------------
REMEMBER = ToolSpec(
    name="remember",
    description=(
        "Curate the coach's memory with a lasting lesson about this athlete: a discovery "
        "or experiment result, something they enjoy, a constraint, or a goal."
    ),
    parameters=_schema(
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


def _remember(ctx: ToolContext, args: dict[str, Any]) -> str:
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


def builtin_tools() -> list[Tool]:
    """log_activity, save_reflection, save_activity_note, coaching_question,
    update_profile, adjust_session and remember."""
    return [
        _bound(LOG_ACTIVITY, _log_activity),
        _bound(SAVE_REFLECTION, _save_reflection),
        _bound(SAVE_ACTIVITY_NOTE, _save_activity_note),
        _bound(COACHING_QUESTION, _coaching_question),
        _bound(UPDATE_PROFILE, _update_profile),
        _bound(ADJUST_SESSION, _adjust_session),
        _bound(REMEMBER, _remember),
    ]


def local_today(ctx: ToolContext) -> dt.date:
    """The athlete's local date now."""
    _, tz, now = _now_local(ctx)
    return local_day(now, tz)
