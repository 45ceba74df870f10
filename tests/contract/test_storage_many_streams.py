"""``Storage.get_many_streams``: a batch of stream keys in as few reads as the store allows,
and the same answer as asking :meth:`~Storage.get_streams` key by key, on every backend.
Daily observations read weeks of days through it (``core.observations.read_days``)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.core.observations import Observation, keep, read, read_days, series_key
from momentum.core.ports.storage import Storage
from tests.contract import records as r

FIRST = dt.date(2026, 1, 1)


def night(day: dt.date, hrv: float, source: str = "oura") -> Observation:
    return Observation(source, "sleep", day, {"average_hrv": hrv, "resting_hr": 50.0})


def test_many_streams_answers_like_one_read_per_key(storage: Storage) -> None:
    activity = r.activity(with_streams=True)
    assert activity.streams is not None
    storage.put_streams("adam", "a1", activity.streams)
    kept = [night(FIRST + dt.timedelta(days=k), 40.0 + k) for k in range(0, 120, 3)]
    keep(storage, "adam", kept)
    keys = ["a1", "missing", *(series_key("oura", "sleep", n.day) for n in kept), "a1"]

    found = storage.get_many_streams("adam", keys)

    assert list(found) == ["a1", *(series_key("oura", "sleep", n.day) for n in kept)]
    assert found["a1"] == activity.streams
    for key, streams in found.items():
        assert storage.get_streams("adam", key) == streams
    assert storage.get_many_streams("adam", []) == {}
    assert storage.get_many_streams("eve", keys) == {}


def test_read_days_is_a_range_read_that_follows_writes_and_deletes(storage: Storage) -> None:
    """Past the 90 keys one SQL query binds: a replaced day reads its new numbers, a
    deleted athlete reads nothing, and days with no night are left out."""
    kept = [night(FIRST + dt.timedelta(days=k), 40.0 + k) for k in range(0, 150, 2)]
    keep(storage, "adam", kept)
    keep(storage, "eve", [night(FIRST, 99.0)])
    last = FIRST + dt.timedelta(days=149)

    assert read_days(storage, "adam", "oura", "sleep", FIRST, last) == kept
    assert read_days(storage, "adam", "apple_health", "sleep", FIRST, last) == []

    keep(storage, "adam", [night(FIRST, 77.0)])
    again = read_days(storage, "adam", "oura", "sleep", FIRST, FIRST + dt.timedelta(days=3))
    assert [n.values["average_hrv"] for n in again] == [77.0, 42.0]
    assert read(storage, "eve", "oura", "sleep", FIRST) == night(FIRST, 99.0)

    storage.delete_athlete("adam")
    assert read_days(storage, "adam", "oura", "sleep", FIRST, last) == []
    assert read_days(storage, "eve", "oura", "sleep", FIRST, last) == [night(FIRST, 99.0)]


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    stored=st.sets(st.integers(0, 20), max_size=8),
    asked=st.lists(st.integers(0, 20), max_size=12),
)
def test_a_batch_equals_its_keys_read_one_by_one(
    storage: Storage, stored: set[int], asked: list[int]
) -> None:
    """Whatever is kept and whatever is asked (repeats, gaps, unknown days), the batch is
    exactly the keys with streams, in the order first asked, each as read alone."""
    keep(storage, "prop", [night(FIRST + dt.timedelta(days=k), 30.0 + k, "prop") for k in stored])
    keys = [series_key("prop", "sleep", FIRST + dt.timedelta(days=k)) for k in asked]
    one_by_one = {
        key: streams
        for key in dict.fromkeys(keys)
        if (streams := storage.get_streams("prop", key)) is not None
    }
    found = storage.get_many_streams("prop", keys)
    assert found == one_by_one and list(found) == list(one_by_one)
