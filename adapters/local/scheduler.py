"""The in-process scheduler: deferred work on a thread pool and a loop that ticks the app.

Deferred jobs (the "work later" half of a webhook) run on worker threads, off the request
path, through :meth:`momentum.core.app.App.run_deferred`. A failure is logged with its traceback
and kept in :attr:`LocalScheduler.failures`; it is never dropped silently.

Two lanes: :meth:`LocalScheduler.defer` queues on the main pool, where a job may take
seconds (a model call); :meth:`LocalScheduler.defer_fast` queues a short job (one chat
post, such as Slack's "Thinking…") on a small pool of its own, so it runs right after the
response even while every main worker waits on the model.

The recurring loop ticks on start (catching up on anything due within the grace window)
and then every ``interval`` seconds, on the UTC quarter hours by default, handing the app
``ScheduledTick("*", now)``: core's fan-out tick, the same one every cloud runs. Which
jobs are due, in each athlete's local time and across DST changes, is decided by
:mod:`momentum.core.schedule`; the once-per-local-day guarantee comes from claims in
Storage, so it survives restarts and several processes on one database.

Delayed jobs (:meth:`LocalScheduler.defer_at`) are written to the ``deferred_jobs`` table
of the coach's SQLite database, so ``momentum serve`` restarting (or a one-shot command
deferring one) loses nothing: the loop claims each job once it is due, with a lease, in
one write transaction, so two processes on one database never both run it. A process
that dies mid-job leaves a lease that lapses after ``DELAYED_LEASE``, and then the job
runs again (at least once). A job that raises is offered again after a back-off, up to
``MAX_DELIVERIES`` times in all (Lambda's one try and two retries), then logged, kept in
:attr:`LocalScheduler.failures` and dropped. With a storage that has no such table
(in-memory tests), delayed jobs wait in memory instead and die with the process.

Jobs started at once (:meth:`LocalScheduler.defer`, ``defer_fast``) are recorded there
too, under this process's token, before the webhook that deferred them is acked; the
next start resumes the jobs of a process that died (:meth:`LocalScheduler.resume_orphans`).
A job runs as its job id (:func:`~momentum.core.runtime.claims.holding`), the same on
every delivery: the leases it takes on work in progress (``once()``) are its own, so
resumed it takes them back at once rather than waiting for them to lapse. The jobs it
defers are counted on its row in the same transaction that records them, so resumed it
does not record the ones it had handed off already (a Slack event answered twice).

Housekeeping: once a day the loop deletes expired idempotency claims
(``purge_expired_claims``), guarded by a claim of its own so several processes (or
restarts) on one database purge at most once a day between them.
"""

from __future__ import annotations

import datetime as dt
import heapq
import logging
import math
import os
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from momentum.core.events import ScheduledTick
from momentum.core.ports.deferral import DeferralBusy
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler, due_instant
from momentum.core.runtime.claims import holding
from momentum.core.schedule import DueRun

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.scheduler")

DEFAULT_INTERVAL = 900.0
"""Seconds between ticks: the same 15-minute UTC tick every cloud schedule sends. An
interval that divides an hour is aligned to the wall clock (00, 15, 30 and 45 past)."""
DEFAULT_YIELD_LIMIT = 0.25
"""Longest a deferred job waits for the HTTP server to go quiet (see ``yield_to``)."""


DELAYED_LEASE = dt.timedelta(minutes=15)
"""How long a claimed delayed job is held before another process may run it again (well
over a model call; a process that died mid-job is retried after this)."""
MAX_DELIVERIES = 3
"""Times a failing delayed job is handed out before it is dropped (logged and kept)."""
RETRY_BACKOFF = dt.timedelta(minutes=1)
"""Wait before a failed delayed job is offered again, times the deliveries so far."""
HOUSEKEEPING_EVERY = dt.timedelta(days=1)
"""How often expired claims are purged, at most."""
HOUSEKEEPING_CLAIM = "local:housekeeping:purge-claims"
RUNNING_LEASE = dt.timedelta(hours=6)
"""How long a job started at once stays with its process: a live process is never robbed of
it; one that died is found at the next start (its pid is gone) and resumed at once."""
DEFAULT_MAX_QUEUED = 256
"""Deferred jobs each lane holds (queued or running) before ``defer`` refuses more with
:class:`~momentum.core.ports.deferral.DeferralBusy`: a flood of webhooks (or a chat
platform that stopped answering) is answered "busy" rather than growing threads and
memory without bound."""
RUN_WAIT = dt.timedelta(minutes=15)
"""How long a tick waits for the runs it fanned out before the loop goes on."""


@dataclass(frozen=True)
class FailedJob:
    """A deferred job or tick that raised, kept so the failure can be seen later."""

    what: str
    at: dt.datetime
    error: str


@dataclass(frozen=True)
class DelayedEntry:
    """A delayed job as its store keeps it: ``deliveries`` counts the times it has been
    handed out (this one included), ``token`` names the current claim ("" if none) and
    ``handed_off`` counts the jobs its earlier deliveries deferred (a durable store)."""

    job_id: str
    job: DeferredJob
    due: dt.datetime
    deliveries: int = 0
    token: str = ""
    handed_off: int = 0


@dataclass
class _Delivery:
    """The durable job this worker thread is running, and how many jobs it deferred."""

    scheduler: LocalScheduler
    entry: DelayedEntry
    deferred: int = 0


_RUNNING: ContextVar[_Delivery | None] = ContextVar("momentum_running_job", default=None)


@runtime_checkable
class DelayedJobStore(Protocol):
    """Where delayed jobs wait: :class:`~momentum.adapters.local.sqlite_storage.SqliteStorage`
    (durable, shared by processes) or :class:`MemoryDelayedJobs`."""

    def put_deferred_job(
        self, job_id: str, job: DeferredJob, due: dt.datetime, now: dt.datetime
    ) -> bool:
        """Record a job; False when ``job_id`` already waits."""
        ...

    def claim_deferred_jobs(
        self, now: dt.datetime, lease: dt.timedelta, token: str, limit: int
    ) -> list[DelayedEntry]:
        """Claim jobs due by ``now`` that no live lease holds."""
        ...

    def finish_deferred_job(self, job_id: str, token: str) -> bool:
        """Delete a job the claim ``token`` ran."""
        ...

    def retry_deferred_job(self, job_id: str, token: str, due: dt.datetime) -> bool:
        """Release a claimed job, due again at ``due``."""
        ...

    def next_deferred_due(self) -> dt.datetime | None:
        """The earliest moment a waiting job can be claimed."""
        ...

    def list_deferred_jobs(self) -> list[DelayedEntry]:
        """Every delayed job waiting or running."""
        ...


class MemoryDelayedJobs:
    """A :class:`DelayedJobStore` in this process's memory: for a storage with no table
    of its own. Same claims and leases; nothing survives the process."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[DelayedEntry, dt.datetime]] = {}
        self._lock = threading.Lock()

    def put_deferred_job(
        self, job_id: str, job: DeferredJob, due: dt.datetime, now: dt.datetime
    ) -> bool:
        with self._lock:
            if job_id in self._rows:
                return False
            self._rows[job_id] = (DelayedEntry(job_id, job, due), _EPOCH)
            return True

    def claim_deferred_jobs(
        self, now: dt.datetime, lease: dt.timedelta, token: str, limit: int
    ) -> list[DelayedEntry]:
        with self._lock:
            free = [e for e, held in self._rows.values() if e.due <= now and held <= now]
            chosen = heapq.nsmallest(limit, free, key=lambda e: (e.due, e.job_id))
            claimed = []
            for entry in chosen:
                taken = DelayedEntry(
                    entry.job_id, entry.job, entry.due, entry.deliveries + 1, token
                )
                self._rows[entry.job_id] = (taken, now + lease)
                claimed.append(taken)
            return claimed

    def finish_deferred_job(self, job_id: str, token: str) -> bool:
        with self._lock:
            found = self._rows.get(job_id)
            if found is None or found[0].token != token:
                return False
            del self._rows[job_id]
            return True

    def retry_deferred_job(self, job_id: str, token: str, due: dt.datetime) -> bool:
        with self._lock:
            found = self._rows.get(job_id)
            if found is None or found[0].token != token:
                return False
            entry = found[0]
            self._rows[job_id] = (DelayedEntry(job_id, entry.job, due, entry.deliveries), _EPOCH)
            return True

    def next_deferred_due(self) -> dt.datetime | None:
        with self._lock:
            return min((max(e.due, held) for e, held in self._rows.values()), default=None)

    def list_deferred_jobs(self) -> list[DelayedEntry]:
        with self._lock:
            return sorted((e for e, _ in self._rows.values()), key=lambda e: (e.due, e.job_id))


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@runtime_checkable
class DurableStart(DelayedJobStore, Protocol):
    """A store that also records jobs started at once (SQLite): deferred work is written
    before the webhook acks, deleted when it finishes, and resumed after a crash."""

    def put_running_job(
        self,
        job_id: str,
        job: DeferredJob,
        now: dt.datetime,
        lease: dt.timedelta,
        token: str,
        *,
        handed_by: str = "",
        index: int = 0,
    ) -> bool:
        """Record a job this process starts now under claim ``token``; False (nothing
        written) when job ``handed_by`` had recorded its ``index``-th job already."""
        ...

    def release_orphans(self, orphaned: Callable[[str], bool], due: dt.datetime) -> int:
        """Give back the jobs of claims ``orphaned`` says are dead."""
        ...


def delayed_job_id(job: DeferredJob, due: dt.datetime) -> str:
    """The store id of ``job`` due at ``due``: the same ``(kind, key, due)`` gives the same
    id (deferred again, it is not stored twice); a job without a key gets a fresh one."""
    micros = (due - _EPOCH) // dt.timedelta(microseconds=1)
    key = job.key or f"#{uuid.uuid4().hex}"
    return f"{job.kind}|{key}|{micros}"


class LocalScheduler(Scheduler):
    """Runs deferred jobs on ``workers`` threads and ticks recurring jobs every ``interval``.

    Build it, pass it to :func:`momentum.core.compose.build_app`, then :meth:`attach` the app (the
    app needs a scheduler and the scheduler needs the app). :meth:`start` runs the loop;
    without it deferred jobs still run, which is what one-shot CLI commands need.
    """

    has_fast_lane = True

    def __init__(
        self,
        *,
        workers: int = 4,
        interval: float = DEFAULT_INTERVAL,
        fast_workers: int = 2,
        delayed: DelayedJobStore | None = None,
        max_queued: int = DEFAULT_MAX_QUEUED,
    ) -> None:
        if workers < 1 or fast_workers < 1:
            raise ValueError("LocalScheduler needs at least one worker in each lane")
        if max_queued < 1:
            raise ValueError("LocalScheduler max_queued must be at least 1")
        if interval <= 0:
            raise ValueError("LocalScheduler interval must be positive")
        self.workers = workers
        self.fast_workers = fast_workers
        self.interval = interval
        self.max_queued = max_queued
        """Deferred jobs each lane holds (queued or running) before refusing more."""
        self.refused = 0
        """How many deferred jobs were refused because a lane was full."""
        self._queued = {"main": 0, "fast": 0}
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
        self._delayed = delayed
        self._wake = threading.Event()
        self._next_housekeeping: dt.datetime | None = None
        self._boot = uuid.uuid4().hex
        self.token = f"proc:{os.getpid()}:{self._boot}"
        """This process's claim on the deferred jobs it runs (orphaned if it dies)."""

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
        store = self.delayed_store
        lane = "fast" if fast else "main"
        self._reserve(lane, job)  # before anything is written: a refusal records nothing
        try:
            if not isinstance(store, DurableStart):
                self._submit_call(self._run_deferred, app, job, fast=fast, lane=lane)
                return
            # Written before the caller acks (one INSERT): a crash before the answer leaves
            # the row, and the next start runs it (see resume_orphans).
            entry = DelayedEntry(f"now|{uuid.uuid4().hex}", job, app.clock.now(), 1, self.token)
            parent = _RUNNING.get()
            if parent is not None and parent.scheduler is self:
                # Deferred by a durable job (Slack's "Thinking…" handing over to the reply):
                # recorded with the parent's count in one transaction, so a parent resumed
                # after a crash does not hand the same work over twice.
                index, parent.deferred = parent.deferred, parent.deferred + 1
                if not store.put_running_job(
                    entry.job_id,
                    job,
                    entry.due,
                    RUNNING_LEASE,
                    self.token,
                    handed_by=parent.entry.job_id,
                    index=index,
                ):
                    log.info("%s was handed off before a restart; not again", _label(job))
                    self._unreserve(lane)
                    return
            else:
                store.put_running_job(entry.job_id, job, entry.due, RUNNING_LEASE, self.token)
            try:
                self._submit_call(self._run_delayed, app, entry, fast=fast, lane=lane)
            except RuntimeError:
                store.retry_deferred_job(entry.job_id, self.token, entry.due)
                raise
        except BaseException:
            self._unreserve(lane)
            raise

    def _reserve(self, lane: str, job: DeferredJob) -> None:
        """Take a place in ``lane``; :class:`DeferralBusy` (logged) when it is full."""
        with self._lock:
            if self._queued[lane] >= self.max_queued:
                self.refused += 1
                refused = True
            else:
                self._queued[lane] += 1
                refused = False
        if refused:
            log.warning(
                "deferred work queue full (%d %s jobs queued or running): refused %s",
                self.max_queued,
                lane,
                _label(job),
            )
            raise DeferralBusy(f"the {lane} deferred work queue is full; try again later")

    def _unreserve(self, lane: str) -> None:
        with self._lock:
            self._queued[lane] -= 1

    def resume_orphans(self) -> int:
        """Give back the jobs of processes that died (``kill -9``, a power cut) so the
        loop runs them now; returns how many. :meth:`start` calls it."""
        store = self.delayed_store
        if not isinstance(store, DurableStart):
            return 0
        resumed = store.release_orphans(self._orphaned, self.app.clock.now())
        if resumed:
            log.warning("resuming %d deferred job(s) left by a process that stopped", resumed)
        return resumed

    def _orphaned(self, token: str) -> bool:
        """True when claim ``token`` belongs to a process that no longer runs."""
        kind, _, rest = token.partition(":")
        pid_text, _, boot = rest.partition(":")
        if kind != "proc" or not pid_text.isdigit() or boot == self._boot:
            return False
        pid = int(pid_text)
        if pid == os.getpid():
            return True  # this pid, another boot: the earlier process is gone
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            return False
        return False

    def _submit_call(
        self, fn: Callable[..., None], *args: object, fast: bool = False, lane: str = ""
    ) -> None:
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
            future = pool.submit(fn, *args)
            self._pending.add(future)
        if lane:  # the place taken by _reserve is given back when the job is done
            future.add_done_callback(lambda _future: self._unreserve(lane))
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
        self._wait_quiet()
        try:
            app.run_deferred(job)
        except Exception as exc:
            label = _label(job)
            log.exception("%s failed", label)
            self.failures.append(FailedJob(label, app.clock.now(), _describe(exc)))

    def _wait_quiet(self) -> None:
        quiet = self._quiet
        if quiet is not None:
            quiet.wait(self._yield_limit)

    # -- delayed work -----------------------------------------------------------------------
    @property
    def delayed_store(self) -> DelayedJobStore:
        """Where delayed jobs wait: the one given, else the app's storage when it keeps
        them (SQLite), else this process's memory."""
        if self._delayed is None:
            storage = self.app.storage
            if isinstance(storage, DelayedJobStore):
                self._delayed = storage
            else:
                log.warning(
                    "%s keeps no delayed jobs; they wait in memory and a restart loses them",
                    type(storage).__name__,
                )
                self._delayed = MemoryDelayedJobs()
        return self._delayed

    def defer_at(self, job: DeferredJob, at: dt.datetime) -> None:
        """Record ``job`` to run once ``at`` has passed (an ``at`` already past runs it
        now, like :meth:`defer`).

        The record is written before this returns, so it survives a restart; the loop
        started by :meth:`start` runs it when due. Without the loop (a one-shot
        command) it waits for the next ``momentum serve``. Works after :meth:`stop` too:
        a job finishing during shutdown can still schedule its retry.
        """
        due = due_instant(at)
        app = self.app
        now = app.clock.now()
        if due <= now:
            self.defer(job)
            return
        stored = self.delayed_store.put_deferred_job(delayed_job_id(job, due), job, due, now)
        state = "delayed" if stored else "already delayed"
        log.info("%s %s until %s", state, _label(job), due.isoformat())
        self._wake.set()

    def run_due(self) -> int:
        """Claim the delayed jobs due now (by the app's clock) and start them on the worker
        pool; returns how many. The loop calls this; tests call it after moving a clock."""
        app = self.app
        with self._lock:
            if self._closed:
                return 0
        # Claimed under this process's token, so if it dies mid-job the next start sees
        # the claim as orphaned and resumes the job at once (not after DELAYED_LEASE).
        entries = self.delayed_store.claim_deferred_jobs(
            app.clock.now(), DELAYED_LEASE, self.token, self.workers * 2
        )
        for entry in entries:
            try:
                self._submit_call(self._run_delayed, app, entry)
            except RuntimeError:
                # Stopped meanwhile: the lease lapses and the next start runs it.
                log.info("%s left for the next start", _label(entry.job))
        return len(entries)

    def _run_delayed(self, app: App, entry: DelayedEntry) -> None:
        try:
            self._run_entry(app, entry)
        finally:
            # A worker is free: let the loop claim what else is due now (a restart may
            # have given back more jobs than one claim takes).
            self._wake.set()

    def _run_entry(self, app: App, entry: DelayedEntry) -> None:
        self._wait_quiet()
        label = _label(entry.job)
        running = _RUNNING.set(_Delivery(self, entry))
        try:
            # As the job's own id: the leases it takes (once()) are its, so if this
            # process dies mid-job, the job resumed by the next start takes them back.
            with holding(entry.job_id):
                app.run_deferred(entry.job)
        except Exception as exc:
            self._delayed_failed(app, entry, exc)
            return
        finally:
            _RUNNING.reset(running)
        try:
            if not self.delayed_store.finish_deferred_job(entry.job_id, entry.token):
                log.warning("%s ran after its lease lapsed; another process may run it", label)
        except Exception as exc:
            # The job ran; its row stays leased and runs again when the lease lapses.
            log.exception("%s ran but could not be marked done", label)
            self.failures.append(FailedJob(label, app.clock.now(), _describe(exc)))

    def _delayed_failed(self, app: App, entry: DelayedEntry, exc: Exception) -> None:
        label, now = _label(entry.job), app.clock.now()
        self.failures.append(FailedJob(label, now, _describe(exc)))
        store = self.delayed_store
        try:
            if entry.deliveries < MAX_DELIVERIES:
                log.error(
                    "%s failed (delivery %d of %d); offered again later",
                    label,
                    entry.deliveries,
                    MAX_DELIVERIES,
                    exc_info=exc,
                )
                backoff = RETRY_BACKOFF * entry.deliveries
                store.retry_deferred_job(entry.job_id, entry.token, now + backoff)
            else:
                log.error("%s failed %d times; dropped", label, entry.deliveries, exc_info=exc)
                store.finish_deferred_job(entry.job_id, entry.token)
        except Exception:
            log.exception("%s: could not record the failure; its lease will lapse", label)
        self._wake.set()

    # -- housekeeping ---------------------------------------------------------------------
    def housekeeping(self) -> int | None:
        """Purge expired idempotency claims if this process has not tried for a day and no
        process on the database has done it for a day; returns how many were purged, or
        ``None`` when it was not this call's turn (or the storage has no purge)."""
        app = self.app
        now = app.clock.now()
        if self._next_housekeeping is not None and now < self._next_housekeeping:
            return None
        self._next_housekeeping = now + HOUSEKEEPING_EVERY
        purge = getattr(app.storage, "purge_expired_claims", None)
        if purge is None:
            return None
        if not app.storage.claim(HOUSEKEEPING_CLAIM, now, HOUSEKEEPING_EVERY):
            return None
        purged = int(purge(now))
        log.info("housekeeping: purged %d expired claim(s)", purged)
        return purged

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
            fired = app.tick(ScheduledTick("*", now))
            if fired:
                # The tick fanned the runs out to the pool; wait for them so a run's
                # outcome (a failure releases its claim) is known before the next tick.
                self.wait_idle(RUN_WAIT.total_seconds())
            return [run for run in fired if self._succeeded(app, run)]
        except Exception as exc:
            # App.tick has logged each failed job with its traceback already.
            log.error("scheduled tick at %s failed: %s", now.isoformat(), _describe(exc))
            self.failures.append(FailedJob("tick", now, _describe(exc)))
            return []

    @staticmethod
    def _succeeded(app: App, run: DueRun) -> bool:
        """True once ``run``'s deferred job has finished (its run claim is kept)."""
        return not app.storage.claim(f"{run.key}#run", app.clock.now(), dt.timedelta(0))

    def start(self) -> None:
        """Start the loop thread: a tick now, then one every ``interval`` seconds."""
        self.app  # noqa: B018 - fail here, not in the thread, when unattached
        with self._lock:
            if self._closed:
                raise RuntimeError("LocalScheduler is stopped; build a new one")
            if self._loop is not None:
                return
        self._guarded("resuming deferred jobs", self.resume_orphans)
        with self._lock:
            self._loop = threading.Thread(target=self._run_loop, name="momentum-tick", daemon=True)
        self._loop.start()

    @property
    def running(self) -> bool:
        """True while the loop thread is alive."""
        return self._loop is not None and self._loop.is_alive()

    def _run_loop(self) -> None:
        log.info("scheduler started (tick every %.0f s)", self.interval)
        next_tick = time.monotonic()
        while not self._stop.is_set():
            if time.monotonic() >= next_tick:
                for run in self.tick_now():
                    log.info(
                        "fired %s for %s (%s)",
                        run.job.name,
                        run.athlete_id,
                        run.local_date.isoformat(),
                    )
                next_tick = time.monotonic() + self._until_next_tick()
            self._guarded("delayed jobs", self.run_due)
            self._guarded("housekeeping", self.housekeeping)
            self._wake.wait(max(0.0, min(next_tick - time.monotonic(), self._until_due())))
            self._wake.clear()
        log.info("scheduler stopped")

    def _until_next_tick(self) -> float:
        """Seconds to the next tick: to the next wall-clock multiple of ``interval`` when it
        divides an hour (quarter hours by default, like a cloud's cron), else ``interval``."""
        if 3600 % self.interval:
            return self.interval
        now = time.time()
        return (math.floor(now / self.interval) + 1) * self.interval - now

    def _guarded(self, what: str, step: Callable[[], object]) -> None:
        """Run one loop step; a failure is logged and kept, and the loop goes on."""
        try:
            step()
        except Exception as exc:
            log.exception("%s failed", what)
            self.failures.append(FailedJob(what, self.app.clock.now(), _describe(exc)))

    def _until_due(self) -> float:
        """Seconds until the next delayed job can be claimed (by the app's clock)."""
        try:
            due = self.delayed_store.next_deferred_due()
        except Exception:
            return self.interval
        if due is None:
            return self.interval
        return max(0.5, (due - self.app.clock.now()).total_seconds())

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop the loop and let running deferred jobs finish (up to ``timeout`` seconds).

        Jobs still queued after the timeout are cancelled and logged, never dropped quietly.
        """
        self._stop.set()
        self._wake.set()
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


def _label(job: DeferredJob) -> str:
    return f"deferred job {job.kind}" + (f" ({job.key})" if job.key else "")
