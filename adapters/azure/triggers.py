"""Conversions between Azure Functions' trigger types and core's events (no coach logic).

- an HTTP request (route ``{*path}``, ``routePrefix`` empty) → core's ``HttpRequest``, and
  core's ``HttpResponse`` back;
- a timer firing → a ``ScheduledTick`` at the 15-minute slot it belongs to (the timer
  does not say when it was scheduled; the slot is the time floored to 15 minutes);
- a queue message → its envelope (JSON: deferred work, or an operator's ``run``), and the
  message id as the delivery id.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlsplit

import azure.functions as func

from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.runtime.envelope import parse_envelope
from momentum.core.runtime.tick import tick_slot


def http_request(req: func.HttpRequest) -> HttpRequest:
    """Core's request from a ``func.HttpRequest``."""
    path = (req.route_params or {}).get("path")
    path = "/" + path.lstrip("/") if path is not None else urlsplit(req.url).path or "/"
    return HttpRequest(
        method=req.method.upper(),
        path=path,
        headers={str(k): str(v) for k, v in req.headers.items()},
        query={str(k): str(v) for k, v in req.params.items()},
        body=req.get_body() or b"",
    )


def http_response(response: HttpResponse) -> func.HttpResponse:
    """A ``func.HttpResponse`` from core's response."""
    # The worker keeps a content-type header as given (mimetype would add a charset again).
    return func.HttpResponse(
        body=response.body, status_code=response.status, headers=dict(response.headers)
    )


def scheduled_tick(now: dt.datetime) -> ScheduledTick:
    """The tick the timer fired for (every recurring job that is due)."""
    return ScheduledTick(job="*", at=tick_slot(now))


def envelope(msg: func.QueueMessage) -> dict[str, Any]:
    """The JSON envelope a queue message carries; :class:`InputError` naming what is
    wrong otherwise (such a message can never succeed, so it is not retried)."""
    return parse_envelope(msg.get_body(), "queue message", ("deferred", "run"))
