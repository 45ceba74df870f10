"""Lambda event shapes in and out: Function URL requests (payload format 2.0), EventBridge
Scheduler ticks, the function's own asynchronous invokes (deferred work) and S3 uploads.

Only conversion lives here; what happens next is core's business
(:func:`momentum.core.runtime.dispatch`). Our own events are core's envelopes
(:mod:`momentum.core.runtime.envelope`), marked ``"momentum"``:

- ``{"momentum": "tick", "job": "checkin" | "*", "athlete_id": "...", "at": "<iso>"}`` –
  the Input of each EventBridge Scheduler schedule (``at`` is the schedule's
  ``<aws.scheduler.scheduled-time>`` so a retry still knows which 6 am it was for);
- ``{"momentum": "deferred", "kind": "...", "payload": {...}, "key": "...",
  "payload_ref": "deferred/<id>.json"}`` – a deferred job (``payload_ref`` when the payload
  was too large for an asynchronous invoke and waits in S3);
- ``{"momentum": "run", "job": "checkin", "athlete_id": "...", "date": "2026-03-03"}`` –
  run one job now, for an operator with ``lambda:InvokeFunction`` (e.g. the first check-in
  right after deploying). It can't arrive through the Function URL: URL requests become
  HTTP requests, never events.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.runtime.dispatch import tick_from
from momentum.core.runtime.envelope import DEFERRED, MARKER, RUN, TICK, parse_instant

TEXT_TYPES = ("text/", "application/json", "application/xml", "application/x-www-form-urlencoded")


def kind_of(event: Any) -> str:
    """``http``, ``tick``, ``deferred``, ``run``, ``s3`` or ``unknown``."""
    if not isinstance(event, dict):
        return "unknown"
    marker = event.get(MARKER)
    if marker in (TICK, DEFERRED, RUN):
        return str(marker)
    context = event.get("requestContext")
    http = context.get("http") if isinstance(context, dict) else None
    if event.get("version") == "2.0" and isinstance(http, dict):
        return "http"
    if event.get("source") == "aws.events" and event.get("detail-type") == "Scheduled Event":
        return TICK
    records = event.get("Records")
    if (
        isinstance(records, list)
        and records
        and all(isinstance(r, dict) and r.get("eventSource") == "aws:s3" for r in records)
    ):
        return "s3"
    return "unknown"


# -- Function URL ----------------------------------------------------------------------------
def http_request(event: dict[str, Any]) -> HttpRequest:
    """A Function URL event (payload format 2.0) as core's :class:`HttpRequest`.

    Header names arrive lower-cased with repeated values comma-joined; cookies arrive apart
    and are joined back into one ``cookie`` header. Raises :class:`InputError` when the
    body claims to be base64 but is not.
    """
    context = event["requestContext"]
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    cookies = event.get("cookies") or []
    if cookies:
        headers["cookie"] = "; ".join(str(c) for c in cookies)
    raw_body = event.get("body") or ""
    if event.get("isBase64Encoded"):
        try:
            body = base64.b64decode(raw_body, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise InputError("function URL request", "body is not valid base64") from exc
    else:
        body = raw_body.encode("utf-8")
    query = dict(parse_qsl(event.get("rawQueryString") or "", keep_blank_values=True))
    return HttpRequest(
        method=str(context["http"].get("method", "GET")).upper(),
        path=str(event.get("rawPath") or context["http"].get("path") or "/"),
        headers=headers,
        query=query,
        body=body,
    )


def url_response(response: HttpResponse) -> dict[str, Any]:
    """Core's :class:`HttpResponse` as a Function URL response; binary bodies go base64."""
    content_type = next((v for k, v in response.headers.items() if k.lower() == "content-type"), "")
    is_text = not response.body or content_type.lower().startswith(TEXT_TYPES)
    if is_text:
        try:
            return {
                "statusCode": response.status,
                "headers": dict(response.headers),
                "body": response.body.decode("utf-8"),
                "isBase64Encoded": False,
            }
        except UnicodeDecodeError:
            pass
    return {
        "statusCode": response.status,
        "headers": dict(response.headers),
        "body": base64.b64encode(response.body).decode("ascii"),
        "isBase64Encoded": True,
    }


# -- scheduler ticks -------------------------------------------------------------------------
def scheduled_tick(event: dict[str, Any], now: dt.datetime) -> ScheduledTick:
    """A scheduler event as core's :class:`ScheduledTick`: our schedule's
    ``{"momentum": "tick", "at": "<aws.scheduler.scheduled-time>"}`` (parsed by core), or
    an EventBridge rule's "Scheduled Event" (its ``time``). Raises :class:`InputError` for
    a malformed one."""
    if event.get(MARKER) != TICK:
        return ScheduledTick(job="*", at=parse_instant(event.get("time")) or now)
    return tick_from(event, now)


# -- S3 notifications ------------------------------------------------------------------------
def s3_objects(event: dict[str, Any]) -> list[tuple[str, str]]:
    """``(bucket, key)`` of every object an S3 ``ObjectCreated`` notification names (keys
    arrive URL-encoded with ``+`` for spaces)."""
    found = []
    for record in event.get("Records", []):
        if not str(record.get("eventName", "")).startswith("ObjectCreated:"):
            continue
        s3 = record.get("s3") or {}
        bucket = (s3.get("bucket") or {}).get("name")
        key = (s3.get("object") or {}).get("key")
        if isinstance(bucket, str) and isinstance(key, str):
            found.append((bucket, unquote_plus(key)))
    return found
