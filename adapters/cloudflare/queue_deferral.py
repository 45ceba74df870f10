"""The Deferral port on Cloudflare Queues.

``defer`` sends core's JSON envelope as a text message (a payload over the queue's limit is
spilled to R2 by :func:`momentum.core.runtime.envelope.encode_deferred`). ``defer_at`` sends
it with ``delaySeconds``; Queues delay a message for at most 12 hours, so a later time is
stamped on the envelope (``not_before``, :mod:`momentum.core.runtime.delay`) and the
consumer sends an early delivery on (:meth:`QueueDeferral.requeue_if_early`). The message id
is the delivery id core dedupes on; the queue retries a failed delivery and then moves it
to the dead-letter queue the Pulumi component creates.

The producer is a small seam, :class:`Producer`: the Worker's queue binding
(:class:`BindingProducer`), or the tests' bridge to wrangler's local queue.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Sequence
from typing import Any, Protocol

from momentum.adapters.cloudflare import ffi
from momentum.core.ports.blob import Blob
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.ports.storage import Storage
from momentum.core.runtime import delay
from momentum.core.runtime.envelope import LIMITS, encode_deferred

log = logging.getLogger("momentum.cloudflare")

MAX_DELAY = dt.timedelta(hours=12)
"""The longest Cloudflare Queues delay a message (``delaySeconds`` ≤ 43,200)."""


class Producer(Protocol):
    """Sends one text message to the queue, hidden for ``delay_seconds``."""

    def send(self, body: str, delay_seconds: int = 0) -> None:
        """Send ``body``; raises when the queue refuses it."""
        ...


class BindingProducer:
    """:class:`Producer` on the Worker's queue binding (only inside a Python Worker)."""

    def __init__(self, binding: Any) -> None:
        self.binding = binding

    def send(self, body: str, delay_seconds: int = 0) -> None:
        options = {"contentType": "text", "delaySeconds": delay_seconds}
        ffi.wait(self.binding.send(body, ffi.js_object(options)))


class QueueDeferral(Scheduler):
    """Deferred and delayed work as messages on one queue. ``storage`` dedupes delayed
    jobs by ``(kind, key, at)``; ``blob`` (R2) holds spilled payloads. ``max_delay`` is
    the queue's longest delay (lower it only to exercise ``not_before`` in tests)."""

    def __init__(
        self,
        producer: Producer,
        blob: Blob,
        storage: Storage,
        *,
        jobs: Sequence[RecurringJob] = (),
        clock: Clock | None = None,
        max_delay: dt.timedelta = MAX_DELAY,
    ) -> None:
        self.producer = producer
        self.blob = blob
        self.storage = storage
        self.jobs = list(jobs)
        self.clock = clock or SystemClock()
        self.max_delay = max_delay

    def defer(self, job: DeferredJob) -> None:
        """Send ``job`` to run as soon as the consumer takes it."""
        self._send(encode_deferred(job, self.blob, LIMITS["cloudflare_queue"]), dt.timedelta(0))
        log.info("deferred %s (key %s)", job.kind, job.key or "-")

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Send ``job`` delayed until ``at`` (see the module for delays over 12 hours)."""
        due = due_instant(at)
        now = self.clock.now()
        if due <= now:
            self.defer(job)
            return
        if not delay.first_request(self.storage, "cfq", job, due, now):
            log.info("delayed %s (key %s) already pending", job.kind, job.key)
            return
        envelope = delay.stamp(encode_deferred(job, self.blob, LIMITS["cloudflare_queue"]), due)
        self._send(envelope, due - now)
        log.info("delayed %s (key %s) until %s", job.kind, job.key or "-", due.isoformat())

    def requeue_if_early(self, envelope: dict[str, Any]) -> bool:
        """Send ``envelope`` on again when its ``not_before`` is still ahead; True when
        it did (the delivery then does nothing else)."""
        left = delay.remaining(envelope, self.clock.now())
        if left <= dt.timedelta(0):
            return False
        self._send(envelope, left)
        return True

    def _send(self, envelope: dict[str, Any], wait: dt.timedelta) -> None:
        hidden = min(wait, self.max_delay)
        seconds = max(0, math.ceil(hidden.total_seconds()))
        self.producer.send(json.dumps(envelope, separators=(",", ":")), seconds)

    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs the 15-minute cron fires (from the loaded plugins)."""
        return list(self.jobs)
