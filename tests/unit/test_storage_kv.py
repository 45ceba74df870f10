"""Core's key-value Storage (momentum.core.storage_kv) on its in-memory table: the table's
primitives (conditions, index queries) and the layout's invariants, as properties. The
whole Storage contract runs on it too (``kv_memory`` in tests/contract/backends.py), and
on DynamoDB through the same core (``dynamodb``)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.memory import InMemoryBlob
from momentum.core.storage_kv import (
    Absent,
    AtMost,
    ConditionFailed,
    Equals,
    KvStorage,
    MemoryTable,
)
from momentum.core.storage_kv import layout as k
from momentum.core.storage_kv.table import BASE_INDEX, GLOBAL_INDEX, TIME_INDEX, holds
from tests.contract import records as r

ids = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)
instants = st.datetimes(
    min_value=dt.datetime(1970, 1, 2), max_value=dt.datetime(2200, 1, 1), timezones=st.just(dt.UTC)
)
ZONES = ["UTC", "Asia/Kolkata", "Asia/Kathmandu", "America/Toronto", "Europe/Paris"]


@given(at=instants, start=instants, end=instants, record_id=ids)
def test_a_timed_key_falls_in_the_bounds_exactly_when_start_le_at_lt_end(
    at: dt.datetime, start: dt.datetime, end: dt.datetime, record_id: str
) -> None:
    low, high = k.time_bounds("ACT", start, end)
    assert (low <= k.timed_sk("ACT", at, record_id) <= high) == (start <= at < end)


@given(a=ids, b=ids)
def test_escaped_parts_never_collide_or_leak_a_separator(a: str, b: str) -> None:
    assert k.SEP not in k.part(a)
    assert (k.record_sk("ACT", a) == k.record_sk("ACT", b)) == (a == b)
    assert "/" not in k.blob_part(a)


@given(
    stored=st.none() | st.fixed_dictionaries({"n": st.integers(-5, 5), "s": st.sampled_from("xy")}),
    limit=st.integers(-5, 5),
    wanted=st.sampled_from("xy"),
)
def test_a_condition_holds_when_any_clause_does(
    stored: dict[str, int | str] | None, limit: int, wanted: str
) -> None:
    item = None if stored is None else {"pk": "p", "sk": "s", **stored}
    absent = item is None
    at_most = item is not None and int(item["n"]) <= limit
    equals = item is not None and item["s"] == wanted
    assert holds((Absent(),), item) == absent
    assert holds((AtMost("n", limit), Equals("s", wanted)), item) == (at_most or equals)
    assert holds((), item)


def test_a_failed_condition_changes_nothing_and_says_what_is_stored() -> None:
    table = MemoryTable()
    table.put({"pk": "p", "sk": "s", "version": 2})
    with pytest.raises(ConditionFailed) as failed:
        table.put({"pk": "p", "sk": "s", "version": 9}, (Equals("version", 1),))
    assert failed.value.current == {"pk": "p", "sk": "s", "version": 2}
    with pytest.raises(ConditionFailed):
        table.delete("p", "s", (Absent(),))
    assert table.get("p", "s") == {"pk": "p", "sk": "s", "version": 2}


@settings(max_examples=40, deadline=None)
@given(
    sorts=st.lists(st.text("ab#", min_size=1, max_size=4), unique=True, max_size=12),
    prefix=st.text("ab#", max_size=2),
    bounds=st.tuples(st.text("ab#", max_size=3), st.text("ab#", max_size=3)),
)
def test_queries_return_the_partition_in_sort_order_by_prefix_or_inclusive_range(
    sorts: list[str], prefix: str, bounds: tuple[str, str]
) -> None:
    table = MemoryTable()
    for sort in sorts:
        table.put({"pk": "p", "sk": sort, "lsi1sk": sort})
        table.put({"pk": "other", "sk": sort, "lsi1sk": sort})
    table.put({"pk": "p", "sk": "not-in-the-time-index"})
    by_prefix = [i["sk"] for i in table.query(TIME_INDEX, "p", prefix=prefix)]
    assert by_prefix == sorted(s for s in sorts if s.startswith(prefix))
    low, high = bounds
    in_range = [i["sk"] for i in table.query(TIME_INDEX, "p", between=bounds)]
    assert in_range == sorted(s for s in sorts if low <= s <= high)
    assert len(list(table.query(BASE_INDEX, "p"))) == len(sorts) + 1


@settings(max_examples=30, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["a", "b", "c", "d"]), st.sampled_from([*ZONES, None])),
        max_size=25,
    )
)
def test_the_zone_directory_and_index_follow_every_put_and_delete(
    steps: list[tuple[str, str | None]],
) -> None:
    storage = KvStorage(MemoryTable(), InMemoryBlob())
    zones: dict[str, str] = {}
    for athlete_id, zone in steps:
        if zone is None:
            storage.delete_athlete(athlete_id)
            zones.pop(athlete_id, None)
        else:
            storage.put_athlete(dataclasses.replace(r.athlete(athlete_id), timezone=zone))
            zones[athlete_id] = zone
    assert storage.list_timezones() == sorted(set(zones.values()))
    for zone in ZONES:
        found = [p.athlete_id for p in storage.list_athletes_in_timezone(zone)]
        assert found == sorted(a for a, z in zones.items() if z == zone)
    gsi = {str(i["sk"]) for z in ZONES for i in storage.kv.query(GLOBAL_INDEX, k.zone_index_pk(z))}
    assert gsi == set(zones)


def test_a_claim_held_by_a_job_is_taken_back_by_that_job_only() -> None:
    storage = KvStorage(MemoryTable(), InMemoryBlob())
    now, lease = r.T0, dt.timedelta(minutes=5)
    assert storage.claim_as("job", now, lease, holder="run-1")
    assert not storage.claim_as("job", now, lease, holder="run-2")
    assert not storage.claim("job", now, lease)
    assert storage.claim_as("job", now, lease, holder="run-1")
    storage.extend_claim("job", now, dt.timedelta(days=1))
    assert not storage.claim("job", now + dt.timedelta(hours=1), lease)
    assert storage.purge_expired_claims(now + dt.timedelta(days=2)) == 1
    assert storage.claim("job", now + dt.timedelta(days=2), lease)


def test_a_transaction_writes_all_or_refuses_before_writing() -> None:
    table = MemoryTable()
    table.put({"pk": "p", "sk": "gone"})
    table.write_all([{"pk": "p", "sk": "a"}, {"pk": "q", "sk": "b"}], [("p", "gone")])
    assert [i["sk"] for i in table.query(BASE_INDEX, "p")] == ["a"]
    too_many = [{"pk": "p", "sk": str(i)} for i in range(26)]
    with pytest.raises(ValueError, match="at most 25"):
        table.write_all(too_many, [])
    assert [i["sk"] for i in table.query(BASE_INDEX, "p")] == ["a"]


@settings(max_examples=30, deadline=None)
@given(
    steps=st.lists(
        st.tuples(st.sampled_from(["u1", "u2"]), st.sampled_from(["a", "b", None])), max_size=12
    )
)
def test_identity_links_and_their_reverse_links_stay_in_step(
    steps: list[tuple[str, str | None]],
) -> None:
    storage = KvStorage(MemoryTable(), InMemoryBlob())
    links: dict[str, str] = {}
    for external_id, athlete_id in steps:
        if athlete_id is None:
            storage.unlink_identity("strava", external_id)
            links.pop(external_id, None)
        else:
            storage.link_identity("strava", external_id, athlete_id)
            links[external_id] = athlete_id
    for external_id in ("u1", "u2"):
        assert storage.find_identity("strava", external_id) == links.get(external_id)
    for athlete_id in ("a", "b"):
        reverse = storage.kv.query(BASE_INDEX, k.athlete_pk(athlete_id), prefix="LINK#")
        assert sorted(str(i["external_id"]) for i in reverse) == sorted(
            e for e, a in links.items() if a == athlete_id
        )
