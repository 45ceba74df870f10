"""``update_profile``: one fact in the athlete's own profile, checked and converted.

A change to what the stored numbers are computed from (max, resting or threshold heart
rate, sex) brings the stored activities' zone times and load in step with it
(:mod:`momentum.plugins.running.coach.recompute`, usually as a deferred job), and the result says
so.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.errors import MomentumError
from momentum.core.model import AthleteProfile, CoachingStyle, Equipment, Weekday
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.model import ToolSpec
from momentum.plugins.running.coach.recompute import numbers_change, request_recompute
from momentum.plugins.running.coach.tools.common import WEEKDAY_NAMES, now_local, schema
from momentum.plugins.running.profile import with_running_profile

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
    "sex",
)


UPDATE_PROFILE = ToolSpec(
    name="update_profile",
    description=(
        "Change one fact in the athlete's own profile when they state it (heart rate "
        "anchors, long-run day, days they cannot train, weekly minutes, check-in hour, "
        "coaching style, an injury, equipment)."
    ),
    parameters=schema(
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


def update_profile(ctx: ToolContext, args: dict[str, Any]) -> str:
    """Change one field of the athlete's own profile."""
    athlete, _, _ = now_local(ctx)
    field, value = args["field"], args["value"]
    hr = athlete.heart_rate
    changes: dict[str, Any] = {}
    running: dict[str, Any] = {}
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
        running["long_run_day"] = _weekday(value)
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
    elif field == "sex":  # female, male, or skip to clear (picks the TRIMP weighting)
        from momentum.plugins.running.analytics.trimp import (
            parse_sex,  # analytics loads lazily (cold starts)
        )

        try:
            changes[field] = parse_sex(value)
        except ValueError as exc:
            raise ToolArgumentError(str(exc)) from exc
    updated = dataclasses.replace(athlete, **changes)
    if running:
        updated = with_running_profile(updated, **running)
    ctx.app.storage.put_athlete(updated)
    result = f"ok: profile {field} updated"
    if numbers_change(athlete, updated):
        note = _follow_profile(ctx, updated)
        if note:
            result += f"; {note}"
    return result


def _follow_profile(ctx: ToolContext, updated: AthleteProfile) -> str:
    """Recompute (or queue the recompute of) the stored activities; a sentence saying so.
    The profile is already saved, so a failure here is reported, not raised."""
    try:
        return request_recompute(ctx.app, updated)
    except Exception as exc:  # e.g. a storage outage while recomputing inline
        detail = str(exc) if isinstance(exc, MomentumError) else type(exc).__name__
        return f"the stored activities could not be recomputed ({detail})"
