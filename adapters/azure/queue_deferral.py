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
import math
from collections.abc import Sequence
from typing import Any

from momentum.core.ports.blob import Blob
from momentum.core.ports.clock import Clock
from momentum.core.ports.scheduler import RecurringJob
from momentum.core.ports.storage import Storage
from momentum.core.runtime import delay

MAX_VISIBILITY = dt.timedelta(days=7)
"""The longest Queue Storage keeps a message invisible."""


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


class QueueDeferral(delay.QueueDeferral):
    """Core's queue Deferral on one Queue Storage queue (``client``). A message is hidden
    for at most ``max_visibility`` at a time (just under Queue Storage's seven days); a
    longer delay is sent on at each early delivery. Tests on Azurite, whose clock can't be
    moved, pass a short one so a delay is measured by the app's clock."""

    limit = "azure_queue"
    prefix = "azq"

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
        super().__init__(blob, storage, jobs=jobs, clock=clock, max_delay=max_visibility)
        self.client = client

    def send(self, text: str, wait: dt.timedelta) -> None:
        """One base64 message, invisible for ``wait``, never expiring."""
        seconds = max(0, math.ceil(wait.total_seconds()))
        self.client.send_message(text, visibility_timeout=seconds or None, time_to_live=-1)
