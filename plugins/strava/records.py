"""From Strava's activity and streams to Momentum's :class:`~momentum.core.model.Activity`.

Strava streams map onto :data:`momentum.core.model.STREAM_CHANNELS`: ``velocity_smooth`` → speed,
``heartrate`` → heart_rate, ``watts`` → power, ``grade_smooth`` → grade (percent),
``latlng`` → lat and lng. Strava reports a run's cadence per leg (e.g. 85); Momentum
stores steps per minute, so foot sports are doubled (170). Everything computed (zones,
GAP, EF, splits) comes from :func:`momentum.plugins.running.analytics.record.build_activity`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from momentum.core.errors import InputError
from momentum.core.model import Activity, AthleteProfile, Streams

SOURCE = "strava"
FOOT_SPORTS = {"Run", "TrailRun", "VirtualRun", "Walk", "Hike"}
INDOOR_SPORTS = {"VirtualRun", "VirtualRide"}
_DIRECT = {
    "distance": "distance",
    "velocity_smooth": "speed",
    "heartrate": "heart_rate",
    "watts": "power",
    "grade_smooth": "grade",
    "altitude": "altitude",
}


def _root(value: Any) -> str:
    """stravalib wraps enums as pydantic RootModels; the plain string is ``.root``."""
    return str(getattr(value, "root", value) or "")


def sport_of(summary: Any) -> str:
    """``Run``, ``TrailRun``, ``WeightTraining`` …: the specific sport type, else the type."""
    return _root(getattr(summary, "sport_type", None)) or _root(getattr(summary, "type", None))


def is_indoor(summary: Any) -> bool:
    """Treadmill or trainer (``trainer`` flag) or a virtual sport."""
    return bool(getattr(summary, "trainer", False)) or sport_of(summary) in INDOOR_SPORTS


def _numbers(values: Sequence[Any], scale: float = 1.0) -> tuple[float | None, ...]:
    return tuple(None if v is None else float(v) * scale for v in values)


def to_streams(raw: dict[str, list[Any]], sport: str, *, indoor: bool) -> Streams | None:
    """Momentum streams from Strava's, or ``None`` when there is no time stream (a
    manual entry). Channels whose length differs from ``time`` are rejected."""
    time = raw.get("time") or []
    if not time:
        return None
    channels: dict[str, tuple[float | None, ...]] = {}
    for strava_key, ours in _DIRECT.items():
        if raw.get(strava_key):
            channels[ours] = _numbers(raw[strava_key])
    if raw.get("cadence"):
        channels["cadence"] = _numbers(raw["cadence"], 2.0 if sport in FOOT_SPORTS else 1.0)
    if raw.get("latlng"):
        points = raw["latlng"]
        channels["lat"] = tuple(None if p is None else float(p[0]) for p in points)
        channels["lng"] = tuple(None if p is None else float(p[1]) for p in points)
    for name, values in channels.items():
        if len(values) != len(time):
            raise InputError(
                "strava streams", f"{name} has {len(values)} samples, time has {len(time)}"
            )
    steps = {b - a for a, b in itertools.pairwise(time)}
    return Streams(
        time=tuple(float(t) for t in time),
        channels=channels,
        is_indoor=indoor,
        sample_interval=1.0 if steps <= {1} else None,
    )


def activity_from_strava(
    summary: Any, raw_streams: dict[str, list[Any]], athlete: AthleteProfile
) -> Activity:
    """The activity record for a Strava activity (summary or detailed) and its streams."""
    from momentum.plugins.running.analytics.record import build_activity

    activity_id = str(summary.id)
    sport = sport_of(summary) or "Workout"
    indoor = is_indoor(summary)
    start = summary.start_date
    if not isinstance(start, dt.datetime):
        raise InputError(f"strava activity {activity_id}", "start_date is missing")
    streams = to_streams(raw_streams, sport, indoor=indoor)
    name = str(summary.name or "")
    subtype = "Indoor" if indoor else ""
    if streams is None:
        activity = Activity(
            activity_id=activity_id,
            athlete_id=athlete.athlete_id,
            activity_type=sport,
            start=start.astimezone(dt.UTC),
            activity_subtype=subtype,
            name=name,
            source=SOURCE,
            distance_meters=float(summary.distance or 0.0),
            moving_time_seconds=float(summary.moving_time or 0),
            elapsed_time_seconds=float(summary.elapsed_time or summary.moving_time or 0),
            avg_hr=_maybe(getattr(summary, "average_heartrate", None)),
            max_hr=_maybe(getattr(summary, "max_heartrate", None)),
            elevation_gain_meters=float(getattr(summary, "total_elevation_gain", 0) or 0),
        )
    else:
        activity = build_activity(
            streams,
            athlete,
            activity_id=activity_id,
            activity_type=sport,
            start=start.astimezone(dt.UTC),
            name=name,
            source=SOURCE,
            subtype=subtype,
        )
    return dataclasses.replace(activity, source_ids={**activity.source_ids, SOURCE: activity_id})


def _maybe(value: Any) -> float | None:
    return None if value is None else float(value)
