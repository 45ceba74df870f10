"""Delayed jobs claimed by several processes on one SQLite file (each with its own
SqliteStorage, as two ``momentum serve`` would): every due job is handed to exactly one."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from pathlib import Path

from momentum.adapters.local.scheduler import DELAYED_LEASE, delayed_job_id
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.ports.scheduler import DeferredJob

PROCESSES = 4
JOBS = 60
T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def _claim_until_empty(args: tuple[str, int, float]) -> list[str]:
    """Runs in a child process: wait for the common start, then claim in small batches."""
    path, worker, start_at = args
    storage = SqliteStorage(Path(path))
    claimed: list[str] = []
    try:
        time.sleep(max(0.0, start_at - time.time()))
        now = T0 + dt.timedelta(minutes=5)
        while batch := storage.claim_deferred_jobs(now, DELAYED_LEASE, f"p{worker}", 3):
            claimed.extend(entry.job_id for entry in batch)
            for entry in batch:
                assert storage.finish_deferred_job(entry.job_id, entry.token)
        return claimed
    finally:
        storage.close()


def test_processes_racing_for_due_jobs_each_take_a_job_at_most_once(tmp_path: Path) -> None:
    path = tmp_path / "momentum.db"
    ids = []
    with SqliteStorage(path) as storage:
        for n in range(JOBS):
            job = DeferredJob("strava.activity_create", {"activity_id": n}, f"strava:create:{n}")
            due = T0 + dt.timedelta(seconds=n)
            ids.append(delayed_job_id(job, due))
            assert storage.put_deferred_job(ids[-1], job, due, T0)
    start_at = time.time() + 1.5  # after every child has started and imported
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.map(_claim_until_empty, [(str(path), i, start_at) for i in range(PROCESSES)])
    everything = [job_id for claimed in results for job_id in claimed]
    assert sorted(everything) == sorted(ids)  # all of them, none twice
    with SqliteStorage(path) as storage:
        assert storage.list_deferred_jobs() == []
