"""Polling Peloton (it has no webhooks): the plugin's own recurring jobs, and backfill.

Each poll reads the member's workouts newest first back to ``poll_days`` ago. A workout
already in (its id in some activity's ``source_ids``) is skipped, so a re-poll changes
nothing. A new one is read with its performance graph, and stored, or merged into another
source's record of the same session (:mod:`momentum.plugins.peloton.merge`). A sweep then
folds any Peloton-only activity into a copy another source stored after it (Strava often
syncs after Peloton), so the athlete keeps one activity per session.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from momentum import (
    Activity,
    App,
    AthleteProfile,
    ConnectAgain,
    MomentumError,
    NotFoundError,
    OAuthToken,
)
from momentum.plugins.peloton.client import PelotonClient, Unauthorized, client_for
from momentum.plugins.peloton.connection import mark_refused
from momentum.plugins.peloton.merge import drop_folded, fold_into, merged, near, other_source_copy
from momentum.plugins.peloton.records import SOURCE, activity_from_peloton, completed, sport_of
from momentum.plugins.peloton.settings import peloton_settings
from momentum.plugins.peloton.tokens import PROVIDER, keeper_for

log = logging.getLogger("momentum.peloton")

REVIEW_WITHIN = dt.timedelta(hours=24)
"""A new workout younger than this gets the coach's review; older ones arrive silently."""


@dataclass
class PollResult:
    """What one poll did (ids of activities)."""

    added: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)
    skipped: int = 0


def _recent(app: App, athlete_id: str, since: dt.datetime) -> list[Activity]:
    return app.storage.list_activities(
        athlete_id, since - dt.timedelta(days=1), app.clock.now() + dt.timedelta(days=1)
    )


def poll(
    app: App,
    athlete_id: str,
    *,
    days: int | None = None,
    review: bool = True,
    progress: Callable[[int], None] | None = None,
) -> PollResult:
    """Import the workouts of the last ``days`` (default ``poll_days``)."""
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    settings = peloton_settings(app.settings)
    since = app.clock.now() - dt.timedelta(days=days or settings.poll_days)
    result = PollResult()
    with client_for(app) as client:
        keeper = keeper_for(app, client, athlete_id)
        token = keeper.valid_token(athlete_id)
        try:
            _read(app, client, token, athlete, since, result, progress)
        except Unauthorized:  # revoked or expired early: refresh once, read again
            token = keeper.valid_token(athlete_id, force=True)
            _read(app, client, token, athlete, since, result, progress)
    _sweep(app, athlete_id, since, result)
    if review:
        _review(app, athlete_id, result)
    return result


def _read(
    app: App,
    client: PelotonClient,
    token: OAuthToken,
    athlete: AthleteProfile,
    since: dt.datetime,
    result: PollResult,
    progress: Callable[[int], None] | None,
) -> None:
    """Import the workouts since ``since`` that are not in yet (so a second pass after a
    refreshed token only does what the first did not)."""
    settings = peloton_settings(app.settings)
    known = {a.source_ids.get(SOURCE) for a in _recent(app, athlete.athlete_id, since)}
    for workout in client.workouts(token.access_token, token.provider_athlete_id):
        started = workout.get("start_time")
        if isinstance(started, int | float) and started < since.timestamp():
            break
        if progress is not None:
            progress(1)
        workout_id = str(workout.get("id") or "")
        if not completed([workout]) or sport_of(workout) is None or workout_id in known:
            result.skipped += 1
            continue
        graph = client.performance_graph(token.access_token, workout_id, settings.every_n)
        activity = activity_from_peloton(workout, graph, athlete)
        if activity is None:
            continue
        _store(app, athlete, activity, result)
        known.add(workout_id)


def _store(app: App, athlete: AthleteProfile, activity: Activity, result: PollResult) -> None:
    other = other_source_copy(near(app, activity), activity)
    if other is None:
        if activity.streams is not None:
            app.storage.put_streams(activity.athlete_id, activity.activity_id, activity.streams)
        app.storage.put_activity(activity)
        result.added.append(activity.activity_id)
        return
    record, streams = merged(app.storage, athlete, other, activity)
    if streams is not None:
        app.storage.put_streams(record.athlete_id, record.activity_id, streams)
    app.storage.put_activity(record)
    result.merged.append(record.activity_id)


def _sweep(app: App, athlete_id: str, since: dt.datetime, result: PollResult) -> None:
    """Fold Peloton-only activities into a copy another source stored later (when that
    source's own store did not: an older deployment, or a failed hook), and drop any a
    fold left behind."""
    recent = _recent(app, athlete_id, since)
    for dropped in drop_folded(app, recent):
        recent = [a for a in recent if a.activity_id != dropped]
    for other in [a for a in recent if a.source != SOURCE and SOURCE not in a.source_ids]:
        folded = fold_into(app, other, recent)
        if not folded:
            continue
        recent = [a for a in recent if a.activity_id != folded]
        result.merged.append(other.activity_id)
        if folded in result.added:
            result.added.remove(folded)


def _review(app: App, athlete_id: str, result: PollResult) -> None:
    for activity_id in result.added:
        activity = app.storage.get_activity(athlete_id, activity_id)
        if activity is None or app.clock.now() - activity.start > REVIEW_WITHIN:
            continue
        try:
            app.coach.on_activity(athlete_id, activity_id)
        except Exception:  # the workout is stored; a failed review must not lose it
            log.exception("review of Peloton activity %s failed", activity_id)


def poll_job(app: App, athlete_id: str, local_date: dt.date) -> None:
    """The recurring job: poll for an athlete who connected Peloton (others: no-op)."""
    if app.storage.get_token(athlete_id, PROVIDER) is None:
        return
    try:
        result = poll(app, athlete_id)
    except ConnectAgain:
        # Revoked or expired for good: stop polling this athlete (the tick's ``applies``
        # reads the mark) instead of failing every poll, and say once how to fix it.
        mark_refused(app.storage, athlete_id, app.clock.now().isoformat(timespec="seconds"))
        raise  # its message names the athlete and says to connect again
    except Unauthorized as exc:
        raise MomentumError(
            f"Peloton refused {athlete_id}'s sign-in: {exc} (run: momentum peloton connect)"
        ) from exc
    log.info(
        "Peloton poll for %s: %d added, %d merged",
        athlete_id,
        len(result.added),
        len(result.merged),
    )
