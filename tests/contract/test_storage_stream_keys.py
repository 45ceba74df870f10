"""``Storage.list_stream_keys``: the keys of an athlete's streams (activity ids and daily
observations' series), by prefix, on every backend; and ``copy_coach`` carrying the
observations (nights, logged meals) along with the activities."""

from __future__ import annotations

import datetime as dt

from momentum.core.memory import InMemoryStorage
from momentum.core.observations import Observation, keep, read_days, series_key
from momentum.core.ports.storage import Storage
from momentum.core.runtime.copy import copy_coach
from tests.contract import records as r

FIRST = dt.date(2026, 1, 1)
ODD = "odd/id%_.x:1"
"""An id with every character the stores escape (``/``, ``%``, ``_``, ``.``, ``:``)."""


def night(day: dt.date, hours: float, source: str = "oura") -> Observation:
    return Observation(source, "sleep", day, {"total_hours": hours})


def test_stream_keys_are_listed_by_prefix_in_order(storage: Storage) -> None:
    activity = r.activity(with_streams=True)
    assert activity.streams is not None
    storage.put_streams("adam", "a1", activity.streams)
    storage.put_streams("adam", ODD, activity.streams)
    keep(storage, "adam", [night(FIRST + dt.timedelta(days=k), 7.0) for k in (2, 0, 1)])
    keep(storage, "adam", [night(FIRST, 6.5, source="apple_health")])
    keep(storage, "eve", [night(FIRST, 8.0)])
    oura = [series_key("oura", "sleep", FIRST + dt.timedelta(days=k)) for k in range(3)]

    everything = storage.list_stream_keys("adam")

    assert everything == sorted(["a1", ODD, series_key("apple_health", "sleep", FIRST), *oura])
    assert storage.list_stream_keys("adam", "oura:sleep:") == oura
    assert storage.list_stream_keys("adam", "odd/id%_") == [ODD]
    assert storage.list_stream_keys("adam", "garmin:") == []
    assert storage.list_stream_keys("eve") == [series_key("oura", "sleep", FIRST)]
    assert storage.list_stream_keys("nobody") == []

    storage.delete_athlete("adam")
    assert storage.list_stream_keys("adam") == []
    assert storage.list_stream_keys("eve") == [series_key("oura", "sleep", FIRST)]


def test_copying_a_coach_carries_its_observations(storage: Storage) -> None:
    """A local coach's nights and logged meals arrive in the target store; copying again
    changes nothing."""
    local = InMemoryStorage()
    local.put_athlete(r.athlete("adam"))
    activity = r.activity(with_streams=True)
    assert activity.streams is not None
    local.put_streams("adam", activity.activity_id, activity.streams)
    local.put_activity(activity)
    nights = [night(FIRST + dt.timedelta(days=k), 6.0 + k / 10) for k in range(30)]
    keep(local, "adam", nights)
    meal = Observation("meals", "intake", FIRST, {"energy_kcal": 612.0, "protein_g": 31.0})
    keep(local, "adam", [meal])

    copied = copy_coach(local, storage)
    again = copy_coach(local, storage)

    assert (copied["observations"], copied["streams"]) == (31, 1)
    assert again == copied
    last = FIRST + dt.timedelta(days=29)
    assert read_days(storage, "adam", "oura", "sleep", FIRST, last) == nights
    assert read_days(storage, "adam", "meals", "intake", FIRST, FIRST) == [meal]
    assert storage.list_stream_keys("adam") == local.list_stream_keys("adam")
