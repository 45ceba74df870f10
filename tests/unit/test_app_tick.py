"""App.tick: a job that died mid-run is retried; a finished job never runs twice."""

from __future__ import annotations

import datetime as dt

from momentum.core.app import App
from momentum.core.events import ScheduledTick
from momentum.core.memory import InMemoryScheduler
from momentum.core.runtime.tick import DISPATCH_LEASE
from momentum.core.schedule import RUN_LEASE, due_runs


class RecordingCoach:
    """Stands in for the coach engine: records the jobs it was asked to run."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str, dt.date]] = []

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        self.runs.append((name, athlete_id, local_date))


def run_fanned_out(app: App) -> None:
    """Run the ``momentum.run_job`` jobs the tick handed to the Deferral port."""
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.run_pending()


# 06:00 in Toronto on Tuesday 3 March 2026 (EST, UTC-5).
SIX_AM = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def test_a_job_whose_process_died_is_retried_after_its_lease(memory_app: App) -> None:
    recorder = RecordingCoach()
    memory_app._coach = recorder  # type: ignore[assignment]
    jobs = [j for j in memory_app.recurring_jobs() if j.name == "checkin"]
    (run,) = due_runs(jobs, "adam", "America/Toronto", SIX_AM)
    # A process claimed the run and died before finishing: its lease is left behind.
    assert memory_app.storage.claim(run.key, SIX_AM, RUN_LEASE)

    assert memory_app.tick(ScheduledTick("*", SIX_AM + dt.timedelta(minutes=1))) == []
    # The first tick after the fan-out's lease has lapsed fans it out again.
    retried = memory_app.tick(ScheduledTick("*", SIX_AM + DISPATCH_LEASE + dt.timedelta(minutes=1)))
    run_fanned_out(memory_app)

    assert [r.job.name for r in retried] == ["checkin"]
    assert recorder.runs == [("checkin", "adam", dt.date(2026, 3, 3))]


def test_a_finished_job_is_not_rerun_after_its_lease_would_have_expired(
    memory_app: App,
) -> None:
    recorder = RecordingCoach()
    memory_app._coach = recorder  # type: ignore[assignment]
    memory_app.tick(ScheduledTick("*", SIX_AM))
    run_fanned_out(memory_app)
    memory_app.tick(ScheduledTick("*", SIX_AM + RUN_LEASE + dt.timedelta(minutes=5)))
    memory_app.tick(ScheduledTick("checkin", SIX_AM + dt.timedelta(minutes=90)))
    run_fanned_out(memory_app)
    assert recorder.runs == [("checkin", "adam", dt.date(2026, 3, 3))]
