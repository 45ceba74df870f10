"""One session, one activity: a Peloton workout that another source (Strava, a watch)
also recorded is merged into that source's activity, never stored twice.

Two records are the same session when they overlap by at least half of the shorter one.
The merged activity keeps the other source's id, name and sport; its streams come from
:func:`momentum.merge_streams`, with Peloton first for what the machine measures (speed,
incline, output, cadence) and the other source first for heart rate (a chest strap or
watch), and ``source_ranges`` saying which source supplied each field where. Its
``source_ids`` carry both ids, which is how a later poll knows the workout is in.

Either order ends the same: a poll merges a new workout into the other source's stored
copy, and :func:`fold_into` folds a stored Peloton record into the other source's copy as
soon as that source stores it (the ``momentum_activity_stored`` hook), carrying the
coach's review over, so the session is reviewed once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from momentum import (
    Activity,
    App,
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
BEFORE, AFTER = dt.timedelta(hours=6), dt.timedelta(hours=1)
"""How far around a session's start to look for another record of it."""


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


def near(app: App, activity: Activity) -> list[Activity]:
    """The athlete's stored activities starting around ``activity`` (one read)."""
    start, end = span(activity)
    return app.storage.list_activities(activity.athlete_id, start - BEFORE, end + AFTER)


def fold_into(app: App, other: Activity, candidates: Sequence[Activity] | None = None) -> str:
    """Fold the stored Peloton-only record of ``other``'s session into ``other`` (another
    source's record, stored): the merged record is stored under ``other``'s id, the
    Peloton record deleted, and its review carried over. Returns the folded record's id
    ("" when there was none)."""
    if other.source == SOURCE or SOURCE in other.source_ids:
        return ""
    stored = near(app, other) if candidates is None else candidates
    mine = next(
        (a for a in stored if a.source == SOURCE and not a.is_deleted and same_session(a, other)),
        None,
    )
    athlete = app.storage.get_athlete(other.athlete_id) if mine is not None else None
    if mine is None or athlete is None:
        return ""
    streams = app.storage.get_streams(mine.athlete_id, mine.activity_id) or mine.streams
    record, merged_streams = merged(
        app.storage, athlete, other, dataclasses.replace(mine, streams=streams)
    )
    if merged_streams is not None:
        app.storage.put_streams(record.athlete_id, record.activity_id, merged_streams)
    app.storage.put_activity(record)
    carry_review(app, mine, record)
    app.storage.delete_activity(mine.athlete_id, mine.activity_id)
    return mine.activity_id


def carry_review(app: App, old: Activity, new: Activity) -> None:
    """If the coach already reviewed ``old`` (``review:<id>``, delivered), the session
    is reviewed: keep that review under ``new``'s id, so it is not sent twice."""
    review = app.storage.get_message(old.athlete_id, f"review:{old.activity_id}")
    if review is not None and review.ref:
        app.storage.put_message_if_absent(
            dataclasses.replace(review, message_id=f"review:{new.activity_id}")
        )


def drop_folded(app: App, candidates: Sequence[Activity]) -> list[str]:
    """Delete Peloton-only records whose workout another record already carries (a fold
    interrupted between its write and its delete); returns their ids."""
    carried = {
        a.source_ids[SOURCE] for a in candidates if a.source != SOURCE and SOURCE in a.source_ids
    }
    dropped = []
    for mine in candidates:
        if mine.source == SOURCE and mine.source_ids.get(SOURCE) in carried:
            app.storage.delete_activity(mine.athlete_id, mine.activity_id)
            dropped.append(mine.activity_id)
    return dropped
