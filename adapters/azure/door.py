"""The one place this adapter reaches core's shared runtime (``momentum.core.runtime``).

The function app and the queue only call :func:`dispatch`, :func:`encode` and
:func:`run_now_from` from here. Until the runtime is on main, the bodies below use the App
API it wraps (``handle_http``, ``tick``, ``run_deferred``, ``claim``/``release``) and
the envelope of the runtime contract; when it lands, this module becomes re-exports.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.ports.blob import Blob
from momentum.core.ports.scheduler import DeferredJob

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.azure")

QUEUE_MAX_BYTES = 45_000
"""Envelope bytes a Queue Storage message takes safely (64 KB after base64)."""
MAX_TICK_DELAY = dt.timedelta(hours=1)
DELIVERY_CLAIM_TTL = dt.timedelta(hours=7)


@dataclass(frozen=True)
class DeferredDelivery:
    """A delivered envelope and the platform's id for the delivery (the queue message id)."""

    envelope: dict[str, Any]
    delivery_id: str = ""


@dataclass(frozen=True)
class RunNow:
    """Run one recurring job for one athlete now; ``date`` defaults to their local today."""

    job: str
    athlete_id: str
    date: dt.date | None = None


Outcome = dict[str, Any]
Event = HttpRequest | ScheduledTick | DeferredDelivery | RunNow


def run_now_from(envelope: dict[str, Any]) -> RunNow:
    """A ``{"momentum": "run", "job", "athlete_id", "date"?}`` envelope; InputError naming
    the bad field otherwise."""
    job, athlete_id, day = envelope.get("job"), envelope.get("athlete_id"), envelope.get("date")
    if not isinstance(job, str) or not job:
        raise InputError("run event", "field 'job' must be a non-empty string")
    if not isinstance(athlete_id, str) or not athlete_id:
        raise InputError("run event", "field 'athlete_id' must be a non-empty string")
    try:
        return RunNow(job, athlete_id, dt.date.fromisoformat(day) if day else None)
    except (TypeError, ValueError):
        raise InputError("run event", f"field 'date' is not YYYY-MM-DD: {day!r}") from None


def encode(job: DeferredJob, blob: Blob | None) -> dict[str, Any]:
    """The runtime envelope for ``job``, its payload spilled to ``blob`` when too big."""
    envelope: dict[str, Any] = {"momentum": "deferred", "kind": job.kind, "key": job.key}
    envelope["payload"] = job.payload
    if len(json.dumps(envelope, separators=(",", ":")).encode()) <= QUEUE_MAX_BYTES:
        return envelope
    if blob is None:
        raise ValueError(f"deferred job {job.kind!r} is too big and no blob store is set")
    ref = f"deferred/{uuid.uuid4().hex}.json"
    blob.put(ref, json.dumps(job.payload).encode(), "application/json")
    del envelope["payload"]
    envelope["payload_ref"] = ref
    return envelope


def dispatch(app: App, event: Event) -> HttpResponse | Outcome:
    """Hand one event to core."""
    if isinstance(event, HttpRequest):
        try:
            return app.handle_http(event)
        except InputError as error:
            return HttpResponse.text(400, str(error))
        except Exception:
            log.exception("%s %s failed", event.method, event.path)
            return HttpResponse.text(500, "internal error")
    if isinstance(event, ScheduledTick):
        now = app.clock.now()
        if now - event.at > MAX_TICK_DELAY:
            return {"skipped": "late", "at": event.at.isoformat()}
        fired = app.tick(dataclasses.replace(event, at=max(now, event.at)))
        return {"fired": [run.key for run in fired]}
    if isinstance(event, RunNow):
        return _run_now(app, event)
    return _deliver(app, event)


def _run_now(app: App, request: RunNow) -> Outcome:
    from zoneinfo import ZoneInfo

    athlete = app.storage.get_athlete(request.athlete_id)
    if athlete is None:
        return {"error": f"no athlete {request.athlete_id!r}"}
    day = request.date or app.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()
    app.run_job(request.job, request.athlete_id, day)
    return {"ran": request.job, "athlete_id": request.athlete_id, "date": day.isoformat()}


def _deliver(app: App, delivery: DeferredDelivery) -> Outcome:
    envelope, blob = delivery.envelope, getattr(app, "blob", None)
    kind, ref = envelope.get("kind"), envelope.get("payload_ref", "")
    if not isinstance(kind, str) or not kind or not isinstance(ref, str):
        return {"error": "deferred envelope: 'kind' must be a non-empty string"}
    claim = f"delivery:{delivery.delivery_id}" if delivery.delivery_id else ""
    if claim and not app.storage.claim(claim, app.clock.now(), DELIVERY_CLAIM_TTL):
        return {"duplicate": True}
    try:
        payload = envelope.get("payload", {})
        if ref:
            data = blob.get(ref) if blob is not None else None
            if data is None:
                raise RuntimeError(f"deferred payload {ref} is missing")
            payload = json.loads(data)
        job = DeferredJob(kind=kind, payload=payload, key=str(envelope.get("key", "")))
        app.run_deferred(job)
    except Exception:
        if claim:
            app.storage.release(claim)
        raise
    if ref and blob is not None:
        blob.delete(ref)
    return {"ran": kind}
