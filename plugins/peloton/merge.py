"""One session, one activity: a Peloton workout that another source (Strava, a watch)
also recorded is merged into that source's activity, never stored twice.

Two records are the same session when they overlap by at least half of the shorter one.
The merged activity keeps the other source's id, name and sport; its streams come from
:func:`momentum.merge_streams`, with Peloton first for what the machine measures (speed,
incline, output, cadence) and the other source first for heart rate (a chest strap or
watch), and ``source_ranges`` saying which source supplied each field where. Its
``source_ids`` carry both ids, which is how a later poll knows the workout is in.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from momentum import (
    Activity,
    AthleteProfile,
    SourceStreams,
    Storage,
    Streams,
    build_activity,
    merge_streams,
)
from momentum.plugins.peloton.records import SOURCE

OVERLAP = 0.5
MACHINE_FIRST = ("speed", "grade", "power", "cadence")


def span(activity: Activity) -> tuple[dt.datetime, dt.datetime]:
    """When the activity started and ended."""
    seconds = activity.elapsed_time_seconds or activity.moving_time_seconds
    return activity.start, activity.start + dt.timedelta(seconds=seconds)


def same_session(a: Activity, b: Activity) -> bool:
    """Whether two records overlap by at least half of the shorter one."""
    (a0, a1), (b0, b1) = span(a), span(b)
    shared = (min(a1, b1) - max(a0, b0)).total_seconds()
    shorter = min((a1 - a0).total_seconds(), (b1 - b0).total_seconds())
    return shorter > 0 and shared >= OVERLAP * shorter


def other_source_copy(candidates: Sequence[Activity], workout: Activity) -> Activity | None:
    """Another source's record of the same session, if one is stored."""
    return next(
        (
            a
            for a in candidates
            if a.source != SOURCE and SOURCE not in a.source_ids and same_session(a, workout)
        ),
        None,
    )


def merged(
    storage: Storage, athlete: AthleteProfile, other: Activity, peloton: Activity
) -> tuple[Activity, Streams | None]:
    """``other`` with Peloton's workout merged in (its id, name and sport kept)."""
    mine = peloton.streams
    theirs = storage.get_streams(other.athlete_id, other.activity_id) or other.streams
    ids = {**other.source_ids, SOURCE: peloton.source_ids[SOURCE]}
    if mine is None:
        return dataclasses.replace(other, source_ids=ids), None
    start = min(other.start, peloton.start)
    parts = [SourceStreams(SOURCE, mine, (peloton.start - start).total_seconds())]
    priority = {name: [SOURCE] for name in MACHINE_FIRST}
    if theirs is not None:
        parts.append(SourceStreams(other.source, theirs, (other.start - start).total_seconds()))
        priority["heart_rate"] = [other.source]
    streams = merge_streams(parts, priority=priority)
    rebuilt = build_activity(
        streams,
        athlete,
        activity_id=other.activity_id,
        activity_type=other.activity_type,
        start=start,
        name=other.name or peloton.name,
        source=other.source,
        subtype=other.activity_subtype or peloton.activity_subtype,
    )
    return dataclasses.replace(rebuilt, source_ids=ids, notes=other.notes), streams
