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
import math
from collections.abc import Sequence
from typing import Any, Protocol

from momentum.adapters.cloudflare import ffi
from momentum.core.ports.blob import Blob
from momentum.core.ports.clock import Clock
from momentum.core.ports.scheduler import RecurringJob
from momentum.core.ports.storage import Storage
from momentum.core.runtime import delay

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


class QueueDeferral(delay.QueueDeferral):
    """Deferred and delayed work as messages on one Cloudflare Queue (``producer``);
    ``storage`` dedupes delayed jobs, ``blob`` (R2) holds spilled payloads.
    ``max_delay`` is the queue's longest delay (lower it only to exercise ``not_before``
    in tests)."""

    limit = "cloudflare_queue"
    prefix = "cfq"
    max_delay = MAX_DELAY

    def __init__(
        self,
        producer: Producer,
        blob: Blob,
        storage: Storage,
        *,
        jobs: Sequence[RecurringJob] = (),
        clock: Clock | None = None,
        max_delay: dt.timedelta | None = None,
    ) -> None:
        super().__init__(blob, storage, jobs=jobs, clock=clock, max_delay=max_delay)
        self.producer = producer

    def send(self, text: str, wait: dt.timedelta) -> None:
        """One text message, with ``delaySeconds`` (whole seconds, rounded up)."""
        self.producer.send(text, max(0, math.ceil(wait.total_seconds())))
