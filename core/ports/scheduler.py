"""The Scheduler port: recurring jobs in the athlete's local time, and deferred work.

Deferred work is the "ack now, work later" path: a webhook answers within Slack's three
seconds and hands the slow part (the model call) to :meth:`Scheduler.defer`. Work that must
wait (a data source's rate limit resets in fifteen minutes) goes to
:meth:`Scheduler.defer_at`, which keeps it until then, across restarts.
"""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from momentum.core.app import App

JobRunner = Callable[["App", str, dt.date], None]
"""What a plugin's recurring job runs: ``run(app, athlete_id, local_date)``."""


@dataclass(frozen=True)
class RecurringJob:
    """A job that fires once per local day at ``hour:minute`` on ``weekdays`` (0 = Monday).

    ``name`` is the job kind (``checkin``, ``monday_plan``, ``weekly_refresh``). A plugin's
    job carries its own ``run(app, athlete_id, local_date)``; a job without one is one of
    the coach's built-in jobs, run by :meth:`momentum.core.coach.engine.Coach.run_job`.
    """

    name: str
    hour: int
    minute: int = 0
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    description: str = ""
    run: JobRunner | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DeferredJob:
    """Work to run after the caller has answered. ``kind`` names a handler registered on
    the app; ``payload`` is JSON-ready; ``key`` makes it idempotent."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    key: str = ""


class Scheduler(abc.ABC):
    """Runs recurring jobs at local times, deferred work soon and delayed work later."""

    @abc.abstractmethod
    def defer(self, job: DeferredJob) -> None:
        """Queue ``job`` to run soon, after the current request has been answered."""

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

        The in-memory scheduler (tests) keeps delayed jobs in a list and runs them when
        its clock has reached ``at``; it makes no durability promise.
        """

    @abc.abstractmethod
    def recurring_jobs(self) -> list[RecurringJob]:
        """The recurring jobs this scheduler fires."""


def due_instant(at: dt.datetime) -> dt.datetime:
    """``at`` in UTC, for :meth:`Scheduler.defer_at`; a naive datetime is a ValueError
    (a delay needs an instant, and a naive value has none)."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"defer_at needs a timezone-aware instant, got naive {at.isoformat()}")
    return at.astimezone(dt.UTC)
