"""The Storage port on Cloudflare D1, through the statement-runner seam (:mod:`.d1`).

The SQL is the local SQLite store's (:mod:`momentum.adapters.sql.statements`) and the
schema its migrations (D1's wrangler migration files are generated from them, see
:mod:`.d1_migrations`). D1 has no interactive transactions, so:

- a conditional write is one statement that decides by itself (a plan or token version,
  a claim, an insert that the PRIMARY KEY refuses), read back through ``meta.changes``;
- writes that must land together go in one ``batch`` (a transaction: all or none), e.g.
  a profile with its chat link, or an athlete's deletion across every table.

Runs the same on a Worker's binding and over D1's HTTP API (the tests use the latter
against wrangler's local D1).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from momentum.adapters.cloudflare.d1 import D1ConstraintError, Result, Statement, StatementRunner
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
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage

T = TypeVar("T")

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def micros(moment: dt.datetime, what: str) -> int:
    """An aware datetime as integer microseconds since the epoch; naive ones refused."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{what} must be timezone-aware, got naive {moment.isoformat()}")
    return (moment - _EPOCH) // dt.timedelta(microseconds=1)


class D1Storage(Storage):
    """:class:`~momentum.core.ports.storage.Storage` on one D1 database, reached through
    ``runner`` (the Worker binding, or D1's HTTP API). ``name`` appears in errors."""

    def __init__(self, runner: StatementRunner, *, name: str = "D1") -> None:
        self.runner = runner
        self.name = name

    def __repr__(self) -> str:
        return f"D1Storage({self.name!r})"

    # -- plumbing -----------------------------------------------------------------------
    def _stmt(self, text: str, *params: Any) -> Statement:
        return self.runner.prepare(text).bind(*params)

    def _run(self, text: str, *params: Any) -> Result:
        try:
            return self.runner.run(self._stmt(text, *params))
        except D1ConstraintError as error:
            raise ConflictError(str(error)) from None

    def _batch(self, *stmts: Statement) -> list[Result]:
        try:
            return self.runner.batch(list(stmts))
        except D1ConstraintError as error:
            raise ConflictError(str(error)) from None

    def _rows(self, text: str, *params: Any) -> list[dict[str, Any]]:
        return self.runner.all(self._stmt(text, *params))

    def _one(self, cls: type[T], text: str, *params: Any) -> T | None:
        rows = self._rows(text, *params)
        return self._decode(cls, rows[0]["body"], text, params) if rows else None

    def _many(self, cls: type[T], text: str, *params: Any) -> list[T]:
        return [self._decode(cls, row["body"], text, params) for row in self._rows(text, *params)]

    def _decode(self, cls: type[T], raw: Any, text: str, params: tuple[Any, ...]) -> T:
        try:
            return from_json(cls, raw)
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            table = text.split(" FROM ", 1)[1].split()[0] if " FROM " in text else "?"
            keys = ", ".join(repr(p) for p in params if isinstance(p, str)) or "no key"
            raise ConfigError(
                f"{self.name}: a row of table {table} (read by {keys}) is not a valid "
                f"{cls.__name__} ({type(exc).__name__}: {str(exc)[:120]}); "
                "restore it from a backup or delete that row"
            ) from None

    # -- athletes ---------------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """The profile, its zone column and its chat link in one batch."""
        writes = [
            self._stmt(
                sql.DROP_OLD_CHAT_LINK, CHAT_IDENTITY, profile.athlete_id, profile.chat_user_id
            ),
            self._stmt(sql.UPSERT_ATHLETE, profile.athlete_id, to_json(profile), profile.timezone),
        ]
        if profile.chat_user_id:
            writes.append(
                self._stmt(
                    sql.LINK_IDENTITY, CHAT_IDENTITY, profile.chat_user_id, profile.athlete_id
                )
            )
        self._batch(*writes)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        return self._one(AthleteProfile, sql.GET_ATHLETE, athlete_id)

    def list_athletes(self) -> list[AthleteProfile]:
        return self._many(AthleteProfile, sql.LIST_ATHLETES)

    def delete_athlete(self, athlete_id: str) -> None:
        """Every table's rows of the athlete, their links and profile: one batch."""
        self._batch(
            *(self._stmt(text, athlete_id) for text in sql.DELETE_ATHLETE_ROWS.values()),
            self._stmt(sql.DELETE_ATHLETE_LINKS, athlete_id),
            self._stmt(sql.DELETE_ATHLETE, athlete_id),
        )

    # -- activities ---------------------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        """Upsert; the batch's first statement reads whether it existed (a batch is one
        transaction, so no other write falls between)."""
        start_us = micros(activity.start, "Activity.start")
        body = to_json(dataclasses.replace(activity, streams=None))
        ids = (activity.athlete_id, activity.activity_id)
        existed, _ = self._batch(
            self._stmt(sql.ACTIVITY_EXISTS, *ids),
            self._stmt(sql.UPSERT_ACTIVITY, *ids, start_us, body),
        )
        return not existed.rows

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        return self._one(Activity, sql.GET_ACTIVITY, athlete_id, activity_id)

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        found = self._many(
            Activity,
            sql.LIST_ACTIVITIES,
            athlete_id,
            micros(start, "start"),
            micros(end, "end"),
        )
        return [a for a in found if a.deleted_at is None]

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        _, deleted = self._batch(
            self._stmt(sql.DELETE_STREAMS, athlete_id, activity_id),
            self._stmt(sql.DELETE_ACTIVITY, athlete_id, activity_id),
        )
        return deleted.changes > 0

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        self._run(sql.UPSERT_STREAMS, athlete_id, activity_id, to_json(streams))

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        return self._one(Streams, sql.GET_STREAMS, athlete_id, activity_id)

    def get_many_streams(self, athlete_id: str, keys: Sequence[str]) -> dict[str, Streams]:
        """One ``IN`` query per :data:`~momentum.adapters.sql.statements.MANY_STREAMS_AT_ONCE`
        keys (D1 binds at most 100 parameters)."""
        wanted = list(dict.fromkeys(keys))
        found: dict[str, Streams] = {}
        for at in range(0, len(wanted), sql.MANY_STREAMS_AT_ONCE):
            chunk = wanted[at : at + sql.MANY_STREAMS_AT_ONCE]
            text = sql.get_many_streams(len(chunk))
            for row in self._rows(text, athlete_id, *chunk):
                found[row["activity_id"]] = self._decode(
                    Streams, row["body"], text, (athlete_id, *chunk)
                )
        return {key: found[key] for key in wanted if key in found}

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        rows = self._rows(sql.LIST_STREAM_KEYS, athlete_id, prefix, prefix)
        return [str(row["activity_id"]) for row in rows]

    # -- plans ---------------------------------------------------------------------------------
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """A conditional write on the version; without ``expected_version``, one
        statement that bumps whatever version is stored (no read, so no lost race)."""
        key = plan_key(plan)
        if expected_version is not None:
            return self._put_plan_if(plan, expected_version, key)
        rows = self._rows(sql.PUT_PLAN_NEXT_VERSION, plan.athlete_id, to_json(plan), key)
        return with_version(plan, int(rows[0]["version"]))

    def _put_plan_if(self, plan: P, expected: int, key: str) -> P:
        stored = with_version(plan, expected + 1)
        changed = self._run(
            sql.PUT_PLAN_IF_VERSION, plan.athlete_id, expected, to_json(stored), key
        )
        if changed.changes == 0:
            rows = self._rows(sql.PLAN_VERSION, plan.athlete_id, key)
            current = int(rows[0]["version"]) if rows else 0
            raise ConflictError(
                f"plan for {plan.athlete_id} is at version {current}, not {expected}"
            )
        return stored

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        return self._one(kind, sql.GET_PLAN, athlete_id, plan_key(kind))

    # -- messages ----------------------------------------------------------------------------
    def put_message(self, message: Message) -> None:
        at_us = micros(message.at, "Message.at")
        self._run(
            sql.UPSERT_MESSAGE, message.athlete_id, message.message_id, at_us, to_json(message)
        )

    def put_message_if_absent(self, message: Message) -> bool:
        """A plain INSERT: D1's PRIMARY KEY refuses a second one (a real constraint
        error, surfaced as :class:`ConflictError` and answered ``False``)."""
        at_us = micros(message.at, "Message.at")
        try:
            self._run(
                sql.INSERT_MESSAGE, message.athlete_id, message.message_id, at_us, to_json(message)
            )
        except ConflictError:
            return False
        return True

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        return self._one(Message, sql.GET_MESSAGE, athlete_id, message_id)

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        return self._many(
            Message, sql.LIST_MESSAGES, athlete_id, micros(start, "start"), micros(end, "end")
        )

    # -- journal and memory ------------------------------------------------------------------
    def put_reflection(self, reflection: Reflection) -> None:
        self._run(
            sql.UPSERT_REFLECTION,
            reflection.athlete_id,
            reflection.reflection_id,
            micros(reflection.at, "Reflection.at"),
            to_json(reflection),
        )

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        return self._many(
            Reflection,
            sql.LIST_REFLECTIONS,
            athlete_id,
            micros(start, "start"),
            micros(end, "end"),
        )

    def put_note(self, note: ActivityNote) -> None:
        self._run(
            sql.UPSERT_NOTE,
            note.athlete_id,
            note.note_id,
            note.activity_id,
            micros(note.at, "ActivityNote.at"),
            to_json(note),
        )

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        return self._many(ActivityNote, sql.LIST_NOTES, athlete_id, activity_id)

    def put_memory(self, item: MemoryItem) -> None:
        self._run(
            sql.UPSERT_MEMORY,
            item.athlete_id,
            item.memory_id,
            micros(item.created, "MemoryItem.created"),
            to_json(item),
        )

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        return self._many(MemoryItem, sql.LIST_MEMORY, athlete_id)

    # -- usage ---------------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        self._run(
            sql.UPSERT_USAGE,
            usage.usage_id,
            usage.athlete_id,
            micros(usage.at, "LLMUsage.at"),
            to_json(usage),
        )

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        window = (micros(start, "start"), micros(end, "end"))
        if athlete_id is None:
            return self._many(LLMUsage, sql.LIST_USAGE, *window)
        return self._many(LLMUsage, sql.LIST_ATHLETE_USAGE, athlete_id, *window)

    # -- oauth tokens --------------------------------------------------------------------------
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        return self._one(OAuthToken, sql.GET_TOKEN, athlete_id, provider)

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """The token as ``expected_version + 1`` and its provider link, in one batch;
        both are conditional on the stored version, so a lost race writes nothing."""
        stored = dataclasses.replace(token, version=expected_version + 1)
        body = to_json(stored)
        writes = [
            self._stmt(
                sql.PUT_TOKEN_IF_VERSION, token.athlete_id, token.provider, expected_version, body
            )
        ]
        if token.provider_athlete_id:
            writes.append(
                self._stmt(
                    sql.LINK_IF_TOKEN_STORED,
                    token.provider,
                    token.provider_athlete_id,
                    token.athlete_id,
                    stored.version,
                    body,
                )
            )
        if self._batch(*writes)[0].changes == 0:
            rows = self._rows(sql.TOKEN_VERSION, token.athlete_id, token.provider)
            current = int(rows[0]["version"]) if rows else 0
            raise ConflictError(
                f"{token.provider} token for {token.athlete_id} is at version {current}"
            )
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        self._batch(
            self._stmt(sql.DELETE_TOKEN_LINKS, provider, athlete_id),
            self._stmt(sql.DELETE_TOKEN, athlete_id, provider),
        )

    # -- idempotency ---------------------------------------------------------------------------
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        return self.claim_as(key, now, ttl, "")

    def claim_as(self, key: str, now: dt.datetime, ttl: dt.timedelta, holder: str) -> bool:
        """Claim ``key`` for ``ttl`` recording ``holder``; a live claim is taken only by
        the holder (not ``""``) that took it (its job delivered again)."""
        expires = micros(now + ttl, "now + ttl")
        result = self._run(sql.CLAIM, key, expires, holder, micros(now, "now"))
        return result.changes > 0

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        self._run(sql.EXTEND_CLAIM, key, micros(now + ttl, "now + ttl"))

    def release(self, key: str) -> None:
        self._run(sql.RELEASE_CLAIM, key)

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete claims that expired before ``now``; returns how many."""
        return self._run(sql.PURGE_CLAIMS, micros(now, "now")).changes

    # -- time zones and identities ------------------------------------------------------------
    def list_timezones(self) -> list[str]:
        """Distinct zones, read from the ``athletes_by_timezone`` index."""
        return [str(row["timezone"]) for row in self._rows(sql.LIST_TIMEZONES)]

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        return self._many(AthleteProfile, sql.LIST_ATHLETES_IN_TIMEZONE, timezone)

    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        self._run(sql.LINK_IDENTITY, kind, external_id, athlete_id)

    def find_identity(self, kind: str, external_id: str) -> str | None:
        rows = self._rows(sql.FIND_IDENTITY, kind, external_id)
        return str(rows[0]["athlete_id"]) if rows else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        self._run(sql.UNLINK_IDENTITY, kind, external_id)
