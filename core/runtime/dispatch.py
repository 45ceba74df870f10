"""The one door: an adapter converts its platform's request into a core event and calls
:func:`dispatch`. Everything that is the same on every platform happens here, once.

================================  =========================================================
event                             what happens
================================  =========================================================
``HttpRequest``                   routed to the Slack/Teams/data-source route, which
                                  verifies and answers within the platform's deadline,
                                  deferring the slow half; malformed input is a 4xx
``ScheduledTick``                 late ticks dropped; due zones fanned out, one deferred
                                  ``momentum.run_job`` per athlete (:mod:`.tick`)
``DeferredDelivery``              deduped on the platform's delivery id, a spilled payload
                                  read back from Blob, the handler run; a failure releases
                                  the claim and raises, so the platform's retry runs it
``RunNow``                        one job for one athlete now, on their local today
``UploadCreated``                 an uploaded file imported from Blob
================================  =========================================================
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from typing import TYPE_CHECKING

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.runtime.events import DeferredDelivery, Outcome, RunNow, UploadCreated

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.runtime")

DELIVERY_CLAIM_TTL = dt.timedelta(hours=7)
"""How long a delivery id is remembered: longer than any platform retries a delivery
(Lambda six hours, Cloud Tasks and Queue Storage less by our settings)."""

Event = HttpRequest | ScheduledTick | DeferredDelivery | RunNow | UploadCreated


def dispatch(
    app: App, event: Event, *, max_tick_delay: dt.timedelta | None = None
) -> HttpResponse | Outcome:
    """Handle one event; HTTP gets an :class:`HttpResponse`, anything else an
    :class:`Outcome`. Input that can never succeed is an ``error`` outcome (logged, not
    retried); a failure that may pass raises so the platform retries. ``max_tick_delay``
    overrides :data:`~momentum.core.runtime.tick.MAX_TICK_DELAY` (a platform whose
    schedules retry for a set time passes that)."""
    if isinstance(event, HttpRequest):
        return handle_http(app, event)
    if isinstance(event, ScheduledTick):
        return handle_tick(app, event, max_tick_delay)
    if isinstance(event, DeferredDelivery):
        return handle_delivery(app, event)
    if isinstance(event, RunNow):
        return handle_run_now(app, event)
    if isinstance(event, UploadCreated):
        return handle_upload(app, event)
    raise TypeError(f"dispatch: not a core event: {type(event).__name__}")


def handle_http(app: App, request: HttpRequest) -> HttpResponse:
    """Route a request; bad input answers 400, an unexpected failure 500 (the sender
    retries)."""
    try:
        return app.handle_http(request)
    except InputError as error:
        return HttpResponse.text(400, str(error))
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        return HttpResponse.text(500, "internal error")


def handle_tick(app: App, tick: ScheduledTick, max_delay: dt.timedelta | None = None) -> Outcome:
    """Fan out the runs due at ``tick.at`` unless the tick is more than ``max_delay`` late.

    Claims are measured from the later of the tick's time and now, so a retry delivered
    late still holds its claims long enough; never earlier than scheduled."""
    from momentum.core.runtime.tick import MAX_TICK_DELAY

    now = app.clock.now()
    late = now - tick.at
    if late > (max_delay if max_delay is not None else MAX_TICK_DELAY):
        log.warning("dropped the tick scheduled %s: %s late", tick.at.isoformat(), late)
        return Outcome({"skipped": "late", "at": tick.at.isoformat()})
    fired = app.tick(dataclasses.replace(tick, at=max(now, tick.at)))
    return Outcome({"fired": [run.key for run in fired]})


def handle_delivery(app: App, delivery: DeferredDelivery) -> Outcome:
    """Run a delivered deferred envelope once per ``delivery_id``."""
    from momentum.core.runtime.claims import Duplicate, run_once
    from momentum.core.runtime.envelope import decode_deferred, drop_spilled

    try:
        decoded = decode_deferred(delivery.envelope, app.blob)
    except InputError as error:
        log.error("dropped a deferred delivery: %s", error)
        return Outcome({"error": str(error)})
    claim = f"delivery:{delivery.delivery_id}" if delivery.delivery_id else ""
    try:
        run_once(
            app.storage,
            claim,
            app.clock.now(),
            DELIVERY_CLAIM_TTL,
            lambda: app.run_deferred(decoded.job),
        )
    except Duplicate:
        log.info("deferred %s: delivery %s already handled", decoded.job.kind, claim)
        return Outcome({"duplicate": True})
    drop_spilled(decoded, app.blob)
    return Outcome({"ran": decoded.job.kind})


def handle_run_now(app: App, request: RunNow) -> Outcome:
    """Run one job now, on the athlete's local today unless a date is given."""
    from zoneinfo import ZoneInfo

    athlete = app.storage.get_athlete(request.athlete_id)
    if athlete is None:
        return Outcome({"error": f"no athlete {request.athlete_id!r}"})
    day = request.date or app.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()
    app.run_job(request.job, request.athlete_id, day)
    return Outcome({"ran": request.job, "athlete_id": request.athlete_id, "date": day.isoformat()})


def handle_upload(app: App, event: UploadCreated) -> Outcome:
    """Import one uploaded file; a file that can't be imported is an ``error`` outcome
    (one bad file never stops the others the platform delivers)."""
    from momentum.core.runtime.uploads import import_upload

    if app.blob is None:
        raise RuntimeError("this app has no Blob store to import uploads from")
    try:
        return Outcome({"imported": {event.key: import_upload(app, app.blob, event.key)}})
    except InputError as error:
        log.error("could not import an upload: %s", error)
        return Outcome({"error": str(error), "key": event.key})


def deliver(app: App, envelope: dict[str, object], delivery_id: str = "") -> Outcome:
    """A delivered envelope (a queue message, a task, an async invoke): deferred work is
    run once per ``delivery_id``, an operator's ``run`` now; input that can never succeed
    (an unreadable ``run``) is an ``error`` outcome, never retried. A tick envelope is
    not delivered this way: each platform's schedule has its own door (and lateness)."""
    from momentum.core.runtime.envelope import DEFERRED, RUN, kind_of

    kind = kind_of(envelope)
    if kind == DEFERRED:
        outcome = handle_delivery(app, DeferredDelivery(dict(envelope), delivery_id))
    elif kind == RUN:
        try:
            outcome = handle_run_now(app, run_now_from(envelope))
        except InputError as error:
            outcome = Outcome({"error": str(error)})
    else:
        outcome = Outcome({"error": f"not a deferred or run envelope: {kind or 'unmarked'}"})
    if "error" in outcome:
        log.error("dropped delivery %s: %s", delivery_id or "-", outcome["error"])
    return outcome


def run_now_from(envelope: dict[str, object]) -> RunNow:
    """Parse a ``run`` envelope; raises :class:`InputError` naming the bad field."""
    job, athlete_id, day = envelope.get("job"), envelope.get("athlete_id"), envelope.get("date")
    if not isinstance(job, str) or not job:
        raise InputError("run event", "field 'job' must be a non-empty string")
    if not isinstance(athlete_id, str) or not athlete_id:
        raise InputError("run event", "field 'athlete_id' must be a non-empty string")
    if day is None:
        return RunNow(job, athlete_id, None)
    try:
        return RunNow(job, athlete_id, dt.date.fromisoformat(str(day)))
    except ValueError:
        raise InputError("run event", f"field 'date' is not YYYY-MM-DD: {day!r}") from None


def tick_from(envelope: dict[str, object], now: dt.datetime) -> ScheduledTick:
    """Parse a ``tick`` envelope (``at`` missing or unreadable: ``now``)."""
    from momentum.core.runtime.envelope import parse_instant

    job = envelope.get("job", "*")
    athlete_id = envelope.get("athlete_id")
    if not isinstance(job, str) or not job:
        raise InputError("tick event", "field 'job' must be a non-empty string")
    if athlete_id is not None and (not isinstance(athlete_id, str) or not athlete_id):
        raise InputError("tick event", "field 'athlete_id' must be a non-empty string")
    at = parse_instant(envelope.get("at"))
    if at is None and "at" in envelope:
        log.warning("tick event has no usable 'at'; using the current time")
    return ScheduledTick(job=job, at=at or now, athlete_id=athlete_id)
