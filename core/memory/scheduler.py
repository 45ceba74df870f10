"""An in-memory Scheduler that queues deferred jobs until a test (or loop) drains them."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable

from momentum.core.ports.clock import Clock
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant


class InMemoryScheduler(Scheduler):
    """Keeps deferred jobs in a list. ``run_pending`` hands them to ``runner``; with
    ``inline=True`` each job runs as soon as it is deferred.

    Delayed jobs (:meth:`defer_at`) wait in :attr:`delayed` until ``clock`` says their
    time has come: advance a ``FixedClock`` and call :meth:`run_pending`. Without a
    clock they wait until ``run_pending(now=...)`` names a late enough instant. Nothing
    here survives the process: this scheduler is for tests and makes no durability
    promise.
    """

    def __init__(
        self,
        runner: Callable[[DeferredJob], None] | None = None,
        jobs: list[RecurringJob] | None = None,
        *,
        inline: bool = False,
        clock: Clock | None = None,
    ) -> None:
        self.runner = runner
        self.inline = inline
        self.clock = clock
        self.pending: list[DeferredJob] = []
        self.delayed: list[tuple[dt.datetime, DeferredJob]] = []
        """Delayed jobs not yet due, as ``(due, job)`` sorted by due time."""
        self._jobs = list(jobs or [])
        self._lock = threading.Lock()

    def defer(self, job: DeferredJob) -> None:
        if self.inline and self.runner is not None:
            self.runner(job)
            return
        with self._lock:
            self.pending.append(job)

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Hold ``job`` until ``at``; a pending ``(kind, key, at)`` is not added twice."""
        due = due_instant(at)
        if self.clock is not None and due <= self.clock.now():
            self.defer(job)
            return
        with self._lock:
            if job.key and any(
                when == due and (held.kind, held.key) == (job.kind, job.key)
                for when, held in self.delayed
            ):
                return
            self.delayed.append((due, job))
            self.delayed.sort(key=lambda entry: entry[0])

    def recurring_jobs(self) -> list[RecurringJob]:
        return list(self._jobs)

    def next_due(self) -> dt.datetime | None:
        """When the earliest delayed job is due (``None`` when none waits)."""
        with self._lock:
            return self.delayed[0][0] if self.delayed else None

    def run_pending(self, now: dt.datetime | None = None) -> int:
        """Run every queued job and every delayed job due by ``now`` (default: the
        clock's time), including ones they queue. Returns how many ran."""
        if self.runner is None:
            raise RuntimeError("InMemoryScheduler has no runner to hand jobs to")
        count = 0
        while True:
            with self._lock:
                self._release_due(now)
                if not self.pending:
                    return count
                job = self.pending.pop(0)
            self.runner(job)
            count += 1

    def _release_due(self, now: dt.datetime | None) -> None:
        moment = now if now is not None else (self.clock.now() if self.clock else None)
        if moment is None:
            return
        moment = due_instant(moment)
        while self.delayed and self.delayed[0][0] <= moment:
            self.pending.append(self.delayed.pop(0)[1])
