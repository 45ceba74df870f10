"""Deferred work on Cloud Tasks: each job is an HTTP task to the function's own ``/tasks``
route, carrying an OIDC token for the function's service account (audience: the
function's URL), which the handler verifies.

The body is core's deferred envelope (:mod:`momentum.core.runtime.envelope`); a payload
over Cloud Tasks' limit is spilled to the Blob port. ``defer_at`` sets the task's
``schedule_time`` and, for a keyed job, a task name derived from (kind, key, due time), so
deferring it twice while it is pending creates one task (the port's promise). ``defer``
leaves naming to Cloud Tasks: Cloud Tasks refuses a name used in the last hour or more even
after its task ran, so a stable name would silently drop a run the tick re-defers after a
failure; callers dedupe immediate work with their own claims. Either way the task name is
the delivery id core dedupes a redelivery on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from momentum.core.ports.blob import Blob
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.runtime.envelope import LIMITS, encode_deferred

TASKS_PATH = "/tasks"
"""The function's route for task deliveries (OIDC-verified)."""


def task_id(job: DeferredJob, at: dt.datetime | None) -> str | None:
    """A stable task id for a keyed delayed job (letters, digits, ``-``); ``None`` for a
    job without a key or without a due time (Cloud Tasks names it)."""
    if not job.key or at is None:
        return None
    due = due_instant(at).isoformat()
    digest = hashlib.sha256(f"{job.kind}\x00{job.key}\x00{due}".encode()).hexdigest()
    return f"m-{digest[:48]}"


class CloudTasksDeferral(Scheduler):
    """Defers jobs as Cloud Tasks HTTP tasks on ``queue`` (``projects/P/locations/L/queues/Q``).

    ``client`` is a ``google.cloud.tasks_v2.CloudTasksClient`` or a factory of one (made on
    first use, so a cold start that defers nothing never imports the SDK); ``blob`` holds
    payloads too large for a task; ``service_account`` is the identity on each task's
    OIDC token.
    """

    def __init__(
        self,
        queue: str,
        function_url: str,
        service_account: str,
        client: Any | Callable[[], Any] | None = None,
        recurring: tuple[RecurringJob, ...] = (),
        blob: Blob | None = None,
    ) -> None:
        self.queue = queue
        self.blob = blob
        self.function_url = function_url.rstrip("/")
        self.service_account = service_account
        self._client = client
        self._recurring = recurring

    @property
    def client(self) -> Any:
        """The Cloud Tasks client (made once)."""
        if self._client is None or (
            callable(self._client) and not hasattr(self._client, "create_task")
        ):
            if self._client is None:
                from google.cloud import tasks_v2

                self._client = tasks_v2.CloudTasksClient()
            else:
                self._client = self._client()
        return self._client

    def defer(self, job: DeferredJob) -> None:
        """Queue ``job`` to run as soon as Cloud Tasks dispatches it."""
        self._create(job, None)

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Queue ``job`` with ``schedule_time = at`` (never early; at least once)."""
        self._create(job, due_instant(at))

    def recurring_jobs(self) -> list[RecurringJob]:
        """Recurring jobs are driven by the Cloud Scheduler tick, not by this queue."""
        return list(self._recurring)

    def _create(self, job: DeferredJob, at: dt.datetime | None) -> None:
        # Conflict (409) is what REST raises for a reused name; gRPC's AlreadyExists is
        # a subclass of it.
        from google.api_core.exceptions import Conflict

        envelope = encode_deferred(job, self.blob, LIMITS["cloud_tasks"])
        body = json.dumps(envelope, separators=(",", ":"), sort_keys=True).encode("utf-8")
        task: dict[str, Any] = {
            "http_request": {
                "url": f"{self.function_url}{TASKS_PATH}",
                "http_method": "POST",
                "headers": {"Content-Type": "application/json"},
                "body": body,
                "oidc_token": {
                    "service_account_email": self.service_account,
                    "audience": self.function_url,
                },
            }
        }
        name = task_id(job, at)
        if name:
            task["name"] = f"{self.queue}/tasks/{name}"
        if at is not None:
            task["schedule_time"] = at
        try:
            self.client.create_task(parent=self.queue, task=task)
        except Conflict:  # the same keyed job is already queued
            spilled = envelope.get("payload_ref")
            if spilled and self.blob is not None:
                self.blob.delete(spilled)
