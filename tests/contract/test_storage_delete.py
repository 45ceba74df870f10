"""Storage contract: deletes cascade to everything attached and touch nothing else."""

from __future__ import annotations

import datetime as dt

from momentum.core.ports.storage import Storage
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r

FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def _fill(storage: Storage, athlete_id: str) -> None:
    storage.put_athlete(r.athlete(athlete_id, athlete_id.title()))
    storage.put_activity(r.activity("a1", athlete_id))
    storage.put_streams(athlete_id, "a1", r.streams())
    storage.put_plan(r.plan(athlete_id))
    storage.put_message(r.message(athlete_id=athlete_id))
    storage.put_reflection(r.reflection(athlete_id=athlete_id))
    storage.put_note(r.note(athlete_id=athlete_id))
    storage.put_memory(r.memory(athlete_id=athlete_id))
    storage.put_usage(r.usage(f"u-{athlete_id}", athlete_id))
    storage.put_token(r.token(athlete_id), 0)


def _holdings(storage: Storage, athlete_id: str) -> dict[str, object]:
    return {
        "athlete": storage.get_athlete(athlete_id),
        "activities": storage.list_activities(athlete_id, FAR_PAST, FAR_FUTURE),
        "streams": storage.get_streams(athlete_id, "a1"),
        "plan": storage.get_plan(Plan, athlete_id),
        "messages": storage.list_messages(athlete_id, FAR_PAST, FAR_FUTURE),
        "reflections": storage.list_reflections(athlete_id, FAR_PAST, FAR_FUTURE),
        "notes": storage.list_notes(athlete_id, "a1"),
        "memory": storage.list_memory(athlete_id),
        "usage": storage.list_usage(athlete_id, FAR_PAST, FAR_FUTURE),
        "token": storage.get_token(athlete_id, "strava"),
    }


def test_delete_athlete_removes_everything_attached(storage: Storage) -> None:
    _fill(storage, "adam")
    _fill(storage, "mia")
    mia_before = _holdings(storage, "mia")

    storage.delete_athlete("adam")

    left = _holdings(storage, "adam")
    assert [name for name, value in left.items() if value not in (None, [])] == []
    assert [a.athlete_id for a in storage.list_athletes()] == ["mia"]
    assert _holdings(storage, "mia") == mia_before
    assert [u.athlete_id for u in storage.list_usage(None, FAR_PAST, FAR_FUTURE)] == ["mia"]


def test_delete_athlete_then_start_over(storage: Storage) -> None:
    _fill(storage, "adam")
    storage.delete_athlete("adam")
    storage.delete_athlete("adam")  # twice is fine
    assert storage.put_activity(r.activity("a1")) is True
    assert storage.put_plan(r.plan(), expected_version=0).version == 1
    assert storage.put_token(r.token(), expected_version=0).version == 1


def test_delete_activity_takes_its_streams_only(storage: Storage) -> None:
    storage.put_activity(r.activity("a1"))
    storage.put_streams("adam", "a1", r.streams())
    storage.put_activity(r.activity("a2"))
    storage.put_streams("adam", "a2", r.streams())

    assert storage.delete_activity("adam", "a1") is True
    assert storage.delete_activity("adam", "a1") is False
    assert storage.get_activity("adam", "a1") is None
    assert storage.get_streams("adam", "a1") is None
    assert storage.get_activity("adam", "a2") == r.activity("a2")
    assert storage.get_streams("adam", "a2") == r.streams()


def test_an_activity_marked_deleted_is_hidden_from_lists_until_restored(storage: Storage) -> None:
    import dataclasses

    storage.put_athlete(r.athlete("adam", "Adam"))
    live, gone = r.activity("a1", "adam"), r.activity("a2", "adam")
    storage.put_activity(live)
    storage.put_activity(gone)
    storage.put_streams("adam", "a2", r.streams())
    when = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
    storage.put_activity(dataclasses.replace(gone, deleted_at=when))

    assert [a.activity_id for a in storage.list_activities("adam", FAR_PAST, FAR_FUTURE)] == ["a1"]
    kept = storage.get_activity("adam", "a2")
    assert kept is not None and kept.deleted_at == when  # recoverable: still readable
    assert storage.get_streams("adam", "a2") is not None

    storage.put_activity(dataclasses.replace(kept, deleted_at=None))
    listed = storage.list_activities("adam", FAR_PAST, FAR_FUTURE)
    assert [a.activity_id for a in listed] == ["a1", "a2"]
