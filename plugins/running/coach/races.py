"""Race results and the goal race: parsed, checked and stored on the athlete's profile.

``momentum race add``/``race goal`` and the chat tools ``add_race_result``/``set_goal_race``
share these functions, so both give the same errors and the same answer. Input is checked
before anything is written: a bad distance, time or date raises :class:`InputError` naming
the field, and the profile is stored once, whole. Adding the same result twice (a chat
delivery retried) keeps one.
"""

from __future__ import annotations

import datetime as dt

from momentum.core.errors import InputError
from momentum.core.model.athlete import AthleteProfile
from momentum.core.ports.storage import Storage
from momentum.plugins.running.analytics.vdot import vdot_from_race
from momentum.plugins.running.coach.grammar import clock_text, distance_in, duration_in
from momentum.plugins.running.profile import (
    GoalRace,
    RaceResult,
    running_profile,
    with_running_profile,
)

SURFACES = ("road", "track", "trail")
MAX_RESULTS = 50


def parse_distance(text: str, field: str = "distance") -> float:
    """``10k``, ``5 km``, ``13.1 mi``, ``half marathon`` → metres (the units of ``momentum
    paces`` first, then the chat grammar's)."""
    from momentum.plugins.running.analytics import units

    try:
        return units.parse_distance(text)
    except ValueError:
        meters = distance_in(text)
    if meters is None:
        raise InputError(field, f"expected a distance like 10k, 5 km or 13.1 mi, got {text!r}")
    return meters


def parse_time(text: str, field: str = "time") -> float:
    """``45:30``, ``1:05:00``, ``1h20``, ``90 min`` → seconds."""
    from momentum.plugins.running.analytics import units

    try:
        return units.parse_duration(text)
    except ValueError:
        seconds = duration_in(text)
    if seconds is None or seconds <= 0:
        raise InputError(field, f"expected a time like 45:30 or 1:05:00, got {text!r}")
    return seconds


def _surface(text: str) -> str:
    word = text.strip().lower()
    if word and word not in SURFACES:
        raise InputError("surface", f"expected one of {', '.join(SURFACES)}, got {text!r}")
    return word


def race_result(
    distance: str,
    time: str,
    day: dt.date,
    *,
    name: str = "",
    surface: str = "",
    elevation_gain: float = 0.0,
    today: dt.date,
) -> RaceResult:
    """A checked :class:`RaceResult` (the date not in the future, a plausible pace)."""
    meters = parse_distance(distance)
    seconds = parse_time(time)
    if day > today:
        raise InputError("date", f"{day.isoformat()} is in the future; results are races run")
    if elevation_gain < 0:
        raise InputError("elevation", "the elevation gain cannot be negative")
    pace = seconds / meters * 1000
    if not 110 <= pace <= 1800:
        raise InputError(
            "time", f"{clock_text(seconds)} for {meters / 1000:g} km is not a running pace"
        )
    result = RaceResult(day, meters, seconds, name.strip()[:80], _surface(surface), elevation_gain)
    vdot_from_race(meters, seconds)  # raises for nonsense before anything is stored
    return result


def with_result(athlete: AthleteProfile, result: RaceResult) -> AthleteProfile:
    """The profile with ``result`` added (a result on the same day over the same distance is
    replaced, so a retried delivery stores it once); the newest :data:`MAX_RESULTS` kept."""
    kept = [
        r
        for r in running_profile(athlete).race_results
        if not (r.date == result.date and abs(r.distance_meters - result.distance_meters) < 1)
    ]
    ordered = sorted([*kept, result], key=lambda r: r.date)[-MAX_RESULTS:]
    return with_running_profile(athlete, race_results=tuple(ordered))


def goal_race(
    name: str,
    day: dt.date,
    distance: str,
    time: str = "",
    *,
    course_notes: str = "",
    today: dt.date,
) -> GoalRace:
    """A checked :class:`GoalRace` (ahead of ``today``; the goal time optional)."""
    if day < today:
        raise InputError("date", f"{day.isoformat()} has passed; a goal race is ahead")
    meters = parse_distance(distance)
    seconds = parse_time(time, "goal time") if time.strip() else None
    label = name.strip()[:80] or f"{meters / 1000:g} km race"
    return GoalRace(label, day, meters, seconds, course_notes.strip()[:200])


def store_profile(storage: Storage, athlete: AthleteProfile) -> AthleteProfile:
    """Write the whole profile once."""
    storage.put_athlete(athlete)
    return athlete
