"""``log_activity``: a session the athlete completed that no device recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.coach.formatting import DAY_NAMES
from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.coach.tools.common import DAY_SCHEMA, now_local, parse_day, schema, stable_id
from momentum.core.model import Activity
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec

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

LOG_ACTIVITY = ToolSpec(
    name="log_activity",
    description=(
        "Record a session the athlete says they COMPLETED that no device recorded "
        "(e.g. 'did 60 min strength, totally gassed'). Not for opinions or plans."
    ),
    parameters=schema(
        {
            "activity_type": {"type": "string", "enum": list(ACTIVITY_TYPES)},
            "duration": {
                "type": "integer",
                "minimum": 1,
                "maximum": 600,
                "description": "minutes",
            },
            "intensity": {"type": "string", "enum": ["easy", "moderate", "hard"]},
            "day": DAY_SCHEMA,
            "note": {"type": "string", "maxLength": 300},
        },
        ["activity_type", "duration", "intensity"],
    ),
)


def log_activity(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Store the session as a chat-logged activity (idempotent per day, kind and length)."""
    _, tz, now = now_local(ctx)
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
        activity_id=stable_id("chat", ctx.athlete_id, day, kind, minutes),
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
