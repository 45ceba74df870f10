"""The zone directory, the zone index, identity links and claim housekeeping, on every
Storage backend (see :mod:`tests.contract.backends`)."""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.core.ports.storage import CHAT_IDENTITY, Storage
from tests.contract import records
from tests.contract.backends import OpenStorage

T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)


def _put(storage: Storage, athlete_id: str, zone: str, chat: str = "") -> None:
    profile = dataclasses.replace(
        records.athlete(athlete_id), timezone=zone, chat_user_id=chat or f"U-{athlete_id}"
    )
    storage.put_athlete(profile)


def test_zone_directory_follows_puts_moves_and_deletes(storage: Storage) -> None:
    assert storage.list_timezones() == []
    _put(storage, "a", "Asia/Kolkata")
    _put(storage, "b", "Asia/Kathmandu")
    _put(storage, "c", "Asia/Kolkata")
    _put(storage, "c", "Asia/Kolkata")  # an upsert in the same zone counts once
    assert storage.list_timezones() == ["Asia/Kathmandu", "Asia/Kolkata"]
    assert [a.athlete_id for a in storage.list_athletes_in_timezone("Asia/Kolkata")] == ["a", "c"]
    _put(storage, "b", "Asia/Kolkata")  # moved: Kathmandu is empty now
    assert storage.list_timezones() == ["Asia/Kolkata"]
    assert storage.list_athletes_in_timezone("Asia/Kathmandu") == []
    ids = [a.athlete_id for a in storage.list_athletes_in_timezone("Asia/Kolkata")]
    assert ids == ["a", "b", "c"]
    storage.delete_athlete("a")
    storage.delete_athlete("b")
    assert [a.athlete_id for a in storage.list_athletes_in_timezone("Asia/Kolkata")] == ["c"]
    storage.delete_athlete("c")
    assert storage.list_timezones() == []
    assert storage.list_athletes_in_timezone("Asia/Kolkata") == []


def test_zone_index_returns_whole_profiles(storage: Storage) -> None:
    storage.put_athlete(records.athlete("adam"))
    assert storage.list_athletes_in_timezone("America/Toronto") == [records.athlete("adam")]


def test_identity_links_round_trip_and_replace(storage: Storage) -> None:
    assert storage.find_identity("oura", "x1") is None
    storage.link_identity("oura", "x1", "adam")
    assert storage.find_identity("oura", "x1") == "adam"
    assert storage.find_identity("strava", "x1") is None  # kinds are separate
    storage.link_identity("oura", "x1", "bea")
    assert storage.find_identity("oura", "x1") == "bea"
    storage.unlink_identity("oura", "x1")
    assert storage.find_identity("oura", "x1") is None
    storage.unlink_identity("oura", "x1")  # nothing to drop is fine


def test_profiles_and_tokens_link_themselves(storage: Storage) -> None:
    _put(storage, "adam", "UTC", chat="U1")
    assert storage.find_identity(CHAT_IDENTITY, "U1") == "adam"
    _put(storage, "adam", "UTC", chat="U2")  # a changed chat user drops the old link
    assert storage.find_identity(CHAT_IDENTITY, "U1") is None
    assert storage.find_identity(CHAT_IDENTITY, "U2") == "adam"
    storage.put_token(records.token("adam"), expected_version=0)
    assert storage.find_identity("strava", "98765") == "adam"
    storage.delete_token("adam", "strava")  # deauthorised: the webhook finds no one
    assert storage.find_identity("strava", "98765") is None


def test_deleting_an_athlete_removes_their_links_only(storage: Storage) -> None:
    _put(storage, "adam", "UTC", chat="U1")
    _put(storage, "bea", "UTC", chat="U2")
    storage.link_identity("oura", "o-adam", "adam")
    storage.put_token(records.token("adam"), expected_version=0)
    storage.delete_athlete("adam")
    assert storage.find_identity(CHAT_IDENTITY, "U1") is None
    assert storage.find_identity("oura", "o-adam") is None
    assert storage.find_identity("strava", "98765") is None
    assert storage.find_identity(CHAT_IDENTITY, "U2") == "bea"


def test_links_and_zones_survive_a_restart(opened: OpenStorage) -> None:
    _put(opened.storage, "adam", "Asia/Kathmandu", chat="U1")
    again = opened.reopen()
    assert again.find_identity(CHAT_IDENTITY, "U1") == "adam"
    assert again.list_timezones() == ["Asia/Kathmandu"]


def test_purge_expired_claims_never_drops_a_live_claim(storage: Storage) -> None:
    assert storage.claim("old", T0, dt.timedelta(minutes=5))
    assert storage.claim("live", T0, dt.timedelta(hours=5))
    purged = storage.purge_expired_claims(T0 + dt.timedelta(hours=1))
    assert purged in (0, 1)  # a store with TTL sweeping may leave it to the platform
    assert not storage.claim("live", T0 + dt.timedelta(hours=1), dt.timedelta(hours=1))
    assert storage.claim("old", T0 + dt.timedelta(hours=1), dt.timedelta(hours=1))
