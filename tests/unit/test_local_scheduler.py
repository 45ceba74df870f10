"""LocalScheduler: deferred work on worker threads, the tick loop, errors never lost."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.core.app import App
from momentum.core.memory import InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from momentum.plugins.running import plugin as running

SIX_AM_TORONTO = dt.datetime(2026, 3, 3, 11, 0, 5, tzinfo=dt.UTC)


class TickRecordingApp(App):
    """Records recurring-job runs instead of calling the coach."""

    runs: list[tuple[str, str, dt.date]]
    ran: threading.Event

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        self.runs.append((name, athlete_id, local_date))
        self.ran.set()


@pytest.fixture
def scheduler() -> Iterator[LocalScheduler]:
    scheduler = LocalScheduler(workers=2, interval=0.05)
    storage = InMemoryStorage()
    storage.put_athlete(AthleteProfile("adam", "Adam", timezone="America/Toronto"))
    app = TickRecordingApp(
        storage=storage,
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=FixedClock(SIX_AM_TORONTO),
        plugins=load_plugins(entry_points=False, extra=[running]),
    )
    app.runs, app.ran = [], threading.Event()
    scheduler.attach(app)
    yield scheduler
    scheduler.stop(timeout=5)


def test_defer_returns_at_once_and_runs_on_a_worker_thread(scheduler: LocalScheduler) -> None:
    release, done = threading.Event(), threading.Event()
    seen: list[str] = []

    def slow(app: App, job: DeferredJob) -> None:
        release.wait(5)
        seen.append(threading.current_thread().name)
        done.set()

    scheduler.app.deferred_handlers["slow"] = slow
    scheduler.defer(DeferredJob("slow", {"activity_id": "1"}, key="strava:1"))
    assert scheduler.pending == 1 and not done.is_set()  # the caller was not held up
    release.set()
    assert scheduler.wait_idle(5)
    assert seen and seen[0].startswith("momentum-job")
    assert seen[0] != threading.current_thread().name


def test_failed_deferred_job_is_logged_and_kept(
    scheduler: LocalScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(app: App, job: DeferredJob) -> None:
        raise ValueError("strava said 500")

    ok = threading.Event()
    scheduler.app.deferred_handlers["broken"] = broken
    scheduler.app.deferred_handlers["ok"] = lambda app, job: ok.set()
    with caplog.at_level(logging.ERROR, logger="momentum.scheduler"):
        scheduler.defer(DeferredJob("broken", key="strava:9"))
        scheduler.defer(DeferredJob("nobody-handles-this"))
        scheduler.defer(DeferredJob("ok"))
        assert scheduler.wait_idle(5)
    assert ok.is_set()  # the pool survives failures
    errors = [f.error for f in scheduler.failures]
    assert "ValueError: strava said 500" in errors
    assert any("nobody-handles-this" in e for e in errors)
    assert "deferred job broken (strava:9)" in [f.what for f in scheduler.failures]
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert any("broken (strava:9) failed" in r.getMessage() and r.exc_info for r in logged)


def test_jobs_deferred_by_jobs_are_waited_for(scheduler: LocalScheduler) -> None:
    order: list[str] = []

    def first(app: App, job: DeferredJob) -> None:
        order.append("first")
        app.scheduler.defer(DeferredJob("second"))

    scheduler.app.deferred_handlers["first"] = first
    scheduler.app.deferred_handlers["second"] = lambda app, job: order.append("second")
    scheduler.defer(DeferredJob("first"))
    assert scheduler.wait_idle(5)
    assert order == ["first", "second"]


def test_defer_before_attach_is_an_error() -> None:
    with pytest.raises(RuntimeError, match="not attached"):
        LocalScheduler().defer(DeferredJob("x"))
    assert LocalScheduler().recurring_jobs() == []


def test_recurring_jobs_come_from_the_app(scheduler: LocalScheduler) -> None:
    names = {job.name for job in scheduler.recurring_jobs()}
    assert names == {"checkin", "monday_plan", "weekly_refresh"}


def test_loop_ticks_on_start_then_every_interval(scheduler: LocalScheduler) -> None:
    app = scheduler.app
    assert isinstance(app, TickRecordingApp)
    scheduler.start()
    assert app.ran.wait(5), "the loop did not tick on start"
    assert app.runs == [("checkin", "adam", dt.date(2026, 3, 3))]
    deadline = threading.Event()
    while scheduler.ticks < 4 and not deadline.wait(0.02):
        pass
    assert scheduler.running and scheduler.ticks >= 4
    assert app.runs == [("checkin", "adam", dt.date(2026, 3, 3))]  # still once
    scheduler.stop(timeout=5)
    assert not scheduler.running
    with pytest.raises(RuntimeError, match="stopped"):
        scheduler.defer(DeferredJob("x"))


def test_a_failing_tick_is_recorded_and_the_loop_keeps_going(
    scheduler: LocalScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    app = scheduler.app
    calls = {"n": 0}
    original = app.storage.list_timezones

    def flaky() -> list[str]:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("disk hiccup")
        return original()

    app.storage.list_timezones = flaky  # type: ignore[method-assign]
    with caplog.at_level(logging.ERROR, logger="momentum.scheduler"):
        scheduler.start()
        assert isinstance(app, TickRecordingApp) and app.ran.wait(5)
    assert scheduler.failures[0].what == "tick"
    assert "OSError: disk hiccup" in scheduler.failures[0].error
    assert any("disk hiccup" in r.getMessage() for r in caplog.records)


def test_stop_lets_running_jobs_finish(scheduler: LocalScheduler) -> None:
    finished = threading.Event()
    started = threading.Event()

    def slowish(app: App, job: DeferredJob) -> None:
        started.set()
        threading.Event().wait(0.2)
        finished.set()

    scheduler.app.deferred_handlers["slowish"] = slowish
    scheduler.defer(DeferredJob("slowish"))
    assert started.wait(5)
    scheduler.stop(timeout=5)
    assert finished.is_set()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError):
        LocalScheduler(workers=0)
    with pytest.raises(ValueError):
        LocalScheduler(interval=0)


def test_the_fast_lane_runs_while_every_main_worker_is_busy(scheduler: LocalScheduler) -> None:
    release = threading.Event()
    busy = threading.Semaphore(0)
    fast_ran = threading.Event()
    lanes: list[str] = []

    def slow(app: App, job: DeferredJob) -> None:
        busy.release()
        release.wait(5)

    def short(app: App, job: DeferredJob) -> None:
        lanes.append(threading.current_thread().name)
        fast_ran.set()

    scheduler.app.deferred_handlers["slow"] = slow
    scheduler.app.deferred_handlers["short"] = short
    for _ in range(scheduler.workers + 1):  # every main worker busy, one more job queued
        scheduler.defer(DeferredJob("slow"))
    for _ in range(scheduler.workers):
        assert busy.acquire(timeout=5)
    scheduler.defer_fast(DeferredJob("short"))
    assert fast_ran.wait(5)
    assert lanes[0].startswith("momentum-fast")
    assert scheduler.pending == scheduler.workers + 1  # the main lane is still full
    release.set()
    assert scheduler.wait_idle(5)
    assert list(scheduler.failures) == []


def test_a_failing_fast_job_is_logged_and_kept(
    scheduler: LocalScheduler, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(app: App, job: DeferredJob) -> None:
        raise OSError("Slack unreachable")

    scheduler.app.deferred_handlers["broken"] = broken
    with caplog.at_level(logging.ERROR, logger="momentum.scheduler"):
        scheduler.defer_fast(DeferredJob("broken", key="k1"))
        assert scheduler.wait_idle(5)
    [failure] = scheduler.failures
    assert failure.what == "deferred job broken (k1)"
    assert "OSError: Slack unreachable" in failure.error


def test_deferred_jobs_yield_until_quiet(scheduler: LocalScheduler) -> None:
    quiet = threading.Event()
    ran: list[str] = []
    scheduler.app.deferred_handlers["x"] = lambda app, job: ran.append(job.payload["lane"])
    scheduler.yield_to(quiet, limit=5)

    scheduler.defer(DeferredJob("x", {"lane": "main"}))
    scheduler.defer_fast(DeferredJob("x", {"lane": "fast"}))
    assert not scheduler.wait_idle(0.2)  # held while requests are being answered
    assert ran == []
    quiet.set()
    assert scheduler.wait_idle(5)
    assert sorted(ran) == ["fast", "main"]


def test_a_yield_never_holds_a_job_longer_than_its_limit(scheduler: LocalScheduler) -> None:
    never_quiet = threading.Event()
    done = threading.Event()
    scheduler.app.deferred_handlers["x"] = lambda app, job: done.set()
    scheduler.yield_to(never_quiet, limit=0.05)
    scheduler.defer_fast(DeferredJob("x"))
    assert done.wait(5)
    with pytest.raises(ValueError):
        scheduler.yield_to(never_quiet, limit=-1)


def test_each_lane_needs_a_worker() -> None:
    with pytest.raises(ValueError):
        LocalScheduler(fast_workers=0)


def test_a_full_lane_refuses_with_busy_records_nothing_and_takes_work_again_after(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.core.ports.deferral import DeferralBusy

    storage = SqliteStorage(tmp_path / "busy.db")
    scheduler = LocalScheduler(workers=1, fast_workers=1, interval=3600, max_queued=2)
    app = App(
        storage=storage,
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=FixedClock(SIX_AM_TORONTO),
        plugins=load_plugins(entry_points=False),
    )
    scheduler.attach(app)
    gate, ran = threading.Event(), []
    app.deferred_handlers["test.block"] = lambda _app, job: (gate.wait(5), ran.append(job.key))
    caplog.set_level(logging.WARNING, logger="momentum.scheduler")
    try:
        scheduler.defer(DeferredJob("test.block", key="a"))
        scheduler.defer(DeferredJob("test.block", key="b"))  # queued behind the one worker
        rows = len(storage.list_deferred_jobs())
        with pytest.raises(DeferralBusy, match="main deferred work queue is full"):
            scheduler.defer(DeferredJob("test.block", key="c"))
        assert len(storage.list_deferred_jobs()) == rows  # the refused job wrote nothing
        scheduler.defer_fast(DeferredJob("test.block", key="fast"))  # its own lane has room
        assert scheduler.refused == 1 and scheduler.pending == 3
        assert "deferred work queue full (2 main jobs queued or running): refused" in caplog.text
        gate.set()
        assert scheduler.wait_idle(5)
        scheduler.defer(DeferredJob("test.block", key="d"))  # room again once they ran
        assert scheduler.wait_idle(5)
        assert sorted(ran) == ["a", "b", "d", "fast"]
    finally:
        gate.set()
        scheduler.stop(timeout=5)
        storage.close()


def test_max_queued_must_be_positive() -> None:
    with pytest.raises(ValueError, match="max_queued"):
        LocalScheduler(max_queued=0)
