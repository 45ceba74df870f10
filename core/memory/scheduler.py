"""An in-memory Scheduler that queues deferred jobs until a test (or loop) drains them."""

from __future__ import annotations

import threading
from collections.abc import Callable

from core.ports.scheduler import DeferredJob, RecurringJob, Scheduler


class InMemoryScheduler(Scheduler):
    """Keeps deferred jobs in a list. ``run_pending`` hands them to ``runner``; with
    ``inline=True`` each job runs as soon as it is deferred."""

    def __init__(
        self,
        runner: Callable[[DeferredJob], None] | None = None,
        jobs: list[RecurringJob] | None = None,
        *,
        inline: bool = False,
    ) -> None:
        self.runner = runner
        self.inline = inline
        self.pending: list[DeferredJob] = []
        self._jobs = list(jobs or [])
        self._lock = threading.Lock()

    def defer(self, job: DeferredJob) -> None:
        if self.inline and self.runner is not None:
            self.runner(job)
            return
        with self._lock:
            self.pending.append(job)

    def recurring_jobs(self) -> list[RecurringJob]:
        return list(self._jobs)

    def run_pending(self) -> int:
        """Run every queued job (including ones they queue). Returns how many ran."""
        if self.runner is None:
            raise RuntimeError("InMemoryScheduler has no runner to hand jobs to")
        count = 0
        while True:
            with self._lock:
                if not self.pending:
                    return count
                job = self.pending.pop(0)
            self.runner(job)
            count += 1
