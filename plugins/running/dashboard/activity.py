"""The Activity page's figures: route, profile over distance, splits, zones, plan.

The record's own fields (built by :func:`momentum.plugins.running.analytics.record.build_activity`)
give the summary, splits and zone times. The profile over distance bins the samples that
:func:`momentum.plugins.running.analytics.prepare.prepare` cleaned, so pace and grade-adjusted pace
use the same moving time and flat-equivalent distance as the record's GAP.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.load import activity_load, local_day
from momentum.plugins.running.analytics.prepare import Prepared, prepare
from momentum.plugins.running.analytics.zones import zone_bounds
from momentum.plugins.running.model.plan import Plan, PlannedSession

ROUTE_POINTS = 400
"""At most this many route vertices (a phone draws them instantly; the shape survives)."""
PROFILE_BINS = 120
MIN_BIN_M = 50.0
EARTH_RADIUS_M = 6_371_000.0


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def route(activity: Activity, points: int = ROUTE_POINTS) -> list[dict[str, float]]:
    """The track as ``x``/``y`` metres east/north of its start (equirectangular, fine at a
    run's scale), thinned to at most ``points`` vertices; ``[]`` without positions."""
    streams = activity.streams
    if streams is None:
        return []
    lat, lng = streams.channel("lat"), streams.channel("lng")
    if lat is None or lng is None:
        return []
    pairs = [(a, b) for a, b in zip(lat, lng, strict=True) if a is not None and b is not None]
    if len(pairs) < 2:
        return []
    lat0, lng0 = pairs[0]
    scale = math.cos(math.radians(lat0))
    step = max(1, math.ceil(len(pairs) / points))
    chosen = pairs[::step]
    if chosen[-1] != pairs[-1]:
        chosen.append(pairs[-1])
    return [
        {
            "order": i,
            "x": round(math.radians(b - lng0) * scale * EARTH_RADIUS_M, 1),
            "y": round(math.radians(a - lat0) * EARTH_RADIUS_M, 1),
        }
        for i, (a, b) in enumerate(chosen)
    ]


def _bins(prep: Prepared, bin_m: float) -> list[list[int]]:
    groups: list[list[int]] = [[]]
    done = 0.0
    for i, inc in enumerate(prep.inc):
        groups[-1].append(i)
        done += inc
        if done >= bin_m * len(groups):
            groups.append([])
    return [g for g in groups if g]


def profile(activity: Activity, bins: int = PROFILE_BINS) -> list[dict[str, Any]]:
    """Pace, grade-adjusted pace (s/km), heart rate and elevation in about ``bins`` equal
    stretches of distance, each at its end's distance in km; ``[]`` without streams."""
    streams = activity.streams
    if streams is None or len(streams.time) < 2:
        return []
    prep = prepare(streams, activity.activity_type)
    total = prep.distance
    if total <= 0:
        return []
    altitude = streams.channel("altitude")
    rows = []
    covered = 0.0
    for group in _bins(prep, max(MIN_BIN_M, total / bins)):
        moving = [i for i in group if prep.moving[i]]
        seconds = sum(prep.dt[i] for i in moving)
        metres = sum(prep.inc[i] for i in moving)
        flat = sum(prep.adj[i] for i in moving)
        covered += sum(prep.inc[i] for i in group)
        beats = [prep.hr[i] for i in moving if prep.hr is not None and prep.hr[i] is not None]
        heights = [altitude[i] for i in group if altitude is not None and altitude[i] is not None]
        rows.append(
            {
                "km": round(covered / 1000.0, 3),
                "pace": round(seconds / metres * 1000.0, 1) if metres > 1 else None,
                "gap": round(seconds / flat * 1000.0, 1) if flat > 1 else None,
                "hr": round(sum(b for b in beats if b is not None) / len(beats), 1)
                if beats
                else None,
                "elevation": round(sum(h for h in heights if h is not None) / len(heights), 1)
                if heights
                else None,
            }
        )
    return rows


def planned_session(
    plan: Plan | None, activity: Activity, athlete: AthleteProfile
) -> PlannedSession | None:
    """The session this activity fulfilled: linked by id, else the run planned that day."""
    if plan is None:
        return None
    day = local_day(activity.start, athlete.timezone)
    week = plan.week_of(day)
    sessions = [s for w in plan.weeks for s in w.sessions if s.activity_id == activity.activity_id]
    if sessions:
        return sessions[0]
    if week is None:
        return None
    same_day = [s for s in week.sessions if s.date == day and s.kind.is_run == activity.is_run]
    return same_day[0] if same_day else None


def comparison(session: PlannedSession | None, activity: Activity) -> dict[str, Any] | None:
    """Planned against done: minutes, and pace against the session's pace range."""
    if session is None:
        return None
    minutes = activity.moving_time_seconds / 60.0
    pace = (
        activity.moving_time_seconds / activity.distance_meters * 1000.0
        if activity.distance_meters > 0
        else None
    )
    within = None
    if session.pace is not None and pace is not None:
        fast, slow = session.pace
        within = fast <= pace <= slow
    return {
        "date": session.date.isoformat(),
        "kind": session.kind.value,
        "title": session.title or session.kind.value,
        "planned_minutes": session.minutes,
        "done_minutes": round(minutes, 1),
        "minutes_percent": round(minutes / session.minutes * 100.0) if session.minutes else None,
        "planned_pace": [round(v, 1) for v in session.pace] if session.pace else None,
        "pace": _r(pace),
        "pace_within_range": within,
        "zone": session.zone,
    }


def activity_page(activity: Activity, athlete: AthleteProfile, plan: Plan | None) -> dict[str, Any]:
    """Everything the Activity page shows for one activity."""
    pace = (
        activity.moving_time_seconds / activity.distance_meters * 1000.0
        if activity.distance_meters > 0
        else None
    )
    bounds = zone_bounds(athlete.heart_rate)
    return {
        "page": "activity",
        "athlete": {"id": athlete.athlete_id, "name": athlete.name},
        "activity": {
            "id": activity.activity_id,
            "name": activity.name or activity.activity_type,
            "type": activity.activity_type,
            "day": local_day(activity.start, athlete.timezone).isoformat(),
            "distance_km": round(activity.distance_meters / 1000.0, 2),
            "moving_minutes": round(activity.moving_time_seconds / 60.0, 1),
            "pace": _r(pace),
            "gap": _r(running_metrics(activity).gap_seconds_per_km),
            "avg_hr": _r(activity.avg_hr),
            "elevation_gain_m": round(activity.elevation_gain_meters),
            "ef": _r(activity.efficiency_factor, 3),
            "decoupling": _r(activity.decoupling_percent),
            "load": round(activity_load(activity, athlete), 1),
        },
        "route": route(activity),
        "profile": profile(activity),
        "splits": [
            {
                "km": s.index,
                "distance_m": round(s.distance_meters),
                "pace": _r(s.pace_seconds_per_km),
                "gap": _r(s.gap_seconds_per_km),
                "hr": _r(s.avg_hr),
                "elevation_gain_m": round(s.elevation_gain_meters, 1),
            }
            for s in activity.splits
        ],
        "zones": [
            {
                "zone": f"Z{k + 1}",
                "low_bpm": round(low),
                "high_bpm": round(high),
                "minutes": round(seconds / 60.0, 1),
            }
            for k, ((low, high), seconds) in enumerate(
                zip(bounds, activity.zone_seconds, strict=True)
            )
        ],
        "plan": comparison(planned_session(plan, activity, athlete), activity),
    }


def activity_list(
    activities: Sequence[Activity], athlete: AthleteProfile, limit: int = 30
) -> list[dict[str, Any]]:
    """The most recent ``limit`` activities, newest first, for the page's picker."""
    recent = sorted(activities, key=lambda a: a.start, reverse=True)[:limit]
    return [
        {
            "id": a.activity_id,
            "day": local_day(a.start, athlete.timezone).isoformat(),
            "name": a.name or a.activity_type,
            "distance_km": round(a.distance_meters / 1000.0, 2),
        }
        for a in recent
    ]
