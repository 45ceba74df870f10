"""Lambda event shapes in and out: Function URL requests (payload format 2.0), EventBridge
Scheduler ticks, the function's own asynchronous invokes (deferred work) and S3 uploads.

Only conversion lives here; what happens next is core's business. Our own events carry a
``"momentum"`` marker so they can't be confused with AWS's:

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
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote_plus

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.ports.scheduler import DeferredJob

log = logging.getLogger("momentum.aws")

MARKER = "momentum"
TICK = "tick"
DEFERRED = "deferred"
RUN = "run"
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
def parse_instant(value: Any) -> dt.datetime | None:
    """An ISO-8601 instant (``Z`` allowed) as an aware UTC datetime, or ``None``."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed.astimezone(dt.UTC)


def tick_event(job: str, athlete_id: str | None = None, at: str | None = None) -> dict[str, Any]:
    """The Input of a schedule (the Pulumi stack writes these)."""
    event: dict[str, Any] = {MARKER: TICK, "job": job}
    if athlete_id is not None:
        event["athlete_id"] = athlete_id
    if at is not None:
        event["at"] = at
    return event


def scheduled_tick(event: dict[str, Any], now: dt.datetime) -> ScheduledTick:
    """A scheduler event as core's :class:`ScheduledTick`.

    ``at`` is the scheduled time when the event carries one (our schedules template it
    in; EventBridge rules send ``time``), else ``now``. Raises :class:`InputError` for a
    malformed job or athlete id.
    """
    if event.get(MARKER) != TICK:  # an EventBridge rule's "Scheduled Event"
        return ScheduledTick(job="*", at=parse_instant(event.get("time")) or now)
    job = event.get("job", "*")
    athlete_id = event.get("athlete_id")
    if not isinstance(job, str) or not job:
        raise InputError("scheduler event", "field 'job' must be a non-empty string")
    if athlete_id is not None and (not isinstance(athlete_id, str) or not athlete_id):
        raise InputError("scheduler event", "field 'athlete_id' must be a non-empty string")
    at = parse_instant(event.get("at"))
    if at is None:
        if "at" in event:
            log.warning("scheduler event has no usable 'at'; using the current time")
        at = now
    return ScheduledTick(job=job, at=at, athlete_id=athlete_id)


@dataclass(frozen=True)
class RunNow:
    """An operator's request to run one job for one athlete on a local date now."""

    job: str
    athlete_id: str
    local_date: dt.date | None


def run_now(event: dict[str, Any]) -> RunNow:
    """Parse a ``run`` event; ``date`` is optional (default: the athlete's today)."""
    job, athlete_id, day = event.get("job"), event.get("athlete_id"), event.get("date")
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


# -- deferred work ---------------------------------------------------------------------------
def deferred_event(job: DeferredJob, payload_ref: str = "") -> dict[str, Any]:
    """The asynchronous self-invoke payload for ``job`` (payload left out when it waits in
    S3 under ``payload_ref``)."""
    event: dict[str, Any] = {MARKER: DEFERRED, "kind": job.kind, "key": job.key}
    if payload_ref:
        event["payload_ref"] = payload_ref
    else:
        event["payload"] = job.payload
    return event


@dataclass(frozen=True)
class DeferredEvent:
    """A parsed deferred-work event; ``payload_ref`` names an S3 object holding the payload."""

    job: DeferredJob
    payload_ref: str = ""


def deferred_job(event: dict[str, Any]) -> DeferredEvent:
    """Parse our own deferred event. Raises :class:`InputError` naming the bad field."""
    kind = event.get("kind")
    if not isinstance(kind, str) or not kind:
        raise InputError("deferred event", "field 'kind' must be a non-empty string")
    payload = event.get("payload", {})
    if not isinstance(payload, dict):
        raise InputError("deferred event", "field 'payload' must be an object")
    key = event.get("key", "")
    ref = event.get("payload_ref", "")
    if not isinstance(key, str) or not isinstance(ref, str):
        raise InputError("deferred event", "fields 'key' and 'payload_ref' must be strings")
    return DeferredEvent(DeferredJob(kind=kind, payload=payload, key=key), ref)


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
