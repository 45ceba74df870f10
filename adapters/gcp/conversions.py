"""Conversions between functions-framework's Flask requests and core's events (no coach
logic): a request → core's ``HttpRequest``, core's ``HttpResponse`` → what a Flask view
returns, and a Cloud Scheduler request → the ``ScheduledTick`` of its 15-minute slot.

Flask is never imported here: functions-framework hands the function a request object and
takes a ``(body, status, headers)`` tuple back.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick

FlaskReturn = tuple[bytes, int, dict[str, str]]
SCHEDULE_TIME_HEADER = "X-CloudScheduler-ScheduleTime"
TASK_NAME_HEADER = "X-CloudTasks-TaskName"


def http_request(request: Any) -> HttpRequest:
    """Core's request from a Flask request."""
    return HttpRequest(
        method=str(request.method).upper(),
        path=str(request.path) or "/",
        headers={str(k): str(v) for k, v in request.headers.items()},
        query={str(k): str(v) for k, v in request.args.items()},
        body=request.get_data(cache=True) or b"",
    )


def flask_response(response: HttpResponse) -> FlaskReturn:
    """What the function returns for core's response."""
    return response.body, response.status, dict(response.headers)


def text(status: int, message: str) -> FlaskReturn:
    """A plain-text answer."""
    return flask_response(HttpResponse.text(status, message))


def scheduled_tick(request: Any, now: dt.datetime) -> ScheduledTick:
    """The tick a Cloud Scheduler request stands for: the slot of its schedule time (the
    ``X-CloudScheduler-ScheduleTime`` header, the same on the job's retries), else of
    ``now``; a body may be a tick envelope narrowing it to one job or athlete."""
    from momentum.core.runtime.dispatch import tick_from
    from momentum.core.runtime.envelope import TICK, parse_envelope, parse_instant
    from momentum.core.runtime.tick import tick_slot

    header = request.headers.get(SCHEDULE_TIME_HEADER)
    scheduled = parse_instant(header)
    if header and scheduled is None:
        raise InputError(SCHEDULE_TIME_HEADER, f"is not an RFC 3339 instant: {header[:40]!r}")
    body = request.get_data(cache=True) or b""
    envelope = parse_envelope(body, "tick body", (TICK,)) if body.strip() else {}
    tick = tick_from(envelope, scheduled or now)
    return ScheduledTick(job=tick.job, at=tick_slot(tick.at), athlete_id=tick.athlete_id)
