"""From a Peloton workout and its performance graph to an activity record.

The performance graph samples each metric every ``every_n`` seconds on
``seconds_since_pedaling_start``. Units are the member's display units, so they are read
from each metric: speed in mph or kph becomes m/s; a treadmill's incline (%) becomes the
grade channel, so grade-adjusted pace is computed from speed and incline like any run;
a bike's or rower's output (W) becomes power; cadence (rpm) and a rower's stroke rate
(spm) become cadence; heart rate is kept. Everything computed (distance, pace, GAP, zones,
load) comes from :func:`momentum.build_activity`. A class with no samples (most strength
classes) becomes a summary record from its start and end times.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

from momentum import Activity, AthleteProfile, InputError, Streams, build_activity

SOURCE = "peloton"
SPORTS = {
    "cycling": "Ride",
    "bike_bootcamp": "Ride",
    "running": "Run",
    "tread_bootcamp": "Run",
    "walking": "Walk",
    "caesar": "Rowing",
    "rowing": "Rowing",
    "caesar_bootcamp": "Rowing",
    "strength": "WeightTraining",
    "yoga": "Yoga",
    "stretching": "Workout",
    "cardio": "Workout",
}
"""Peloton's ``fitness_discipline`` → the sport types the coach knows (``WeightTraining``
counts as the plan's strength session). Meditation is not training and is skipped."""
SPEED_TO_MS = {"mph": 0.44704, "kph": 1 / 3.6, "km/h": 1 / 3.6}
CHANNELS = {"output": "power", "cadence": "cadence", "stroke_rate": "cadence"}


def activity_id_of(workout_id: str) -> str:
    """The activity id a Peloton workout is stored under (when no other source has it)."""
    return f"{SOURCE}-{workout_id}"


def sport_of(workout: Mapping[str, Any]) -> str | None:
    """The sport type, or ``None`` for a discipline that is not training."""
    return SPORTS.get(str(workout.get("fitness_discipline") or ""))


def _times(workout: Mapping[str, Any]) -> tuple[dt.datetime, float]:
    where = f"peloton workout {workout.get('id', '?')}"
    start, end = workout.get("start_time"), workout.get("end_time")
    if not isinstance(start, int | float) or isinstance(start, bool):
        raise InputError(where, f"start_time is not epoch seconds ({start!r})")
    begun = dt.datetime.fromtimestamp(float(start), dt.UTC)
    if isinstance(end, int | float) and not isinstance(end, bool) and end > start:
        return begun, float(end - start)
    ride = workout.get("ride") or {}
    return begun, float(ride.get("duration") or 0) if isinstance(ride, dict) else 0.0


def _values(metric: Mapping[str, Any], n: int, where: str) -> tuple[float | None, ...]:
    values = metric.get("values") or []
    if not isinstance(values, list) or len(values) != n:
        raise InputError(where, f"metric {metric.get('slug')!r} has {len(values)} samples, not {n}")
    out: list[float | None] = []
    for v in values:
        if v is None:
            out.append(None)
        elif isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            out.append(float(v))
        else:
            raise InputError(where, f"metric {metric.get('slug')!r} has a non-number {v!r}")
    return tuple(out)


def to_streams(graph: Mapping[str, Any], *, indoor: bool, where: str) -> Streams | None:
    """Momentum streams from a performance graph (``None`` when it has no samples)."""
    offsets = graph.get("seconds_since_pedaling_start") or []
    if not isinstance(offsets, list) or not offsets:
        return None
    n = len(offsets)
    channels: dict[str, tuple[float | None, ...]] = {}
    for metric in graph.get("metrics") or []:
        if not isinstance(metric, dict):
            continue
        slug = str(metric.get("slug") or "")
        unit = str(metric.get("display_unit") or "").lower()
        if slug == "speed":
            scale = SPEED_TO_MS.get(unit)
            if scale is None:
                raise InputError(where, f"speed in unknown unit {unit!r}")
            channels["speed"] = tuple(
                None if v is None else v * scale for v in _values(metric, n, where)
            )
        elif slug == "incline":
            channels["grade"] = _values(metric, n, where)
        elif slug == "heart_rate":
            channels["heart_rate"] = tuple(v if v else None for v in _values(metric, n, where))
        elif slug in CHANNELS:
            channels[CHANNELS[slug]] = _values(metric, n, where)
    if not channels:
        return None
    step = float(offsets[1] - offsets[0]) if n > 1 else None
    return Streams(
        time=tuple(float(t) for t in offsets),
        channels=channels,
        is_indoor=indoor,
        sample_interval=1.0 if step == 1.0 else None,
    )


def activity_from_peloton(
    workout: Mapping[str, Any], graph: Mapping[str, Any], athlete: AthleteProfile
) -> Activity | None:
    """The activity for one completed workout (``None`` for a discipline that isn't
    training); :class:`InputError` naming the workout and field when the data is wrong."""
    workout_id = str(workout.get("id") or "")
    where = f"peloton workout {workout_id or '?'}"
    if not workout_id:
        raise InputError(where, "id is missing")
    sport = sport_of(workout)
    if sport is None:
        return None
    start, seconds = _times(workout)
    indoor = not bool(workout.get("is_outdoor"))
    ride = workout.get("ride") if isinstance(workout.get("ride"), dict) else {}
    name = str((ride or {}).get("title") or workout.get("name") or "Peloton")
    streams = to_streams(graph, indoor=indoor, where=where) if graph else None
    ids = {SOURCE: workout_id}
    if streams is None:
        return Activity(
            activity_id=activity_id_of(workout_id),
            athlete_id=athlete.athlete_id,
            activity_type=sport,
            start=start,
            activity_subtype="Indoor" if indoor else "",
            name=name,
            source=SOURCE,
            moving_time_seconds=seconds,
            elapsed_time_seconds=seconds,
            source_ids=ids,
        )
    activity = build_activity(
        streams,
        athlete,
        activity_id=activity_id_of(workout_id),
        activity_type=sport,
        start=start,
        name=name,
        source=SOURCE,
        subtype="Indoor" if indoor else "",
    )
    import dataclasses

    return dataclasses.replace(activity, source_ids=ids)


def completed(workouts: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Only finished workouts (Peloton lists one in progress as ``IN_PROGRESS``)."""
    return [w for w in workouts if str(w.get("status") or "COMPLETE").upper() == "COMPLETE"]
