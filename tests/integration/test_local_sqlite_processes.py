"""Several processes on one SQLite file: conditional writes stay atomic across processes
(each process opens its own SqliteStorage, as two `momentum` commands would)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import time
from pathlib import Path

from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.ports.storage import ConflictError
from tests.contract import records as r

PROCESSES = 4
KEYS = 15
ACTIVITIES = 30


def _worker(args: tuple[str, int, float]) -> dict[str, object]:
    """Runs in a child process: wait for the common start, then race."""
    path, worker, start_at = args
    storage = SqliteStorage(Path(path))
    try:
        time.sleep(max(0.0, start_at - time.time()))
        claims = [storage.claim(f"key-{k}", r.T0, dt.timedelta(minutes=5)) for k in range(KEYS)]
        try:
            storage.put_token(r.token(access=f"p{worker}"), expected_version=0)
            token_won = True
        except ConflictError:
            token_won = False
        for n in range(ACTIVITIES):
            storage.put_activity(r.activity(f"p{worker}-{n}", start=r.T0 + dt.timedelta(minutes=n)))
        return {"claims": claims, "token": token_won}
    finally:
        storage.close()


def test_processes_racing_on_one_file(tmp_path: Path) -> None:
    path = tmp_path / "shared.db"
    SqliteStorage(path).close()  # created and migrated once, as `momentum init` would
    start_at = time.time() + 1.5  # after every child has started and imported
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        results = pool.map(_worker, [(str(path), i, start_at) for i in range(PROCESSES)])

    for k in range(KEYS):
        winners = [res["claims"][k] for res in results]  # type: ignore[index]
        assert winners.count(True) == 1, (k, winners)
    assert [res["token"] for res in results].count(True) == 1
    with SqliteStorage(path) as storage:
        token = storage.get_token("adam", "strava")
        assert token is not None and token.version == 1
        found = storage.list_activities(
            "adam", r.T0 - dt.timedelta(days=1), r.T0 + dt.timedelta(days=1)
        )
        assert len(found) == PROCESSES * ACTIVITIES


def test_fresh_file_opened_by_many_processes_at_once_migrates_once(tmp_path: Path) -> None:
    path = tmp_path / "fresh.db"
    start_at = time.time() + 1.5
    context = multiprocessing.get_context("spawn")
    with context.Pool(PROCESSES) as pool:
        pool.map(_open_and_report, [(str(path), start_at)] * PROCESSES)
    with SqliteStorage(path) as storage:
        assert storage.schema_version >= 1


def _open_and_report(args: tuple[str, float]) -> int:
    path, start_at = args
    time.sleep(max(0.0, start_at - time.time()))
    with SqliteStorage(Path(path)) as storage:
        storage.put_athlete(r.athlete())
        return storage.schema_version
