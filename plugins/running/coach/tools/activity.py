"""``log_activity``: a session the athlete completed that no device recorded."""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.model import Activity
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach.formatting import DAY_NAMES
from momentum.plugins.running.coach.tools.common import (
    DAY_SCHEMA,
    now_local,
    parse_day,
    schema,
    stable_id,
)

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
        "(e.g. 'did 60 min strength, totally gassed', '5 km easy yesterday'). Give the "
        "duration, the distance or both (a pace fills in the other). Not for opinions or plans."
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
            "distance_km": {"type": "number", "minimum": 0.1, "maximum": 300},
            "pace": {
                "type": "string",
                "maxLength": 12,
                "description": "minutes:seconds per km, e.g. 5:30",
            },
            "intensity": {"type": "string", "enum": ["easy", "moderate", "hard"]},
            "day": DAY_SCHEMA,
            "note": {"type": "string", "maxLength": 300},
        },
        ["activity_type", "intensity"],
    ),
)


DEFAULT_PACE = {"run": 420.0, "walk": 720.0, "hike": 840.0, "ride": 150.0, "swim": 1500.0}
"""Seconds per km assumed for a distance given without a time or pace when the athlete has
no VDOT yet (an easy jog of 7:00/km, a walk of 12:00/km, …)."""


def _pace_seconds(text: str) -> float:
    from momentum.plugins.running.coach.grammar import pace_in

    found = pace_in(text if "/" in text or "per" in text else f"{text}/km")
    if found is None or not 120 <= found <= 1800:
        raise ToolArgumentError(f"pace {text!r} is not minutes:seconds per km like 5:30")
    return found


def _distance_and_time(
    ctx: ToolContext, args: dict[str, Any], today: dt.date
) -> tuple[float, float]:
    """Metres (0 when not given) and seconds: the duration, else distance at the pace
    given, else the athlete's easy pace from their VDOT, else :data:`DEFAULT_PACE`."""
    distance_m = float(args.get("distance_km") or 0) * 1000
    if args.get("duration"):
        return distance_m, int(args["duration"]) * 60.0
    if not distance_m:
        raise ToolArgumentError("give the duration in minutes or the distance in km")
    if args.get("pace"):
        return distance_m, distance_m / 1000 * _pace_seconds(str(args["pace"]))
    kind = str(args["activity_type"])
    pace = DEFAULT_PACE.get(kind, DEFAULT_PACE["run"])
    if kind == "run":
        from momentum.plugins.running.analytics.evidence import best_evidence
        from momentum.plugins.running.analytics.vdot import training_paces

        athlete = ctx.app.storage.get_athlete(ctx.athlete_id)
        end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=dt.UTC)
        recent = ctx.app.storage.list_activities(ctx.athlete_id, end - dt.timedelta(days=43), end)
        found = best_evidence(athlete, recent, today) if athlete is not None else None
        if found is not None:
            fast, slow = training_paces(found.vdot)["E"]
            pace = (fast + slow) / 2
    return distance_m, distance_m / 1000 * pace


def log_activity(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Store the session as a chat-logged activity (idempotent per day, kind and length)."""
    _, tz, now = now_local(ctx)
    today = now.date()
    from momentum.plugins.running.coach.grammar import past_day

    said = str(args.get("day", "today"))
    day = past_day(said, today) or parse_day(said, today, future=False)
    if day > today or (today - day).days > MAX_LOG_BACK_DAYS:
        raise ToolArgumentError(f"day must be within the last {MAX_LOG_BACK_DAYS} days")
    kind = args["activity_type"]
    distance_m, seconds = _distance_and_time(ctx, args, today)
    minutes = max(1, round(seconds / 60))
    start = (
        now - dt.timedelta(minutes=minutes)
        if day == today
        else dt.datetime.combine(day, dt.time(12, 0), tzinfo=tz)
    )
    activity = Activity(
        activity_id=stable_id(
            "chat", ctx.athlete_id, day, kind, minutes, *([round(distance_m)] if distance_m else [])
        ),
        athlete_id=ctx.athlete_id,
        activity_type=ACTIVITY_TYPES[kind],
        start=start.astimezone(dt.UTC),
        name=f"{kind.title()} (logged in chat)",
        source="chat",
        distance_meters=distance_m,
        moving_time_seconds=seconds,
        elapsed_time_seconds=seconds,
        intensity=args["intensity"],
        notes=(args["note"],) if args.get("note") else (),
    )
    new = ctx.app.storage.put_activity(activity)
    verb = "Logged" if new else "Already had"
    shown = f"{distance_m / 1000:g} km {kind} in {minutes}min" if distance_m else f"{minutes}min"
    if distance_m and kind == "run":
        total = round(seconds / distance_m * 1000)
        shown += f" at {total // 60}:{total % 60:02d}/km"
    return (
        f"ok: {verb} {shown if distance_m else f'{shown} {kind}'} ({args['intensity']}) on "
        f"{DAY_NAMES[day.weekday()]} {day:%b} {day.day}; id {activity.activity_id}"
    )
