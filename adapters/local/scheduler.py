"""The in-process scheduler: deferred work on a thread pool and a loop that ticks the app.

Deferred jobs (the "work later" half of a webhook) run on worker threads, off the request
path, through :meth:`core.app.App.run_deferred`. A failure is logged with its traceback
and kept in :attr:`LocalScheduler.failures`; it is never dropped silently.

Two lanes: :meth:`LocalScheduler.defer` queues on the main pool, where a job may take
seconds (a model call); :meth:`LocalScheduler.defer_fast` queues a short job (one chat
post, such as Slack's "Thinking…") on a small pool of its own, so it runs right after the
response even while every main worker waits on the model.

The recurring loop wakes on start and then every ``interval`` seconds and hands the app
``ScheduledTick("*", now)``. Which jobs are due, in each athlete's local time and across
DST changes, is decided by :mod:`core.schedule`; the once-per-local-day guarantee comes
from claims in Storage, so it survives restarts and several processes on one database.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.events import ScheduledTick
from core.ports.scheduler import DeferredJob, RecurringJob, Scheduler
from core.schedule import DueRun

if TYPE_CHECKING:
    from core.app import App

log = logging.getLogger("momentum.scheduler")

DEFAULT_INTERVAL = 30.0
"""Seconds between ticks: well inside the grace window, cheap when nothing is due."""
DEFAULT_YIELD_LIMIT = 0.25
"""Longest a deferred job waits for the HTTP server to go quiet (see ``yield_to``)."""


@dataclass(frozen=True)
class FailedJob:
    """A deferred job or tick that raised, kept so the failure can be seen later."""

    what: str
    at: dt.datetime
    error: str


class LocalScheduler(Scheduler):
    """Runs deferred jobs on ``workers`` threads and ticks recurring jobs every ``interval``.

    Build it, pass it to :func:`core.compose.build_app`, then :meth:`attach` the app (the
    app needs a scheduler and the scheduler needs the app). :meth:`start` runs the loop;
    without it deferred jobs still run, which is what one-shot CLI commands need.
    """

    def __init__(
        self, *, workers: int = 4, interval: float = DEFAULT_INTERVAL, fast_workers: int = 2
    ) -> None:
        if workers < 1 or fast_workers < 1:
            raise ValueError("LocalScheduler needs at least one worker in each lane")
        if interval <= 0:
            raise ValueError("LocalScheduler interval must be positive")
        self.workers = workers
        self.fast_workers = fast_workers
        self.interval = interval
        self.failures: deque[FailedJob] = deque(maxlen=100)
        """The latest failures (deferred jobs and ticks), oldest first."""
        self.ticks = 0
        """How many ticks have run (a liveness figure for ``serve``)."""
        self._app: App | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._fast_pool: ThreadPoolExecutor | None = None
        self._pending: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._stop = threading.Event()
        self._loop: threading.Thread | None = None
        self._closed = False
        self._quiet: threading.Event | None = None
        self._yield_limit = 0.0

    # -- wiring ---------------------------------------------------------------------------
    def attach(self, app: App) -> None:
        """Bind the app whose ``run_deferred`` and ``tick`` this scheduler drives."""
        self._app = app

    @property
    def app(self) -> App:
        """The attached app."""
        if self._app is None:
            raise RuntimeError("LocalScheduler is not attached to an app (call attach(app))")
        return self._app

    def recurring_jobs(self) -> list[RecurringJob]:
        """The app's recurring jobs (from the loaded plugins); none before :meth:`attach`."""
        return self._app.recurring_jobs() if self._app is not None else []

    # -- deferred work --------------------------------------------------------------------
    def defer(self, job: DeferredJob) -> None:
        """Queue ``job`` on the worker pool and return at once."""
        self._submit(job, fast=False)

    def defer_fast(self, job: DeferredJob) -> None:
        """Queue a short job (no model call, at most a few Web API calls) on the fast lane.

        The fast lane has its own ``fast_workers`` threads, so such a job never waits
        behind the main pool's long jobs. Failures are logged and kept like any other.
        """
        self._submit(job, fast=True)

    def _submit(self, job: DeferredJob, *, fast: bool) -> None:
        app = self.app
        with self._lock:
            if self._closed:
                raise RuntimeError("LocalScheduler is stopped; cannot defer more work")
            if fast:
                if self._fast_pool is None:
                    self._fast_pool = ThreadPoolExecutor(
                        self.fast_workers, thread_name_prefix="momentum-fast"
                    )
                pool = self._fast_pool
            else:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="momentum-job")
                pool = self._pool
            future = pool.submit(self._run_deferred, app, job)
            self._pending.add(future)
        future.add_done_callback(self._done)

    def yield_to(self, quiet: threading.Event, limit: float = DEFAULT_YIELD_LIMIT) -> None:
        """Hold each deferred job, before it starts, until ``quiet`` is set, for at most
        ``limit`` seconds.

        ``momentum serve`` passes its HTTP server's "no request being answered" event.
        Under the interpreter lock a deferred job competes with the request threads for
        one core, so a burst of webhooks is answered first and the work it deferred
        (even "Thinking…") starts right after, delayed by at most ``limit``.
        """
        if limit < 0:
            raise ValueError("yield limit must not be negative")
        self._quiet, self._yield_limit = quiet, limit

    def _run_deferred(self, app: App, job: DeferredJob) -> None:
        quiet = self._quiet
        if quiet is not None:
            quiet.wait(self._yield_limit)
        try:
            app.run_deferred(job)
        except Exception as exc:
            label = f"deferred job {job.kind}" + (f" ({job.key})" if job.key else "")
            log.exception("%s failed", label)
            self.failures.append(FailedJob(label, app.clock.now(), _describe(exc)))

    def _done(self, future: Future[None]) -> None:
        with self._idle:
            self._pending.discard(future)
            if not self._pending:
                self._idle.notify_all()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until no deferred job is queued or running. False if ``timeout`` passed."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._pending, timeout)

    @property
    def pending(self) -> int:
        """Deferred jobs queued or running."""
        with self._lock:
            return len(self._pending)

    # -- recurring jobs -------------------------------------------------------------------
    def tick_now(self) -> list[DueRun]:
        """Fire every job due now (by the app's clock); returns what fired.

        A failing job is logged and recorded; its claim was released by the app, so the
        next tick retries it while it is still within the grace window.
        """
        app = self.app
        now = app.clock.now()
        self.ticks += 1
        try:
            return app.tick(ScheduledTick("*", now))
        except Exception as exc:
            # App.tick has logged each failed job with its traceback already.
            log.error("scheduled tick at %s failed: %s", now.isoformat(), _describe(exc))
            self.failures.append(FailedJob("tick", now, _describe(exc)))
            return []

    def start(self) -> None:
        """Start the loop thread: a tick now, then one every ``interval`` seconds."""
        self.app  # noqa: B018 - fail here, not in the thread, when unattached
        with self._lock:
            if self._closed:
                raise RuntimeError("LocalScheduler is stopped; build a new one")
            if self._loop is not None:
                return
            self._loop = threading.Thread(target=self._run_loop, name="momentum-tick", daemon=True)
        self._loop.start()

    @property
    def running(self) -> bool:
        """True while the loop thread is alive."""
        return self._loop is not None and self._loop.is_alive()

    def _run_loop(self) -> None:
        log.info("scheduler started (tick every %.0f s)", self.interval)
        while not self._stop.is_set():
            for run in self.tick_now():
                log.info(
                    "fired %s for %s (%s)", run.job.name, run.athlete_id, run.local_date.isoformat()
                )
            self._stop.wait(self.interval)
        log.info("scheduler stopped")

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop the loop and let running deferred jobs finish (up to ``timeout`` seconds).

        Jobs still queued after the timeout are cancelled and logged, never dropped quietly.
        """
        self._stop.set()
        with self._lock:
            self._closed = True
            loop = self._loop
            pools = [p for p in (self._fast_pool, self._pool) if p is not None]
        if loop is not None and loop is not threading.current_thread():
            loop.join(timeout)
        if not pools:
            return
        if not self.wait_idle(timeout):
            with self._lock:
                left = [f for f in self._pending if not f.running()]
            cancelled = sum(1 for f in left if f.cancel())
            if cancelled:
                log.error("stopped with %d deferred job(s) not run", cancelled)
        for pool in pools:
            pool.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> LocalScheduler:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"
