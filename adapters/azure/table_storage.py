"""The Storage port on Azure Table Storage (one table; ``azure-data-tables``).

Every read on a request path is a point read or a query inside one partition:

==============================  ==============================  ===========================
PartitionKey                    RowKey                          holds
==============================  ==============================  ===========================
``athletes``                    ``<athlete>``                   the profile (directory)
``a|<athlete>``                 ``plan``, ``plan|<key>``,       the athlete's records, so
                                ``act|<id>``, ``msg|<id>``,     ranges are one partition and
                                ``refl|<id>``, ``note|<id>``,   deleting an athlete is one
                                ``mem|<id>``, ``use|<id>``,     query plus batched deletes
                                ``token|<p>``,
                                ``link|<kind>|<id>``
``usage``                       ``<instant>|<usage id>``        usage of every athlete by time
==============================  ==============================  ===========================

plus the indexes of :mod:`.table_index`. Versioned writes (plans, tokens) are conditional
on the ETag read before: If-None-Match for the first version, If-Match after; a 412 is a
:class:`~momentum.core.ports.storage.ConflictError`. Streams and oversized records live in
the Blob port.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from momentum.adapters.azure import keys
from momentum.adapters.azure.table_codec import pack, unpack
from momentum.adapters.azure.table_index import TableIndexes
from momentum.adapters.azure.tables import Entity, Table
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
from momentum.core.ports.blob import Blob
from momentum.core.ports.storage import ConflictError, Storage

R = TypeVar("R")
CHAT_IDENTITY = "chat"
"""The identity kind a profile's ``chat_user_id`` is linked under (core's constant)."""
PLAN_RETRIES = 8


class TableStorage(TableIndexes, Storage):
    """Storage on one table; ``blob`` holds streams and records too big for an entity."""

    def __init__(self, table: Table, blob: Blob) -> None:
        self.table = table
        self.blob = blob

    # helpers ----------------------------------------------------------------------------
    def _body(self, text: str, pk: str = "", rk: str = "") -> dict[str, Any]:
        return pack(text, self.blob, f"records/{keys.esc(pk)}/{keys.esc(rk)}.json")

    def _text(self, entity: Entity) -> str:
        return unpack(entity, self.blob)

    def _put(self, pk: str, rk: str, record: Any, **extra: Any) -> None:
        body = self._body(to_json(record), pk, rk)
        self.table.upsert({"PartitionKey": pk, "RowKey": rk, **extra, **body})

    def _read(self, cls: type[R], pk: str, rk: str) -> R | None:
        found = self.table.get(pk, rk)
        return from_json(cls, self._text(found)) if found else None

    def _range(
        self, cls: type[R], athlete_id: str, kind: str, start: dt.datetime, end: dt.datetime
    ) -> Iterator[R]:
        low, high = keys.prefix_range(kind)
        rows = self.table.query_rows(
            keys.athlete_pk(athlete_id),
            low,
            high,
            "at ge @start and at lt @end",
            start=keys.instant(start),
            end=keys.instant(end),
        )
        return (from_json(cls, self._text(row)) for row in rows)

    def _kind(self, cls: type[R], athlete_id: str, kind: str) -> Iterator[R]:
        low, high = keys.prefix_range(kind)
        rows = self.table.query_rows(keys.athlete_pk(athlete_id), low, high)
        return (from_json(cls, self._text(row)) for row in rows)

    # athletes ---------------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Upsert the profile, its zone index row and its chat link."""
        old = self.get_athlete(profile.athlete_id)
        text = to_json(profile)
        self.table.upsert(
            {"PartitionKey": keys.ATHLETES, "RowKey": keys.esc(profile.athlete_id)}
            | self._body(text, keys.ATHLETES, profile.athlete_id)
        )
        self._index_zone(profile, text)
        if old is not None and old.timezone != profile.timezone:
            self._unindex_zone(old.timezone, profile.athlete_id)
        if old is not None and old.chat_user_id and old.chat_user_id != profile.chat_user_id:
            self.unlink_identity(CHAT_IDENTITY, old.chat_user_id)
        if profile.chat_user_id:
            self.link_identity(CHAT_IDENTITY, profile.chat_user_id, profile.athlete_id)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        """One point read."""
        return self._read(AthleteProfile, keys.ATHLETES, keys.esc(athlete_id))

    def list_athletes(self) -> list[AthleteProfile]:
        """The directory partition, by id."""
        found = [from_json(AthleteProfile, self._text(r)) for r in self.table.query(keys.ATHLETES)]
        return sorted(found, key=lambda profile: profile.athlete_id)

    def delete_athlete(self, athlete_id: str) -> None:
        """Delete the athlete's partition, links, usage, streams, index rows and profile."""
        profile = self.get_athlete(athlete_id)
        rows = list(self.table.query(keys.athlete_pk(athlete_id)))
        low, high = keys.prefix_range("link")
        self._unlink_all([r for r in rows if low <= r["RowKey"] < high], athlete_id)
        for usage in (r for r in rows if r["RowKey"].startswith("use|")):
            self.table.delete(keys.USAGE, str(usage["everyone"]))
        self.table.delete_all(rows)
        for key in list(self.blob.keys(f"streams/{keys.esc(athlete_id)}/")):
            self.blob.delete(key)
        if profile is not None:
            self._unindex_zone(profile.timezone, athlete_id)
        self.table.delete(keys.ATHLETES, keys.esc(athlete_id))

    # activities -------------------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        """Upsert without streams; ``True`` if it was new."""
        pk, rk = keys.athlete_pk(activity.athlete_id), keys.row("act", activity.activity_id)
        stored = dataclasses.replace(activity, streams=None)
        body = {"at": keys.instant(activity.start)} | self._body(to_json(stored), pk, rk)
        entity = {"PartitionKey": pk, "RowKey": rk, **body}
        if self.table.create(entity):
            return True
        self.table.upsert(entity)
        return False

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """One point read."""
        return self._read(Activity, keys.athlete_pk(athlete_id), keys.row("act", activity_id))

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """One partition query on the start column; activities marked deleted are left out
        (``get_activity`` still returns them)."""
        found = self._range(Activity, athlete_id, "act", start, end)
        kept = (a for a in found if a.deleted_at is None)
        return sorted(kept, key=lambda a: (a.start, a.activity_id))

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Delete the activity and its streams; ``True`` if it existed."""
        pk, rk = keys.athlete_pk(athlete_id), keys.row("act", activity_id)
        existed = self.table.get(pk, rk) is not None
        self.blob.delete(self._streams_key(athlete_id, activity_id))
        self.table.delete(pk, rk)
        return existed

    @staticmethod
    def _streams_key(athlete_id: str, activity_id: str) -> str:
        return f"streams/{keys.esc(athlete_id)}/{keys.esc(activity_id)}.json"

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Streams go to Blob (they outgrow an entity)."""
        data = to_json(streams).encode("utf-8")
        self.blob.put(self._streams_key(athlete_id, activity_id), data, "application/json")

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        """The athlete's stream keys, listed from Blob."""
        folder = f"streams/{keys.esc(athlete_id)}/"
        return sorted(n for n in self.blob.names_under(folder, ".json") if n.startswith(prefix))

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """Streams from Blob, or ``None``."""
        data = self.blob.get(self._streams_key(athlete_id, activity_id))
        return from_json(Streams, data) if data is not None else None

    # versioned records ------------------------------------------------------------------
    def _versioned(self, pk: str, rk: str, version_of: Callable[[Entity], int]) -> tuple[int, str]:
        found = self.table.get(pk, rk)
        return (version_of(found), str(found["etag"])) if found else (0, "")

    def _write_version(self, pk: str, rk: str, record: Any, etag: str, **extra: Any) -> bool:
        entity = {"PartitionKey": pk, "RowKey": rk, **extra, **self._body(to_json(record), pk, rk)}
        return self.table.replace_if(entity, etag) if etag else self.table.create(entity)

    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """Bump the version conditionally on the ETag (retrying when unconditional)."""
        pk, rk = keys.athlete_pk(plan.athlete_id), keys.plan_row(plan_key(plan))
        for _ in range(PLAN_RETRIES):
            current, etag = self._versioned(pk, rk, lambda e: int(e.get("version", 0)))
            if expected_version is not None and current != expected_version:
                raise ConflictError(
                    f"plan for {plan.athlete_id} is at version {current}, not {expected_version}"
                )
            stored = with_version(plan, current + 1)
            if self._write_version(pk, rk, stored, etag, version=stored.version):
                return stored
            if expected_version is not None:
                raise ConflictError(f"plan for {plan.athlete_id} changed while writing")
        raise ConflictError(f"plan for {plan.athlete_id}: too many concurrent writers")

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        """One point read."""
        return self._read(kind, keys.athlete_pk(athlete_id), keys.plan_row(plan_key(kind)))

    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """One point read."""
        return self._read(OAuthToken, keys.athlete_pk(athlete_id), keys.row("token", provider))

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Write version ``expected_version + 1`` if the stored one is ``expected_version``."""
        pk, rk = keys.athlete_pk(token.athlete_id), keys.row("token", token.provider)
        current, etag = self._versioned(pk, rk, lambda e: int(e.get("version", 0)))
        if current != expected_version:
            raise ConflictError(
                f"{token.provider} token for {token.athlete_id} is at version {current}"
            )
        stored = dataclasses.replace(token, version=current + 1)
        if not self._write_version(pk, rk, stored, etag, version=stored.version):
            raise ConflictError(f"{token.provider} token for {token.athlete_id} changed meanwhile")
        if token.provider_athlete_id:
            self.link_identity(token.provider, token.provider_athlete_id, token.athlete_id)
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Forget the token and its identity link."""
        token = self.get_token(athlete_id, provider)
        self.table.delete(keys.athlete_pk(athlete_id), keys.row("token", provider))
        if token is not None and token.provider_athlete_id:
            self.unlink_identity(provider, token.provider_athlete_id)

    # messages, journal, memory -----------------------------------------------------------
    def put_message(self, message: Message) -> None:
        """Upsert by id."""
        pk, rk = keys.athlete_pk(message.athlete_id), keys.row("msg", message.message_id)
        self._put(pk, rk, message, at=keys.instant(message.at))

    def put_message_if_absent(self, message: Message) -> bool:
        """If-None-Match insert; ``False`` when the id is taken."""
        pk, rk = keys.athlete_pk(message.athlete_id), keys.row("msg", message.message_id)
        body = self._body(to_json(message), pk, rk)
        return self.table.create(
            {"PartitionKey": pk, "RowKey": rk, "at": keys.instant(message.at)} | body
        )

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """One point read."""
        return self._read(Message, keys.athlete_pk(athlete_id), keys.row("msg", message_id))

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """One partition query."""
        return sorted(self._range(Message, athlete_id, "msg", start, end), key=lambda m: m.at)

    def put_reflection(self, reflection: Reflection) -> None:
        """Upsert by id."""
        pk = keys.athlete_pk(reflection.athlete_id)
        rk = keys.row("refl", reflection.reflection_id)
        self._put(pk, rk, reflection, at=keys.instant(reflection.at))

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """One partition query."""
        return sorted(self._range(Reflection, athlete_id, "refl", start, end), key=lambda r: r.at)

    def put_note(self, note: ActivityNote) -> None:
        """Upsert by id."""
        pk, rk = keys.athlete_pk(note.athlete_id), keys.row("note", note.note_id)
        self._put(pk, rk, note, activity_id=note.activity_id)

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """One partition query filtered on the activity."""
        low, high = keys.prefix_range("note")
        rows = self.table.query_rows(
            keys.athlete_pk(athlete_id), low, high, "activity_id eq @act", act=activity_id
        )
        return sorted((from_json(ActivityNote, self._text(r)) for r in rows), key=lambda n: n.at)

    def put_memory(self, item: MemoryItem) -> None:
        """Upsert by id."""
        self._put(keys.athlete_pk(item.athlete_id), keys.row("mem", item.memory_id), item)

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """One partition query."""
        return sorted(self._kind(MemoryItem, athlete_id, "mem"), key=lambda m: m.created)

    # usage ------------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        """Upsert in the athlete's partition and in the all-athletes partition ``usage``
        (RowKey ``<instant>|<id>``, so listing a period is one RowKey range)."""
        pk, rk = keys.athlete_pk(usage.athlete_id), keys.row("use", usage.usage_id)
        everyone = f"{keys.instant(usage.at)}{keys.SEP}{keys.esc(usage.usage_id)}"
        previous = self.table.get(pk, rk)
        self._put(keys.USAGE, everyone, usage)
        self._put(pk, rk, usage, at=keys.instant(usage.at), everyone=everyone)
        if previous is not None and previous.get("everyone") != everyone:
            self.table.delete(keys.USAGE, str(previous["everyone"]))

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """One athlete: a query in their partition; everyone: one RowKey range."""
        if athlete_id is not None:
            found = list(self._range(LLMUsage, athlete_id, "use", start, end))
        else:
            rows = self.table.query_rows(keys.USAGE, keys.instant(start), keys.instant(end))
            found = [from_json(LLMUsage, self._text(row)) for row in rows]
        return sorted(found, key=lambda u: u.at)
