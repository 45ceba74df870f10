"""Storage on one SQLite file: the embedded default for a coach on your own machine.

- WAL journal, so readers never block the writer and a crash loses nothing committed.
- A busy timeout, so concurrent writers (threads or processes) wait instead of failing.
- Schema migrations (:mod:`momentum.adapters.local.migrations`) applied when the file is opened.
- Every write runs in a ``BEGIN IMMEDIATE`` transaction: the write lock is taken before
  anything is read, so a conditional write (claim, token version, plan version,
  message-if-absent) checks and writes atomically against every other connection.
- Records are JSON (:func:`momentum.core.model.to_json`) with indexed athlete and time columns, so
  range queries walk an index instead of scanning.

Connections come from a small pool (one per concurrently active thread), so one
``SqliteStorage`` can be shared by the HTTP server's threads and the scheduler's workers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from momentum.adapters.local.migrations import MIGRATIONS, migrate, schema_version
from momentum.adapters.local.private import create_private_file, tighten_database
from momentum.adapters.local.scheduler import DelayedEntry
from momentum.adapters.sql import statements as sql
from momentum.core.errors import ConfigError
from momentum.core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    LLMUsage,
    MemoryItem,
    Message,
    OAuthToken,
    Reflection,
    Streams,
    from_json,
    to_json,
)
from momentum.core.model.domain_plan import P, plan_key, with_version
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage

T = TypeVar("T")

DEFAULT_BUSY_TIMEOUT = 10.0
"""Seconds a writer waits for another connection's write lock before giving up."""

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def from_micros(micros: int) -> dt.datetime:
    """The aware UTC datetime for integer microseconds since the epoch."""
    return _EPOCH + dt.timedelta(microseconds=micros)


_ATHLETE_TABLES = sql.ATHLETE_TABLES
"""Tables keyed by athlete that :meth:`SqliteStorage.delete_athlete` clears."""


def to_micros(moment: dt.datetime, what: str = "datetime") -> int:
    """An aware datetime as integer microseconds since the epoch (exact, no float).

    Naive datetimes are refused: the store compares instants, and a naive value has none.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


def _enable_wal(conn: sqlite3.Connection, timeout: float) -> str:
    """Switch to WAL and return the journal mode now in force.

    Changing the journal mode needs an exclusive lock, and SQLite can answer "database is
    locked" at once, without its busy handler, while another process is opening the same
    new file; so retry until ``timeout``.
    """
    deadline = time.monotonic() + timeout
    delay = 0.005
    while True:
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


_WRITE_LOCKS: dict[Path, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock_for(path: Path) -> threading.Lock:
    """One write lock per database file in this process, shared by every store on it."""
    key = path.resolve()
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(key, threading.Lock())


class SqliteStorage(Storage):
    """:class:`~momentum.core.ports.storage.Storage` on the SQLite file at ``path``.

    The file (and its folder) is created if missing and migrated to the current schema.
    Call :meth:`close` when done (or use it as a context manager); a closed store raises
    on use.
    """

    def __init__(self, path: Path | str, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self._lock = threading.Lock()
        self._write_lock = _write_lock_for(self.path)
        self._idle: list[sqlite3.Connection] = []
        self._closed = False
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if str(self.path) != ":memory:":
            create_private_file(self.path)  # OAuth tokens and health data: owner only
        try:
            with self._connection() as conn:
                migrate(conn, MIGRATIONS, source=str(self.path))
            if str(self.path) != ":memory:":
                tighten_database(self.path)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise ConfigError(f"{self.path}: not a usable Momentum database ({exc})") from exc
        except BaseException:
            self.close()
            raise

    # -- connections --------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                self.path,
                timeout=self.busy_timeout,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise ConfigError(f"{self.path}: cannot open the database ({exc})") from exc
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            mode = _enable_wal(conn, self.busy_timeout)
            if str(mode).lower() != "wal":
                raise ConfigError(f"{self.path}: could not switch to WAL (journal is {mode})")
            # In WAL mode NORMAL is durable against application crashes and keeps every
            # commit from paying an fsync; a power cut can lose only the last commits.
            conn.execute("PRAGMA synchronous = NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise ConfigError(f"{self.path}: not a usable Momentum database ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            if self._closed:
                raise RuntimeError(f"SqliteStorage({self.path}) is closed")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        try:
            yield conn
        finally:
            if conn.in_transaction:  # never hand a half-finished transaction to the next user
                conn.rollback()
            with self._lock:
                if self._closed:
                    conn.close()
                else:
                    self._idle.append(conn)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction that holds the database's write lock from its first read.

        Threads of this process queue on an in-process lock first: SQLite's busy handler
        makes waiting writers sleep in growing steps (up to 100 ms), which under a burst of
        webhooks turned a 1 ms write into a 200 ms wait. Other processes still wait
        through ``busy_timeout``.
        """
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _rows(self, sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    def _one(self, cls: type[T], sql: str, params: tuple[Any, ...]) -> T | None:
        rows = self._rows(sql, params)
        return self._decode(cls, rows[0][0], sql, params) if rows else None

    def _many(self, cls: type[T], sql: str, params: tuple[Any, ...]) -> list[T]:
        return [self._decode(cls, row[0], sql, params) for row in self._rows(sql, params)]

    def _decode(self, cls: type[T], raw: Any, sql: str, params: tuple[Any, ...]) -> T:
        """A stored row as a record, or a ConfigError naming the file, table and row."""
        try:
            return from_json(cls, raw)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            raise ConfigError(
                f"{self.path}: a row of table {_table_of(sql)} ({_row_name(raw, params)}) "
                f"is not a valid {cls.__name__} ({type(exc).__name__}: {str(exc)[:120]}); "
                "restore it from a backup or delete that row"
            ) from None

    @property
    def schema_version(self) -> int:
        """The schema version of the open file (``len(MIGRATIONS)`` once opened)."""
        with self._connection() as conn:
            return schema_version(conn)

    def close(self) -> None:
        """Close every pooled connection. Connections in use close when handed back."""
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()

    def __enter__(self) -> SqliteStorage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"SqliteStorage({str(self.path)!r})"

    # -- athletes -------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Upsert the profile, its zone column and its chat-user link in one transaction."""
        with self._write() as conn:
            row = conn.execute(sql.GET_ATHLETE, (profile.athlete_id,)).fetchone()
            old = from_json(AthleteProfile, row[0]) if row else None
            conn.execute(
                sql.UPSERT_ATHLETE,
                (profile.athlete_id, to_json(profile), profile.timezone),
            )
            if old is not None and old.chat_user_id and old.chat_user_id != profile.chat_user_id:
                conn.execute(
                    sql.UNLINK_CHAT,
                    (CHAT_IDENTITY, old.chat_user_id, profile.athlete_id),
                )
            if profile.chat_user_id:
                _link(conn, CHAT_IDENTITY, profile.chat_user_id, profile.athlete_id)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        return self._one(AthleteProfile, sql.GET_ATHLETE, (athlete_id,))

    def list_athletes(self) -> list[AthleteProfile]:
        return self._many(AthleteProfile, sql.LIST_ATHLETES, ())

    def delete_athlete(self, athlete_id: str) -> None:
        with self._write() as conn:
            for table in _ATHLETE_TABLES:
                conn.execute(sql.DELETE_ATHLETE_ROWS[table], (athlete_id,))
            conn.execute(sql.DELETE_ATHLETE_LINKS, (athlete_id,))
            conn.execute(sql.DELETE_ATHLETE, (athlete_id,))

    # -- activities -----------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        start_us = to_micros(activity.start, "Activity.start")
        body = to_json(dataclasses.replace(activity, streams=None))
        with self._write() as conn:
            existed = conn.execute(
                sql.ACTIVITY_EXISTS,
                (activity.athlete_id, activity.activity_id),
            ).fetchone()
            conn.execute(
                sql.UPSERT_ACTIVITY,
                (activity.athlete_id, activity.activity_id, start_us, body),
            )
        return existed is None

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        return self._one(
            Activity,
            sql.GET_ACTIVITY,
            (athlete_id, activity_id),
        )

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        found = self._many(
            Activity,
            sql.LIST_ACTIVITIES,
            (athlete_id, to_micros(start, "start"), to_micros(end, "end")),
        )
        return [a for a in found if a.deleted_at is None]

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        with self._write() as conn:
            conn.execute(
                sql.DELETE_STREAMS,
                (athlete_id, activity_id),
            )
            deleted = conn.execute(
                sql.DELETE_ACTIVITY,
                (athlete_id, activity_id),
            ).rowcount
        return deleted > 0

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_STREAMS,
                (athlete_id, activity_id, to_json(streams)),
            )

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        return self._one(
            Streams,
            sql.GET_STREAMS,
            (athlete_id, activity_id),
        )

    def get_many_streams(self, athlete_id: str, keys: Sequence[str]) -> dict[str, Streams]:
        """One ``IN`` query per :data:`~momentum.adapters.sql.statements.MANY_STREAMS_AT_ONCE`
        keys."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Streams] = {}
        for at in range(0, len(wanted), sql.MANY_STREAMS_AT_ONCE):
            chunk = wanted[at : at + sql.MANY_STREAMS_AT_ONCE]
            text = sql.get_many_streams(len(chunk))
            params = (athlete_id, *chunk)
            for key, body in self._rows(text, params):
                found[key] = self._decode(Streams, body, text, params)
        return {key: found[key] for key in wanted if key in found}

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        params = (athlete_id, prefix, prefix)
        return [str(key) for (key,) in self._rows(sql.LIST_STREAM_KEYS, params)]

    # -- plans ----------------------------------------------------------------------
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        key = plan_key(plan)
        with self._write() as conn:
            row = conn.execute(sql.PLAN_VERSION, (plan.athlete_id, key)).fetchone()
            current = int(row[0]) if row else 0
            if expected_version is not None and current != expected_version:
                raise ConflictError(
                    f"plan for {plan.athlete_id} is at version {current}, not {expected_version}"
                )
            stored = with_version(plan, current + 1)
            conn.execute(
                sql.UPSERT_PLAN,
                (plan.athlete_id, stored.version, to_json(stored), key),
            )
        return stored

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        return self._one(kind, sql.GET_PLAN, (athlete_id, plan_key(kind)))

    # -- messages -------------------------------------------------------------------
    def put_message(self, message: Message) -> None:
        at_us = to_micros(message.at, "Message.at")
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_MESSAGE,
                (message.athlete_id, message.message_id, at_us, to_json(message)),
            )

    def put_message_if_absent(self, message: Message) -> bool:
        at_us = to_micros(message.at, "Message.at")
        with self._write() as conn:
            inserted = conn.execute(
                sql.INSERT_MESSAGE_IF_ABSENT,
                (message.athlete_id, message.message_id, at_us, to_json(message)),
            ).rowcount
        return inserted > 0

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        return self._one(
            Message,
            sql.GET_MESSAGE,
            (athlete_id, message_id),
        )

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        return self._many(
            Message,
            sql.LIST_MESSAGES,
            (athlete_id, to_micros(start, "start"), to_micros(end, "end")),
        )

    # -- journal and memory -----------------------------------------------------------
    def put_reflection(self, reflection: Reflection) -> None:
        at_us = to_micros(reflection.at, "Reflection.at")
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_REFLECTION,
                (reflection.athlete_id, reflection.reflection_id, at_us, to_json(reflection)),
            )

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        return self._many(
            Reflection,
            sql.LIST_REFLECTIONS,
            (athlete_id, to_micros(start, "start"), to_micros(end, "end")),
        )

    def put_note(self, note: ActivityNote) -> None:
        at_us = to_micros(note.at, "ActivityNote.at")
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_NOTE,
                (note.athlete_id, note.note_id, note.activity_id, at_us, to_json(note)),
            )

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        return self._many(
            ActivityNote,
            sql.LIST_NOTES,
            (athlete_id, activity_id),
        )

    def put_memory(self, item: MemoryItem) -> None:
        created_us = to_micros(item.created, "MemoryItem.created")
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_MEMORY,
                (item.athlete_id, item.memory_id, created_us, to_json(item)),
            )

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        return self._many(
            MemoryItem,
            sql.LIST_MEMORY,
            (athlete_id,),
        )

    # -- usage --------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        at_us = to_micros(usage.at, "LLMUsage.at")
        with self._write() as conn:
            conn.execute(
                sql.UPSERT_USAGE,
                (usage.usage_id, usage.athlete_id, at_us, to_json(usage)),
            )

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        window = (to_micros(start, "start"), to_micros(end, "end"))
        if athlete_id is None:
            return self._many(
                LLMUsage,
                sql.LIST_USAGE,
                window,
            )
        return self._many(
            LLMUsage,
            sql.LIST_ATHLETE_USAGE,
            (athlete_id, *window),
        )

    # -- oauth tokens -------------------------------------------------------------------
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        return self._one(
            OAuthToken,
            sql.GET_TOKEN,
            (athlete_id, provider),
        )

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        with self._write() as conn:
            row = conn.execute(
                sql.TOKEN_VERSION,
                (token.athlete_id, token.provider),
            ).fetchone()
            current = int(row[0]) if row else 0
            if current != expected_version:
                raise ConflictError(
                    f"{token.provider} token for {token.athlete_id} is at version {current}"
                )
            stored = dataclasses.replace(token, version=current + 1)
            conn.execute(
                sql.UPSERT_TOKEN,
                (token.athlete_id, token.provider, stored.version, to_json(stored)),
            )
            if token.provider_athlete_id:
                _link(conn, token.provider, token.provider_athlete_id, token.athlete_id)
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        with self._write() as conn:
            conn.execute(sql.DELETE_TOKEN_LINKS, (provider, athlete_id))
            conn.execute(
                sql.DELETE_TOKEN,
                (athlete_id, provider),
            )

    # -- idempotency --------------------------------------------------------------------
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        return self.claim_as(key, now, ttl, "")

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        """Claim ``key`` for ``ttl``, recording ``holder``; a live claim is taken only when
        ``holder`` (not ``""``) took it itself (its job resumed after a crash)."""
        now_us = to_micros(now, "now")
        expires_us = to_micros(now + ttl, "now + ttl")
        with self._write() as conn:
            # One statement: insert, or take over a claim whose time is up (or that this
            # holder already has); a live claim of anyone else makes the WHERE false and
            # nothing changes.
            changed = conn.execute(
                sql.CLAIM,
                (key, expires_us, holder, now_us),
            ).rowcount
        return changed > 0

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        expires_us = to_micros(now + ttl, "now + ttl")
        with self._write() as conn:
            conn.execute(
                sql.EXTEND_CLAIM,
                (key, expires_us),
            )

    def release(self, key: str) -> None:
        with self._write() as conn:
            conn.execute(sql.RELEASE_CLAIM, (key,))

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete claims that expired before ``now`` (housekeeping); returns how many."""
        with self._write() as conn:
            return int(conn.execute(sql.PURGE_CLAIMS, (to_micros(now, "now"),)).rowcount)

    # -- time zones and identities ----------------------------------------------------------
    def list_timezones(self) -> list[str]:
        """Distinct zones, read from the ``athletes_by_timezone`` index."""
        return [str(row[0]) for row in self._rows(sql.LIST_TIMEZONES, ())]

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        return self._many(
            AthleteProfile,
            sql.LIST_ATHLETES_IN_TIMEZONE,
            (timezone,),
        )

    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        with self._write() as conn:
            _link(conn, kind, external_id, athlete_id)

    def find_identity(self, kind: str, external_id: str) -> str | None:
        rows = self._rows(
            sql.FIND_IDENTITY,
            (kind, external_id),
        )
        return str(rows[0][0]) if rows else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        with self._write() as conn:
            conn.execute(sql.UNLINK_IDENTITY, (kind, external_id))

    # -- delayed deferred jobs (Scheduler.defer_at) -------------------------------------
    def put_deferred_job(
        self, job_id: str, job: DeferredJob, due: dt.datetime, now: dt.datetime
    ) -> bool:
        """Record a delayed job under ``job_id``; False (and nothing changes) when that id
        is already waiting. Raises TypeError for a payload that is not JSON-ready."""
        payload = json.dumps(job.payload, separators=(",", ":"), sort_keys=True)
        with self._write() as conn:
            inserted = conn.execute(
                "INSERT INTO deferred_jobs (job_id, kind, job_key, payload, due_us, created_us) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (job_id) DO NOTHING",
                (
                    job_id,
                    job.kind,
                    job.key,
                    payload,
                    to_micros(due, "due"),
                    to_micros(now, "now"),
                ),
            ).rowcount
        return inserted > 0

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
        """Record a job that this process (claim ``token``) starts right away: one INSERT,
        so a webhook's work survives a crash between the ack and the answer.

        ``handed_by`` names the running job that defers this one, as its ``index``-th
        (from 0) in this delivery. The INSERT and that job's count of hand-offs change in
        one transaction, and nothing is written (False) when an earlier delivery of that
        job, cut short by a crash, handed off its ``index``-th job already: resumed, a job
        never records its follow-up work twice."""
        payload = json.dumps(job.payload, separators=(",", ":"), sort_keys=True)
        now_us = to_micros(now, "now")
        with self._write() as conn:
            if handed_by:
                row = conn.execute(
                    "SELECT handed_off FROM deferred_jobs WHERE job_id = ?", (handed_by,)
                ).fetchone()
                if row is not None and int(row[0]) > index:
                    return False
                conn.execute(
                    "UPDATE deferred_jobs SET handed_off = ? WHERE job_id = ?",
                    (index + 1, handed_by),
                )
            conn.execute(
                "INSERT INTO deferred_jobs (job_id, kind, job_key, payload, due_us, lease_us, "
                "lease_token, deliveries, created_us) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?)",
                (
                    job_id,
                    job.kind,
                    job.key,
                    payload,
                    now_us,
                    to_micros(now + lease, "now + lease"),
                    token,
                    now_us,
                ),
            )
        return True

    def release_orphans(self, orphaned: Callable[[str], bool], due: dt.datetime) -> int:
        """Give back, due at ``due``, every job held by a claim token ``orphaned`` says
        belongs to a process that is gone; returns how many."""
        tokens = [
            str(row[0])
            for row in self._rows(
                "SELECT DISTINCT lease_token FROM deferred_jobs WHERE lease_token != ''", ()
            )
        ]
        gone = [token for token in tokens if orphaned(token)]
        released = 0
        with self._write() as conn:
            for token in gone:
                released += conn.execute(
                    "UPDATE deferred_jobs SET due_us = ?, lease_us = 0, lease_token = '' "
                    "WHERE lease_token = ?",
                    (to_micros(due, "due"), token),
                ).rowcount
        return released

    def claim_deferred_jobs(
        self, now: dt.datetime, lease: dt.timedelta, token: str, limit: int
    ) -> list[DelayedEntry]:
        """Claim up to ``limit`` jobs due by ``now`` that no live lease holds, for
        ``lease``, under ``token``; each claim counts one delivery. One write
        transaction, so two processes on this file never claim the same job."""
        now_us = to_micros(now, "now")
        lease_us = to_micros(now + lease, "now + lease")
        with self._write() as conn:
            rows = conn.execute(
                "SELECT job_id, kind, job_key, payload, due_us, deliveries, handed_off "
                "FROM deferred_jobs WHERE due_us <= ? AND lease_us <= ? "
                "ORDER BY due_us, job_id LIMIT ?",
                (now_us, now_us, limit),
            ).fetchall()
            for row in rows:
                conn.execute(
                    "UPDATE deferred_jobs SET lease_us = ?, lease_token = ?, "
                    "deliveries = deliveries + 1 WHERE job_id = ?",
                    (lease_us, token, row[0]),
                )
        return [
            DelayedEntry(
                job_id=job_id,
                job=DeferredJob(kind, json.loads(payload), key),
                due=from_micros(due_us),
                deliveries=deliveries + 1,
                token=token,
                handed_off=handed_off,
            )
            for job_id, kind, key, payload, due_us, deliveries, handed_off in rows
        ]

    def finish_deferred_job(self, job_id: str, token: str) -> bool:
        """Delete a job this claim (``token``) ran; False if the claim was lost."""
        with self._write() as conn:
            deleted = conn.execute(
                "DELETE FROM deferred_jobs WHERE job_id = ? AND lease_token = ?",
                (job_id, token),
            ).rowcount
        return deleted > 0

    def retry_deferred_job(self, job_id: str, token: str, due: dt.datetime) -> bool:
        """Give a failed job back, due again at ``due``; False if the claim was lost. The
        retry runs afresh: the hand-offs of the failed delivery no longer count."""
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE deferred_jobs SET due_us = ?, lease_us = 0, lease_token = '', "
                "handed_off = 0 WHERE job_id = ? AND lease_token = ?",
                (to_micros(due, "due"), job_id, token),
            ).rowcount
        return changed > 0

    def next_deferred_due(self) -> dt.datetime | None:
        """The earliest moment a waiting job can be claimed (``None``: nothing waits)."""
        rows = self._rows("SELECT MIN(MAX(due_us, lease_us)) FROM deferred_jobs", ())
        return from_micros(int(rows[0][0])) if rows and rows[0][0] is not None else None

    def list_deferred_jobs(self) -> list[DelayedEntry]:
        """Every delayed job waiting or running, soonest first (for status and tests)."""
        rows = self._rows(
            "SELECT job_id, kind, job_key, payload, due_us, deliveries, lease_token, "
            "handed_off FROM deferred_jobs ORDER BY due_us, job_id",
            (),
        )
        return [
            DelayedEntry(
                job_id,
                DeferredJob(kind, json.loads(payload), key),
                from_micros(due),
                count,
                token,
                handed_off,
            )
            for job_id, kind, key, payload, due, count, token, handed_off in rows
        ]


def _link(conn: sqlite3.Connection, kind: str, external_id: str, athlete_id: str) -> None:
    conn.execute(
        sql.LINK_IDENTITY,
        (kind, external_id, athlete_id),
    )


_TABLE = re.compile(r"\bFROM\s+(\w+)", re.IGNORECASE)
_ID_FIELDS = ("activity_id", "message_id", "plan_id", "athlete_id", "key", "id")


def _table_of(sql: str) -> str:
    found = _TABLE.search(sql)
    return found.group(1) if found else "?"


def _row_name(raw: Any, params: tuple[Any, ...]) -> str:
    """The stored row's id when its JSON still says it, else the key it was read by."""
    try:
        data = json.loads(raw)
    except (ValueError, TypeError):
        data = None
    if isinstance(data, dict):
        named = [f"{k}={data[k]!r}" for k in _ID_FIELDS if isinstance(data.get(k), str)]
        if named:
            return ", ".join(named[:2])
    keys = [repr(p) for p in params if isinstance(p, str)]
    return "read by " + ", ".join(keys) if keys else "unknown id"
