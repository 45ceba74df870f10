"""What every chat tool shares: strict schemas, validated arguments, local days, stable ids."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from momentum.core.coach.toolargs import ToolArgumentError, validate_arguments
from momentum.core.errors import InputError
from momentum.core.model import AthleteProfile
from momentum.core.plugins.types import Tool, ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach.formatting import local_day
from momentum.plugins.running.coach.view import athlete_zone

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

DAY_SCHEMA = {
    "type": "string",
    "maxLength": 20,
    "description": "today, yesterday, tomorrow, a weekday name or YYYY-MM-DD",
}


def stable_id(prefix: str, *parts: object) -> str:
    """A deterministic id, so a retried tool call rewrites the same record."""
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:12]
    return f"{prefix}-{digest}"


def now_local(ctx: ToolContext) -> tuple[AthleteProfile, ZoneInfo, dt.datetime]:
    """The context's athlete, their time zone and the local time now."""
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


def bound(spec: ToolSpec, run: Callable[[ToolContext, dict[str, Any]], str]) -> Tool:
    """A tool whose arguments are validated against its schema before ``run``."""

    def checked(ctx: ToolContext, arguments: dict[str, Any]) -> str:
        return run(ctx, validate_arguments(spec.parameters, arguments))

    return Tool(spec=spec, run=checked, tags=("builtin",))


def schema(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    """A strict JSON-schema object: only these properties, never an athlete id."""
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def local_today(ctx: ToolContext) -> dt.date:
    """The athlete's local date now."""
    _, tz, now = now_local(ctx)
    return local_day(now, tz)
