"""Delayed deferred work on a queue that can hide a message only for so long.

Queues delay a message for a bounded time (Cloudflare Queues 12 hours, Queue Storage
seven days). A longer ``defer_at`` sends the envelope with the longest delay the queue
allows and stamps the real due time on it (``not_before``); a delivery that arrives
before then is sent on again for the rest (:func:`remaining`). :func:`first_request`
keeps a delayed job with a key to one pending message per ``(kind, key, at)``, as the
Deferral port promises.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import Storage

NOT_BEFORE = "not_before"
PENDING_TTL = dt.timedelta(days=1)
"""How long past its time a delayed job's ``(kind, key, at)`` stays deduplicated."""


def stamp(envelope: dict[str, Any], due: dt.datetime) -> dict[str, Any]:
    """``envelope`` carrying ``due`` (aware) as its ``not_before``."""
    envelope[NOT_BEFORE] = due.astimezone(dt.UTC).isoformat()
    return envelope


def remaining(envelope: dict[str, Any], now: dt.datetime) -> dt.timedelta:
    """How long until the envelope's ``not_before`` (zero when it has none, or it passed,
    or it is unreadable: then the job runs now rather than never)."""
    raw = envelope.get(NOT_BEFORE)
    if not isinstance(raw, str):
        return dt.timedelta(0)
    try:
        due = dt.datetime.fromisoformat(raw)
    except ValueError:
        return dt.timedelta(0)
    if due.tzinfo is None:
        due = due.replace(tzinfo=dt.UTC)
    return max(dt.timedelta(0), due - now)


def first_request(
    storage: Storage, prefix: str, job: DeferredJob, due: dt.datetime, now: dt.datetime
) -> bool:
    """True the first time ``(job.kind, job.key, due)`` is deferred (or the job has no
    key); False while an earlier identical request is pending."""
    if not job.key:
        return True
    pending = f"{prefix}:{job.kind}:{job.key}:{due.isoformat()}"
    return storage.claim(pending, now, due - now + PENDING_TTL)
