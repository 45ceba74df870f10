"""The Storage port on Firestore (native mode), streams in the Blob port (Cloud Storage).

Layout: ``athletes/{id}`` holds a profile (its JSON body plus ``timezone`` for the zone
index); every record attached to an athlete lives in a subcollection under it, with an
``at`` timestamp for time-range queries; ``directory/timezones`` lists the zones that have
athletes; ``identities/{kind}:{external}`` is the owner-id index; ``claims/{key}`` holds
idempotency claims. Conditional writes use ``create()`` (AlreadyExists is the conflict) or
a write preconditioned on the document's update time (compare-and-set: racing writers get
one winner at once, where transactions under contention abort and retry). The
``expires_at`` field is only for Firestore's TTL sweep; claim expiry is decided by
``until``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from momentum.adapters.gcp import names as n
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
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from momentum.core.model.domain_plan import P, plan_key, with_version
from momentum.core.ports.blob import Blob
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage

T = TypeVar("T")
BODY = "body"
AT = "at"
VERSION = "version"
UNTIL = "until"


def streams_key(athlete_id: str, activity_id: str) -> str:
    """Where an activity's streams live in the blob store (gzip JSON)."""
    return f"streams/{n.doc_id(athlete_id)}/{n.doc_id(activity_id)}.json.gz"


class FirestoreStorage(Storage):
    """Storage on one Firestore database; ``client`` is a ``google.cloud.firestore.Client``
    or a factory of one (called on first use, so a cold start pays for the SDK only when a
    request reads or writes), and ``blobs`` keeps streams and uploads."""

    def __init__(self, client: Any | Callable[[], Any], blobs: Blob) -> None:
        self._client = client
        self._lock = threading.Lock()
        self.blobs = blobs

    @property
    def db(self) -> Any:
        """The Firestore client (made once, on first use)."""
        if callable(self._client) and not hasattr(self._client, "collection"):
            with self._lock:
                if callable(self._client) and not hasattr(self._client, "collection"):
                    self._client = self._client()
        return self._client

    @classmethod
    def connect(cls, project: str, blobs: Blob, database: str = "(default)") -> FirestoreStorage:
        """Storage on a client made on first use (Application Default Credentials, or the
        emulator when ``FIRESTORE_EMULATOR_HOST`` is set)."""

        def client() -> Any:
            from google.cloud import firestore

            return firestore.Client(project=project, database=database)

        return cls(client, blobs)

    # -- helpers -------------------------------------------------------------------------
    def _athlete(self, athlete_id: str) -> Any:
        return self.db.collection(n.ATHLETES).document(n.doc_id(athlete_id))

    def _sub(self, athlete_id: str, collection: str) -> Any:
        return self._athlete(athlete_id).collection(collection)

    def _put_body(
        self, athlete_id: str, collection: str, record_id: str, record: Any, **fields: Any
    ) -> None:
        ref = self._sub(athlete_id, collection).document(n.doc_id(record_id))
        ref.set({BODY: to_json(record), **fields})

    @staticmethod
    def _decode(cls: type[T], snapshot: Any) -> T:
        return from_json(cls, snapshot.get(BODY))

    def _timed(
        self, cls: type[T], athlete_id: str, collection: str, start: dt.datetime, end: dt.datetime
    ) -> list[T]:
        if start >= end:
            return []
        query = (
            self._sub(athlete_id, collection)
            .where(filter=_field(AT, ">=", n.utc(start)))
            .where(filter=_field(AT, "<", n.utc(end)))
            .order_by(AT)
        )
        return [self._decode(cls, snap) for snap in query.stream()]

    # -- athletes ------------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Write the profile (create, or a write conditional on it being unchanged since
        it was read), then add its zone to ``directory/timezones`` with an ``ArrayUnion``
        and link its chat user (dropping a changed one's old link); a zone the athlete
        left is tidied by :meth:`_forget_zone_if_empty`."""
        from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

        ref = self._athlete(profile.athlete_id)
        fields = {BODY: to_json(profile), "timezone": profile.timezone}
        while True:
            snap = ref.get()
            try:
                if snap.exists:
                    option = self.db.write_option(last_update_time=snap.update_time)
                    ref.update(fields, option=option)
                else:
                    ref.create(fields)
            except (AlreadyExists, FailedPrecondition, NotFound):
                continue
            break
        self._zone_directory().set({"zones": _array_union(profile.timezone)}, merge=True)
        old = self._decode(AthleteProfile, snap) if snap.exists else None
        if profile.chat_user_id:
            self.link_identity(CHAT_IDENTITY, profile.chat_user_id, profile.athlete_id)
        dropped = old.chat_user_id if old is not None else ""
        if (
            dropped
            and dropped != profile.chat_user_id
            and self.find_identity(CHAT_IDENTITY, dropped) == profile.athlete_id
        ):
            self.unlink_identity(CHAT_IDENTITY, dropped)
        if old is not None and old.timezone != profile.timezone:
            self._forget_zone_if_empty(old.timezone)

    def _zone_directory(self) -> Any:
        return self.db.collection(n.DIRECTORY).document(n.TIMEZONES_DOC)

    def _zone_has_athletes(self, zone: str) -> bool:
        query = self.db.collection(n.ATHLETES).where(filter=_field("timezone", "==", zone))
        return any(True for _ in query.limit(1).stream())

    def _forget_zone_if_empty(self, zone: str) -> None:
        """Remove ``zone`` from the directory when no athlete is left in it. Remove, then
        look again and re-add if someone joined meanwhile: a joiner writes its profile
        before its ``ArrayUnion``, so either the second look sees it or its union comes
        after our remove, and the zone is never lost."""
        from google.cloud import firestore

        if self._zone_has_athletes(zone):
            return
        self._zone_directory().set({"zones": firestore.ArrayRemove([zone])}, merge=True)
        if self._zone_has_athletes(zone):
            self._zone_directory().set({"zones": _array_union(zone)}, merge=True)

    def get_athlete(self, athlete_id: str) -> AthleteProfile | None:
        """One profile, or ``None``."""
        snap = self._athlete(athlete_id).get()
        return self._decode(AthleteProfile, snap) if snap.exists else None

    def list_athletes(self) -> list[AthleteProfile]:
        """All profiles, ordered by id."""
        found = [self._decode(AthleteProfile, s) for s in self.db.collection(n.ATHLETES).stream()]
        return sorted(found, key=lambda profile: profile.athlete_id)

    def list_timezones(self) -> list[str]:
        """Zones with at least one athlete: one read of ``directory/timezones``."""
        snap = self._zone_directory().get()
        zones = (snap.get("zones") or []) if snap.exists else []
        return sorted(str(zone) for zone in zones)

    def list_athletes_in_timezone(self, timezone: str) -> list[AthleteProfile]:
        """One equality query on the profile's ``timezone`` field, ordered by id."""
        query = self.db.collection(n.ATHLETES).where(filter=_field("timezone", "==", timezone))
        found = [self._decode(AthleteProfile, snap) for snap in query.stream()]
        return sorted(found, key=lambda profile: profile.athlete_id)

    def delete_athlete(self, athlete_id: str) -> None:
        """Delete the athlete's records, links, streams and uploads, then the profile and
        its zone count last, so a deletion cut short leaves the athlete listed."""
        for collection in n.ATHLETE_SUBCOLLECTIONS:
            self.db.recursive_delete(self._sub(athlete_id, collection))
        links = self.db.collection(n.IDENTITIES).where(
            filter=_field("athlete_id", "==", athlete_id)
        )
        for link in links.stream():
            link.reference.delete()
        for prefix in (f"streams/{n.doc_id(athlete_id)}/", f"uploads/{n.doc_id(athlete_id)}/"):
            for key in list(self.blobs.keys(prefix)):
                self.blobs.delete(key)
        ref = self._athlete(athlete_id)
        snap = ref.get()
        if snap.exists:
            ref.delete()
            self._forget_zone_if_empty(str(snap.get("timezone")))

    # -- identities ----------------------------------------------------------------------
    def link_identity(self, kind: str, external_id: str, athlete_id: str) -> None:
        """Point ``kind``/``external_id`` at ``athlete_id`` (one write)."""
        ref = self.db.collection(n.IDENTITIES).document(n.identity_id(kind, external_id))
        ref.set({"athlete_id": athlete_id, "kind": kind, "external_id": external_id})

    def find_identity(self, kind: str, external_id: str) -> str | None:
        """The athlete behind an external id: one document read."""
        snap = self.db.collection(n.IDENTITIES).document(n.identity_id(kind, external_id)).get()
        return str(snap.get("athlete_id")) if snap.exists else None

    def unlink_identity(self, kind: str, external_id: str) -> None:
        """Forget one link (a missing link is not an error)."""
        self.db.collection(n.IDENTITIES).document(n.identity_id(kind, external_id)).delete()

    # -- activities ----------------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        """Upsert without streams; True if no record had this id before (a ``create`` that
        fails with AlreadyExists means it was there, and a ``set`` replaces it)."""
        from google.api_core.exceptions import AlreadyExists

        stored = dataclasses.replace(activity, streams=None)
        ref = self._sub(activity.athlete_id, n.ACTIVITIES).document(n.doc_id(activity.activity_id))
        fields = {BODY: to_json(stored), AT: n.utc(activity.start)}
        try:
            ref.create(fields)
        except AlreadyExists:
            ref.set(fields)
            return False
        return True

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """One activity (no streams), or ``None``."""
        snap = self._sub(athlete_id, n.ACTIVITIES).document(n.doc_id(activity_id)).get()
        return self._decode(Activity, snap) if snap.exists else None

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """``start <= activity.start < end``, oldest first (one range query), without those
        marked deleted."""
        found = self._timed(Activity, athlete_id, n.ACTIVITIES, start, end)
        live = [a for a in found if a.deleted_at is None]  # marked deleted: readable, unlisted
        return sorted(live, key=lambda a: (a.start, a.activity_id))

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Delete the record and its streams; True if the record existed."""
        from google.api_core.exceptions import NotFound

        ref = self._sub(athlete_id, n.ACTIVITIES).document(n.doc_id(activity_id))
        self.blobs.delete(streams_key(athlete_id, activity_id))
        try:
            ref.delete(option=self.db.write_option(exists=True))
        except NotFound:
            return False
        return True

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Streams go to the blob store as gzip JSON (too large for a document)."""
        data = gzip.compress(json.dumps(to_dict(streams)).encode(), mtime=0)
        self.blobs.put(streams_key(athlete_id, activity_id), data, "application/gzip")

    def list_stream_keys(self, athlete_id: str, prefix: str = "") -> list[str]:
        """The athlete's stream keys, listed from the blob store."""
        folder = f"streams/{n.doc_id(athlete_id)}/"
        found = self.blobs.names_under(folder, ".json.gz")
        return sorted(key for key in found if key.startswith(prefix))

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """Streams from the blob store, or ``None``."""
        data = self.blobs.get(streams_key(athlete_id, activity_id))
        result: Streams | None = (
            None if data is None else from_dict(Streams, json.loads(gzip.decompress(data)))
        )
        return result

    # -- plans ---------------------------------------------------------------------------
    def put_plan(self, plan: P, expected_version: int | None = None) -> P:
        """The plan as the next version: a transaction reading the stored version first
        (and, with ``expected_version``, refusing any other)."""
        ref = self._sub(plan.athlete_id, n.PLANS).document(n.plan_doc(plan_key(plan)))
        what = f"plan for {plan.athlete_id}"
        return self._put_versioned(ref, plan, expected_version, what)  # type: ignore[no-any-return]

    def get_plan(self, kind: type[P], athlete_id: str) -> P | None:
        """The current plan, or ``None``."""
        snap = self._sub(athlete_id, n.PLANS).document(n.plan_doc(plan_key(kind))).get()
        if not snap.exists:
            return None
        return with_version(self._decode(kind, snap), int(snap.get(VERSION)))

    def _put_versioned(self, ref: Any, record: Any, expected: int | None, what: str) -> Any:
        """Compare-and-set on the document's update time: read the version, then write
        only if nobody wrote since (a precondition, not a transaction, so racing writers
        get one winner at once instead of a storm of aborted retries)."""
        from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

        while True:
            snap = ref.get()
            current = int(snap.get(VERSION)) if snap.exists else 0
            if expected is not None and current != expected:
                raise ConflictError(f"{what} is at version {current}, not {expected}")
            stored = dataclasses.replace(record, version=current + 1)
            fields = {BODY: to_json(stored), VERSION: current + 1}
            try:
                if snap.exists:
                    ref.update(
                        fields, option=self.db.write_option(last_update_time=snap.update_time)
                    )
                else:
                    ref.create(fields)
            except (AlreadyExists, FailedPrecondition, NotFound):
                if expected is not None:
                    latest = ref.get()
                    now_at = int(latest.get(VERSION)) if latest.exists else 0
                    raise ConflictError(f"{what} is at version {now_at}, not {expected}") from None
                continue
            return stored

    # -- messages ------------------------------------------------------------------------
    def _message_ref(self, message: Message) -> Any:
        return self._sub(message.athlete_id, n.MESSAGES).document(n.doc_id(message.message_id))

    def put_message(self, message: Message) -> None:
        """Upsert by (athlete, message id)."""
        self._message_ref(message).set({BODY: to_json(message), AT: n.utc(message.at)})

    def put_message_if_absent(self, message: Message) -> bool:
        """A ``create``: False when a message with this id exists."""
        from google.api_core.exceptions import AlreadyExists

        try:
            self._message_ref(message).create({BODY: to_json(message), AT: n.utc(message.at)})
        except AlreadyExists:
            return False
        return True

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """One message, or ``None``."""
        snap = self._sub(athlete_id, n.MESSAGES).document(n.doc_id(message_id)).get()
        return self._decode(Message, snap) if snap.exists else None

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """``start <= at < end``, oldest first."""
        return self._timed(Message, athlete_id, n.MESSAGES, start, end)

    # -- journal and memory --------------------------------------------------------------
    def put_reflection(self, reflection: Reflection) -> None:
        """Upsert by id."""
        self._put_body(
            reflection.athlete_id,
            n.REFLECTIONS,
            reflection.reflection_id,
            reflection,
            **{AT: n.utc(reflection.at)},
        )

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """``start <= at < end``, oldest first."""
        return self._timed(Reflection, athlete_id, n.REFLECTIONS, start, end)

    def put_note(self, note: ActivityNote) -> None:
        """Upsert by id, with the activity id for the per-activity query."""
        self._put_body(
            note.athlete_id,
            n.NOTES,
            note.note_id,
            note,
            **{AT: n.utc(note.at), "activity_id": note.activity_id},
        )

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """One activity's notes (an equality query), oldest first."""
        query = self._sub(athlete_id, n.NOTES).where(
            filter=_field("activity_id", "==", activity_id)
        )
        notes = [self._decode(ActivityNote, snap) for snap in query.stream()]
        return sorted(notes, key=lambda note: note.at)

    def put_memory(self, item: MemoryItem) -> None:
        """Upsert by id."""
        self._put_body(item.athlete_id, n.MEMORY, item.memory_id, item, **{AT: n.utc(item.created)})

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """Every memory item, oldest first."""
        found = self._sub(athlete_id, n.MEMORY).order_by(AT).stream()
        return [self._decode(MemoryItem, snap) for snap in found]

    # -- usage ---------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        """Upsert by id under the athlete (a collection-group index serves everyone's)."""
        self._put_body(usage.athlete_id, n.USAGE, usage.usage_id, usage, **{AT: n.utc(usage.at)})

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """One athlete's usage, or everyone's through the ``usage`` collection group."""
        if athlete_id is not None:
            return self._timed(LLMUsage, athlete_id, n.USAGE, start, end)
        if start >= end:
            return []
        query = (
            self.db.collection_group(n.USAGE)
            .where(filter=_field(AT, ">=", n.utc(start)))
            .where(filter=_field(AT, "<", n.utc(end)))
            .order_by(AT)
        )
        return [self._decode(LLMUsage, snap) for snap in query.stream()]

    # -- oauth tokens --------------------------------------------------------------------
    def _token_ref(self, athlete_id: str, provider: str) -> Any:
        return self._sub(athlete_id, n.TOKENS).document(n.doc_id(provider))

    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """The stored token set with its version, or ``None``."""
        snap = self._token_ref(athlete_id, provider).get()
        if not snap.exists:
            return None
        return dataclasses.replace(self._decode(OAuthToken, snap), version=int(snap.get(VERSION)))

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Conditional on the stored version, so a concurrent refresh can't be lost."""
        ref = self._token_ref(token.athlete_id, token.provider)
        what = f"{token.provider} token for {token.athlete_id}"
        stored: OAuthToken = self._put_versioned(ref, token, expected_version, what)
        if token.provider_athlete_id:  # the webhook finds its athlete in one read
            self.link_identity(token.provider, token.provider_athlete_id, token.athlete_id)
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Forget the token set and its identity link."""
        token = self.get_token(athlete_id, provider)
        self._token_ref(athlete_id, provider).delete()
        if token is not None and token.provider_athlete_id:
            self.unlink_identity(provider, token.provider_athlete_id)

    # -- idempotency ---------------------------------------------------------------------
    def _claim_ref(self, key: str) -> Any:
        return self.db.collection(n.CLAIMS).document(n.doc_id(key))

    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """A ``create`` wins a fresh key; an expired claim is taken over by a write
        conditional on its update time, so of racing takers exactly one wins."""
        from google.api_core.exceptions import AlreadyExists, FailedPrecondition, NotFound

        ref, now, until = self._claim_ref(key), n.utc(now), n.utc(now + ttl)
        fields = {UNTIL: until, n.TTL_FIELD: until}
        while True:
            try:
                ref.create(fields)
                return True
            except AlreadyExists:
                pass
            snap = ref.get()
            if not snap.exists:
                continue  # released in between: try the create again
            if n.utc(snap.get(UNTIL)) > now:
                return False
            try:
                ref.update(fields, option=self.db.write_option(last_update_time=snap.update_time))
            except (FailedPrecondition, NotFound):
                return False
            return True

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """One unconditional write of the new expiry (the document is never absent)."""
        until = n.utc(now + ttl)
        self._claim_ref(key).set({UNTIL: until, n.TTL_FIELD: until})

    def release(self, key: str) -> None:
        """Drop the claim."""
        self._claim_ref(key).delete()

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Delete claims whose ``until`` has passed (each delete conditional on the claim
        being unchanged since it was read, so a claim taken meanwhile survives). The TTL
        policy does the same eventually; this is for housekeeping runs."""
        from google.api_core.exceptions import FailedPrecondition, NotFound

        expired = self.db.collection(n.CLAIMS).where(filter=_field(UNTIL, "<=", n.utc(now)))
        purged = 0
        for snap in expired.stream():
            option = self.db.write_option(last_update_time=snap.update_time)
            try:
                snap.reference.delete(option=option)
            except (FailedPrecondition, NotFound):
                continue
            purged += 1
        return purged


def _field(path: str, op: str, value: Any) -> Any:
    from google.cloud.firestore_v1.base_query import FieldFilter

    return FieldFilter(path, op, value)


def _array_union(zone: str) -> Any:
    from google.cloud import firestore

    return firestore.ArrayUnion([zone])
