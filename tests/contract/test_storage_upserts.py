"""Storage contract: writes keyed by id are idempotent upserts."""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.core.ports.storage import Storage
from tests.contract import records as r

FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def test_put_athlete_twice_keeps_one_and_replaces(storage: Storage) -> None:
    storage.put_athlete(r.athlete())
    storage.put_athlete(r.athlete())
    assert len(storage.list_athletes()) == 1
    renamed = dataclasses.replace(r.athlete(), name="Adam B", weekly_minutes_target=400)
    storage.put_athlete(renamed)
    assert storage.list_athletes() == [renamed]


def test_list_athletes_is_ordered_by_id(storage: Storage) -> None:
    for athlete_id in ("zoe", "adam", "mia"):
        storage.put_athlete(r.athlete(athlete_id, athlete_id.title()))
    assert [a.athlete_id for a in storage.list_athletes()] == ["adam", "mia", "zoe"]


def test_put_activity_reports_new_then_existing(storage: Storage) -> None:
    assert storage.put_activity(r.activity()) is True
    assert storage.put_activity(r.activity()) is False
    assert storage.list_activities("adam", FAR_PAST, FAR_FUTURE) == [r.activity()]


def test_put_activity_replaces_and_moves_in_time(storage: Storage) -> None:
    storage.put_activity(r.activity())
    later = r.T0 + dt.timedelta(days=10)
    moved = dataclasses.replace(r.activity(start=later), name="renamed")
    assert storage.put_activity(moved) is False
    assert storage.get_activity("adam", "a1") == moved
    assert storage.list_activities("adam", FAR_PAST, r.T0 + dt.timedelta(days=1)) == []
    assert storage.list_activities("adam", later, later + dt.timedelta(seconds=1)) == [moved]


def test_same_activity_id_for_two_athletes_is_two_records(storage: Storage) -> None:
    assert storage.put_activity(r.activity("a1", "adam")) is True
    assert storage.put_activity(r.activity("a1", "mia")) is True
    assert storage.get_activity("mia", "a1") == r.activity("a1", "mia")
    assert storage.get_activity("adam", "a1") == r.activity("a1", "adam")


def test_put_streams_replaces(storage: Storage) -> None:
    first = r.streams()
    second = dataclasses.replace(first, is_indoor=False, time=(0.0, 5.0))
    storage.put_streams("adam", "a1", first)
    storage.put_streams("adam", "a1", second)
    assert storage.get_streams("adam", "a1") == second


def test_put_message_upserts(storage: Storage) -> None:
    storage.put_message(r.message(text="Thinking…"))
    storage.put_message(r.message(text="Here is your week"))
    assert [m.text for m in storage.list_messages("adam", FAR_PAST, FAR_FUTURE)] == [
        "Here is your week"
    ]


def test_journal_memory_and_usage_upsert_by_id(storage: Storage) -> None:
    for _ in range(2):
        storage.put_reflection(r.reflection())
        storage.put_note(r.note())
        storage.put_memory(r.memory())
        storage.put_usage(r.usage())
    edited_note = dataclasses.replace(r.note(), text="edited")
    retired = dataclasses.replace(r.memory(), active=True, text="updated")
    storage.put_note(edited_note)
    storage.put_memory(retired)
    assert storage.list_reflections("adam", FAR_PAST, FAR_FUTURE) == [r.reflection()]
    assert storage.list_notes("adam", "a1") == [edited_note]
    assert storage.list_memory("adam") == [retired]
    assert storage.list_usage(None, FAR_PAST, FAR_FUTURE) == [r.usage()]


def test_moving_a_note_to_another_activity_moves_it(storage: Storage) -> None:
    storage.put_note(r.note("n1", activity_id="a1"))
    storage.put_note(r.note("n1", activity_id="a2"))
    assert storage.list_notes("adam", "a1") == []
    assert storage.list_notes("adam", "a2") == [r.note("n1", activity_id="a2")]
