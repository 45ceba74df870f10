"""Scheduler.defer_at: never early, at least once, idempotent by key, and (locally) kept in
the SQLite database so a restart of ``momentum serve`` loses nothing.

The in-memory scheduler runs a delayed job when its FixedClock has been moved past the
job's time; the local scheduler's store is the coach's own ``momentum.db``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.adapters.local import scheduler as local
from momentum.adapters.local.scheduler import (
    DELAYED_LEASE,
    HOUSEKEEPING_CLAIM,
    MAX_DELIVERIES,
    LocalScheduler,
    MemoryDelayedJobs,
)
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import Storage

T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
MINUTE = dt.timedelta(minutes=1)


# -- the in-memory scheduler -------------------------------------------------------------------
def memory(clock: FixedClock | None) -> tuple[InMemoryScheduler, list[DeferredJob]]:
    ran: list[DeferredJob] = []
    return InMemoryScheduler(ran.append, clock=clock), ran


def test_memory_runs_a_delayed_job_once_the_clock_has_passed_its_time() -> None:
    clock = FixedClock(T0)
    scheduler, ran = memory(clock)
    scheduler.defer_at(DeferredJob("retry", {"n": 1}, "k"), T0 + 15 * MINUTE)
    assert scheduler.run_pending() == 0 and ran == []
    clock.advance(15 * MINUTE - dt.timedelta(microseconds=1))
    assert scheduler.run_pending() == 0  # never early, not even by a microsecond
    clock.advance(dt.timedelta(microseconds=1))
    assert scheduler.run_pending() == 1
    assert ran == [DeferredJob("retry", {"n": 1}, "k")]
    assert scheduler.delayed == [] and scheduler.next_due() is None


def test_memory_a_time_already_past_is_a_plain_defer() -> None:
    clock = FixedClock(T0)
    scheduler, ran = memory(clock)
    scheduler.defer_at(DeferredJob("now"), T0 - MINUTE)
    assert scheduler.pending == [DeferredJob("now")] and scheduler.delayed == []
    assert scheduler.run_pending() == 1 and ran == [DeferredJob("now")]


def test_memory_the_same_kind_key_and_time_is_held_once_and_keyless_jobs_each_time() -> None:
    clock = FixedClock(T0)
    scheduler, ran = memory(clock)
    due = T0 + 5 * MINUTE
    for _ in range(3):
        scheduler.defer_at(DeferredJob("retry", {"attempt": 1}, "strava:create:1"), due)
    scheduler.defer_at(DeferredJob("retry", {"attempt": 2}, "strava:create:1"), due + MINUTE)
    scheduler.defer_at(DeferredJob("other", {}, "strava:create:1"), due)  # another kind
    scheduler.defer_at(DeferredJob("keyless"), due)
    scheduler.defer_at(DeferredJob("keyless"), due)
    assert len(scheduler.delayed) == 5
    clock.advance(10 * MINUTE)
    assert scheduler.run_pending() == 5
    assert [job.kind for job in ran].count("keyless") == 2


def test_memory_without_a_clock_jobs_wait_for_an_explicit_now() -> None:
    scheduler, ran = memory(None)
    scheduler.defer_at(DeferredJob("later"), T0 + MINUTE)
    assert scheduler.run_pending() == 0
    assert scheduler.run_pending(now=T0 + MINUTE) == 1 and ran == [DeferredJob("later")]


def test_a_naive_time_is_refused_naming_the_problem() -> None:
    scheduler, _ = memory(FixedClock(T0))
    with pytest.raises(ValueError, match="timezone-aware"):
        scheduler.defer_at(DeferredJob("x"), dt.datetime(2026, 3, 3, 12, 0))


@settings(max_examples=60, deadline=None)
@given(
    delays=st.lists(st.integers(min_value=-120, max_value=3600), min_size=1, max_size=12),
    steps=st.lists(st.integers(min_value=0, max_value=900), min_size=1, max_size=12),
)
def test_memory_every_delayed_job_runs_once_never_early_in_due_order(
    delays: list[int], steps: list[int]
) -> None:
    clock = FixedClock(T0)
    runs: list[tuple[dt.datetime, int]] = []
    due_of = {n: T0 + dt.timedelta(seconds=d) for n, d in enumerate(delays)}
    scheduler = InMemoryScheduler(lambda job: runs.append((clock.now(), job.payload["n"])))
    scheduler.clock = clock
    for n, due in due_of.items():
        scheduler.defer_at(DeferredJob("job", {"n": n}, f"k{n}"), due)
    for step in steps:
        clock.advance(dt.timedelta(seconds=step))
        scheduler.run_pending()
    clock.advance(dt.timedelta(hours=2))
    scheduler.run_pending()
    assert sorted(n for _, n in runs) == list(range(len(delays)))  # each exactly once
    assert all(at >= due_of[n] for at, n in runs)  # never before its time
    late = [n for _, n in runs if due_of[n] > T0]
    assert [due_of[n] for n in late] == sorted(due_of[n] for n in late)


# -- the local scheduler on SQLite ------------------------------------------------------------
class Process:
    """One ``momentum serve`` on the shared database file: its own storage handle, app and
    scheduler (a restart is a new Process on the same file)."""

    def __init__(self, db: Path, clock: FixedClock, runs: list[tuple[str, str]]) -> None:
        self.storage = SqliteStorage(db)
        self.scheduler = LocalScheduler(workers=2, interval=0.05)
        self.app = App(
            storage=self.storage,
            scheduler=self.scheduler,
            chat=RecordingChat(),
            model=ScriptedModel(),
            clock=clock,
            plugins=load_plugins(entry_points=False),
        )
        self.scheduler.attach(self.app)
        self.fail_times = 0
        self.name = f"process-{id(self)}"
        self._runs = runs
        self._lock = threading.Lock()
        self.app.deferred_handlers["work"] = self.work

    def work(self, app: App, job: DeferredJob) -> None:
        with self._lock:
            self._runs.append((self.name, job.key))
            failing = self.fail_times > 0
            self.fail_times -= 1 if failing else 0
        if failing:
            raise RuntimeError("strava said 503")

    def close(self) -> None:
        self.scheduler.stop(timeout=5)
        self.storage.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def runs() -> list[tuple[str, str]]:
    return []


@pytest.fixture
def start(
    tmp_path: Path, clock: FixedClock, runs: list[tuple[str, str]]
) -> Iterator[Callable[[], Process]]:
    """Starts a process on the test's database file; all are closed afterwards."""
    started: list[Process] = []

    def new_process() -> Process:
        process = Process(tmp_path / "momentum.db", clock, runs)
        started.append(process)
        return process

    yield new_process
    for process in started:
        process.close()


def run_due(process: Process) -> int:
    count = process.scheduler.run_due()
    assert process.scheduler.wait_idle(5)
    return count


def test_local_a_delayed_job_waits_in_the_database_and_runs_when_due(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    serve = start()
    serve.scheduler.defer_at(DeferredJob("work", {"attempt": 1}, "strava:create:7"), T0 + MINUTE)
    [waiting] = serve.storage.list_deferred_jobs()
    assert waiting.job == DeferredJob("work", {"attempt": 1}, "strava:create:7")
    assert waiting.due == T0 + MINUTE and waiting.deliveries == 0
    assert run_due(serve) == 0 and runs == []
    clock.advance(MINUTE)
    assert run_due(serve) == 1
    assert [key for _, key in runs] == ["strava:create:7"]
    assert serve.storage.list_deferred_jobs() == []  # done, so gone
    assert run_due(serve) == 0


def test_local_a_delayed_job_survives_a_restart(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    first = start()
    first.scheduler.defer_at(DeferredJob("work", {}, "retry-after-restart"), T0 + 15 * MINUTE)
    first.close()  # `momentum serve` stopped (or killed: the row was committed already)
    clock.advance(20 * MINUTE)
    second = start()
    assert run_due(second) == 1
    assert runs == [(second.name, "retry-after-restart")]


def test_local_the_same_job_deferred_twice_is_stored_once(start: Callable[[], Process]) -> None:
    serve = start()
    job = DeferredJob("work", {"attempt": 1}, "strava:create:9")
    serve.scheduler.defer_at(job, T0 + MINUTE)
    serve.scheduler.defer_at(job, T0 + MINUTE)
    serve.scheduler.defer_at(
        DeferredJob("work", {"attempt": 2}, "strava:create:9"), T0 + MINUTE * 2
    )
    serve.scheduler.defer_at(DeferredJob("work"), T0 + MINUTE)
    serve.scheduler.defer_at(DeferredJob("work"), T0 + MINUTE)
    assert len(serve.storage.list_deferred_jobs()) == 4


def test_local_a_time_already_past_runs_now_and_stores_nothing(
    start: Callable[[], Process], runs: list[tuple[str, str]]
) -> None:
    serve = start()
    serve.scheduler.defer_at(DeferredJob("work", {}, "now"), T0)
    assert serve.scheduler.wait_idle(5)
    assert [key for _, key in runs] == ["now"] and serve.storage.list_deferred_jobs() == []


def test_local_two_processes_on_one_database_run_a_due_job_once(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    one, two = start(), start()
    for n in range(12):
        one.scheduler.defer_at(DeferredJob("work", {}, f"job-{n}"), T0 + MINUTE)
    clock.advance(MINUTE)
    barrier = threading.Barrier(2)

    def race(process: Process) -> None:
        barrier.wait(5)
        while process.scheduler.run_due():
            pass

    threads = [threading.Thread(target=race, args=(p,)) for p in (one, two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert one.scheduler.wait_idle(5) and two.scheduler.wait_idle(5)
    assert sorted(key for _, key in runs) == sorted(f"job-{n}" for n in range(12))


def test_local_a_job_left_by_a_dead_process_runs_after_its_lease(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    dead = start()
    dead.scheduler.defer_at(DeferredJob("work", {}, "orphan"), T0 + MINUTE)
    clock.advance(MINUTE)
    # The process claims the job and dies before running it (no finish, no release).
    [claimed] = dead.storage.claim_deferred_jobs(clock.now(), DELAYED_LEASE, "dead", 10)
    assert claimed.deliveries == 1
    survivor = start()
    assert run_due(survivor) == 0  # the lease still holds
    clock.advance(DELAYED_LEASE)
    assert run_due(survivor) == 1 and runs == [(survivor.name, "orphan")]
    assert dead.storage.finish_deferred_job(claimed.job_id, "dead") is False  # claim gone


def test_local_a_failing_job_is_offered_again_then_dropped_and_kept_as_a_failure(
    start: Callable[[], Process],
    clock: FixedClock,
    runs: list[tuple[str, str]],
    caplog: pytest.LogCaptureFixture,
) -> None:
    serve = start()
    serve.fail_times = MAX_DELIVERIES  # fails every time it is offered
    serve.scheduler.defer_at(DeferredJob("work", {}, "flaky"), T0 + MINUTE)
    clock.advance(MINUTE)
    with caplog.at_level(logging.ERROR, logger="momentum.scheduler"):
        for delivery in range(1, MAX_DELIVERIES + 1):
            assert run_due(serve) == 1
            assert len(runs) == delivery
            left = serve.storage.list_deferred_jobs()
            if delivery < MAX_DELIVERIES:
                [back] = left
                assert back.due == clock.now() + local.RETRY_BACKOFF * delivery
                assert run_due(serve) == 0  # not before the back-off
                clock.advance(local.RETRY_BACKOFF * delivery)
    assert serve.storage.list_deferred_jobs() == []
    assert [f.what for f in serve.scheduler.failures] == ["deferred job work (flaky)"] * 3
    assert "strava said 503" in serve.scheduler.failures[-1].error
    assert any("failed 3 times; dropped" in r.getMessage() for r in caplog.records)


def test_local_a_job_that_fails_once_then_works_is_done(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    serve = start()
    serve.fail_times = 1
    serve.scheduler.defer_at(DeferredJob("work", {}, "once"), T0 + MINUTE)
    clock.advance(MINUTE)
    assert run_due(serve) == 1
    clock.advance(local.RETRY_BACKOFF)
    assert run_due(serve) == 1
    assert len(runs) == 2 and serve.storage.list_deferred_jobs() == []
    assert len(serve.scheduler.failures) == 1


def test_local_the_loop_runs_a_delayed_job_when_the_clock_reaches_it(
    start: Callable[[], Process], clock: FixedClock, runs: list[tuple[str, str]]
) -> None:
    serve = start()
    done = threading.Event()
    serve.app.deferred_handlers["signal"] = lambda app, job: done.set()
    serve.scheduler.start()
    serve.scheduler.defer_at(DeferredJob("signal", {}, "loop"), T0 + 10 * MINUTE)
    assert not done.wait(0.3)
    clock.advance(10 * MINUTE)
    assert done.wait(5), "the loop did not run the due job"
    serve.scheduler.stop(timeout=5)
    assert serve.storage.list_deferred_jobs() == []


def test_local_a_job_can_schedule_its_retry_while_the_scheduler_stops(
    start: Callable[[], Process],
) -> None:
    serve = start()
    serve.scheduler.stop(timeout=5)
    serve.scheduler.defer_at(DeferredJob("work", {"attempt": 2}, "late"), T0 + MINUTE)
    assert [e.job.key for e in serve.storage.list_deferred_jobs()] == ["late"]
    assert serve.scheduler.run_due() == 0  # stopped: the next start runs it


def test_local_without_a_database_delayed_jobs_wait_in_memory(
    clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    ran: list[str] = []
    scheduler = LocalScheduler(workers=1)
    app = App(
        storage=InMemoryStorage(),
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(entry_points=False),
    )
    app.deferred_handlers["work"] = lambda app, job: ran.append(job.key)
    scheduler.attach(app)
    with caplog.at_level(logging.WARNING, logger="momentum.scheduler"):
        scheduler.defer_at(DeferredJob("work", {}, "m"), T0 + MINUTE)
    assert isinstance(scheduler.delayed_store, MemoryDelayedJobs)
    assert any("a restart loses them" in r.getMessage() for r in caplog.records)
    clock.advance(MINUTE)
    assert scheduler.run_due() == 1 and scheduler.wait_idle(5) and ran == ["m"]
    scheduler.stop(timeout=5)


# -- housekeeping ------------------------------------------------------------------------------
def claims_left(storage: Storage, keys: list[str], now: dt.datetime) -> list[str]:
    """Keys whose claim is still in the table (a zero-TTL claim succeeds only when absent or
    expired, so read the table directly)."""
    assert isinstance(storage, SqliteStorage)
    with storage._connection() as conn:
        rows = conn.execute("SELECT claim_key FROM claims ORDER BY claim_key").fetchall()
    return [key for (key,) in rows if key in keys]


def test_housekeeping_purges_expired_claims_at_most_once_a_day(
    start: Callable[[], Process], clock: FixedClock
) -> None:
    serve = start()
    storage = serve.storage
    storage.claim("expired", T0 - dt.timedelta(hours=2), dt.timedelta(hours=1))
    storage.claim("live", T0, dt.timedelta(days=7))
    assert serve.scheduler.housekeeping() == 1
    assert claims_left(storage, ["expired", "live"], T0) == ["live"]

    storage.claim("expired-later", T0, dt.timedelta(minutes=5))
    clock.advance(dt.timedelta(hours=23))
    assert serve.scheduler.housekeeping() is None  # not a day yet
    restarted = start()  # another process (or a restart) on the same file
    assert restarted.scheduler.housekeeping() is None  # the database says: done today
    assert claims_left(storage, ["expired-later"], clock.now()) == ["expired-later"]

    clock.advance(dt.timedelta(hours=1, minutes=1))
    assert serve.scheduler.housekeeping() == 1
    assert claims_left(storage, ["expired-later", "live"], clock.now()) == ["live"]
    assert claims_left(storage, [HOUSEKEEPING_CLAIM], clock.now()) == [HOUSEKEEPING_CLAIM]


def test_the_loop_does_the_housekeeping_when_it_starts(start: Callable[[], Process]) -> None:
    serve = start()
    serve.storage.claim("stale", T0 - dt.timedelta(days=3), dt.timedelta(days=1))
    serve.scheduler.start()
    deadline = threading.Event()
    while claims_left(serve.storage, ["stale"], T0) and not deadline.wait(0.02):
        if serve.scheduler.ticks > 20:
            break
    assert claims_left(serve.storage, ["stale"], T0) == []
    serve.scheduler.stop(timeout=5)
    assert not [f for f in serve.scheduler.failures if f.what == "housekeeping"]
