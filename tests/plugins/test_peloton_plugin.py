"""The Peloton plugin against a fake Peloton on loopback (tests/fakes/fake_peloton.py):
the real httpx client, polling through the plugin's own jobs, one activity per session
when Strava has it too, and re-polls that change nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from types import SimpleNamespace

import pytest

from momentum import Activity
from momentum.plugins.peloton import plugin as peloton_plugin
from momentum.plugins.peloton.connect import with_password
from momentum.plugins.peloton.poll import poll
from momentum.plugins.peloton.tokens import PROVIDER
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.testing import PluginHarness
from tests.fakes.fake_peloton import (
    EMAIL,
    PASSWORD,
    USER_ID,
    FakePeloton,
    session,
)

pytestmark = pytest.mark.peloton

NOW = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)  # 07:00 in Toronto
MPH = 0.44704


@pytest.fixture
def fake() -> Iterator[FakePeloton]:
    with FakePeloton() as server:
        yield server


def _harness(fake: FakePeloton, *, builtins: bool = False) -> PluginHarness:
    harness = PluginHarness(
        peloton_plugin,
        builtins=builtins,
        now=NOW,
        settings={"peloton": fake.settings()},
    )
    harness.add_athlete("ada")
    with_password(harness.app, "ada", EMAIL, PASSWORD)
    return harness


@pytest.fixture
def harness(fake: FakePeloton) -> PluginHarness:
    return _harness(fake)


def _tread(fake: FakePeloton, workout_id: str = "w-tread", start: dt.datetime | None = None):
    workout, samples = session(
        workout_id,
        "running",
        start or NOW - dt.timedelta(hours=2),
        30,
        {"speed": 6.0, "incline": 4.0, "heart_rate": 150},
    )
    fake.add(workout, samples)
    return workout


def _ride(fake: FakePeloton, start: dt.datetime) -> dict:
    workout, samples = session(
        "w-ride", "cycling", start, 20, {"output": 180, "cadence": 85, "speed": 18.0}
    )
    fake.add(workout, samples)
    return workout


def test_connect_stores_the_member_and_a_rotated_refresh_token(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    token = harness.storage.get_token("ada", PROVIDER)
    assert token is not None and token.provider_athlete_id == USER_ID
    assert harness.storage.find_identity(PROVIDER, USER_ID) == "ada"
    assert token.refresh_token in fake._refresh  # the rotated one, the only one still valid


def test_a_treadmill_run_gets_pace_and_grade_from_speed_and_incline(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    _tread(fake)
    result = poll(harness.app, "ada", review=False)
    assert result.added == ["peloton-w-tread"]
    (run,) = harness.activities("ada")
    assert (run.activity_type, run.activity_subtype, run.source) == ("Run", "Indoor", "peloton")
    # 6 mph for 30 minutes: 2.682 m/s × 1800 s = 4828 m (±1 %)
    assert run.distance_meters == pytest.approx(6 * MPH * 1800, rel=0.01)
    assert running_metrics(run).gap_seconds_per_km is not None
    pace = run.moving_time_seconds / (run.distance_meters / 1000)
    assert (
        running_metrics(run).gap_seconds_per_km < pace
    )  # 4 % uphill: the effort is worth a faster flat pace
    streams = harness.storage.get_streams("ada", run.activity_id)
    assert streams is not None and set(streams.channels) >= {"speed", "grade", "heart_rate"}
    assert streams.channels["grade"][0] == 4.0


def test_a_ride_carries_power_and_rowing_and_strength_are_kept(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    from momentum.plugins.running.coach.formatting import is_strength

    _ride(fake, NOW - dt.timedelta(hours=5))
    row, row_samples = session(
        "w-row", "caesar", NOW - dt.timedelta(hours=8), 15, {"output": 150, "stroke_rate": 24}
    )
    fake.add(row, row_samples)
    lift, _ = session("w-lift", "strength", NOW - dt.timedelta(hours=10), 20)
    fake.add(lift, {})
    calm, _ = session("w-calm", "meditation", NOW - dt.timedelta(hours=11), 10)
    fake.add(calm, {})
    poll(harness.app, "ada", review=False)
    by_id = {a.activity_id: a for a in harness.activities("ada")}
    assert set(by_id) == {"peloton-w-ride", "peloton-w-row", "peloton-w-lift"}
    ride = harness.storage.get_streams("ada", "peloton-w-ride")
    assert ride is not None and set(ride.channels["power"]) == {180.0}
    assert by_id["peloton-w-row"].activity_type == "Rowing"
    lift_record = by_id["peloton-w-lift"]
    assert lift_record.activity_type == "WeightTraining" and is_strength(lift_record)
    assert lift_record.moving_time_seconds == 20 * 60


def _strava_copy(harness: PluginHarness, start: dt.datetime, minutes: int) -> Activity:
    """The same session as Strava's plugin stores it (its own mapping, from Strava's
    activity and streams shapes): heart rate from the watch, a trainer flag."""
    from momentum.plugins.strava.records import activity_from_strava
    from momentum.plugins.strava.sync import SOURCE

    seconds = minutes * 60
    summary = SimpleNamespace(
        id=17321805264,
        name="Evening Ride",
        sport_type="VirtualRide",
        type="VirtualRide",
        trainer=True,
        start_date=start,
        manual=False,
        distance=0.0,
        moving_time=seconds,
        elapsed_time=seconds,
    )
    raw = {"time": list(range(seconds)), "heartrate": [131] * seconds, "watts": [175] * seconds}
    athlete = harness.storage.get_athlete("ada")
    assert athlete is not None
    activity = activity_from_strava(summary, raw, athlete)
    assert activity.source == SOURCE
    if activity.streams is not None:
        harness.storage.put_streams("ada", activity.activity_id, activity.streams)
    harness.storage.put_activity(activity)
    return activity


def test_a_ride_strava_already_has_becomes_one_activity_with_source_ranges(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    start = NOW - dt.timedelta(hours=3)
    strava = _strava_copy(harness, start + dt.timedelta(seconds=20), 20)  # watch started late
    _ride(fake, start)
    result = poll(harness.app, "ada", review=False)
    assert result.added == [] and result.merged == [strava.activity_id]
    (one,) = harness.activities("ada")
    assert one.activity_id == strava.activity_id
    assert one.source_ids == {"strava": "17321805264", "peloton": "w-ride"}
    streams = harness.storage.get_streams("ada", one.activity_id)
    assert streams is not None
    ranges = {(r.field, r.source) for r in streams.source_ranges}
    assert ("power", "peloton") in ranges and ("heart_rate", "strava") in ranges
    power = streams.channels["power"]
    # the bike's output while it ran; the watch's for the 20 s it recorded after the bike
    assert power.count(180.0) >= 1199 and power.count(175.0) <= 21
    before = harness.activities("ada")
    again = poll(harness.app, "ada", review=False)  # a re-poll changes nothing
    assert again.added == [] and again.merged == [] and harness.activities("ada") == before


def _peloton_then_strava(fake: FakePeloton, harness: PluginHarness) -> Activity:
    """A ride polled from Peloton, then Strava's copy stored (no hook called)."""
    start = NOW - dt.timedelta(hours=3)
    _ride(fake, start)
    poll(harness.app, "ada", review=False)
    return _strava_copy(harness, start, 20)


def test_strava_arriving_after_peloton_still_leaves_one_activity(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    strava = _peloton_then_strava(fake, harness)
    assert len(harness.activities("ada")) == 2  # until the next poll
    result = poll(harness.app, "ada", review=False)
    assert result.merged == [strava.activity_id]
    (one,) = harness.activities("ada")
    assert one.source_ids == {"strava": "17321805264", "peloton": "w-ride"}
    assert harness.storage.get_activity("ada", "peloton-w-ride") is None


def test_429_then_success(fake: FakePeloton, harness: PluginHarness) -> None:
    _tread(fake)
    fake.fail_next(2)
    assert poll(harness.app, "ada", review=False).added == ["peloton-w-tread"]


def test_an_expired_sign_in_is_refreshed_and_the_rotated_token_kept(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    token = harness.storage.get_token("ada", PROVIDER)
    assert token is not None
    harness.storage.put_token(
        dataclasses.replace(token, expires_at=NOW), expected_version=token.version
    )
    _tread(fake)
    poll(harness.app, "ada", review=False)
    fresh = harness.storage.get_token("ada", PROVIDER)
    assert fresh is not None and fresh.version == token.version + 2
    assert fresh.refresh_token != token.refresh_token and fresh.refresh_token in fake._refresh


def test_the_plugins_own_job_polls_and_a_second_run_changes_nothing(fake: FakePeloton) -> None:
    harness = _harness(fake, builtins=True)
    _tread(fake, start=NOW - dt.timedelta(minutes=50))
    fired = harness.tick(NOW)  # 07:00 Toronto
    assert "peloton_poll_07:ada:2026-03-03" in fired
    (run,) = harness.activities("ada")
    assert harness.storage.get_message("ada", f"review:{run.activity_id}") is not None
    reviews = len(harness.dms("ada"))
    assert reviews >= 1  # the coach reviewed the new run by DM
    stored = harness.storage.get_activity("ada", run.activity_id)
    harness.run_job("peloton_poll_07", "ada")
    assert harness.activities("ada") == [run]
    assert harness.storage.get_activity("ada", run.activity_id) == stored
    assert harness.tick(NOW) == []  # once per local day
    assert len(harness.dms("ada")) == reviews  # and never reviewed twice


def test_strava_storing_the_session_folds_peloton_in_at_once(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    strava = _peloton_then_strava(fake, harness)
    harness.app.plugins.activity_stored(harness.app, strava)  # what Strava's import does
    (one,) = harness.activities("ada")
    assert one.activity_id == strava.activity_id
    assert one.source_ids == {"strava": "17321805264", "peloton": "w-ride"}


def test_a_fold_cut_short_before_its_delete_is_tidied_by_the_next_poll(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    strava = _peloton_then_strava(fake, harness)
    carried = dataclasses.replace(strava, source_ids={**strava.source_ids, "peloton": "w-ride"})
    harness.storage.put_activity(carried)  # the fold's write landed, its delete did not
    assert len(harness.activities("ada")) == 2
    poll(harness.app, "ada", review=False)
    (one,) = harness.activities("ada")
    assert one.activity_id == strava.activity_id


def test_strava_importing_the_session_again_loses_nothing_for_long(
    fake: FakePeloton, harness: PluginHarness
) -> None:
    first = _peloton_then_strava(fake, harness)
    harness.app.plugins.activity_stored(harness.app, first)
    again = _strava_copy(harness, first.start, 20)  # a re-import overwrites with Strava's own data
    harness.app.plugins.activity_stored(harness.app, again)
    (one,) = harness.activities("ada")
    assert one.source_ids == {"strava": "17321805264"}
    result = poll(harness.app, "ada", review=False)  # the next poll merges Peloton back in
    assert result.merged == [one.activity_id]
    (one,) = harness.activities("ada")
    assert one.source_ids == {"strava": "17321805264", "peloton": "w-ride"}
    streams = harness.storage.get_streams("ada", one.activity_id)
    assert streams is not None and ("power", "peloton") in {
        (r.field, r.source) for r in streams.source_ranges
    }
