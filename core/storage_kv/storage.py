"""The whole Storage port, written once over a :class:`~momentum.core.storage_kv.table.
KeyValueTable` and a :class:`~momentum.core.ports.blob.Blob` store (for streams).

A cloud adapter implements only the table's primitives (DynamoDB, an in-memory table in
tests); the record layout is in :mod:`momentum.core.storage_kv.layout`. Every range query
is one query on the ``lsi1`` time index (or ``gsi1`` for everyone's usage), never a scan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
from collections.abc import Callable
from typing import Any, TypeVar

from momentum.core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    LLMUsage,
    MemoryItem,
    Message,
    Reflection,
    Streams,
    from_dict,
    to_dict,
)
from momentum.core.ports.blob import Blob
from momentum.core.ports.storage import CHAT_IDENTITY, Storage
from momentum.core.storage_kv import layout as k
from momentum.core.storage_kv.table import BASE_INDEX as BASE
from momentum.core.storage_kv.table import (
    GLOBAL_INDEX,
    GLOBAL_PK,
    GLOBAL_SK,
    PK,
    SK,
    TIME_INDEX,
    TIME_SK,
    Absent,
    ConditionFailed,
    Item,
    KeyValueTable,
)
from momentum.core.storage_kv.versioned import KvVersioned

T = TypeVar("T")


class KvStorage(KvVersioned, Storage):
    """The Storage port on one key-value table (records) and a Blob store (streams)."""

    def __init__(self, kv: KeyValueTable, blobs: Blob) -> None:
        self.kv = kv
        self.blobs = blobs

    # -- helpers ---------------------------------------------------------------------------
    def _record(self, athlete_id: str, kind: str, record_id: str, record: object) -> Item:
        return {
            PK: k.athlete_pk(athlete_id),
            SK: k.record_sk(kind, record_id),
            k.BODY: k.encode_body(record),
        }

    def _timed(
        self,
        athlete_id: str,
        kind: str,
        record_id: str,
        at: dt.datetime,
        record: object,
        index_kind: str = "",
    ) -> Item:
        item = self._record(athlete_id, kind, record_id, record)
        item[TIME_SK] = k.timed_sk(index_kind or kind, at, record_id)
        return item

    def _one(self, cls: type[T], athlete_id: str, kind: str, record_id: str) -> T | None:
        item = self.kv.get(k.athlete_pk(athlete_id), k.record_sk(kind, record_id))
        return k.decode_body(cls, item) if item else None

    def _between(
        self,
        cls: type[T],
        athlete_id: str,
        kind: str,
        start: dt.datetime,
        end: dt.datetime,
        order: Callable[[T], Any],
    ) -> list[T]:
        if start >= end:
            return []
        bounds = k.time_bounds(kind, start, end)
        items = self.kv.query(TIME_INDEX, k.athlete_pk(athlete_id), between=bounds)
        return sorted((k.decode_body(cls, item) for item in items), key=order)

    # -- athletes --------------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Insert or replace the profile (indexed by zone on ``gsi1``), then move the zone
        directory's counters and the chat-user link."""
        key = k.part(profile.athlete_id)
        item: Item = {
            PK: k.ATHLETES,
            SK: key,
            GLOBAL_PK: k.zone_index_pk(profile.timezone),
            GLOBAL_SK: key,
            k.BODY: k.encode_body(profile),
        }
        old_item = self.kv.put(item)
        old = k.decode_body(AthleteProfile, old_item) if old_item else None
        self._zone_moved(old, profile)
        stale = old.chat_user_id if old is not None else ""
        if (
            stale
            and stale != profile.chat_user_id
            and self.find_identity(CHAT_IDENTITY, stale) == profile.athlete_id
        ):
            self.unlink_identity(CHAT_IDENTITY, stale)
        if profile.chat_user_id:
            self.link_identity(CHAT_IDENTITY, profile.chat_user_id, profile.athlete_id)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        """One profile, or ``None``."""
        item = self.kv.get(k.ATHLETES, k.part(athlete_id))
        return k.decode_body(AthleteProfile, item) if item else None

    def list_athletes(self) -> list[AthleteProfile]:
        """All profiles: one query on the ``ATHLETES`` partition."""
        found = [k.decode_body(AthleteProfile, i) for i in self.kv.query(BASE, k.ATHLETES)]
        return sorted(found, key=lambda profile: profile.athlete_id)

    def delete_athlete(self, athlete_id: str) -> None:
        """Delete the athlete's partition, streams and uploads, then the profile last, so a
        deletion cut short leaves the athlete listed and a retry finishes it."""
        self._unlink_athlete(athlete_id)
        pk = k.athlete_pk(athlete_id)
        self.kv.delete_many([(pk, str(item[SK])) for item in self.kv.query(BASE, pk)])
        for prefix in (k.STREAMS_PREFIX, k.UPLOADS_PREFIX):
            self.blobs.delete_prefix(f"{prefix}{k.blob_part(athlete_id)}/")
        old = self.kv.delete(k.ATHLETES, k.part(athlete_id))
        if old is not None:
            self._zone_moved(k.decode_body(AthleteProfile, old), None)

    # -- activities ------------------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        """Upsert without streams; True if no record had this id before."""
        stored = dataclasses.replace(activity, streams=None)
        item = self._timed(activity.athlete_id, "ACT", activity.activity_id, activity.start, stored)
        return self.kv.put(item) is None

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """One activity (no streams), or ``None``."""
        return self._one(Activity, athlete_id, "ACT", activity_id)

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """``start <= activity.start < end``, oldest first, leaving out deleted ones."""
        found = self._between(
            Activity, athlete_id, "ACT", start, end, lambda a: (a.start, a.activity_id)
        )
        return [a for a in found if a.deleted_at is None]

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Delete the record and its streams; True if the record existed."""
        old = self.kv.delete(k.athlete_pk(athlete_id), k.record_sk("ACT", activity_id))
        self.blobs.delete(k.streams_key(athlete_id, activity_id))
        return old is not None

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Streams go to the Blob store as gzip JSON (deterministic bytes)."""
        raw = json.dumps(to_dict(streams), separators=(",", ":"), ensure_ascii=False)
        data = gzip.compress(raw.encode("utf-8"), compresslevel=6, mtime=0)
        self.blobs.put(k.streams_key(athlete_id, activity_id), data, "application/json")

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        """The athlete's stream keys, listed from the Blob store."""
        folder = f"{k.STREAMS_PREFIX}{k.blob_part(athlete_id)}/"
        return sorted(n for n in self.blobs.names_under(folder, ".json.gz") if n.startswith(prefix))

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """Streams from the Blob store, or ``None``."""
        data = self.blobs.get(k.streams_key(athlete_id, activity_id))
        found: Streams | None = (
            None if data is None else from_dict(Streams, json.loads(gzip.decompress(data)))
        )
        return found

    # -- messages --------------------------------------------------------------------------
    def _message(self, message: Message) -> Item:
        return self._timed(message.athlete_id, "MSG", message.message_id, message.at, message)

    def put_message(self, message: Message) -> None:
        """Upsert by (athlete, message id)."""
        self.kv.put(self._message(message))

    def put_message_if_absent(self, message: Message) -> bool:
        """A conditional put: False when a message with this id exists."""
        try:
            self.kv.put(self._message(message), (Absent(),))
        except ConditionFailed:
            return False
        return True

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """One message, or ``None``."""
        return self._one(Message, athlete_id, "MSG", message_id)

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """``start <= at < end``, oldest first."""
        return self._between(Message, athlete_id, "MSG", start, end, lambda m: m.at)

    # -- journal and memory ----------------------------------------------------------------
    def put_reflection(self, reflection: Reflection) -> None:
        """Upsert by id, indexed by time."""
        r = reflection
        self.kv.put(self._timed(r.athlete_id, "REF", r.reflection_id, r.at, r))

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """``start <= at < end``, oldest first."""
        return self._between(Reflection, athlete_id, "REF", start, end, lambda r: r.at)

    def put_note(self, note: ActivityNote) -> None:
        """Upsert by id, indexed by (activity, time)."""
        kind = f"NOTE{k.SEP}{k.part(note.activity_id)}"
        self.kv.put(self._timed(note.athlete_id, "NOTE", note.note_id, note.at, note, kind))

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """One activity's notes, oldest first."""
        prefix = f"NOTE{k.SEP}{k.part(activity_id)}{k.SEP}"
        items = self.kv.query(TIME_INDEX, k.athlete_pk(athlete_id), prefix=prefix)
        return sorted((k.decode_body(ActivityNote, i) for i in items), key=lambda n: n.at)

    def put_memory(self, item: MemoryItem) -> None:
        """Upsert by id, indexed by creation time."""
        self.kv.put(self._timed(item.athlete_id, "MEM", item.memory_id, item.created, item))

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """Every memory item, oldest first."""
        items = self.kv.query(TIME_INDEX, k.athlete_pk(athlete_id), prefix=f"MEM{k.SEP}")
        return sorted((k.decode_body(MemoryItem, i) for i in items), key=lambda m: m.created)

    # -- usage -----------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        """Upsert in the athlete's partition, also indexed for everyone on ``gsi1``."""
        item = self._timed(usage.athlete_id, "USE", usage.usage_id, usage.at, usage)
        item[GLOBAL_PK] = k.USAGE_INDEX_PK
        item[GLOBAL_SK] = (
            f"{k.instant(usage.at)}{k.SEP}{k.part(usage.athlete_id)}{k.SEP}{k.part(usage.usage_id)}"
        )
        self.kv.put(item)

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """One athlete's usage (``lsi1``) or everyone's (``gsi1``), ``start <= at < end``."""
        if athlete_id is not None:
            return self._between(LLMUsage, athlete_id, "USE", start, end, lambda u: u.at)
        if start >= end:
            return []
        bounds = (k.instant(start), k.instant(end))
        items = self.kv.query(GLOBAL_INDEX, k.USAGE_INDEX_PK, between=bounds)
        return sorted((k.decode_body(LLMUsage, i) for i in items), key=lambda u: u.at)
