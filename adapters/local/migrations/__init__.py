"""Ordered schema migrations for the local SQLite store.

The schema version lives in ``PRAGMA user_version``: version ``n`` means the first ``n``
migrations have been applied. :func:`migrate` applies the missing ones in order inside one
``BEGIN IMMEDIATE`` transaction and re-reads the version after taking the write lock, so
two processes opening the same fresh file never apply a migration twice. A migration is
never edited once released; change the schema by appending a new one.

Every table keeps the record as JSON (``body``, written by :func:`momentum.core.model.to_json`) plus
the columns queries filter or sort on. Times are integer microseconds since the Unix epoch
(UTC), so range queries compare instants whatever offset the record was written with.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.errors import ConfigError


@dataclass(frozen=True)
class Migration:
    """One schema step: a name for logs and its statements, run in order."""

    name: str
    statements: tuple[str, ...]


INITIAL = Migration(
    "initial schema",
    (
        """CREATE TABLE athletes (
            athlete_id TEXT PRIMARY KEY,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE activities (
            athlete_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            start_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, activity_id)
        )""",
        "CREATE INDEX activities_by_start ON activities (athlete_id, start_us, activity_id)",
        """CREATE TABLE streams (
            athlete_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, activity_id)
        )""",
        """CREATE TABLE plans (
            athlete_id TEXT PRIMARY KEY,
            version INTEGER NOT NULL,
            body TEXT NOT NULL
        )""",
        """CREATE TABLE messages (
            athlete_id TEXT NOT NULL,
            message_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, message_id)
        )""",
        "CREATE INDEX messages_by_time ON messages (athlete_id, at_us, message_id)",
        """CREATE TABLE reflections (
            athlete_id TEXT NOT NULL,
            reflection_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, reflection_id)
        )""",
        "CREATE INDEX reflections_by_time ON reflections (athlete_id, at_us, reflection_id)",
        """CREATE TABLE notes (
            athlete_id TEXT NOT NULL,
            note_id TEXT NOT NULL,
            activity_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, note_id)
        )""",
        "CREATE INDEX notes_by_activity ON notes (athlete_id, activity_id, at_us, note_id)",
        """CREATE TABLE memory (
            athlete_id TEXT NOT NULL,
            memory_id TEXT NOT NULL,
            created_us INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, memory_id)
        )""",
        "CREATE INDEX memory_by_created ON memory (athlete_id, created_us, memory_id)",
        """CREATE TABLE usage (
            usage_id TEXT PRIMARY KEY,
            athlete_id TEXT NOT NULL,
            at_us INTEGER NOT NULL,
            body TEXT NOT NULL
        )""",
        "CREATE INDEX usage_by_athlete ON usage (athlete_id, at_us, usage_id)",
        "CREATE INDEX usage_by_time ON usage (at_us, usage_id)",
        """CREATE TABLE tokens (
            athlete_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, provider)
        )""",
        """CREATE TABLE claims (
            claim_key TEXT PRIMARY KEY,
            expires_us INTEGER NOT NULL
        )""",
    ),
)

DEFERRED_JOBS = Migration(
    "deferred jobs",
    (
        # Delayed deferred work (Scheduler.defer_at) waits here until due, so a restart
        # of ``momentum serve`` does not lose it. ``lease_us`` is when a process's claim
        # on a running job lapses (0: unclaimed); ``lease_token`` names that claim.
        """CREATE TABLE deferred_jobs (
            job_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            job_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            due_us INTEGER NOT NULL,
            lease_us INTEGER NOT NULL DEFAULT 0,
            lease_token TEXT NOT NULL DEFAULT '',
            deliveries INTEGER NOT NULL DEFAULT 0,
            created_us INTEGER NOT NULL
        )""",
        "CREATE INDEX deferred_jobs_by_due ON deferred_jobs (due_us, job_id)",
    ),
)

ZONES_AND_IDENTITIES = Migration(
    "time-zone index and identity links",
    (
        # The 15-minute tick reads only the zones where a job is due, then the athletes of
        # those zones: the zone is a column with an index instead of a field in the JSON.
        "ALTER TABLE athletes ADD COLUMN timezone TEXT NOT NULL DEFAULT 'UTC'",
        "UPDATE athletes SET timezone = COALESCE(json_extract(body, '$.timezone'), 'UTC')",
        "CREATE INDEX athletes_by_timezone ON athletes (timezone, athlete_id)",
        # Webhooks find their athlete by a platform's id in one read.
        """CREATE TABLE identities (
            kind TEXT NOT NULL,
            external_id TEXT NOT NULL,
            athlete_id TEXT NOT NULL,
            PRIMARY KEY (kind, external_id)
        )""",
        "CREATE INDEX identities_by_athlete ON identities (athlete_id)",
        # Backfill the links existing data implies: each profile's chat user, each token's
        # provider account (what Storage.put_athlete and put_token link from now on).
        """INSERT OR REPLACE INTO identities (kind, external_id, athlete_id)
            SELECT 'chat', json_extract(body, '$.chat_user_id'), athlete_id FROM athletes
            WHERE COALESCE(json_extract(body, '$.chat_user_id'), '') != ''""",
        """INSERT OR REPLACE INTO identities (kind, external_id, athlete_id)
            SELECT provider, CAST(json_extract(body, '$.provider_athlete_id') AS TEXT),
                athlete_id FROM tokens
            WHERE COALESCE(json_extract(body, '$.provider_athlete_id'), '') != ''""",
    ),
)

CLAIM_HOLDERS_AND_HAND_OFFS = Migration(
    "claim holders and job hand-offs",
    (
        # The durable job that holds a lease on work in progress (Storage.claim_as): the
        # same job, resumed after its process died, takes its lease back at once.
        "ALTER TABLE claims ADD COLUMN holder TEXT NOT NULL DEFAULT ''",
        # How many jobs a running job has deferred so far, counted across its deliveries:
        # resumed after a crash, it does not record the ones it had handed off again.
        "ALTER TABLE deferred_jobs ADD COLUMN handed_off INTEGER NOT NULL DEFAULT 0",
    ),
)

PLANS_BY_KEY = Migration(
    "plans by key",
    (
        # Each domain keeps its own plan per athlete (Storage.put_plan keys it by the plan
        # type's plan_key). The plans stored before keep their rows and bytes under the key
        # '' (core's LEGACY_PLAN_KEY, which the running domain's plan uses). SQLite can't
        # change a primary key in place, so the table is rebuilt.
        """CREATE TABLE plans_by_key (
            athlete_id TEXT NOT NULL,
            plan_key TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL,
            body TEXT NOT NULL,
            PRIMARY KEY (athlete_id, plan_key)
        )""",
        """INSERT INTO plans_by_key (athlete_id, plan_key, version, body)
            SELECT athlete_id, '', version, body FROM plans""",
        "DROP TABLE plans",
        "ALTER TABLE plans_by_key RENAME TO plans",
    ),
)

MIGRATIONS: tuple[Migration, ...] = (
    INITIAL,
    DEFERRED_JOBS,
    ZONES_AND_IDENTITIES,
    CLAIM_HOLDERS_AND_HAND_OFFS,
    PLANS_BY_KEY,
)
"""Every migration, oldest first. The schema version is ``len(MIGRATIONS)``."""


def schema_version(conn: sqlite3.Connection) -> int:
    """The version recorded in the database file (``0`` for a new file)."""
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def migrate(
    conn: sqlite3.Connection, migrations: Sequence[Migration] = MIGRATIONS, *, source: str = ""
) -> list[str]:
    """Bring the schema up to ``len(migrations)``; returns the names of the steps applied.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Idempotent: a database
    already at the latest version is left alone. A database *newer* than this code is a
    :class:`~momentum.core.errors.ConfigError` rather than a guess at compatibility.
    """
    target = len(migrations)
    if schema_version(conn) == target:
        return []
    applied: list[str] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        current = schema_version(conn)
        if current > target:
            raise ConfigError(
                f"{source or 'database'}: schema version {current} is newer than this "
                f"version of Momentum understands ({target}); upgrade momentum-coach"
            )
        for version in range(current + 1, target + 1):
            migration = migrations[version - 1]
            for statement in migration.statements:
                conn.execute(statement)
            applied.append(migration.name)
        # PRAGMA does not take parameters; ``target`` is an int we computed.
        conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return applied
