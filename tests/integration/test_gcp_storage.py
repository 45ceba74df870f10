"""What the Firestore adapter adds beyond today's Storage contract suite, on the emulator:
the zone directory and zone query, the owner-id index, claim purge, streams in Cloud
Storage, and the Blob port on the Cloud Storage emulator."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator

import pytest

from momentum.adapters.gcp.firestore_storage import FirestoreStorage, streams_key
from momentum.adapters.gcp.gcs_blob import GcsBlob
from momentum.core.errors import InputError
from momentum.core.model import AthleteProfile
from tests.contract import records as r

pytestmark = pytest.mark.gcp


@pytest.fixture
def fs() -> Iterator[FirestoreStorage]:
    """A Firestore store on an empty emulator project (skipped when it can't start)."""
    try:
        from momentum.adapters.gcp.testing.stack import firestore_storage

        with firestore_storage() as (storage, _reopen):
            yield storage
    except RuntimeError as error:
        pytest.skip(f"Firestore emulator unavailable: {error}")


@pytest.fixture
def blob() -> Iterator[GcsBlob]:
    """An empty bucket on the Cloud Storage emulator."""
    try:
        from momentum.adapters.gcp.testing.stack import gcs_bucket

        with gcs_bucket() as bucket:
            yield bucket
    except RuntimeError as error:
        pytest.skip(f"Cloud Storage emulator unavailable: {error}")


def athlete(athlete_id: str, zone: str) -> AthleteProfile:
    """A full profile in ``zone``."""
    return dataclasses.replace(r.athlete(athlete_id), timezone=zone)


def test_zone_directory_follows_puts_moves_and_deletes(fs: FirestoreStorage) -> None:
    fs.put_athlete(athlete("b", "Asia/Kolkata"))
    fs.put_athlete(athlete("a", "Asia/Kolkata"))
    fs.put_athlete(athlete("c", "Asia/Kathmandu"))
    assert fs.list_timezones() == ["Asia/Kathmandu", "Asia/Kolkata"]
    assert [p.athlete_id for p in fs.list_athletes_in_timezone("Asia/Kolkata")] == ["a", "b"]
    fs.put_athlete(athlete("c", "Europe/Paris"))
    assert fs.list_timezones() == ["Asia/Kolkata", "Europe/Paris"]
    assert fs.list_athletes_in_timezone("Asia/Kathmandu") == []
    fs.delete_athlete("a")
    assert fs.list_timezones() == ["Asia/Kolkata", "Europe/Paris"]
    fs.delete_athlete("b")
    assert fs.list_timezones() == ["Europe/Paris"]


def test_identity_index_finds_in_one_read_and_goes_with_the_athlete(fs: FirestoreStorage) -> None:
    fs.put_athlete(r.athlete("adam"))
    fs.link_identity("strava", "12345", "adam")
    fs.link_identity("slack", "T1/U.__x__", "adam")
    assert fs.find_identity("strava", "12345") == "adam"
    assert fs.find_identity("slack", "T1/U.__x__") == "adam"
    assert fs.find_identity("strava", "999") is None
    fs.unlink_identity("strava", "12345")
    fs.unlink_identity("strava", "never-linked")
    assert fs.find_identity("strava", "12345") is None
    fs.delete_athlete("adam")
    assert fs.find_identity("slack", "T1/U.__x__") is None


def test_purge_removes_only_expired_claims(fs: FirestoreStorage) -> None:
    ttl = dt.timedelta(minutes=5)
    assert fs.claim("old", r.T0, ttl) and fs.claim("fresh", r.T0 + ttl, ttl)
    assert fs.purge_expired_claims(r.T0 + ttl) == 1
    assert fs.claim("old", r.T0 + ttl, ttl) is True
    assert fs.claim("fresh", r.T0 + ttl, ttl) is False


def test_claims_carry_a_ttl_field_for_cleanup_only(fs: FirestoreStorage) -> None:
    assert fs.claim("k", r.T0, dt.timedelta(minutes=1))
    snap = fs.db.collection("claims").document("k").get()
    assert snap.get("expires_at") == snap.get("until") == r.T0 + dt.timedelta(minutes=1)


def test_streams_live_in_cloud_storage_as_gzip(fs: FirestoreStorage) -> None:
    activity = r.activity()
    fs.put_activity(activity)
    fs.put_streams(activity.athlete_id, activity.activity_id, r.streams())
    assert fs.get_streams(activity.athlete_id, activity.activity_id) == r.streams()
    key = streams_key(activity.athlete_id, activity.activity_id)
    data = fs.blobs.get(key)
    assert data is not None and data[:2] == b"\x1f\x8b"
    assert fs.delete_activity(activity.athlete_id, activity.activity_id) is True
    assert fs.blobs.get(key) is None
    assert fs.delete_activity(activity.athlete_id, activity.activity_id) is False


def test_blob_roundtrip_listing_and_key_checks(blob: GcsBlob) -> None:
    blob.put("uploads/adam/run.fit", b"\x00fit", "application/octet-stream")
    blob.put("uploads/adam/b.gpx", b"<gpx/>", "application/gpx+xml")
    blob.put("deferred/1.json", b"{}", "application/json")
    assert blob.get("uploads/adam/run.fit") == b"\x00fit"
    assert list(blob.keys("uploads/")) == ["uploads/adam/b.gpx", "uploads/adam/run.fit"]
    blob.put("uploads/adam/run.fit", b"new")
    assert blob.get("uploads/adam/run.fit") == b"new"
    blob.delete("uploads/adam/run.fit")
    blob.delete("uploads/adam/run.fit")
    assert blob.get("uploads/adam/run.fit") is None
    with pytest.raises(InputError):
        blob.put("../escape", b"x")
