"""``add_race_result`` and ``set_goal_race``: the same as ``momentum race add``/``race goal``,
through chat ("I ran the Winter 10K in 48:30 on Sunday", "my goal is the Spring Half on
2027-04-18 in 1:45"). Checked by :mod:`momentum.plugins.running.coach.races`; the whole profile is
stored once, and a retried delivery stores the same result once."""

from __future__ import annotations

from typing import Any

from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach.tools.common import DAY_SCHEMA, now_local, parse_day, schema
from momentum.plugins.running.profile import with_running_profile

ADD_RACE_RESULT = ToolSpec(
    name="add_race_result",
    description=(
        "Record a race or time trial the athlete ran: distance, finish time and day "
        "(surface and elevation gain when said). Their VDOT and paces follow it."
    ),
    parameters=schema(
        {
            "distance": {"type": "string", "maxLength": 30, "description": "e.g. 10k, half"},
            "time": {"type": "string", "maxLength": 12, "description": "e.g. 48:30, 1:45:10"},
            "day": DAY_SCHEMA,
            "name": {"type": "string", "maxLength": 80},
            "surface": {"type": "string", "enum": ["road", "track", "trail"]},
            "elevation_gain": {"type": "number", "minimum": 0, "maximum": 20000},
        },
        ["distance", "time", "day"],
    ),
)

SET_GOAL_RACE = ToolSpec(
    name="set_goal_race",
    description=(
        "Set the athlete's goal race (name, day, distance) and optional goal time. The "
        "coach checks it against their fitness and the weeks left."
    ),
    parameters=schema(
        {
            "name": {"type": "string", "maxLength": 80},
            "day": DAY_SCHEMA,
            "distance": {"type": "string", "maxLength": 30},
            "time": {"type": "string", "maxLength": 12},
            "course_notes": {"type": "string", "maxLength": 200},
        },
        ["day", "distance"],
    ),
)


def add_race_result(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Add the result to the profile and say which VDOT the coach now trains by."""
    from momentum.plugins.running.analytics.evidence import best_evidence
    from momentum.plugins.running.coach.races import race_result, store_profile, with_result

    athlete, _, now = now_local(ctx)
    today = now.date()
    from momentum.plugins.running.coach.grammar import past_day

    day = past_day(str(args["day"]), today) or parse_day(str(args["day"]), today, future=False)
    result = race_result(
        str(args["distance"]),
        str(args["time"]),
        day,
        name=str(args.get("name", "")),
        surface=str(args.get("surface", "")),
        elevation_gain=float(args.get("elevation_gain", 0) or 0),
        today=today,
    )
    profile = store_profile(ctx.app.storage, with_result(athlete, result))
    found = best_evidence(profile, (), today)
    trains_by = f"; training by {found.describe()}" if found else ""
    return f"ok: saved the race result {result.distance_meters / 1000:g} km on {day}{trains_by}"


def set_goal_race(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Store the goal race and give the goal check's verdict."""
    from momentum.plugins.running.coach.races import goal_race, store_profile
    from momentum.plugins.running.plans.goal_check import check_goal

    athlete, _, now = now_local(ctx)
    today = now.date()
    day = parse_day(str(args["day"]), today)
    race = goal_race(
        str(args.get("name", "")),
        day,
        str(args["distance"]),
        str(args.get("time", "")),
        course_notes=str(args.get("course_notes", "")),
        today=today,
    )
    profile = store_profile(ctx.app.storage, with_running_profile(athlete, goal_race=race))
    from momentum.plugins.running.coach.view import load_view

    view = load_view(ctx.app.storage, ctx.athlete_id, today)
    verdict = check_goal(profile, view.activities, today)
    said = f"; {verdict.sentence(race)}" if verdict else ""
    return f"ok: goal set to {race.name} on {race.date}{said}"
