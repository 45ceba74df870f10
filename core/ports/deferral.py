"""The Deferral port: "ack now, work later", and work that must wait until a time.

A webhook answers within its platform's deadline (Slack's three seconds) and hands the slow
half (a model call) to :meth:`Deferral.defer`. A short job that must run right after the
answer (Slack's "Thinking…") goes to :meth:`Deferral.defer_fast`, which a platform may run
on a lane of its own. Work that must wait (a rate limit resets in fifteen minutes) goes to
:meth:`Deferral.defer_at`, which keeps it durably until then.

Every implementation: in-memory (tests), the local in-process pool backed by SQLite, Lambda
asynchronous invokes + EventBridge Scheduler, Cloud Tasks, Queue Storage, Cloudflare Queues.
The contract suite in ``tests/contract/test_deferral_contract.py`` holds them to the same
guarantees. Between processes a job travels as the JSON envelope of
:mod:`momentum.core.runtime.envelope`.

:class:`momentum.core.ports.scheduler.Scheduler` is the same class under its old name.
"""

from __future__ import annotations

import abc
import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from momentum.core.ports.scheduler import DeferredJob, RecurringJob


class DeferralBusy(RuntimeError):
    """The deferral's queue is full and refused the job; nothing was recorded. The caller
    answers "busy, try again" (Slack retries a 503) instead of queueing without bound."""


class Deferral(abc.ABC):
    """Runs deferred work soon, fast work right away, and delayed work later."""

    has_fast_lane: bool = False
    """True when :meth:`defer_fast` runs in this process right after the response, on a
    lane of its own (the local scheduler). A FaaS platform, where nothing may run after the
    response, leaves it False, and a chat platform then posts "Thinking…" before the ack."""

    @abc.abstractmethod
    def defer(self, job: DeferredJob) -> None:
        """Queue ``job`` to run soon, after the current request has been answered.

        When this returns the job is recorded (a durable store, a queue, an accepted
        asynchronous invoke); a failure to record it raises, so the caller can release
        what it claimed instead of believing the work is pending.
        """

    def defer_fast(self, job: DeferredJob) -> None:
        """Queue a short job (no model call) that should start right after the answer.

        Platforms with a separate fast lane override this; by default it is :meth:`defer`.
        """
        self.defer(job)

    @abc.abstractmethod
    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Run ``job`` once ``at`` (an aware instant) has passed; an ``at`` already past
        is the same as :meth:`defer`.

        Guarantees every implementation gives:

        - **Never early.** The job starts at or after ``at`` (how much after depends on
          the platform: the local loop's poll, EventBridge Scheduler's one-minute
          precision).
        - **At least once.** When this returns, the job is recorded durably (the local
          database, a cloud schedule), so a restart of the process, a new sandbox or a
          deploy does not lose it: it runs when a scheduler is running again, late rather
          than never. It may run more than once (a process dies mid-job, a cloud
          redelivers), so the handler must be idempotent, as every deferred handler is.
        - **Idempotent by** ``job.key``: deferring the same ``(kind, key, at)`` again
          while it is pending records nothing new. A job without a key is recorded each
          time it is deferred. A handler that reschedules itself (a retry) keeps its key
          and passes a later ``at``, so the retry is a new entry.
        - **Not queued in memory only.** A failure to record the job raises here, so the
          caller can release what it claimed instead of believing the work is pending.

        The in-memory implementation (tests) keeps delayed jobs in a list and runs them
        when its clock has reached ``at``; it makes no durability promise.
        """

    @abc.abstractmethod
    def recurring_jobs(self) -> list[RecurringJob]:
        """The recurring jobs the 15-minute tick fires (from the loaded plugins)."""


def due_instant(at: dt.datetime) -> dt.datetime:
    """``at`` in UTC, for :meth:`Deferral.defer_at`; a naive datetime is a ValueError
    (a delay needs an instant, and a naive value has none)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"defer_at needs a timezone-aware instant, got naive {at.isoformat()}")
    return at.astimezone(dt.UTC)
