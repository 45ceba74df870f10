"""What the Worker does with each event, in plain Python (CPython-testable): converting
Workers' requests, cron events and queue messages into core's events and handing them to
:func:`momentum.core.runtime.dispatch.dispatch`. The Pyodide side (:mod:`.entry`) only
reads the JavaScript objects into these arguments and writes the answers back.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.runtime.dispatch import dispatch, run_now_from, tick_from
from momentum.core.runtime.envelope import DEFERRED, RUN, TICK, kind_of, parse_envelope
from momentum.core.runtime.events import DeferredDelivery, Outcome

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.cloudflare")

TICK_CRON = "*/15 * * * *"
"""The one cron trigger: every 15 minutes, UTC."""


def http_request(method: str, url: str, headers: dict[str, str], body: bytes) -> HttpRequest:
    """Core's request from a Workers ``Request``'s parts."""
    parts = urlsplit(url)
    return HttpRequest(
        method=method.upper(),
        path=parts.path or "/",
        headers={str(k).lower(): str(v) for k, v in headers.items()},
        query=dict(parse_qsl(parts.query, keep_blank_values=True)),
        body=body,
    )


def fetch(app: App, method: str, url: str, headers: dict[str, str], body: bytes) -> HttpResponse:
    """Answer one HTTP request (Slack, Strava, plugin webhooks)."""
    response = dispatch(app, http_request(method, url, headers, body))
    if not isinstance(response, HttpResponse):
        raise TypeError(f"core answered an HTTP request with {type(response).__name__}")
    return response


def scheduled(app: App, scheduled_time_ms: float) -> Outcome:
    """The 15-minute cron: ``scheduledTime`` is when this run was scheduled (not when it
    started), so the tick is exactly the slot."""
    at = dt.datetime.fromtimestamp(scheduled_time_ms / 1000, tz=dt.UTC)
    outcome = dispatch(app, ScheduledTick(job="*", at=at))
    assert isinstance(outcome, Outcome)
    log.info("tick %s: %s", at.isoformat(), outcome.as_dict())
    return outcome


def envelope(body: Any) -> dict[str, Any]:
    """The JSON envelope a queue message carries (text, or already an object);
    :class:`InputError` naming what is wrong otherwise (never retried)."""
    if isinstance(body, bytes | str):
        return parse_envelope(body, "queue message")
    if not kind_of(body):
        raise InputError("queue message", "is not a Momentum deferred, tick or run envelope")
    return dict(body)


def queue_message(app: App, message_id: str, body: Any) -> Outcome:
    """One queue message: deferred work (deduped on the message id), a tick, or an
    operator's run-now. Raises when the work may pass on a retry (the caller calls
    ``message.retry()``); input that can never succeed is an ``error`` outcome (acked)."""
    try:
        parsed = envelope(body)
    except InputError as error:
        log.error("dropped queue message %s: %s", message_id, error)
        return Outcome({"error": str(error)})
    kind = kind_of(parsed)
    try:
        if kind == RUN:
            result = dispatch(app, run_now_from(parsed))
        elif kind == TICK:
            result = dispatch(app, tick_from(parsed, app.clock.now()))
        else:
            assert kind == DEFERRED
            deferral: Any = app.scheduler
            if hasattr(deferral, "requeue_if_early") and deferral.requeue_if_early(parsed):
                return Outcome({"requeued": message_id})
            result = dispatch(app, DeferredDelivery(parsed, message_id))
    except InputError as error:
        log.error("dropped queue message %s: %s", message_id, error)
        return Outcome({"error": str(error)})
    assert isinstance(result, Outcome)
    if "error" in result:
        log.error("dropped queue message %s: %s", message_id, result["error"])
    return result
