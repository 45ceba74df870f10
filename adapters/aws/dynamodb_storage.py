"""Storage on one DynamoDB table (records) and one S3 bucket (streams).

The table layout is in :mod:`momentum.adapters.aws.schema`: every query is a ``Query`` on the base
key, the ``lsi1`` time index or the ``gsi1`` usage index, never a ``Scan``. Conditional
writes (``ConditionExpression``) make the port's conditional operations atomic: claims,
plan and token versions, and "store this message only if it is new". Reads are strongly
consistent (except on ``gsi1``, where DynamoDB offers none) so a read after a write sees it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import time
from collections.abc import Iterator
from typing import Any, TypeVar

from momentum.adapters.aws import keys
from momentum.adapters.aws.codec import decode_body, encode_body, n, s
from momentum.adapters.aws.dynamodb_index import DynamoIndexMixin, zone_index_pk
from momentum.adapters.aws.s3_blobs import (
    STREAMS_PREFIX,
    UPLOADS_PREFIX,
    S3BlobStore,
    key_part,
    streams_key,
)
from momentum.adapters.aws.schema import (
    GSI1,
    GSI1_PK,
    GSI1_SK,
    LSI1,
    LSI1_SK,
    PK,
    SK,
    TTL_ATTRIBUTE,
)
from momentum.core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    LLMUsage,
    MemoryItem,
    Message,
    OAuthToken,
    Plan,
    Reflection,
    Streams,
    from_dict,
    to_dict,
)
from momentum.core.ports.storage import CHAT_IDENTITY, ConflictError, Storage

T = TypeVar("T")

VERSION = "version"
CLAIM_UNTIL = "until_us"
BATCH_LIMIT = 25


class DynamoDbStorage(DynamoIndexMixin, Storage):
    """The Storage port on DynamoDB + S3.

    ``dynamodb`` is a low-level boto3 DynamoDB client (or :class:`~momentum.adapters.aws.clients.
    LazyClient`); ``blobs`` holds streams and uploads.
    """

    def __init__(self, table_name: str, dynamodb: Any, blobs: S3BlobStore) -> None:
        self.table = table_name
        self.db = dynamodb
        self.blobs = blobs

    @classmethod
    def connect(cls, table_name: str, bucket: str, *, region: str | None = None) -> DynamoDbStorage:
        """Storage on lazily created, cached clients (the Lambda's normal path)."""
        from momentum.adapters.aws.clients import LazyClient

        s3 = S3BlobStore(bucket, LazyClient("s3", region=region))
        return cls(table_name, LazyClient("dynamodb", region=region), s3)

    # -- low-level helpers ---------------------------------------------------------------
    def _get(self, pk: str, sk: str) -> dict[str, Any] | None:
        response = self.db.get_item(
            TableName=self.table, Key={PK: s(pk), SK: s(sk)}, ConsistentRead=True
        )
        item: dict[str, Any] | None = response.get("Item")
        return item

    def _put(self, item: dict[str, Any], **extra: Any) -> dict[str, Any]:
        response: dict[str, Any] = self.db.put_item(TableName=self.table, Item=item, **extra)
        return response

    def _delete(self, pk: str, sk: str, **extra: Any) -> dict[str, Any]:
        response: dict[str, Any] = self.db.delete_item(
            TableName=self.table, Key={PK: s(pk), SK: s(sk)}, **extra
        )
        return response

    def _query(self, **request: Any) -> Iterator[dict[str, Any]]:
        """Every item a Query returns, across pages."""
        request = {"TableName": self.table, **request}
        if request.get("IndexName") != GSI1:
            request["ConsistentRead"] = True
        while True:
            response = self.db.query(**request)
            yield from response.get("Items", [])
            last = response.get("LastEvaluatedKey")
            if not last:
                return
            request["ExclusiveStartKey"] = last

    def _query_time(self, pk: str, kind: str, start: dt.datetime, end: dt.datetime) -> list[Any]:
        if start >= end:
            return []
        low, high = keys.time_bounds(kind, start, end)
        return list(
            self._query(
                IndexName=LSI1,
                KeyConditionExpression="#pk = :pk AND #sk BETWEEN :low AND :high",
                ExpressionAttributeNames={"#pk": PK, "#sk": LSI1_SK},
                ExpressionAttributeValues={":pk": s(pk), ":low": s(low), ":high": s(high)},
            )
        )

    def _query_prefix(self, pk: str, prefix: str, *, index: str | None = None) -> list[Any]:
        sort_key = LSI1_SK if index == LSI1 else SK
        request: dict[str, Any] = {
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": PK, "#sk": sort_key},
            "ExpressionAttributeValues": {":pk": s(pk), ":prefix": s(prefix)},
        }
        if index:
            request["IndexName"] = index
        return list(self._query(**request))

    def _is_conflict(self, error: Exception) -> bool:
        return isinstance(error, self.db.exceptions.ConditionalCheckFailedException)

    def _batch_delete(self, item_keys: list[dict[str, Any]]) -> None:
        """Delete items 25 at a time, retrying what DynamoDB leaves unprocessed."""
        for offset in range(0, len(item_keys), BATCH_LIMIT):
            pending: list[dict[str, Any]] = [
                {"DeleteRequest": {"Key": key}} for key in item_keys[offset : offset + BATCH_LIMIT]
            ]
            for attempt in range(8):
                response = self.db.batch_write_item(RequestItems={self.table: pending})
                pending = response.get("UnprocessedItems", {}).get(self.table, [])
                if not pending:
                    break
                time.sleep(min(2.0, 0.05 * 2**attempt))
            if pending:
                raise RuntimeError(f"{self.table}: {len(pending)} deletes left unprocessed")

    # -- athletes ------------------------------------------------------------------------
    def put_athlete(self, profile: AthleteProfile) -> None:
        """Insert or replace the profile (in the ``ATHLETES`` partition, indexed by zone on
        ``gsi1``), then move the zone directory's counters and the chat-user link."""
        response = self._put(
            {
                PK: s(keys.ATHLETES),
                SK: s(keys.part(profile.athlete_id)),
                GSI1_PK: s(zone_index_pk(profile.timezone)),
                GSI1_SK: s(keys.part(profile.athlete_id)),
                "body": encode_body(profile),
            },
            ReturnValues="ALL_OLD",
        )
        old_item = response.get("Attributes")
        old = decode_body(AthleteProfile, old_item) if old_item else None
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
        item = self._get(keys.ATHLETES, keys.part(athlete_id))
        return decode_body(AthleteProfile, item) if item else None

    def list_athletes(self) -> list[AthleteProfile]:
        """All profiles: one Query on the ``ATHLETES`` partition."""
        items = self._query(
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PK},
            ExpressionAttributeValues={":pk": s(keys.ATHLETES)},
        )
        found = [decode_body(AthleteProfile, item) for item in items]
        return sorted(found, key=lambda profile: profile.athlete_id)

    def delete_athlete(self, athlete_id: str) -> None:
        """Delete the athlete's partition, streams and uploads, then the profile last, so a
        deletion cut short leaves the athlete listed and a retry finishes it."""
        self._unlink_athlete(athlete_id)
        self._batch_delete(self._keys_of(keys.athlete_pk(athlete_id)))
        self.blobs.delete_prefix(f"{STREAMS_PREFIX}{key_part(athlete_id)}/")
        self.blobs.delete_prefix(f"{UPLOADS_PREFIX}{key_part(athlete_id)}/")
        old = self._delete(keys.ATHLETES, keys.part(athlete_id), ReturnValues="ALL_OLD")
        if "Attributes" in old:
            self._zone_moved(decode_body(AthleteProfile, old["Attributes"]), None)

    def _keys_of(self, pk: str) -> list[dict[str, Any]]:
        items = self._query(
            KeyConditionExpression="#pk = :pk",
            ExpressionAttributeNames={"#pk": PK, "#sk": SK},
            ExpressionAttributeValues={":pk": s(pk)},
            ProjectionExpression="#pk, #sk",
        )
        return [{PK: item[PK], SK: item[SK]} for item in items]

    # -- activities ----------------------------------------------------------------------
    def put_activity(self, activity: Activity) -> bool:
        """Upsert without streams; True if no record had this id before."""
        stored = dataclasses.replace(activity, streams=None)
        response = self._put(
            {
                PK: s(keys.athlete_pk(activity.athlete_id)),
                SK: s(keys.record_sk("ACT", activity.activity_id)),
                LSI1_SK: s(keys.timed_sk("ACT", activity.start, activity.activity_id)),
                "body": encode_body(stored),
            },
            ReturnValues="ALL_OLD",
        )
        return "Attributes" not in response

    def get_activity(self, athlete_id: str, activity_id: str) -> Activity | None:
        """One activity (no streams), or ``None``."""
        item = self._get(keys.athlete_pk(athlete_id), keys.record_sk("ACT", activity_id))
        return decode_body(Activity, item) if item else None

    def list_activities(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Activity]:
        """``start <= activity.start < end``, oldest first: one Query on ``lsi1``."""
        items = self._query_time(keys.athlete_pk(athlete_id), "ACT", start, end)
        found = [decode_body(Activity, item) for item in items]
        live = [a for a in found if a.deleted_at is None]
        return sorted(live, key=lambda a: (a.start, a.activity_id))

    def delete_activity(self, athlete_id: str, activity_id: str) -> bool:
        """Delete the record and its streams object; True if the record existed."""
        response = self._delete(
            keys.athlete_pk(athlete_id), keys.record_sk("ACT", activity_id), ReturnValues="ALL_OLD"
        )
        self.blobs.delete(streams_key(athlete_id, activity_id))
        return "Attributes" in response

    def put_streams(self, athlete_id: str, activity_id: str, streams: Streams) -> None:
        """Streams go to S3 as gzip JSON."""
        self.blobs.put_json_gz(streams_key(athlete_id, activity_id), to_dict(streams))

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        """Streams from S3, or ``None``."""
        data = self.blobs.get_json_gz(streams_key(athlete_id, activity_id))
        result: Streams | None = None if data is None else from_dict(Streams, data)
        return result

    # -- plans ---------------------------------------------------------------------------
    def put_plan(self, plan: Plan, expected_version: int | None = None) -> Plan:
        """Store the plan as the next version. With ``expected_version`` the write is
        conditional on the stored version; without it the bump is one atomic update."""
        pk, sk = keys.athlete_pk(plan.athlete_id), "PLAN"
        if expected_version is None:
            response = self.db.update_item(
                TableName=self.table,
                Key={PK: s(pk), SK: s(sk)},
                UpdateExpression="SET #v = if_not_exists(#v, :zero) + :one, #b = :body",
                ExpressionAttributeNames={"#v": VERSION, "#b": "body"},
                ExpressionAttributeValues={
                    ":zero": n(0),
                    ":one": n(1),
                    ":body": encode_body(plan),
                },
                ReturnValues="UPDATED_NEW",
            )
            version = int(response["Attributes"][VERSION]["N"])
            return dataclasses.replace(plan, version=version)
        stored = dataclasses.replace(plan, version=expected_version + 1)
        self._put_versioned(pk, sk, stored, expected_version, what=f"plan for {plan.athlete_id}")
        return stored

    def get_plan(self, athlete_id: str) -> Plan | None:
        """The current plan, its version from the item's version attribute."""
        item = self._get(keys.athlete_pk(athlete_id), "PLAN")
        if item is None:
            return None
        return dataclasses.replace(decode_body(Plan, item), version=int(item[VERSION]["N"]))

    def _put_versioned(
        self, pk: str, sk: str, record: Any, expected_version: int, *, what: str
    ) -> None:
        """Put ``record`` at ``expected_version + 1`` only if the stored version matches."""
        if expected_version == 0:
            condition = "attribute_not_exists(#pk)"
            values: dict[str, Any] = {}
            names = {"#pk": PK}
        else:
            condition = "#v = :expected"
            values = {":expected": n(expected_version)}
            names = {"#v": VERSION}
        extra: dict[str, Any] = {
            "ConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
        }
        if values:
            extra["ExpressionAttributeValues"] = values
        item = {PK: s(pk), SK: s(sk), VERSION: n(expected_version + 1), "body": encode_body(record)}
        try:
            self._put(item, **extra)
        except Exception as error:
            if not self._is_conflict(error):
                raise
            old = getattr(error, "response", {}).get("Item", {})
            current = int(old[VERSION]["N"]) if VERSION in old else 0
            raise ConflictError(f"{what} is at version {current}, not {expected_version}") from None

    # -- messages ------------------------------------------------------------------------
    def _message_item(self, message: Message) -> dict[str, Any]:
        return {
            PK: s(keys.athlete_pk(message.athlete_id)),
            SK: s(keys.record_sk("MSG", message.message_id)),
            LSI1_SK: s(keys.timed_sk("MSG", message.at, message.message_id)),
            "body": encode_body(message),
        }

    def put_message(self, message: Message) -> None:
        """Upsert by (athlete, message id)."""
        self._put(self._message_item(message))

    def put_message_if_absent(self, message: Message) -> bool:
        """A conditional put: False when a message with this id exists."""
        try:
            self._put(
                self._message_item(message),
                ConditionExpression="attribute_not_exists(#pk)",
                ExpressionAttributeNames={"#pk": PK},
            )
        except Exception as error:
            if self._is_conflict(error):
                return False
            raise
        return True

    def get_message(self, athlete_id: str, message_id: str) -> Message | None:
        """One message, or ``None``."""
        item = self._get(keys.athlete_pk(athlete_id), keys.record_sk("MSG", message_id))
        return decode_body(Message, item) if item else None

    def list_messages(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list[Message]:
        """``start <= at < end``, oldest first."""
        items = self._query_time(keys.athlete_pk(athlete_id), "MSG", start, end)
        return sorted((decode_body(Message, item) for item in items), key=lambda m: m.at)

    # -- journal and memory --------------------------------------------------------------
    def put_reflection(self, reflection: Reflection) -> None:
        """Upsert by id, indexed by time."""
        self._put(
            {
                PK: s(keys.athlete_pk(reflection.athlete_id)),
                SK: s(keys.record_sk("REF", reflection.reflection_id)),
                LSI1_SK: s(keys.timed_sk("REF", reflection.at, reflection.reflection_id)),
                "body": encode_body(reflection),
            }
        )

    def list_reflections(
        self, athlete_id: str, start: dt.datetime, end: dt.datetime
    ) -> list[Reflection]:
        """``start <= at < end``, oldest first."""
        items = self._query_time(keys.athlete_pk(athlete_id), "REF", start, end)
        return sorted((decode_body(Reflection, item) for item in items), key=lambda r: r.at)

    def put_note(self, note: ActivityNote) -> None:
        """Upsert by id, indexed by (activity, time)."""
        kind = f"NOTE{keys.SEP}{keys.part(note.activity_id)}"
        self._put(
            {
                PK: s(keys.athlete_pk(note.athlete_id)),
                SK: s(keys.record_sk("NOTE", note.note_id)),
                LSI1_SK: s(keys.timed_sk(kind, note.at, note.note_id)),
                "body": encode_body(note),
            }
        )

    def list_notes(self, athlete_id: str, activity_id: str) -> list[ActivityNote]:
        """One activity's notes, oldest first."""
        prefix = f"NOTE{keys.SEP}{keys.part(activity_id)}{keys.SEP}"
        items = self._query_prefix(keys.athlete_pk(athlete_id), prefix, index=LSI1)
        return sorted((decode_body(ActivityNote, item) for item in items), key=lambda x: x.at)

    def put_memory(self, item: MemoryItem) -> None:
        """Upsert by id, indexed by creation time."""
        self._put(
            {
                PK: s(keys.athlete_pk(item.athlete_id)),
                SK: s(keys.record_sk("MEM", item.memory_id)),
                LSI1_SK: s(keys.timed_sk("MEM", item.created, item.memory_id)),
                "body": encode_body(item),
            }
        )

    def list_memory(self, athlete_id: str) -> list[MemoryItem]:
        """Every memory item, oldest first."""
        items = self._query_prefix(keys.athlete_pk(athlete_id), f"MEM{keys.SEP}", index=LSI1)
        return sorted((decode_body(MemoryItem, item) for item in items), key=lambda m: m.created)

    # -- usage ---------------------------------------------------------------------------
    def put_usage(self, usage: LLMUsage) -> None:
        """Upsert by id in the athlete's partition, also indexed for everyone on ``gsi1``."""
        self._put(
            {
                PK: s(keys.athlete_pk(usage.athlete_id)),
                SK: s(keys.record_sk("USE", usage.usage_id)),
                LSI1_SK: s(keys.timed_sk("USE", usage.at, usage.usage_id)),
                GSI1_PK: s(keys.USAGE_INDEX_PK),
                GSI1_SK: s(
                    f"{keys.instant(usage.at)}{keys.SEP}{keys.part(usage.athlete_id)}"
                    f"{keys.SEP}{keys.part(usage.usage_id)}"
                ),
                "body": encode_body(usage),
            }
        )

    def list_usage(
        self, athlete_id: str | None, start: dt.datetime, end: dt.datetime
    ) -> list[LLMUsage]:
        """One athlete's usage (``lsi1``) or everyone's (``gsi1``), ``start <= at < end``."""
        if start >= end:
            return []
        if athlete_id is not None:
            items = self._query_time(keys.athlete_pk(athlete_id), "USE", start, end)
        else:
            items = list(
                self._query(
                    IndexName=GSI1,
                    KeyConditionExpression="#pk = :pk AND #sk BETWEEN :low AND :high",
                    ExpressionAttributeNames={"#pk": GSI1_PK, "#sk": GSI1_SK},
                    ExpressionAttributeValues={
                        ":pk": s(keys.USAGE_INDEX_PK),
                        ":low": s(keys.instant(start)),
                        ":high": s(keys.instant(end)),
                    },
                )
            )
        return sorted((decode_body(LLMUsage, item) for item in items), key=lambda u: u.at)

    # -- oauth tokens --------------------------------------------------------------------
    def get_token(self, athlete_id: str, provider: str) -> OAuthToken | None:
        """The stored token set, its version from the item's version attribute."""
        item = self._get(keys.athlete_pk(athlete_id), keys.record_sk("TOK", provider))
        if item is None:
            return None
        return dataclasses.replace(decode_body(OAuthToken, item), version=int(item[VERSION]["N"]))

    def put_token(self, token: OAuthToken, expected_version: int) -> OAuthToken:
        """Conditional on the stored version, so a concurrent refresh can't be lost."""
        stored = dataclasses.replace(token, version=expected_version + 1)
        self._put_versioned(
            keys.athlete_pk(token.athlete_id),
            keys.record_sk("TOK", token.provider),
            stored,
            expected_version,
            what=f"{token.provider} token for {token.athlete_id}",
        )
        if token.provider_athlete_id:
            self.link_identity(token.provider, token.provider_athlete_id, token.athlete_id)
        return stored

    def delete_token(self, athlete_id: str, provider: str) -> None:
        """Forget the token set and its account link."""
        self._unlink_athlete(athlete_id, provider)
        self._delete(keys.athlete_pk(athlete_id), keys.record_sk("TOK", provider))

    # -- idempotency ---------------------------------------------------------------------
    def claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> bool:
        """A conditional put that wins only if no unexpired claim exists. ``expires_at``
        lets DynamoDB's TTL sweep old claims; the exact expiry (microseconds) is what the
        condition compares, because TTL deletion can lag by days."""
        until = now + ttl
        try:
            self._put(
                {
                    PK: s(keys.claim_pk(key)),
                    SK: s("CLAIM"),
                    CLAIM_UNTIL: n(keys.epoch_micros(until)),
                    TTL_ATTRIBUTE: n(math.ceil(keys.epoch_micros(until) / 1_000_000)),
                },
                ConditionExpression="attribute_not_exists(#pk) OR #until <= :now",
                ExpressionAttributeNames={"#pk": PK, "#until": CLAIM_UNTIL},
                ExpressionAttributeValues={":now": n(keys.epoch_micros(now))},
            )
        except Exception as error:
            if self._is_conflict(error):
                return False
            raise
        return True

    def extend_claim(self, key: str, now: dt.datetime, ttl: dt.timedelta) -> None:
        """One unconditional put of the new expiry: the item is never absent in between."""
        until = now + ttl
        self._put(
            {
                PK: s(keys.claim_pk(key)),
                SK: s("CLAIM"),
                CLAIM_UNTIL: n(keys.epoch_micros(until)),
                TTL_ATTRIBUTE: n(math.ceil(keys.epoch_micros(until) / 1_000_000)),
            }
        )

    def release(self, key: str) -> None:
        """Drop the claim."""
        self._delete(keys.claim_pk(key), "CLAIM")

    def purge_expired_claims(self, now: dt.datetime) -> int:
        """Nothing to do: the table's TTL (``expires_at``) sweeps expired claims, and
        :meth:`claim` compares the exact expiry anyway. Returns 0."""
        return 0
