"""The Storage port's SQL, written once for every SQLite-dialect store.

Plain text, no driver: :class:`~momentum.adapters.local.sqlite_storage.SqliteStorage` runs
these through ``sqlite3`` and :class:`~momentum.adapters.cloudflare.d1_storage.D1Storage`
through D1. Records are JSON in ``body``; times are integer microseconds since the epoch.

Statements marked *one statement* are atomic on their own, with no read before the write:
D1 has no interactive transactions (only batches), so its conditional writes (a plan or
token version, a claim, a message if absent) are decided inside the statement.
"""

from __future__ import annotations

ATHLETE_TABLES = (
    "activities",
    "streams",
    "plans",
    "messages",
    "reflections",
    "notes",
    "memory",
    "usage",
    "tokens",
)
"""Tables keyed by athlete that deleting an athlete clears."""

# -- athletes ------------------------------------------------------------------------------
GET_ATHLETE = "SELECT body FROM athletes WHERE athlete_id = ?"
LIST_ATHLETES = "SELECT body FROM athletes ORDER BY athlete_id"
UPSERT_ATHLETE = (
    "INSERT INTO athletes (athlete_id, body, timezone) VALUES (?, ?, ?) "
    "ON CONFLICT (athlete_id) DO UPDATE SET body = excluded.body, "
    "timezone = excluded.timezone"
)
DROP_OLD_CHAT_LINK = (
    "DELETE FROM identities WHERE kind = ?1 AND athlete_id = ?2 AND external_id = "
    "(SELECT json_extract(body, '$.chat_user_id') FROM athletes WHERE athlete_id = ?2) "
    "AND external_id != ?3"
)
"""One statement: drop the chat link of the stored profile when the new one (``?3``)
differs; run before the profile is replaced."""
DELETE_ATHLETE_ROWS = {
    table: f"DELETE FROM {table} WHERE athlete_id = ?" for table in ATHLETE_TABLES
}
DELETE_ATHLETE_LINKS = "DELETE FROM identities WHERE athlete_id = ?"
DELETE_ATHLETE = "DELETE FROM athletes WHERE athlete_id = ?"

# -- activities and streams ------------------------------------------------------------------
ACTIVITY_EXISTS = "SELECT 1 FROM activities WHERE athlete_id = ? AND activity_id = ?"
UPSERT_ACTIVITY = (
    "INSERT INTO activities (athlete_id, activity_id, start_us, body) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (athlete_id, activity_id) "
    "DO UPDATE SET start_us = excluded.start_us, body = excluded.body"
)
GET_ACTIVITY = "SELECT body FROM activities WHERE athlete_id = ? AND activity_id = ?"
LIST_ACTIVITIES = (
    "SELECT body FROM activities WHERE athlete_id = ? AND start_us >= ? AND start_us < ? "
    "ORDER BY start_us, activity_id"
)
DELETE_STREAMS = "DELETE FROM streams WHERE athlete_id = ? AND activity_id = ?"
DELETE_ACTIVITY = "DELETE FROM activities WHERE athlete_id = ? AND activity_id = ?"
UPSERT_STREAMS = (
    "INSERT INTO streams (athlete_id, activity_id, body) VALUES (?, ?, ?) "
    "ON CONFLICT (athlete_id, activity_id) DO UPDATE SET body = excluded.body"
)
GET_STREAMS = "SELECT body FROM streams WHERE athlete_id = ? AND activity_id = ?"
LIST_STREAM_KEYS = (
    "SELECT activity_id FROM streams WHERE athlete_id = ? "
    "AND substr(activity_id, 1, length(?)) = ? ORDER BY activity_id"
)
"""The athlete's stream keys that start with a prefix (parameters: the athlete, then the
prefix twice; ``substr`` rather than ``LIKE``, so ``%`` and ``_`` in a key are plain)."""
MANY_STREAMS_AT_ONCE = 90
"""Keys per ``IN`` list: D1 binds at most 100 parameters in one statement."""


def get_many_streams(count: int) -> str:
    """The streams of ``count`` keys of one athlete (parameters: the athlete, then each key)."""
    marks = ", ".join("?" * count)
    return (
        "SELECT activity_id, body FROM streams "
        f"WHERE athlete_id = ? AND activity_id IN ({marks})"  # only '?' marks go in
    )


# -- plans -----------------------------------------------------------------------------------
# One row per athlete and plan key (a domain's ``plan_key``; ``''`` holds the plans stored
# before plans were keyed). Every statement takes the key as its last parameter.
PLAN_VERSION = "SELECT version FROM plans WHERE athlete_id = ?1 AND plan_key = ?2"
UPSERT_PLAN = (
    "INSERT INTO plans (athlete_id, version, body, plan_key) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (athlete_id, plan_key) DO UPDATE SET version = excluded.version, "
    "body = excluded.body"
)
PUT_PLAN_IF_VERSION = (
    "INSERT INTO plans (athlete_id, version, body, plan_key) SELECT ?1, ?2 + 1, ?3, ?4 "
    "WHERE ?2 = COALESCE((SELECT version FROM plans WHERE athlete_id = ?1 AND plan_key = ?4), 0) "
    "ON CONFLICT (athlete_id, plan_key) DO UPDATE SET version = excluded.version, "
    "body = excluded.body"
)
"""One statement: store the plan as version ``?2 + 1`` only if the stored one is ``?2``."""
PUT_PLAN_NEXT_VERSION = (
    "INSERT INTO plans (athlete_id, version, body, plan_key) "
    "VALUES (?1, 1, json_set(?2, '$.version', 1), ?3) "
    "ON CONFLICT (athlete_id, plan_key) DO UPDATE SET version = plans.version + 1, "
    "body = json_set(excluded.body, '$.version', plans.version + 1) RETURNING version"
)
"""One statement: store the plan as the stored version + 1 (1 when there is none), with
that version written into its JSON too; returns the version."""
GET_PLAN = "SELECT body FROM plans WHERE athlete_id = ?1 AND plan_key = ?2"

# -- messages, journal, memory, usage ----------------------------------------------------------
UPSERT_MESSAGE = (
    "INSERT INTO messages (athlete_id, message_id, at_us, body) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (athlete_id, message_id) "
    "DO UPDATE SET at_us = excluded.at_us, body = excluded.body"
)
INSERT_MESSAGE_IF_ABSENT = (
    "INSERT INTO messages (athlete_id, message_id, at_us, body) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (athlete_id, message_id) DO NOTHING"
)
INSERT_MESSAGE = "INSERT INTO messages (athlete_id, message_id, at_us, body) VALUES (?, ?, ?, ?)"
"""A plain insert: a second message with the same id fails its PRIMARY KEY."""
GET_MESSAGE = "SELECT body FROM messages WHERE athlete_id = ? AND message_id = ?"
LIST_MESSAGES = (
    "SELECT body FROM messages WHERE athlete_id = ? AND at_us >= ? AND at_us < ? "
    "ORDER BY at_us, message_id"
)
UPSERT_REFLECTION = (
    "INSERT INTO reflections (athlete_id, reflection_id, at_us, body) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (athlete_id, reflection_id) "
    "DO UPDATE SET at_us = excluded.at_us, body = excluded.body"
)
LIST_REFLECTIONS = (
    "SELECT body FROM reflections WHERE athlete_id = ? AND at_us >= ? AND at_us < ? "
    "ORDER BY at_us, reflection_id"
)
UPSERT_NOTE = (
    "INSERT INTO notes (athlete_id, note_id, activity_id, at_us, body) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (athlete_id, note_id) "
    "DO UPDATE SET activity_id = excluded.activity_id, at_us = excluded.at_us, "
    "body = excluded.body"
)
LIST_NOTES = (
    "SELECT body FROM notes WHERE athlete_id = ? AND activity_id = ? ORDER BY at_us, note_id"
)
UPSERT_MEMORY = (
    "INSERT INTO memory (athlete_id, memory_id, created_us, body) "
    "VALUES (?, ?, ?, ?) ON CONFLICT (athlete_id, memory_id) "
    "DO UPDATE SET created_us = excluded.created_us, body = excluded.body"
)
LIST_MEMORY = "SELECT body FROM memory WHERE athlete_id = ? ORDER BY created_us, memory_id"
UPSERT_USAGE = (
    "INSERT INTO usage (usage_id, athlete_id, at_us, body) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (usage_id) DO UPDATE SET athlete_id = excluded.athlete_id, "
    "at_us = excluded.at_us, body = excluded.body"
)
LIST_USAGE = "SELECT body FROM usage WHERE at_us >= ? AND at_us < ? ORDER BY at_us, usage_id"
LIST_ATHLETE_USAGE = (
    "SELECT body FROM usage WHERE athlete_id = ? AND at_us >= ? AND at_us < ? "
    "ORDER BY at_us, usage_id"
)

# -- oauth tokens ------------------------------------------------------------------------------
GET_TOKEN = "SELECT body FROM tokens WHERE athlete_id = ? AND provider = ?"
TOKEN_VERSION = "SELECT version FROM tokens WHERE athlete_id = ? AND provider = ?"
UPSERT_TOKEN = (
    "INSERT INTO tokens (athlete_id, provider, version, body) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (athlete_id, provider) DO UPDATE SET version = excluded.version, "
    "body = excluded.body"
)
PUT_TOKEN_IF_VERSION = (
    "INSERT INTO tokens (athlete_id, provider, version, body) SELECT ?1, ?2, ?3 + 1, ?4 "
    "WHERE ?3 = COALESCE((SELECT version FROM tokens WHERE athlete_id = ?1 AND provider = ?2), 0) "
    "ON CONFLICT (athlete_id, provider) DO UPDATE SET version = excluded.version, "
    "body = excluded.body"
)
"""One statement: store the token as version ``?3 + 1`` only if the stored one is ``?3``."""
LINK_IF_TOKEN_STORED = (
    "INSERT INTO identities (kind, external_id, athlete_id) SELECT ?1, ?2, ?3 "
    "WHERE EXISTS (SELECT 1 FROM tokens WHERE athlete_id = ?3 AND provider = ?1 "
    "AND version = ?4 AND body = ?5) "
    "ON CONFLICT (kind, external_id) DO UPDATE SET athlete_id = excluded.athlete_id"
)
"""One statement: link the token's provider account only if that very token (version
``?4``, body ``?5``) was stored, so a lost conditional write links nothing."""
DELETE_TOKEN_LINKS = "DELETE FROM identities WHERE kind = ? AND athlete_id = ?"
DELETE_TOKEN = "DELETE FROM tokens WHERE athlete_id = ? AND provider = ?"

# -- claims ------------------------------------------------------------------------------------
CLAIM = (
    "INSERT INTO claims (claim_key, expires_us, holder) VALUES (?, ?, ?) "
    "ON CONFLICT (claim_key) DO UPDATE SET expires_us = excluded.expires_us, "
    "holder = excluded.holder "
    "WHERE claims.expires_us <= ? OR (excluded.holder != '' "
    "AND claims.holder = excluded.holder)"
)
"""One statement: insert, or take over a claim whose time is up (or that this holder, not
``''``, already has); a live claim of anyone else changes nothing."""
EXTEND_CLAIM = (
    "INSERT INTO claims (claim_key, expires_us) VALUES (?, ?) "
    "ON CONFLICT (claim_key) DO UPDATE SET expires_us = excluded.expires_us"
)
RELEASE_CLAIM = "DELETE FROM claims WHERE claim_key = ?"
PURGE_CLAIMS = "DELETE FROM claims WHERE expires_us <= ?"

# -- time zones and identities -----------------------------------------------------------------
LIST_TIMEZONES = "SELECT DISTINCT timezone FROM athletes ORDER BY timezone"
LIST_ATHLETES_IN_TIMEZONE = "SELECT body FROM athletes WHERE timezone = ? ORDER BY athlete_id"
LINK_IDENTITY = (
    "INSERT INTO identities (kind, external_id, athlete_id) VALUES (?, ?, ?) "
    "ON CONFLICT (kind, external_id) DO UPDATE SET athlete_id = excluded.athlete_id"
)
FIND_IDENTITY = "SELECT athlete_id FROM identities WHERE kind = ? AND external_id = ?"
UNLINK_CHAT = "DELETE FROM identities WHERE kind = ? AND external_id = ? AND athlete_id = ?"
UNLINK_IDENTITY = "DELETE FROM identities WHERE kind = ? AND external_id = ?"
