"""The Scheduler port on Lambda: deferred work is the function invoking itself
asynchronously (the talk's "Lambda invokes itself"); recurring jobs are EventBridge
Scheduler schedules created by the Pulumi stack, which this class only lists.

An asynchronous invoke returns 202 at once, so a webhook can answer Slack within its three
seconds while the second invocation calls the model. Lambda retries a failed asynchronous
invocation and may, rarely, deliver one twice; the handler claims each invocation's
request id so a duplicate does nothing (see :mod:`momentum.adapters.aws.handler`).

Delayed work (:meth:`LambdaScheduler.defer_at`) is a one-time EventBridge Scheduler
schedule, ``at(yyyy-mm-ddThh:mm:ss)`` in UTC, in the coach's own schedule group, whose
target is this function with the same deferred event a self-invoke carries; it deletes
itself after it has fired (``ActionAfterCompletion: DELETE``). The schedule lives in AWS,
so no sandbox has to survive the wait. Scheduler fires within the minute of its time, so
the time is rounded up to the next whole minute: never early.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from momentum.adapters.aws.s3_blobs import S3BlobStore
from momentum.core.errors import ConfigError
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.runtime.envelope import encode_bytes

log = logging.getLogger("momentum.aws")

ASYNC_PAYLOAD_LIMIT = 256 * 1024 - 1024
"""Bytes an asynchronous invoke is guaranteed to accept; bigger payloads wait in S3."""
DELIVERY_MAX_AGE_SECONDS = 6 * 3600
"""How long EventBridge Scheduler keeps retrying to deliver a fired schedule (throttling,
Lambda unavailable) before it goes to the dead-letter queue."""
DELIVERY_RETRIES = 3
NAME_PREFIX_LIMIT = 40
"""Characters of the job's key kept readable in a schedule name (names hold 64)."""


@dataclass(frozen=True)
class OneTimeSchedules:
    """Where and how delayed jobs are scheduled: the stack's schedule group for them, the
    role EventBridge Scheduler assumes to invoke the function, the function's ARN, and
    the dead-letter queue for deliveries that never succeed. ``client`` is a boto3
    ``scheduler`` client (or a lazy one)."""

    group: str
    role_arn: str
    function_arn: str
    client: Any
    dead_letter_arn: str = ""


def schedule_name(job: DeferredJob, due: dt.datetime) -> str:
    """A schedule name (``[0-9A-Za-z_.-]``, at most 64) from the job's key and due time:
    the same ``(kind, key, due)`` always gives the same name, so deferring it twice makes
    one schedule; a job without a key gets a unique one."""
    readable = re.sub(r"[^0-9A-Za-z_.-]", "-", job.key or job.kind)[:NAME_PREFIX_LIMIT]
    identity = f"{job.kind}\n{job.key or uuid.uuid4().hex}\n{due.isoformat()}"
    return f"{readable}-{hashlib.sha256(identity.encode()).hexdigest()[:20]}"


def at_expression(due: dt.datetime) -> str:
    """EventBridge Scheduler's one-time expression for ``due`` (UTC, whole seconds)."""
    return f"at({due.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%S})"


def whole_minute_after(moment: dt.datetime) -> dt.datetime:
    """``moment`` rounded up to a whole minute (Scheduler fires within the minute)."""
    floor = moment.replace(second=0, microsecond=0)
    return floor if floor == moment else floor + dt.timedelta(minutes=1)


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
        schedules: OneTimeSchedules | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.function_name = function_name
        self.client = lambda_client
        self.blobs = blobs
        self.jobs: list[RecurringJob] = list(jobs)
        self.schedules = schedules
        self.clock = clock or SystemClock()

    def defer(self, job: DeferredJob) -> None:
        """Invoke this function asynchronously with the job; raises if Lambda refuses."""
        if not self.function_name:
            raise RuntimeError("LambdaScheduler has no function name to invoke")
        payload = encode_bytes(job, self.blobs, ASYNC_PAYLOAD_LIMIT)
        response = self.client.invoke(
            FunctionName=self.function_name, InvocationType="Event", Payload=payload
        )
        status = response.get("StatusCode")
        if status != 202:
            raise RuntimeError(f"asynchronous invoke of {self.function_name} returned {status}")
        log.info("deferred %s (key %s)", job.kind, job.key or "-")

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Create a one-time schedule that invokes this function with ``job`` once ``at``
        has passed (rounded up to the minute); an ``at`` already past invokes now.

        Deferring the same ``(kind, key, at)`` again finds its schedule and does nothing.
        Raises :class:`~momentum.core.errors.ConfigError` when the stack gave no schedule group
        or role, and whatever the Scheduler API raises otherwise: the caller then knows
        the job is not pending.
        """
        due = due_instant(at)
        if due <= self.clock.now():
            self.defer(job)
            return
        if self.schedules is None:
            raise ConfigError(
                "delayed jobs need MOMENTUM_DEFERRED_SCHEDULE_GROUP and "
                "MOMENTUM_SCHEDULER_ROLE_ARN (set by the Pulumi stack)"
            )
        fire_at = whole_minute_after(due)
        name = schedule_name(job, fire_at)
        payload = encode_bytes(job, self.blobs, ASYNC_PAYLOAD_LIMIT).decode("utf-8")
        target: dict[str, Any] = {
            "Arn": self.schedules.function_arn,
            "RoleArn": self.schedules.role_arn,
            "Input": payload,
            "RetryPolicy": {
                "MaximumEventAgeInSeconds": DELIVERY_MAX_AGE_SECONDS,
                "MaximumRetryAttempts": DELIVERY_RETRIES,
            },
        }
        if self.schedules.dead_letter_arn:
            target["DeadLetterConfig"] = {"Arn": self.schedules.dead_letter_arn}
        label = f"{job.kind} (key {job.key or '-'})"
        try:
            self.schedules.client.create_schedule(
                Name=name,
                GroupName=self.schedules.group,
                ScheduleExpression=at_expression(fire_at),
                ScheduleExpressionTimezone="UTC",
                FlexibleTimeWindow={"Mode": "OFF"},
                ActionAfterCompletion="DELETE",
                State="ENABLED",
                Description=f"Momentum: delayed {label}"[:512],
                Target=target,
            )
        except Exception as error:
            if _error_code(error) != "ConflictException":
                raise
            log.info("delayed %s already scheduled for %s", label, fire_at.isoformat())
            return
        log.info("delayed %s until %s (schedule %s)", label, fire_at.isoformat(), name)

    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs the stack's schedules fire (from the loaded plugins)."""
        return list(self.jobs)


def _error_code(error: Exception) -> str:
    """The AWS error code of a botocore ClientError (``""`` for anything else)."""
    response = getattr(error, "response", None)
    if not isinstance(response, dict):
        return ""
    return str((response.get("Error") or {}).get("Code") or "")
