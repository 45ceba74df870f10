"""The Deferral port on Azure Queue Storage (``azure-storage-queue``).

``defer`` sends the runtime's JSON envelope as a base64 message (what the Functions queue
trigger decodes); a payload over Queue Storage's limit is spilled to Blob by core's envelope
code (:mod:`momentum.core.runtime.envelope`). ``defer_at`` sends it with a visibility
timeout, so the queue keeps it hidden until then; Queue Storage hides a message for at most
seven days, so a later ``at`` is carried in the envelope as ``not_before`` and the delivery
re-defers the rest (:func:`requeue_if_early`). Messages never expire (``time_to_live=-1``).

The queue message id is the delivery id core dedupes on; after ``maxDequeueCount`` failed
deliveries the Functions host moves a message to ``<queue>-poison``, which the function
app logs (:func:`momentum.adapters.azure.function_app.poison`).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
from collections.abc import Sequence
from typing import Any

from momentum.core.ports.blob import Blob
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.ports.storage import Storage
from momentum.core.runtime.envelope import LIMITS, encode_deferred

log = logging.getLogger("momentum.azure")

MAX_VISIBILITY = dt.timedelta(days=7)
"""The longest Queue Storage keeps a message invisible."""
NOT_BEFORE = "not_before"
PENDING_TTL = dt.timedelta(days=1)
"""How long past its time a delayed job's (kind, key, at) stays deduplicated."""


def queue_client(
    queue: str, *, connection_string: str = "", endpoint: str = "", credential: Any = None
) -> Any:
    """A QueueClient that base64-encodes text, as the Functions queue trigger expects."""
    from azure.storage.queue import QueueClient, TextBase64DecodePolicy, TextBase64EncodePolicy

    encode, decode = TextBase64EncodePolicy(), TextBase64DecodePolicy()
    if connection_string:
        return QueueClient.from_connection_string(
            connection_string, queue, message_encode_policy=encode, message_decode_policy=decode
        )
    return QueueClient(
        endpoint,
        queue,
        credential=credential,
        message_encode_policy=encode,
        message_decode_policy=decode,
    )


class QueueDeferral(Scheduler):
    """Deferred and delayed work as messages on one queue. ``storage`` dedupes delayed
    jobs by ``(kind, key, at)``; ``blob`` holds spilled payloads. A message is hidden for
    at most ``max_visibility`` at a time (just under Queue Storage's seven days); a longer
    delay is sent on at each early delivery. Tests on Azurite, whose clock can't be moved,
    pass a short one so a delay is measured by the app's clock."""

    def __init__(
        self,
        client: Any,
        blob: Blob,
        storage: Storage,
        *,
        jobs: Sequence[RecurringJob] = (),
        clock: Clock | None = None,
        max_visibility: dt.timedelta = MAX_VISIBILITY - dt.timedelta(seconds=1),
    ) -> None:
        self.client = client
        self.max_visibility = max_visibility
        self.blob = blob
        self.storage = storage
        self.jobs = list(jobs)
        self.clock = clock or SystemClock()

    def defer(self, job: DeferredJob) -> None:
        """Send ``job`` to run as soon as a worker takes it; raises if the queue refuses."""
        self._send(encode_deferred(job, self.blob, LIMITS["azure_queue"]), dt.timedelta(0))
        log.info("deferred %s (key %s)", job.kind, job.key or "-")

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Send ``job`` hidden until ``at`` (at most seven days at a time; see the module)."""
        due = due_instant(at)
        now = self.clock.now()
        if due <= now:
            self.defer(job)
            return
        if job.key:
            pending = f"azq:{job.kind}:{job.key}:{due.isoformat()}"
            if not self.storage.claim(pending, now, due - now + PENDING_TTL):
                log.info("delayed %s (key %s) already pending", job.kind, job.key)
                return
        envelope = encode_deferred(job, self.blob, LIMITS["azure_queue"])
        envelope[NOT_BEFORE] = due.isoformat()
        self._send(envelope, due - now)
        log.info("delayed %s (key %s) until %s", job.kind, job.key or "-", due.isoformat())

    def requeue_if_early(self, envelope: dict[str, Any]) -> bool:
        """Send ``envelope`` on again when its ``not_before`` is still ahead (a delay over
        seven days); ``True`` when it did, and the delivery should do nothing else."""
        raw = envelope.get(NOT_BEFORE)
        if not isinstance(raw, str):
            return False
        try:
            due = dt.datetime.fromisoformat(raw)
        except ValueError:
            return False
        remaining = due - self.clock.now()
        if remaining <= dt.timedelta(0):
            return False
        self._send(envelope, remaining)
        return True

    def _send(self, envelope: dict[str, Any], delay: dt.timedelta) -> None:
        text = json.dumps(envelope, separators=(",", ":"))
        hidden = min(delay, self.max_visibility)
        seconds = max(0, math.ceil(hidden.total_seconds()))
        self.client.send_message(text, visibility_timeout=seconds or None, time_to_live=-1)

    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs the 15-minute timer fires (from the loaded plugins)."""
        return list(self.jobs)
