"""Strava's activity and streams → Momentum's record: channel names and units (cadence
per leg → steps per minute for foot sports), indoor detection, and manual entries."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from momentum.core.errors import InputError
from momentum.plugins.strava.records import activity_from_strava, is_indoor, sport_of, to_streams

START = dt.datetime(2026, 3, 2, 23, 0, tzinfo=dt.UTC)


def summary(**fields):
    base = dict(
        id=17321805264,
        name="Evening Run",
        sport_type="Run",
        type="Run",
        start_date=START,
        trainer=False,
        manual=False,
        distance=4400.0,
        moving_time=2760,
        elapsed_time=2800,
        average_heartrate=137.0,
        max_heartrate=160.0,
        total_elevation_gain=12.0,
    )
    return SimpleNamespace(**{**base, **fields})


def streams(n: int = 600):
    return {
        "time": list(range(n)),
        "distance": [2.5 * t for t in range(n)],
        "velocity_smooth": [2.5] * n,
        "heartrate": [130 + t % 10 for t in range(n)],
        "cadence": [85] * n,
        "watts": [200] * n,
        "grade_smooth": [1.5] * n,
        "altitude": [100.0] * n,
        "latlng": [[43.65, -79.38 + t * 1e-5] for t in range(n)],
        "moving": [True] * n,
    }


def test_channels_map_to_momentums_names_and_units():
    out = to_streams(streams(), "Run", indoor=False)
    assert out is not None
    assert set(out.channels) == {
        "distance",
        "speed",
        "heart_rate",
        "cadence",
        "power",
        "grade",
        "altitude",
        "lat",
        "lng",
    }
    assert out.channel("cadence")[0] == 170.0  # 85 per leg → 170 steps/min
    assert out.channel("lat")[0] == 43.65 and out.channel("lng")[1] == pytest.approx(-79.37999)
    assert out.sample_interval == 1.0 and not out.is_indoor


def test_cycling_cadence_stays_in_rpm_and_gaps_mean_no_fixed_interval():
    raw = streams(10)
    raw["time"] = [0, 1, 2, 5, 6, 7, 8, 9, 10, 12]
    out = to_streams(raw, "Ride", indoor=True)
    assert out is not None
    assert out.channel("cadence")[0] == 85.0
    assert out.sample_interval is None and out.is_indoor


def test_missing_samples_stay_missing():
    raw = streams(3)
    raw["heartrate"] = [120, None, 122]
    out = to_streams(raw, "Run", indoor=False)
    assert out is not None and out.channel("heart_rate") == (120.0, None, 122.0)


def test_streams_of_different_lengths_are_refused():
    raw = streams(5)
    raw["heartrate"] = [120] * 4
    with pytest.raises(InputError, match="heart_rate has 4 samples, time has 5"):
        to_streams(raw, "Run", indoor=False)


def test_no_time_stream_means_no_streams():
    assert to_streams({}, "Run", indoor=False) is None


def test_sport_and_indoor_detection():
    class Root:  # stravalib wraps enums in pydantic RootModels
        root = "TrailRun"

    assert sport_of(summary(sport_type=Root())) == "TrailRun"
    assert sport_of(summary(sport_type=None, type="Hike")) == "Hike"
    assert is_indoor(summary(trainer=True)) and is_indoor(summary(sport_type="VirtualRun"))
    assert not is_indoor(summary())


def test_a_record_is_built_from_the_streams(athlete):
    activity = activity_from_strava(summary(), streams(), athlete)
    assert activity.activity_id == "17321805264" and activity.athlete_id == "adam"
    assert activity.source == "strava" and activity.source_ids == {"strava": "17321805264"}
    assert activity.start == START and activity.name == "Evening Run"
    assert activity.distance_meters == pytest.approx(2.5 * 599, rel=0.01)
    assert activity.avg_hr == pytest.approx(134.5, abs=1)
    assert activity.streams is not None


def test_a_treadmill_run_is_indoor(athlete):
    activity = activity_from_strava(summary(trainer=True), streams(), athlete)
    assert activity.activity_subtype == "Indoor" and activity.is_indoor


def test_a_manual_entry_uses_the_summary(athlete):
    activity = activity_from_strava(
        summary(sport_type="WeightTraining", manual=True, distance=0.0, average_heartrate=None),
        {},
        athlete,
    )
    assert activity.activity_type == "WeightTraining"
    assert activity.moving_time_seconds == 2760 and activity.elapsed_time_seconds == 2800
    assert activity.avg_hr is None and activity.streams is None


def test_a_summary_without_a_start_is_refused(athlete):
    with pytest.raises(InputError, match="start_date"):
        activity_from_strava(summary(start_date=None), {}, athlete)
