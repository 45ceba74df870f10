"""The Scheduler port on Lambda: deferred work is the function invoking itself
asynchronously (the talk's "Lambda invokes itself"); recurring jobs are EventBridge
Scheduler schedules created by the Pulumi stack, which this class only lists.

An asynchronous invoke returns 202 at once, so a webhook can answer Slack within its three
seconds while the second invocation calls the model. Lambda retries a failed asynchronous
invocation and may, rarely, deliver one twice; the handler claims each invocation's
request id so a duplicate does nothing (see :mod:`adapters.aws.handler`).
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Sequence
from typing import Any

from adapters.aws.events import deferred_event
from adapters.aws.s3_blobs import DEFERRED_PREFIX, S3BlobStore
from core.ports.scheduler import DeferredJob, RecurringJob, Scheduler

log = logging.getLogger("momentum.aws")

ASYNC_PAYLOAD_LIMIT = 256 * 1024
"""Bytes an asynchronous invoke is guaranteed to accept; bigger payloads wait in S3."""


class LambdaScheduler(Scheduler):
    """Defers work by ``lambda:InvokeFunction`` with ``InvocationType="Event"`` on the
    function's own name. ``lambda_client`` is a boto3 Lambda client (or a lazy one)."""

    def __init__(
        self,
        function_name: str,
        lambda_client: Any,
        *,
        jobs: Sequence[RecurringJob] = (),
        blobs: S3BlobStore | None = None,
    ) -> None:
        self.function_name = function_name
        self.client = lambda_client
        self.blobs = blobs
        self.jobs: list[RecurringJob] = list(jobs)

    def defer(self, job: DeferredJob) -> None:
        """Invoke this function asynchronously with the job; raises if Lambda refuses."""
        if not self.function_name:
            raise RuntimeError("LambdaScheduler has no function name to invoke")
        payload = json.dumps(deferred_event(job), separators=(",", ":")).encode("utf-8")
        if len(payload) > ASYNC_PAYLOAD_LIMIT:
            payload = self._spill(job)
        response = self.client.invoke(
            FunctionName=self.function_name, InvocationType="Event", Payload=payload
        )
        status = response.get("StatusCode")
        if status != 202:
            raise RuntimeError(f"asynchronous invoke of {self.function_name} returned {status}")
        log.info("deferred %s (key %s)", job.kind, job.key or "-")

    def _spill(self, job: DeferredJob) -> bytes:
        if self.blobs is None:
            raise ValueError(
                f"deferred job {job.kind!r} payload exceeds {ASYNC_PAYLOAD_LIMIT} bytes "
                "and no bucket is configured to hold it"
            )
        ref = f"{DEFERRED_PREFIX}{uuid.uuid4().hex}.json"
        self.blobs.put_bytes(ref, json.dumps(job.payload).encode("utf-8"), "application/json")
        return json.dumps(deferred_event(job, payload_ref=ref)).encode("utf-8")

    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs the stack's schedules fire (from the loaded plugins)."""
        return list(self.jobs)
