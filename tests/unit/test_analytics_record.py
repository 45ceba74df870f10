"""The activity record from streams: exact values on synthetic runs, invariants on random ones.

Reference formulas (each test says which): EF = grade-adjusted speed [m/min] / avg HR
(TrainingPeaks' running EF with GAP); Banister TRIMP = Σ minutes · x · 0.64·e^(1.92x),
x = (HR − rest) / (max − rest) (Banister 1991, men's weighting); HRSS = 100 · TRIMP /
TRIMP(1 h at LTHR) (GoldenCheetah); Pa:HR decoupling = (EF₁ − EF₂) / EF₁ · 100 (Friel).
"""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.model import Activity, Streams, from_json, to_json
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.gap import STRAVA_STYLE, minetti_factor
from momentum.plugins.running.analytics.prepare import prepare
from momentum.plugins.running.analytics.record import RecordOptions, build_activity
from tests.unit.test_analytics_fixtures import ATHLETE, START, steady


def build(streams: Streams, activity_type: str = "Run", **kw: object) -> Activity:
    return build_activity(
        streams,
        ATHLETE,
        activity_id="a1",
        activity_type=activity_type,
        start=START,
        **kw,  # type: ignore[arg-type]
    )


def banister(minutes: float, bpm: float) -> float:
    x = (bpm - 52) / (182 - 52)
    return minutes * x * 0.64 * math.exp(1.92 * x)


def test_steady_flat_hour() -> None:
    a = build(steady(3600, speed=3.0, hr=140.0))
    assert a.distance_meters == pytest.approx(10_800)
    assert a.moving_time_seconds == 3600 and a.elapsed_time_seconds == 3600
    assert a.avg_hr == pytest.approx(140) and a.max_hr == 140
    # Friel zones at LTHR 162: 140 bpm is 86 % of LTHR → zone 2.
    assert a.zone_seconds == (0.0, 3600.0, 0.0, 0.0, 0.0)
    # GAP on flat ground equals pace: 1000 m / 3 m/s.
    assert running_metrics(a).gap_seconds_per_km == pytest.approx(1000 / 3)
    assert running_metrics(a).gap_model == "minetti2002"
    # EF = 180 m/min / 140 bpm. Exact, tolerance 1e-9.
    assert a.efficiency_factor == pytest.approx(180 / 140, abs=1e-9)
    assert a.core_ef == pytest.approx(180 / 140, abs=1e-9)
    # Warm-up = 10 % of 60 min = 6 min excluded; the rest is steady.
    assert a.core_ef_seconds == pytest.approx(3600 - 360)
    assert a.decoupling_percent == pytest.approx(0.0, abs=1e-9)
    assert running_metrics(a).trimp == pytest.approx(banister(60, 140), rel=1e-9)
    assert len(a.splits) == 11
    assert a.splits[0].distance_meters == pytest.approx(1000)
    assert a.splits[0].moving_time_seconds == pytest.approx(1000 / 3)
    assert a.splits[-1].distance_meters == pytest.approx(800)
    assert a.splits[0].efficiency_factor == pytest.approx(180 / 140)
    assert a.streams is not None and a.activity_subtype == ""


def test_hour_at_threshold_is_hrss_100() -> None:
    # GoldenCheetah HRSS: one hour at LTHR scores exactly 100.
    a = build(steady(3600, speed=3.5, hr=162.0))
    assert a.hrss == pytest.approx(100.0, rel=1e-9)
    assert a.zone5_seconds == 3600


def test_female_trimp_weighting() -> None:
    # Banister women's weighting: 0.86·e^(1.67x), from the profile's sex.
    female = dataclasses.replace(ATHLETE, sex="female")
    a = build_activity(
        steady(1800, hr=150.0), female, activity_id="a1", activity_type="Run", start=START
    )
    x = (150 - 52) / 130
    assert running_metrics(a).trimp == pytest.approx(30 * x * 0.86 * math.exp(1.67 * x), rel=1e-9)


def test_heart_rate_drift_gives_positive_decoupling() -> None:
    # Same pace, HR drifting from 130 to 150 bpm: the second half's EF is lower.
    a = build(steady(3600, speed=3.0, hr=lambda i: 130 + 20 * i / 3600))
    assert a.decoupling_percent is not None and a.decoupling_percent > 3.0
    # Reference: steady part 360..3600 s; halves 360..1980 and 1980..3600 s;
    # EF ∝ 1 / mean HR; mean HRs 135.5 and 144.5 bpm → 1 − 135.5/144.5 ≈ 6.2 %.
    assert a.decoupling_percent == pytest.approx((1 - 135.5 / 144.5) * 100, abs=0.1)


def test_core_ef_drops_warm_up_and_walk_breaks() -> None:
    def speed(i: int) -> float:
        return 1.2 if 1800 <= i < 1980 else 3.0  # a 3-minute walk break mid-run

    def hr(i: int) -> float:
        return 120.0 + min(i, 300) / 300 * 20 if i < 1800 or i >= 1980 else 125.0

    a = build(steady(3600, speed=speed, hr=hr))
    assert a.core_ef == pytest.approx(180 / 140, rel=0.01)
    assert a.core_ef_seconds < 3600 - 360 - 150


def test_treadmill_incline_gap_and_climb() -> None:
    # The talk's treadmill: 8 % incline, indoor, speed from the machine.
    a = build(
        steady(2700, speed=2.5, hr=135.0, grade=8.0, indoor=True, with_distance=False),
        subtype="",
    )
    assert a.activity_subtype == "Indoor"
    assert a.avg_incline == pytest.approx(8.0)
    assert a.distance_meters == pytest.approx(2.5 * 2700)
    assert a.elevation_gain_meters == pytest.approx(2.5 * 2700 * 0.08)
    # GAP = pace / Minetti factor at 8 %.
    assert running_metrics(a).gap_seconds_per_km == pytest.approx(400 / minetti_factor(8.0))
    strava = build(
        steady(2700, speed=2.5, hr=135.0, grade=8.0, indoor=True, with_distance=False),
        options=RecordOptions(gap_model=STRAVA_STYLE),
    )
    assert running_metrics(strava).gap_model == STRAVA_STYLE
    assert running_metrics(a).gap_seconds_per_km < running_metrics(strava).gap_seconds_per_km < 400


def test_outdoor_hill_grade_from_altitude() -> None:
    # 2 km at 4 % up then 2 km at 4 % down (altitude vs distance), 3 m/s.
    def altitude(i: int) -> float:
        d = 3.0 * i
        return 0.04 * d if d <= 2000 else 80 - 0.04 * (d - 2000)

    a = build(steady(1333, speed=3.0, hr=140.0, altitude=altitude))
    assert a.elevation_gain_meters == pytest.approx(80, abs=2.5)
    assert a.avg_incline is None
    up, down = a.splits[0], a.splits[3]
    assert up.gap_seconds_per_km is not None and down.gap_seconds_per_km is not None
    assert up.gap_seconds_per_km < up.pace_seconds_per_km < down.gap_seconds_per_km  # type: ignore[operator]


def test_no_heart_rate_leaves_heart_metrics_empty() -> None:
    a = build(steady(1200, hr=None))
    assert a.avg_hr is None and running_metrics(a).trimp is None and a.hrss is None
    assert a.efficiency_factor is None and a.core_ef is None and a.decoupling_percent is None
    assert a.zone_seconds == (0.0,) * 5
    assert running_metrics(a).gap_seconds_per_km == pytest.approx(1000 / 3)


def test_ride_with_power_uses_power_per_beat() -> None:
    streams = steady(3600, speed=8.0, hr=140.0)
    streams = dataclasses.replace(
        streams, channels={**streams.channels, "power": tuple([210.0] * 3601)}
    )
    a = build(streams, activity_type="Ride")
    assert running_metrics(a).gap_seconds_per_km is None and running_metrics(a).gap_model == ""
    assert a.efficiency_factor == pytest.approx(210 / 140)


def test_strength_session_without_motion_counts_recorded_time() -> None:
    streams = Streams(
        time=tuple(float(i) for i in range(0, 1801, 5)),
        channels={"heart_rate": tuple(110.0 for _ in range(0, 1801, 5))},
    )
    a = build(streams, activity_type="WeightTraining")
    assert a.moving_time_seconds == 1800 and a.distance_meters == 0 and a.splits == ()


def test_record_round_trips_through_json_and_rebuilds_identically() -> None:
    a = build(steady(900, speed=3.1, hr=lambda i: 130 + i % 7))
    assert from_json(Activity, to_json(a)) == a
    assert a.streams is not None
    assert build(a.streams) == a


@st.composite
def random_streams(draw: st.DrawFn) -> Streams:
    n = draw(st.integers(2, 200))
    gaps = draw(
        st.lists(st.sampled_from([1.0, 1.0, 1.0, 2.0, 5.0, 40.0]), min_size=n - 1, max_size=n - 1)
    )
    time = [0.0]
    for g in gaps:
        time.append(time[-1] + g)
    speeds = draw(st.lists(st.floats(0.0, 6.0), min_size=n, max_size=n))
    hrs = draw(
        st.lists(st.one_of(st.none(), st.just(0.0), st.floats(60.0, 200.0)), min_size=n, max_size=n)
    )
    grades = draw(st.lists(st.floats(-20.0, 20.0), min_size=n, max_size=n))
    return Streams(
        time=tuple(time),
        channels={"speed": tuple(speeds), "heart_rate": tuple(hrs), "grade": tuple(grades)},
    )


@settings(max_examples=60, deadline=None)
@given(random_streams())
def test_zone_seconds_add_up_to_heart_rate_covered_moving_time(streams: Streams) -> None:
    a = build(streams)
    prep = prepare(streams, "Run")
    assert prep.hr is not None or a.avg_hr is None
    covered = sum(
        prep.dt[i]
        for i in range(1, len(prep.dt))
        if prep.moving[i] and prep.hr is not None and prep.hr[i] is not None
    )
    assert sum(a.zone_seconds) == pytest.approx(covered, abs=1e-6)
    assert sum(a.zone_seconds) <= a.moving_time_seconds + 1e-6
    assert a.moving_time_seconds <= a.elapsed_time_seconds + 1e-6


@settings(max_examples=60, deadline=None)
@given(random_streams())
def test_splits_add_up_to_the_activity(streams: Streams) -> None:
    a = build(streams)
    if a.splits:
        assert sum(s.distance_meters for s in a.splits) == pytest.approx(a.distance_meters, abs=10)
        assert sum(s.moving_time_seconds for s in a.splits) <= a.moving_time_seconds + 1e-6
        assert all(s.distance_meters <= 1000 + 1e-6 for s in a.splits)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.8, 6.0), st.integers(60, 900))
def test_gap_equals_pace_on_flat_ground(speed: float, seconds: int) -> None:
    a = build(steady(seconds, speed=speed, hr=None, grade=0.0))
    assert running_metrics(a).gap_seconds_per_km == pytest.approx(1000 / speed, rel=1e-9)


def test_degenerate_streams() -> None:
    empty = build(Streams(time=()))
    assert empty.moving_time_seconds == 0 and empty.splits == () and empty.avg_hr is None
    single = build(Streams(time=(0.0,), channels={"heart_rate": (120.0,)}))
    assert single.elapsed_time_seconds == 0 and single.max_hr == 120 and single.avg_hr is None
    repeated = build(Streams(time=(0.0, 0.0, 1.0), channels={"speed": (3.0, 3.0, 3.0)}))
    assert repeated.moving_time_seconds == 1 and repeated.distance_meters == pytest.approx(3.0)
    with pytest.raises(ValueError, match="'heart_rate' has 1 samples, time has 2"):
        build(Streams(time=(0.0, 1.0), channels={"heart_rate": (1.0,)}))
