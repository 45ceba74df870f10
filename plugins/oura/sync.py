"""Fetching Oura's data for a range of days and keeping it: daily numbers and workouts.

A range is read collection by collection (``next_token`` pages), every document checked
before anything is stored, then written day by day (a write replaces that day), so a
re-fetch changes nothing. Workouts become activities (``source="oura"``) unless another
source already has an activity overlapping it (a watch or Strava recorded the same
session): then that activity only gains Oura's id in ``source_ids``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from momentum import Activity, App, InputError, NotFoundError
from momentum.plugins.oura.api import with_token
from momentum.plugins.oura.client import OuraClient
from momentum.plugins.oura.days import KINDS, aware_datetime, parse, store

log = logging.getLogger("momentum.oura")

SOURCE = "oura"
SPORTS = {
    "running": "Run",
    "trail_running": "TrailRun",
    "treadmill_running": "Run",
    "walking": "Walk",
    "hiking": "Hike",
    "cycling": "Ride",
    "indoor_cycling": "Ride",
    "swimming": "Swim",
    "rowing": "Rowing",
    "strength_training": "WeightTraining",
    "weight_training": "WeightTraining",
    "yoga": "Yoga",
}
"""Oura's workout ``activity`` names mapped onto the sport types the coach knows."""
OVERLAP = 0.5
"""Two sessions are the same when they share at least half of the shorter one."""
Progress = Callable[[str, int], None]


def _datetime(value: Any, where: str, name: str) -> dt.datetime:
    return aware_datetime(value, where, name).astimezone(dt.UTC)


def workout_activity(doc: Mapping[str, Any], athlete_id: str) -> Activity:
    """The activity record for an Oura workout (no streams: Oura gives a summary)."""
    where = f"oura workout {doc.get('id', '?')}"
    workout_id = str(doc.get("id") or "")
    if not workout_id:
        raise InputError(where, "id is missing")
    start = _datetime(doc.get("start_datetime"), where, "start_datetime")
    end = _datetime(doc.get("end_datetime"), where, "end_datetime")
    if end <= start:
        raise InputError(where, "end_datetime is not after start_datetime")
    sport = str(doc.get("activity") or "workout")
    distance = doc.get("distance")
    seconds = (end - start).total_seconds()
    return Activity(
        activity_id=f"oura-{workout_id}",
        athlete_id=athlete_id,
        activity_type=SPORTS.get(sport, sport.replace("_", " ").title().replace(" ", "")),
        start=start,
        name=str(doc.get("label") or sport.replace("_", " ").capitalize()),
        source=SOURCE,
        distance_meters=float(distance) if isinstance(distance, int | float) else 0.0,
        moving_time_seconds=seconds,
        elapsed_time_seconds=seconds,
        intensity={"easy": "easy", "moderate": "moderate", "hard": "hard"}.get(
            str(doc.get("intensity") or ""), ""
        ),
        source_ids={SOURCE: workout_id},
    )


def _span(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    seconds = activity.elapsed_time_seconds or activity.moving_time_seconds
    return activity.start, activity.start + dt.timedelta(seconds=seconds)


def same_session(a: Activity, b: Activity) -> bool:
    """Whether two records overlap by at least half of the shorter one."""
    (a0, a1), (b0, b1) = _span(a), _span(b)
    shared = (min(a1, b1) - max(a0, b0)).total_seconds()
    shorter = min((a1 - a0).total_seconds(), (b1 - b0).total_seconds())
    return shorter > 0 and shared >= OVERLAP * shorter


def store_workouts(app: App, athlete_id: str, workouts: Iterable[Activity]) -> int:
    """Keep Oura's workouts; returns how many records changed."""
    changed = 0
    for workout in workouts:
        start, end = _span(workout)
        near = app.storage.list_activities(
            athlete_id, start - dt.timedelta(hours=6), end + dt.timedelta(hours=1)
        )
        other = next((a for a in near if a.source != SOURCE and same_session(a, workout)), None)
        if other is not None:
            if other.source_ids.get(SOURCE) != workout.source_ids[SOURCE]:
                ids = {**other.source_ids, SOURCE: workout.source_ids[SOURCE]}
                app.storage.put_activity(dataclasses.replace(other, source_ids=ids))
                changed += 1
            stale = app.storage.get_activity(athlete_id, workout.activity_id)
            if stale is not None:  # stored before the other source's copy arrived
                changed += app.storage.delete_activity(athlete_id, workout.activity_id)
            continue
        if app.storage.get_activity(athlete_id, workout.activity_id) == workout:
            continue
        app.storage.put_activity(workout)
        changed += 1
    return changed


def _reader(kind: str, params: dict[str, str]) -> Callable[[OuraClient, str], list[dict[str, Any]]]:
    def read(client: OuraClient, token: str) -> list[dict[str, Any]]:
        return client.collection(token, kind, params)

    return read


def fetch_range(
    app: App,
    athlete_id: str,
    start: dt.date,
    end: dt.date,
    *,
    kinds: Iterable[str] = KINDS,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Fetch ``kinds`` for ``start``..``end`` (inclusive) and keep them; returns the
    records changed per kind."""
    if app.storage.get_athlete(athlete_id) is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    params = {"start_date": start.isoformat(), "end_date": (end + dt.timedelta(days=1)).isoformat()}
    changed: dict[str, int] = {}
    for kind in kinds:
        documents = with_token(app, athlete_id, _reader(kind, params))
        if kind == "workout":
            workouts = [workout_activity(d, athlete_id) for d in documents]
            changed[kind] = store_workouts(app, athlete_id, workouts)
        else:
            days = [d for d in parse(kind, documents) if start <= d.day <= end]
            changed[kind] = store(app.storage, athlete_id, days)
        if progress is not None:
            progress(kind, len(documents))
    return changed
