"""Storage contract: every record type comes back exactly as it went in."""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.core.ports.storage import Storage
from momentum.plugins.running.model.plan import Plan
from tests.contract import records as r
from tests.contract.backends import OpenStorage

FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def test_athlete_round_trip(storage: Storage) -> None:
    profile = r.athlete()
    storage.put_athlete(profile)
    assert storage.get_athlete("adam") == profile
    assert storage.list_athletes() == [profile]


def test_activity_round_trip_keeps_every_field_and_offset(storage: Storage) -> None:
    local_start = dt.datetime(2026, 3, 3, 6, 15, tzinfo=r.TORONTO)
    activity = r.activity(start=local_start)
    storage.put_activity(activity)
    stored = storage.get_activity("adam", "a1")
    assert stored == activity
    assert stored is not None and stored.start.utcoffset() == dt.timedelta(hours=-5)


def test_put_activity_drops_streams_which_are_stored_apart(storage: Storage) -> None:
    activity = r.activity(with_streams=True)
    storage.put_activity(activity)
    stored = storage.get_activity("adam", "a1")
    assert stored == dataclasses.replace(activity, streams=None)
    assert storage.get_streams("adam", "a1") is None

    assert activity.streams is not None
    storage.put_streams("adam", "a1", activity.streams)
    assert storage.get_streams("adam", "a1") == activity.streams
    assert storage.get_activity("adam", "a1") == dataclasses.replace(activity, streams=None)


def test_plan_round_trip_with_version_assigned(storage: Storage) -> None:
    plan = r.plan()
    stored = storage.put_plan(plan)
    assert stored == dataclasses.replace(plan, version=1)
    assert storage.get_plan(Plan, "adam") == stored


def test_message_round_trip_keeps_unicode(storage: Storage) -> None:
    message = r.message(text="Bonjour 👋 — zone 2 🏃‍♀️ «très bien» \"quoted\" 'x' \\ \n new line")
    storage.put_message(message)
    assert storage.get_message("adam", message.message_id) == message
    assert storage.list_messages("adam", FAR_PAST, FAR_FUTURE) == [message]


def test_journal_memory_and_usage_round_trip(storage: Storage) -> None:
    reflection, note, item, usage = r.reflection(), r.note(), r.memory(), r.usage()
    storage.put_reflection(reflection)
    storage.put_note(note)
    storage.put_memory(item)
    storage.put_usage(usage)
    assert storage.list_reflections("adam", FAR_PAST, FAR_FUTURE) == [reflection]
    assert storage.list_notes("adam", "a1") == [note]
    assert storage.list_memory("adam") == [item]
    assert storage.list_usage("adam", FAR_PAST, FAR_FUTURE) == [usage]
    assert storage.list_usage(None, FAR_PAST, FAR_FUTURE) == [usage]


def test_token_round_trip_with_version_assigned(storage: Storage) -> None:
    token = r.token()
    stored = storage.put_token(token, expected_version=0)
    assert stored == dataclasses.replace(token, version=1)
    assert storage.get_token("adam", "strava") == stored


def test_missing_records_are_none_or_empty(storage: Storage) -> None:
    assert storage.get_athlete("nobody") is None
    assert storage.list_athletes() == []
    assert storage.get_activity("nobody", "a1") is None
    assert storage.get_streams("nobody", "a1") is None
    assert storage.get_plan(Plan, "nobody") is None
    assert storage.get_message("nobody", "m") is None
    assert storage.get_token("nobody", "strava") is None
    assert storage.list_activities("nobody", FAR_PAST, FAR_FUTURE) == []
    assert storage.list_messages("nobody", FAR_PAST, FAR_FUTURE) == []
    assert storage.list_reflections("nobody", FAR_PAST, FAR_FUTURE) == []
    assert storage.list_notes("nobody", "a1") == []
    assert storage.list_memory("nobody") == []
    assert storage.list_usage(None, FAR_PAST, FAR_FUTURE) == []
    assert storage.delete_activity("nobody", "a1") is False


def test_returned_records_are_not_aliased_to_the_store(storage: Storage) -> None:
    activity = r.activity()
    storage.put_activity(activity)
    first = storage.get_activity("adam", "a1")
    assert first is not None
    first.source_ids["strava"] = "changed by a caller"
    assert storage.get_activity("adam", "a1") == activity


def test_everything_survives_a_restart(opened: OpenStorage) -> None:
    storage = opened.storage
    activity = r.activity(with_streams=True)
    storage.put_athlete(r.athlete())
    storage.put_activity(activity)
    assert activity.streams is not None
    storage.put_streams("adam", "a1", activity.streams)
    plan = storage.put_plan(r.plan())
    storage.put_message(r.message())
    storage.put_reflection(r.reflection())
    storage.put_note(r.note())
    storage.put_memory(r.memory())
    storage.put_usage(r.usage())
    token = storage.put_token(r.token(), 0)
    assert storage.claim("job:checkin:adam:2026-03-03", r.T0, dt.timedelta(days=8))

    again = opened.reopen()
    assert again.get_athlete("adam") == r.athlete()
    assert again.get_activity("adam", "a1") == dataclasses.replace(activity, streams=None)
    assert again.get_streams("adam", "a1") == activity.streams
    assert again.get_plan(Plan, "adam") == plan
    assert again.get_message("adam", r.message().message_id) == r.message()
    assert again.list_reflections("adam", FAR_PAST, FAR_FUTURE) == [r.reflection()]
    assert again.list_notes("adam", "a1") == [r.note()]
    assert again.list_memory("adam") == [r.memory()]
    assert again.list_usage("adam", FAR_PAST, FAR_FUTURE) == [r.usage()]
    assert again.get_token("adam", "strava") == token
    # The claim survives too: a restarted process must not redo claimed work.
    assert not again.claim("job:checkin:adam:2026-03-03", r.T0, dt.timedelta(days=8))
