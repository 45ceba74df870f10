"""The one Lambda handler: ``momentum.adapters.aws.handler.handler``.

It takes these events and turns each into one of core's:

- a Function URL request (payload format 2.0): Slack, Strava and plugin webhooks →
  :meth:`momentum.core.app.App.handle_http`, answered as a Function URL response;
- an EventBridge Scheduler tick → :meth:`momentum.core.app.App.tick`;
- the function's own asynchronous invoke (deferred work) →
:meth:`momentum.core.app.App.run_deferred`;
- an S3 ``ObjectCreated`` notification for ``uploads/`` → the file importers;
- an operator's ``{"momentum": "run", ...}`` → :meth:`momentum.core.app.App.run_job` (smoke tests).

The app is built on the first event and cached for the sandbox's life, so warm invocations
skip configuration, secrets and plugin loading. Importing this module pulls in no AWS SDK:
boto3 clients are created when an event first needs them.

Failures: an HTTP request that fails answers 500 (the caller, e.g. Slack, retries); a tick,
deferred job or upload that fails raises, so Lambda's asynchronous retries (bounded by the
stack's maximum event age) and then the dead-letter queue take over. Input that can never
succeed (a malformed event) is logged and dropped rather than retried.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import threading
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from momentum.adapters.aws import events
from momentum.core.errors import InputError
from momentum.core.events import HttpResponse

if TYPE_CHECKING:
    from momentum.adapters.aws.s3_blobs import S3BlobStore
    from momentum.core.app import App

log = logging.getLogger("momentum.aws")
logging.getLogger("momentum").setLevel(os.environ.get("MOMENTUM_LOG_LEVEL", "INFO").upper())

MAX_TICK_DELAY = dt.timedelta(seconds=int(os.environ.get("MOMENTUM_MAX_TICK_DELAY", "3600")))
"""A scheduler tick older than this is dropped: the 6 am check-in must not arrive at noon.
The stack sets the schedules' and the function's maximum event age to the same value."""
INVOKE_CLAIM_TTL = dt.timedelta(hours=7)
"""How long an asynchronous invocation's request id is remembered (Lambda keeps retrying
an event for at most six hours)."""

_app: App | None = None
_lock = threading.Lock()


def get_app() -> App:
    """The coach for this sandbox, built from the environment on first use."""
    global _app
    with _lock:
        if _app is None:
            from momentum.adapters.aws.bootstrap import build_aws_app

            _app = build_aws_app()
        return _app


def set_app(app: App | None) -> None:
    """Use ``app`` for the following events (tests, or a custom composition); ``None``
    forgets it so the next event builds one from the environment."""
    global _app
    with _lock:
        _app = app


def handler(event: Any, context: Any) -> Any:
    """Lambda's entry point."""
    kind = events.kind_of(event)
    if kind == "http":
        return handle_http(event)
    if kind == events.TICK:
        return handle_tick(event)
    if kind == events.DEFERRED:
        return handle_deferred(event, context)
    if kind == events.RUN:
        return handle_run(event)
    if kind == "s3":
        return handle_s3(event)
    shape = sorted(event)[:8] if isinstance(event, dict) else type(event).__name__
    log.warning("ignored an event of unknown shape: %s", shape)
    return {"ignored": True}


def handle_http(event: dict[str, Any]) -> dict[str, Any]:
    """A Function URL request: convert, route through core, convert back."""
    try:
        request = events.http_request(event)
    except InputError as error:
        return events.url_response(HttpResponse.text(400, str(error)))
    try:
        response = get_app().handle_http(request)
    except InputError as error:
        response = HttpResponse.text(400, str(error))
    except Exception:
        log.exception("%s %s failed", request.method, request.path)
        response = HttpResponse.text(500, "internal error")
    return events.url_response(response)


def handle_tick(event: dict[str, Any]) -> dict[str, Any]:
    """A scheduler tick: fire the jobs due now, unless it was scheduled too long ago."""
    app = get_app()
    now = app.clock.now()
    try:
        tick = events.scheduled_tick(event, now)
    except InputError as error:
        log.error("dropped a scheduler event: %s", error)
        return {"error": str(error)}
    late = now - tick.at
    if late > MAX_TICK_DELAY:
        log.warning("dropped tick %s scheduled %s: %s late", tick.job, tick.at.isoformat(), late)
        return {"skipped": "late", "job": tick.job}
    # Core claims each run with a lease measured from the tick's time, so a retry must
    # carry the time it runs at (a lease left by a sandbox that timed out mid-job then
    # expires); never earlier than scheduled, in case this clock is a hair behind.
    fired = app.tick(dataclasses.replace(tick, at=max(now, tick.at)))
    return {"fired": [run.key for run in fired]}


def handle_run(event: dict[str, Any]) -> dict[str, Any]:
    """An operator's "run this job now" (e.g. the first check-in after deploying)."""
    try:
        request = events.run_now(event)
    except InputError as error:
        log.error("dropped a run event: %s", error)
        return {"error": str(error)}
    app = get_app()
    athlete = app.storage.get_athlete(request.athlete_id)
    if athlete is None:
        return {"error": f"no athlete {request.athlete_id!r}"}
    day = request.local_date or app.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()
    app.run_job(request.job, request.athlete_id, day)
    return {"ran": request.job, "athlete_id": request.athlete_id, "date": day.isoformat()}


def handle_deferred(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Deferred work from an asynchronous self-invoke, run once per invocation.

    Lambda may deliver an asynchronous event twice; the invocation's request id (the same
    on Lambda's retries) is claimed first, and released if the work fails so the retry
    runs it.
    """
    try:
        parsed = events.deferred_job(event)
    except InputError as error:
        log.error("dropped a deferred event: %s", error)
        return {"error": str(error)}
    app = get_app()
    request_id = str(getattr(context, "aws_request_id", "") or "")
    claim_key = f"aws-invoke:{request_id}" if request_id else ""
    if claim_key and not app.storage.claim(claim_key, app.clock.now(), INVOKE_CLAIM_TTL):
        log.info("deferred %s: invocation %s already handled", parsed.job.kind, request_id)
        return {"duplicate": True}
    job = parsed.job
    try:
        if parsed.payload_ref:
            job = dataclasses.replace(job, payload=_spilled_payload(app, parsed.payload_ref))
        app.run_deferred(job)
    except Exception:
        if claim_key:
            app.storage.release(claim_key)
        raise
    if parsed.payload_ref:
        _blobs(app).delete(parsed.payload_ref)
    return {"ran": job.kind}


def handle_s3(event: dict[str, Any]) -> dict[str, Any]:
    """Uploaded files: import each; a file that can't be imported is logged and skipped."""
    from momentum.adapters.aws.uploads import import_upload

    app = get_app()
    blobs = _blobs(app)
    imported: dict[str, list[str]] = {}
    for bucket, key in events.s3_objects(event):
        if bucket != blobs.bucket:
            log.warning("ignored an object in another bucket: s3://%s/%s", bucket, key)
            continue
        try:
            imported[key] = import_upload(app, blobs, key)
        except InputError as error:
            log.error("could not import an upload: %s", error)
    return {"imported": imported}


def _blobs(app: App) -> S3BlobStore:
    blobs = getattr(app.storage, "blobs", None) or getattr(app.scheduler, "blobs", None)
    if blobs is None:
        raise RuntimeError("this app has no S3 blob store (is it built by build_aws_app?)")
    store: S3BlobStore = blobs
    return store


def _spilled_payload(app: App, ref: str) -> dict[str, Any]:
    data = _blobs(app).get_bytes(ref)
    if data is None:
        raise RuntimeError(f"deferred payload {ref} is missing from the bucket")
    payload: dict[str, Any] = json.loads(data)
    return payload
