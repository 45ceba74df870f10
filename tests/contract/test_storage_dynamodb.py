"""The Storage contract suite against DynamoDB + S3 on moto server, plus what only the
DynamoDB adapter promises: no Scan, the TTL attribute on claims, compressed large bodies,
streams as gzip JSON in S3, and escaped keys.

The shared contract suite runs against DynamoDB through the registry in
``tests/contract/backends.py`` (``open_dynamodb``); this module adds the DynamoDB-only
promises. For reference, the registry entry is::

    @contextmanager
    def open_dynamodb(ctx: BackendContext) -> Iterator[OpenStorage]:
        try:
            endpoint = shared_moto_endpoint()          # tests.support.aws
        except RuntimeError as error:
            pytest.skip(f"moto server unavailable: {error}")
        with dynamodb_storage(endpoint) as (storage, reopen):   # tests.support.aws
            yield OpenStorage(storage, reopen=reopen, persistent=True)

    STORAGE_BACKENDS.append(StorageBackend("dynamodb", open_dynamodb))

moto server is started once per test process on a free 127.0.0.1 port; tests skip with the
reason when it can't start.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gzip
import json
from collections.abc import Iterator

import pytest

from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
from momentum.adapters.aws.schema import TTL_ATTRIBUTE
from momentum.core.model import to_dict
from momentum.core.ports.storage import Storage
from momentum.core.storage_kv.layout import streams_key
from momentum.core.storage_kv.table import BASE_INDEX
from momentum.plugins.running.model.plan import Plan
from tests.contract import backends
from tests.contract import records as r
from tests.contract.backends import OpenStorage

pytestmark = pytest.mark.aws

FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@pytest.fixture
def dynamo_opened() -> Iterator[OpenStorage]:
    """A DynamoDB store for the DynamoDB-only tests below."""
    with backends.open_dynamodb(None) as opened_storage:  # type: ignore[arg-type]
        yield opened_storage


# -- what only the DynamoDB adapter promises -------------------------------------------------
@pytest.fixture
def dynamo(dynamo_opened: OpenStorage) -> DynamoDbStorage:
    """The DynamoDB store, typed as such."""
    assert isinstance(dynamo_opened.storage, DynamoDbStorage)
    return dynamo_opened.storage


def _recording(dynamo_opened: OpenStorage) -> tuple[DynamoDbStorage, list[str]]:
    """A store on fresh clients plus the operation names its DynamoDB client sends (botocore's
    public event hooks, registered on that client only)."""
    storage = dynamo_opened.reopen()
    assert isinstance(storage, DynamoDbStorage)
    seen: list[str] = []
    storage.kv.db.meta.events.register(
        "before-call.dynamodb.*", lambda model, **_: seen.append(model.name)
    )
    return storage, seen


def _every_query(storage: Storage) -> None:
    storage.put_athlete(r.athlete())
    storage.put_activity(r.activity())
    storage.put_streams("adam", "a1", r.streams())
    storage.put_plan(r.plan())
    storage.put_message(r.message())
    storage.put_message_if_absent(r.message("m2"))
    storage.put_reflection(r.reflection())
    storage.put_note(r.note())
    storage.put_memory(r.memory())
    storage.put_usage(r.usage())
    storage.put_token(r.token(), 0)
    storage.claim("k", r.T0, dt.timedelta(minutes=1))
    storage.list_athletes()
    storage.get_athlete("adam")
    storage.get_activity("adam", "a1")
    storage.list_activities("adam", FAR_PAST, FAR_FUTURE)
    storage.get_streams("adam", "a1")
    storage.get_plan(Plan, "adam")
    storage.get_message("adam", "m1")
    storage.list_messages("adam", FAR_PAST, FAR_FUTURE)
    storage.list_reflections("adam", FAR_PAST, FAR_FUTURE)
    storage.list_notes("adam", "a1")
    storage.list_memory("adam")
    storage.list_usage("adam", FAR_PAST, FAR_FUTURE)
    storage.list_usage(None, FAR_PAST, FAR_FUTURE)
    storage.get_token("adam", "strava")
    storage.release("k")
    storage.delete_token("adam", "strava")
    storage.delete_activity("adam", "a1")
    storage.delete_athlete("adam")


def test_no_storage_call_scans(dynamo_opened: OpenStorage) -> None:
    dynamo, operations = _recording(dynamo_opened)
    _every_query(dynamo)
    assert "Scan" not in operations
    assert {"Query", "PutItem", "GetItem", "UpdateItem", "DeleteItem"} <= set(operations)
    assert "BatchWriteItem" in operations  # delete_athlete


def test_usage_of_everyone_in_a_day_is_one_query(dynamo_opened: OpenStorage) -> None:
    dynamo, operations = _recording(dynamo_opened)
    for i, athlete_id in enumerate(("adam", "mia", "zoe")):
        dynamo.put_usage(r.usage(f"u{i}", athlete_id, at=r.T0 + dt.timedelta(minutes=i)))
    dynamo.put_usage(r.usage("yesterday", "adam", at=r.T0 - dt.timedelta(days=1)))
    operations.clear()
    day = dt.datetime(2026, 3, 3, tzinfo=dt.UTC)
    found = dynamo.list_usage(None, day, day + dt.timedelta(days=1))
    assert [u.usage_id for u in found] == ["u0", "u1", "u2"]
    assert operations == ["Query"]


def test_claims_carry_the_ttl_attribute(dynamo: DynamoDbStorage) -> None:
    assert dynamo.claim("job:checkin:adam:2026-03-03", r.T0, dt.timedelta(days=8))
    (item,) = [
        i
        for i in dynamo.kv.db.query(
            TableName=dynamo.kv.name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": "CLAIM#job:checkin:adam:2026-03-03"}},
        )["Items"]
    ]
    expires = int(item[TTL_ATTRIBUTE]["N"])
    assert expires == int((r.T0 + dt.timedelta(days=8)).timestamp())


def test_table_has_ttl_enabled_on_the_claim_attribute(dynamo: DynamoDbStorage) -> None:
    ttl = dynamo.kv.db.describe_time_to_live(TableName=dynamo.kv.name)["TimeToLiveDescription"]
    assert ttl["TimeToLiveStatus"] == "ENABLED" and ttl["AttributeName"] == TTL_ATTRIBUTE


def test_large_bodies_are_stored_gzipped_and_small_ones_as_text(dynamo: DynamoDbStorage) -> None:
    plan = dynamo.put_plan(r.plan())
    dynamo.put_athlete(r.athlete())
    raw_plan = dynamo.kv.get("A#adam", "PLAN")
    assert raw_plan is not None and isinstance(raw_plan["body"], bytes)
    assert len(raw_plan["body"]) < len(json.dumps(to_dict(plan))) / 2
    raw_token = dynamo.put_token(r.token(), 0)
    token_item = dynamo.kv.get("A#adam", "TOK#strava")
    assert token_item is not None and isinstance(token_item["body"], str)
    assert dynamo.get_token("adam", "strava") == raw_token
    assert dynamo.get_plan(Plan, "adam") == plan


def test_streams_live_in_s3_as_gzip_json(dynamo: DynamoDbStorage) -> None:
    dynamo.put_streams("adam", "a1", r.streams())
    body = dynamo.blobs.get(streams_key("adam", "a1"))
    assert body is not None and body[:2] == b"\x1f\x8b"
    assert json.loads(gzip.decompress(body)) == to_dict(r.streams())
    assert dynamo.kv.get("A#adam", "ACT#a1") is None  # nothing in the table for streams


@pytest.mark.parametrize("odd_id", ["a#b", "100%", "x/y/../z", "ACT#1", "ünï ©ode"])
def test_ids_with_separators_stay_apart(dynamo: DynamoDbStorage, odd_id: str) -> None:
    dynamo.put_athlete(r.athlete(odd_id))
    dynamo.put_activity(r.activity(odd_id, odd_id))
    dynamo.put_activity(r.activity("plain", odd_id))
    dynamo.put_streams(odd_id, odd_id, r.streams())
    dynamo.put_note(r.note("n", athlete_id=odd_id, activity_id=odd_id))
    dynamo.put_note(r.note("n2", athlete_id=odd_id, activity_id=f"{odd_id}#x"))
    assert dynamo.get_activity(odd_id, odd_id) == r.activity(odd_id, odd_id)
    assert [a.activity_id for a in dynamo.list_activities(odd_id, FAR_PAST, FAR_FUTURE)] == sorted(
        [odd_id, "plain"], key=lambda i: (r.activity(i, odd_id).start, i)
    )
    assert [n.note_id for n in dynamo.list_notes(odd_id, odd_id)] == ["n"]
    assert dynamo.get_streams(odd_id, odd_id) == r.streams()
    assert [a.athlete_id for a in dynamo.list_athletes()] == [odd_id]
    dynamo.delete_athlete(odd_id)
    assert dynamo.list_athletes() == [] and list(dynamo.blobs.keys("")) == []


def test_delete_athlete_pages_past_one_batch(dynamo: DynamoDbStorage) -> None:
    dynamo.put_athlete(r.athlete())
    for i in range(60):  # more than two BatchWriteItem requests of 25
        dynamo.put_message(r.message(f"m{i}", at=r.T0 + dt.timedelta(minutes=i)))
    dynamo.delete_athlete("adam")
    assert dynamo.list_messages("adam", FAR_PAST, FAR_FUTURE) == []
    assert list(dynamo.kv.query(BASE_INDEX, "A#adam")) == []


def test_conflict_message_names_the_current_version(dynamo: DynamoDbStorage) -> None:
    dynamo.put_plan(r.plan())
    dynamo.put_plan(r.plan())
    with pytest.raises(Exception, match="at version 2, not 1"):
        dynamo.put_plan(dataclasses.replace(r.plan(), goal="stale"), expected_version=1)
