"""Delayed deferred work on a queue that can hide a message only for so long.

Queues delay a message for a bounded time (Cloudflare Queues 12 hours, Queue Storage
seven days). A longer ``defer_at`` sends the envelope with the longest delay the queue
allows and stamps the real due time on it (``not_before``); a delivery that arrives
before then is sent on again for the rest (:func:`remaining`). :func:`first_request`
keeps a delayed job with a key to one pending message per ``(kind, key, at)``, as the
Deferral port promises. :class:`QueueDeferral` is all of that as the Deferral port, for a
platform to subclass with its queue's ``send``.
"""

from __future__ import annotations

import abc
import datetime as dt
import json
import logging
from collections.abc import Sequence
from typing import Any

from momentum.core.ports.blob import Blob
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.ports.storage import Storage
from momentum.core.runtime.envelope import LIMITS, encode_deferred

log = logging.getLogger("momentum.runtime")

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


class QueueDeferral(Scheduler):
    """The Deferral port on a platform queue that hides a message for at most
    :attr:`max_delay`: the logic every queue shares (the envelope and its spill to Blob,
    ``not_before`` for longer delays, one pending message per delayed ``(kind, key, at)``).
    A platform subclass sets :attr:`limit` (a key of
    :data:`~momentum.core.runtime.envelope.LIMITS`) and :attr:`prefix`, and implements
    :meth:`send`."""

    limit: str = ""
    """The queue's entry in :data:`~momentum.core.runtime.envelope.LIMITS`."""
    prefix: str = "queue"
    """Claim-key prefix for pending delayed jobs."""
    max_delay: dt.timedelta = dt.timedelta(0)

    def __init__(
        self,
        blob: Blob,
        storage: Storage,
        *,
        jobs: Sequence[RecurringJob] = (),
        clock: Clock | None = None,
        max_delay: dt.timedelta | None = None,
    ) -> None:
        self.blob = blob
        self.storage = storage
        self.jobs = list(jobs)
        self.clock = clock or SystemClock()
        if max_delay is not None:
            self.max_delay = max_delay

    @abc.abstractmethod
    def send(self, text: str, wait: dt.timedelta) -> None:
        """Put one message (``text``) on the queue, hidden for ``wait`` (already at most
        :attr:`max_delay`); raises when the queue refuses it."""

    def defer(self, job: DeferredJob) -> None:
        """Send ``job`` to run as soon as a consumer takes it."""
        self._send(encode_deferred(job, self.blob, LIMITS[self.limit]), dt.timedelta(0))
        log.info("deferred %s (key %s)", job.kind, job.key or "-")

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Send ``job`` hidden until ``at``; past :attr:`max_delay` it carries
        ``not_before`` and is sent on by :meth:`requeue_if_early`."""
        due = due_instant(at)
        now = self.clock.now()
        if due <= now:
            self.defer(job)
            return
        if not first_request(self.storage, self.prefix, job, due, now):
            log.info("delayed %s (key %s) already pending", job.kind, job.key)
            return
        self._send(stamp(encode_deferred(job, self.blob, LIMITS[self.limit]), due), due - now)
        log.info("delayed %s (key %s) until %s", job.kind, job.key or "-", due.isoformat())

    def requeue_if_early(self, envelope: dict[str, Any]) -> bool:
        """Send ``envelope`` on again when its ``not_before`` is still ahead; True when
        it did (the delivery then does nothing else)."""
        left = remaining(envelope, self.clock.now())
        if left <= dt.timedelta(0):
            return False
        self._send(envelope, left)
        return True

    def _send(self, envelope: dict[str, Any], wait: dt.timedelta) -> None:
        self.send(json.dumps(envelope, separators=(",", ":")), min(wait, self.max_delay))

    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs the 15-minute tick fires (from the loaded plugins)."""
        return list(self.jobs)
