"""What the SQLite store promises beyond the contract suite: WAL, busy timeout, migrations,
indexes on the range queries, streams kept apart, clear errors for a bad file."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from momentum.adapters.local.migrations import MIGRATIONS, Migration, migrate, schema_version
from momentum.adapters.local.sqlite_storage import SqliteStorage, to_micros
from momentum.core.errors import ConfigError
from tests.contract import records as r


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "momentum.db"


@pytest.fixture
def storage(db: Path) -> Iterator[SqliteStorage]:
    with SqliteStorage(db) as opened:
        yield opened


def _raw(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db, isolation_level=None)


def test_file_is_in_wal_mode_with_a_busy_timeout(storage: SqliteStorage, db: Path) -> None:
    assert _raw(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with storage._connection() as conn:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 10_000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_schema_is_at_the_latest_version_and_reopening_changes_nothing(
    storage: SqliteStorage, db: Path
) -> None:
    assert storage.schema_version == len(MIGRATIONS)
    storage.put_athlete(r.athlete())
    storage.close()
    assert migrate(_raw(db)) == []
    with SqliteStorage(db) as again:
        assert again.schema_version == len(MIGRATIONS)
        assert again.get_athlete("adam") == r.athlete()


def test_migrations_apply_in_order_from_an_older_version(db: Path) -> None:
    conn = _raw(db)
    first = Migration("one", ("CREATE TABLE t (a INTEGER)",))
    assert migrate(conn, [first]) == ["one"]
    conn.execute("INSERT INTO t VALUES (1)")
    later = [
        first,
        Migration("two", ("ALTER TABLE t ADD COLUMN b INTEGER DEFAULT 2",)),
        Migration("three", ("UPDATE t SET b = b * 10 + a",)),  # needs "two" to have run
    ]
    assert migrate(conn, later) == ["two", "three"]
    assert schema_version(conn) == 3
    assert conn.execute("SELECT a, b FROM t").fetchall() == [(1, 21)]
    assert migrate(conn, later) == []


def test_a_failing_migration_leaves_nothing_behind(db: Path) -> None:
    conn = _raw(db)
    broken = [
        Migration("ok", ("CREATE TABLE t (a INTEGER)",)),
        Migration("bad", ("CREATE TABLE u (a INTEGER)", "THIS IS NOT SQL")),
    ]
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, broken)
    assert schema_version(conn) == 0
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == []


def test_a_database_from_a_newer_momentum_is_refused(db: Path) -> None:
    SqliteStorage(db).close()
    _raw(db).execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    with pytest.raises(ConfigError, match=r"momentum\.db: schema version .* is newer"):
        SqliteStorage(db)


def test_a_file_that_is_not_a_database_is_named_in_the_error(db: Path) -> None:
    db.write_text("this is a shopping list, not a database\n" * 100)
    with pytest.raises(ConfigError, match=r"momentum\.db: not a usable Momentum database"):
        SqliteStorage(db)


def test_folder_is_created(tmp_path: Path) -> None:
    with SqliteStorage(tmp_path / "a" / "b" / "m.db") as storage:
        storage.put_athlete(r.athlete())
    assert (tmp_path / "a" / "b" / "m.db").exists()


def test_streams_are_stored_in_their_own_table(storage: SqliteStorage, db: Path) -> None:
    storage.put_activity(r.activity(with_streams=True))
    storage.put_streams("adam", "a1", r.streams())
    conn = _raw(db)
    (body,) = conn.execute("SELECT body FROM activities").fetchone()
    assert json.loads(body)["streams"] is None
    (streams_body,) = conn.execute("SELECT body FROM streams").fetchone()
    assert json.loads(streams_body)["time"] == [0.0, 1.0, 2.0, 3.0]


def test_time_columns_hold_utc_instants(storage: SqliteStorage, db: Path) -> None:
    local = dt.datetime(2026, 3, 3, 6, 0, tzinfo=r.TORONTO)
    storage.put_activity(r.activity(start=local))
    (start_us,) = _raw(db).execute("SELECT start_us FROM activities").fetchone()
    assert start_us == to_micros(dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC))
    assert to_micros(dt.datetime(1970, 1, 1, 0, 0, 0, 1, tzinfo=dt.UTC)) == 1


def test_naive_datetimes_are_refused_naming_the_field(storage: SqliteStorage) -> None:
    naive = dt.datetime(2026, 3, 3, 6, 0)
    with pytest.raises(ValueError, match=r"Activity\.start must be timezone-aware"):
        storage.put_activity(r.activity(start=naive))
    with pytest.raises(ValueError, match=r"Message\.at must be timezone-aware"):
        storage.put_message(r.message(at=naive))
    with pytest.raises(ValueError, match="start must be timezone-aware"):
        storage.list_activities("adam", naive, naive)


def _plan(storage: SqliteStorage, call: Callable[[], object]) -> str:
    """The query plan of every SELECT a storage call runs (single-threaded, so the pool
    hands the traced connection straight back)."""
    statements: list[str] = []
    with storage._connection() as conn:
        conn.set_trace_callback(statements.append)
    call()
    with storage._connection() as conn:
        conn.set_trace_callback(None)
        selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
        assert selects, statements
        return "\n".join(
            " ".join(str(row[-1]) for row in conn.execute(f"EXPLAIN QUERY PLAN {s}"))
            for s in selects
        )


@pytest.mark.parametrize(
    ("query", "index"),
    [
        (
            lambda s: s.list_activities("adam", r.T0, r.T0 + dt.timedelta(days=7)),
            "activities_by_start",
        ),
        (lambda s: s.list_messages("adam", r.T0, r.T0 + dt.timedelta(days=7)), "messages_by_time"),
        (
            lambda s: s.list_reflections("adam", r.T0, r.T0 + dt.timedelta(days=7)),
            "reflections_by_time",
        ),
        (lambda s: s.list_notes("adam", "a1"), "notes_by_activity"),
        (lambda s: s.list_memory("adam"), "memory_by_created"),
        (lambda s: s.list_usage("adam", r.T0, r.T0 + dt.timedelta(days=7)), "usage_by_athlete"),
        (lambda s: s.list_usage(None, r.T0, r.T0 + dt.timedelta(days=7)), "usage_by_time"),
    ],
)
def test_range_queries_walk_an_index(
    storage: SqliteStorage, query: Callable[[SqliteStorage], object], index: str
) -> None:
    plan = _plan(storage, lambda: query(storage))
    assert f"INDEX {index}" in plan, plan
    assert "SCAN" not in plan.replace(f"SCAN {index}", ""), plan
    assert "TEMP B-TREE" not in plan, plan  # the index gives the order; no sort step


def test_a_closed_store_refuses_work(db: Path) -> None:
    storage = SqliteStorage(db)
    storage.close()
    with pytest.raises(RuntimeError, match="closed"):
        storage.get_athlete("adam")


def test_purge_expired_claims(storage: SqliteStorage) -> None:
    storage.claim("old", r.T0, dt.timedelta(minutes=1))
    storage.claim("live", r.T0, dt.timedelta(days=1))
    assert storage.purge_expired_claims(r.T0 + dt.timedelta(hours=1)) == 1
    assert storage.claim("old", r.T0, dt.timedelta(minutes=1)) is True
    assert storage.claim("live", r.T0 + dt.timedelta(hours=1), dt.timedelta(days=1)) is False


def test_failed_conditional_write_leaves_the_transaction_clean(storage: SqliteStorage) -> None:
    storage.put_token(r.token(), 0)
    with pytest.raises(Exception, match="version 1"):
        storage.put_token(r.token(access="stale"), 0)
    # The pooled connection was rolled back: the next write on it works.
    stored = storage.put_token(dataclasses.replace(r.token(), access_token="next"), 1)
    assert stored.version == 2
    with storage._connection() as conn:
        assert not conn.in_transaction


def test_a_coach_file_from_before_plans_were_keyed_keeps_its_plan(db: Path) -> None:
    """A database at main's schema (the four migrations before plans by key) with a plan in
    it, as main stored it: opening it with this code migrates the table and the plan reads
    back with its version and its bytes untouched."""
    from momentum.plugins.running.model.plan import Plan
    from tests.contract.legacy_plan import STORED_ON_MAIN, STORED_VERSION

    before = [m for m in MIGRATIONS if m.name != "plans by key"]
    assert len(before) == 4 == len(MIGRATIONS) - 1
    conn = _raw(db)
    migrate(conn, before)
    conn.execute(
        "INSERT INTO plans (athlete_id, version, body) VALUES (?, ?, ?)",
        ("adam", STORED_VERSION, STORED_ON_MAIN),
    )
    conn.close()
    with SqliteStorage(db) as opened:
        assert opened.schema_version == len(MIGRATIONS)
        plan = opened.get_plan(Plan, "adam")
        assert plan == dataclasses.replace(r.plan(), version=STORED_VERSION)
        assert opened.put_plan(r.plan(), expected_version=STORED_VERSION).version == 4
    check = _raw(db)
    rows = check.execute("SELECT athlete_id, plan_key, version FROM plans").fetchall()
    check.close()
    assert rows == [("adam", "", 4)]
