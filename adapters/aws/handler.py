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

import datetime as dt
import logging
import os
from typing import TYPE_CHECKING, Any

from momentum.adapters.aws import events
from momentum.core.errors import InputError
from momentum.core.events import HttpResponse
from momentum.core.runtime.dispatch import deliver, dispatch
from momentum.core.runtime.events import Outcome, UploadCreated
from momentum.core.runtime.holder import AppHolder

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.aws")
logging.getLogger("momentum").setLevel(os.environ.get("MOMENTUM_LOG_LEVEL", "INFO").upper())

MAX_TICK_DELAY = dt.timedelta(seconds=int(os.environ.get("MOMENTUM_MAX_TICK_DELAY", "3600")))
"""A scheduler tick older than this is dropped: the 6 am check-in must not arrive at noon.
The stack sets the schedules' and the function's maximum event age to the same value."""


def _build() -> App:
    from momentum.adapters.aws.bootstrap import build_aws_app

    return build_aws_app()


_holder = AppHolder(_build)


def get_app() -> App:
    """The coach for this sandbox, built from the environment on first use."""
    return _holder.get()


def set_app(app: App | None) -> None:
    """Use ``app`` for the following events (tests, or a custom composition); ``None``
    forgets it so the next event builds one from the environment."""
    _holder.set(app)


def handler(event: Any, context: Any) -> Any:
    """Lambda's entry point: convert the event into core's and hand it to
    :func:`momentum.core.runtime.dispatch`."""
    kind = events.kind_of(event)
    if kind == "http":
        return handle_http(event)
    if kind == events.TICK:
        return handle_tick(event)
    if kind in (events.DEFERRED, events.RUN):  # deferred work, or an operator's run-now
        request_id = str(getattr(context, "aws_request_id", "") or "")
        return deliver(get_app(), event, request_id).as_dict()
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
    response = dispatch(get_app(), request)
    assert isinstance(response, HttpResponse)
    return events.url_response(response)


def handle_tick(event: dict[str, Any]) -> dict[str, Any]:
    """A scheduler tick (core drops it when more than ``MAX_TICK_DELAY`` late)."""
    app = get_app()
    try:
        tick = events.scheduled_tick(event, app.clock.now())
    except InputError as error:
        log.error("dropped a scheduler event: %s", error)
        return {"error": str(error)}
    return _outcome(dispatch(app, tick, max_tick_delay=MAX_TICK_DELAY))


def handle_s3(event: dict[str, Any]) -> dict[str, Any]:
    """Uploaded files: import each; a file that can't be imported is logged and skipped."""
    app = get_app()
    bucket = getattr(app.blob, "bucket", None)
    imported: dict[str, list[str]] = {}
    for source, key in events.s3_objects(event):
        if source != bucket:
            log.warning("ignored an object in another bucket: s3://%s/%s", source, key)
            continue
        outcome = dispatch(app, UploadCreated(key))
        assert isinstance(outcome, Outcome)
        imported.update(outcome.get("imported", {}))
    return {"imported": imported}


def _outcome(result: HttpResponse | Outcome) -> dict[str, Any]:
    assert isinstance(result, Outcome)
    return result.as_dict()
