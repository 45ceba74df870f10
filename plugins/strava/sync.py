"""The deferred half of Strava's webhook: create, update, delete, deauthorise.

Strava does not sign its events: anyone who guesses the subscription id can POST one. So
no handler acts on the event's word. A create or update reads the activity from the API
(never the event's ``updates``); a delete acts only when the API, asked with the owner's
token, says the activity is gone (404); a deauthorisation only when Strava refuses the
athlete's tokens (401, or the refresh token is refused). Even a confirmed delete is soft:
the activity is marked deleted (hidden from lists and the coach) and purged after
:data:`DELETE_GRACE`, and a later create or update event that finds it on Strava restores it.

Each handler has the ``(app, job)`` signature of ``App.deferred_handlers`` and is
idempotent: a create upserts the record and the coach's review is never paid for twice;
an update rewrites fields; a delete or deauthorisation of something already gone is a
no-op.

A create that finds Strava's rate limit used up is not lost: it schedules itself again
for when the window resets (:meth:`~momentum.core.ports.scheduler.Scheduler.defer_at`, with an
``attempt`` counter in the payload, at most ``MAX_RATE_LIMIT_RETRIES`` times) and keeps
the webhook's claim meanwhile, so a redelivery of the event while the retry waits is a
duplicate. Past the cap (or if the retry can't be scheduled) the claim is released and
the error raised, and ``momentum strava backfill`` catches the activity up.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from momentum.core.app import App
from momentum.core.errors import NotFoundError
from momentum.core.model import Activity, AthleteProfile
from momentum.core.ports.scheduler import DeferredJob
from momentum.plugins.strava.api import StravaApi, fault_status
from momentum.plugins.strava.ratelimit import RateLimited
from momentum.plugins.strava.records import SOURCE, activity_from_strava, sport_of
from momentum.plugins.strava.settings import strava_settings
from momentum.plugins.strava.source import CREATE_CLAIM_TTL
from momentum.plugins.strava.tokens import (
    PROVIDER,
    NotConnected,
    RefreshRefused,
    TokenKeeper,
    stravalib_refresher,
)

log = logging.getLogger("momentum.strava")

KIND_CREATE = "strava.activity_create"
KIND_UPDATE = "strava.activity_update"
KIND_DELETE = "strava.activity_delete"
KIND_DEAUTHORIZE = "strava.deauthorize"
KIND_PURGE = "strava.activity_purge"

DELETE_GRACE = dt.timedelta(days=7)
"""How long a deleted activity stays recoverable before it is purged."""

MAX_RATE_LIMIT_RETRIES = 8
"""Times a create is rescheduled before giving up: each retry waits for the window that
stopped it, so two hours of 15-minute limits or eight days of daily ones; a backlog that
outlasts that is the backfill's job."""
RETRY_MARGIN = dt.timedelta(seconds=30)
"""Added to Strava's reset time: its windows reset on the quarter hour, and clocks differ."""

_KEEPERS: dict[int, tuple[Any, TokenKeeper]] = {}
_KEEPERS_LOCK = threading.Lock()


def keeper_for(app: App) -> TokenKeeper:
    """The app's token keeper (one per storage, so its in-process lock means something)."""
    with _KEEPERS_LOCK:
        found = _KEEPERS.get(id(app.storage))
        if found is None or found[0] is not app.storage:
            keeper = TokenKeeper(
                app.storage, app.clock, stravalib_refresher(strava_settings(app.settings))
            )
            found = (app.storage, keeper)
            _KEEPERS[id(app.storage)] = found
        return found[1]


def api_for(
    app: App,
    athlete_id: str,
    *,
    max_wait: float = 60.0,
    on_wait: Callable[[float, str], None] | None = None,
) -> StravaApi:
    """A Strava client for one athlete, with a fresh access token."""
    token = keeper_for(app).valid_token(athlete_id)
    return StravaApi(
        strava_settings(app.settings),
        token.access_token,
        max_wait=max_wait,
        on_wait=on_wait,
        now=app.clock.now,
    )


def import_activity(
    app: App, athlete: AthleteProfile, api: StravaApi, strava_id: int, summary: Any = None
) -> Activity:
    """Fetch (unless ``summary`` is given) one activity and its streams, build the record
    and store it: streams first, so a stored activity always has its streams. Other
    sources' copies of the session are folded in (``momentum_activity_stored``); the
    stored record is returned."""
    detail = summary if summary is not None else api.activity(strava_id)
    raw = {} if getattr(detail, "manual", False) else api.streams(strava_id)
    activity = activity_from_strava(detail, raw, athlete)
    if activity.streams is not None:
        app.storage.put_streams(athlete.athlete_id, activity.activity_id, activity.streams)
    app.storage.put_activity(activity)
    app.plugins.activity_stored(app, activity)  # another source may fold its copy in
    return app.storage.get_activity(athlete.athlete_id, activity.activity_id) or activity


def require_athlete(app: App, athlete_id: str) -> AthleteProfile:
    """The stored athlete, or NotFoundError."""
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"athlete {athlete_id} no longer exists")
    return athlete


def on_create(app: App, job: DeferredJob) -> None:
    """A new activity: fetch, build, store, then the coach reviews it (by DM).

    Rate-limited, it runs again once the window has reset (see the module docstring).
    """
    p = job.payload
    athlete_id, strava_id = str(p["athlete_id"]), int(p["activity_id"])
    try:
        athlete = require_athlete(app, athlete_id)
        api = api_for(app, athlete_id)
        try:
            activity = import_activity(app, athlete, api, strava_id)
        except NotFoundError:
            log.info("Strava activity %s is gone (deleted or private); nothing to do", strava_id)
            return
        app.coach.on_activity(athlete_id, activity.activity_id)
    except RateLimited as exc:
        if retry_later(app, job, exc):
            return
        _release(app, job)
        raise
    except Exception:
        _release(app, job)  # let a redelivery (or a backfill) process it again
        raise


def retry_later(app: App, job: DeferredJob, exc: RateLimited) -> bool:
    """Schedule ``job`` again for when Strava's window resets, keeping its claim; False
    (logged) when its retries are used up or the retry could not be scheduled."""
    p = job.payload
    strava_id = p.get("activity_id")
    attempt = _attempt(p) + 1
    if attempt > MAX_RATE_LIMIT_RETRIES:
        log.error(
            "Strava activity %s still rate-limited after %d retries (%s); giving up: "
            "`momentum strava backfill --weeks 1` catches it up",
            strava_id,
            MAX_RATE_LIMIT_RETRIES,
            exc,
        )
        return False
    now = app.clock.now()
    at = now + dt.timedelta(seconds=max(exc.retry_after, 0.0)) + RETRY_MARGIN
    again = DeferredJob(job.kind, {**p, "attempt": attempt}, job.key)
    try:
        app.scheduler.defer_at(again, at)
    except Exception:
        log.exception("Strava activity %s: could not schedule the rate-limit retry", strava_id)
        return False
    if p.get("claim_key"):
        # Hold the webhook's claim past the retry, so a redelivery stays a duplicate.
        app.storage.extend_claim(str(p["claim_key"]), now, CREATE_CLAIM_TTL)
    log.warning(
        "Strava activity %s not fetched: %s; retry %d of %d at %s",
        strava_id,
        exc,
        attempt,
        MAX_RATE_LIMIT_RETRIES,
        at.isoformat(timespec="seconds"),
    )
    return True


def _attempt(payload: dict[str, Any]) -> int:
    """Retries so far (``attempt`` in the payload; 0 for the webhook's first run)."""
    try:
        return max(0, int(payload.get("attempt", 0)))
    except (TypeError, ValueError):
        return 0


def _release(app: App, job: DeferredJob) -> None:
    if job.payload.get("claim_key"):
        app.storage.release(str(job.payload["claim_key"]))


def on_update(app: App, job: DeferredJob) -> None:
    """Take the title and sport type from Strava's API (the event's ``updates`` are only a
    hint anyone could forge) and apply them to the stored activity. No new review. A
    soft-deleted activity that Strava still has is restored."""
    p = job.payload
    athlete_id, activity_id = str(p["athlete_id"]), str(p["activity_id"])
    activity = app.storage.get_activity(athlete_id, activity_id)
    if activity is None:
        log.info("update for Strava activity %s we don't have; ignored", activity_id)
        return
    try:
        detail = api_for(app, athlete_id).activity(int(activity_id))
    except NotFoundError:
        log.info("update for Strava activity %s, which Strava no longer has; ignored", activity_id)
        return
    name = str(getattr(detail, "name", None) or activity.name)
    sport = sport_of(detail) or activity.activity_type
    if sport != activity.activity_type:
        activity = _retyped(app, activity, sport, name)
    else:
        activity = dataclasses.replace(activity, name=name)
    if activity.is_deleted:
        log.info("Strava activity %s is on Strava again: restored", activity_id)
    app.storage.put_activity(dataclasses.replace(activity, deleted_at=None))


def _retyped(app: App, activity: Activity, sport: str, name: str) -> Activity:
    """Rebuild from the stored streams: GAP and splits depend on the sport."""
    from momentum.plugins.running.analytics.record import build_activity

    streams = app.storage.get_streams(activity.athlete_id, activity.activity_id)
    athlete = app.storage.get_athlete(activity.athlete_id)
    if streams is None or athlete is None:
        return dataclasses.replace(activity, activity_type=sport, name=name)
    rebuilt = build_activity(
        streams,
        athlete,
        activity_id=activity.activity_id,
        activity_type=sport,
        start=activity.start,
        name=name,
        source=activity.source,
        subtype=activity.activity_subtype,
    )
    return dataclasses.replace(rebuilt, source_ids=activity.source_ids, notes=activity.notes)


def on_delete(app: App, job: DeferredJob) -> None:
    """The athlete deleted the activity on Strava. Once Strava's API confirms it (the
    owner's token gets 404), mark it deleted here and schedule the purge for
    :data:`DELETE_GRACE` later; an activity Strava still has is kept (a forged event)."""
    p = job.payload
    athlete_id, activity_id = str(p["athlete_id"]), str(p["activity_id"])
    activity = app.storage.get_activity(athlete_id, activity_id)
    if activity is None or activity.is_deleted:
        return
    try:
        api_for(app, athlete_id).activity(int(activity_id))
    except NotFoundError:
        pass  # confirmed: Strava has no such activity for its owner any more
    else:
        log.warning(
            "refused a Strava delete event for activity %s: Strava still has it "
            "(a forged or stale event); kept",
            activity_id,
        )
        return
    now = app.clock.now()
    app.storage.put_activity(dataclasses.replace(activity, deleted_at=now))
    purge = DeferredJob(KIND_PURGE, {"athlete_id": athlete_id, "activity_id": activity_id})
    app.scheduler.defer_at(purge, now + DELETE_GRACE)
    log.info(
        "Strava activity %s deleted; recoverable until %s",
        activity_id,
        (now + DELETE_GRACE).isoformat(timespec="minutes"),
    )


def on_purge(app: App, job: DeferredJob) -> None:
    """Delete for good an activity whose grace period is over (unless it was restored)."""
    p = job.payload
    athlete_id, activity_id = str(p["athlete_id"]), str(p["activity_id"])
    activity = app.storage.get_activity(athlete_id, activity_id)
    if activity is None or activity.deleted_at is None:
        return
    if activity.deleted_at + DELETE_GRACE > app.clock.now():
        return  # deleted again later: that delete's own purge is scheduled
    app.storage.delete_activity(athlete_id, activity_id)


def access_revoked(app: App, athlete_id: str) -> bool:
    """True when Strava really refuses the athlete's tokens: the API answers 401, or the
    refresh token is refused (or there is no token left). Other failures are raised."""
    from stravalib import exc

    try:
        api = api_for(app, athlete_id)
    except (RefreshRefused, NotConnected):
        return True
    try:
        api.athlete()
    except exc.Fault as error:
        if fault_status(error) == 401:
            return True
        raise
    return False


def on_deauthorize(app: App, job: DeferredJob) -> None:
    """The athlete revoked access: once Strava confirms it (the tokens are refused),
    delete every activity that came from Strava and the tokens (Strava's API agreement
    requires it). A deauthorisation Strava does not confirm is a forged event: ignored."""
    athlete_id = str(job.payload["athlete_id"])
    if not access_revoked(app, athlete_id):
        log.warning(
            "refused a Strava deauthorisation event for athlete %s: Strava still accepts "
            "the token (a forged event); nothing deleted",
            athlete_id,
        )
        return
    deleted = delete_strava_data(app, athlete_id)
    log.info(
        "Strava access revoked by %s: deleted %d activities and the token", athlete_id, deleted
    )


def delete_strava_data(app: App, athlete_id: str) -> int:
    """Delete an athlete's Strava activities (with streams) and tokens; returns how many."""
    start = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    end = app.clock.now() + dt.timedelta(days=366)
    deleted = 0
    for activity in app.storage.list_activities(athlete_id, start, end):
        if activity.source == SOURCE:
            deleted += app.storage.delete_activity(athlete_id, activity.activity_id)
    app.storage.delete_token(athlete_id, PROVIDER)
    return deleted


HANDLERS: dict[str, Callable[[App, DeferredJob], None]] = {
    KIND_CREATE: on_create,
    KIND_UPDATE: on_update,
    KIND_DELETE: on_delete,
    KIND_DEAUTHORIZE: on_deauthorize,
    KIND_PURGE: on_purge,
}
"""Registered through the ``momentum_deferred_handlers`` hook."""
