"""Simulated runs: seeded 1 Hz streams that respond to pace, grade, drift and fatigue."""

from __future__ import annotations

import itertools
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.adapters.local.demo import workouts
from momentum.adapters.local.demo.physiology import BodyState, Runner
from momentum.adapters.local.demo.sessions import (
    TREADMILL,
    WATCH,
    RunKind,
    RunPlan,
    Segment,
    SimulatedRun,
    simulate_run,
)
from momentum.adapters.local.demo.terrain import Route, Wave, city_route, trail_route
from momentum.core.model.activity import SourceRange

RUNNER = Runner()
STATE = BodyState(fitness=0.8, fatigue=0.8)
FLAT = Route(base_altitude=100.0, waves=())


def mean_hr(run: SimulatedRun, start: int = 0, end: int | None = None) -> float:
    """Mean of the recorded heart rate over ``[start, end)``."""
    values = run.streams.channels["heart_rate"][start:end]
    return statistics.fmean(v for v in values if v is not None)


def steady(speed: float, seconds: int = 1800, grade: float = 0.0, indoor: bool = False) -> RunPlan:
    """A constant-pace run on a flat route (or a treadmill at ``grade``)."""
    return RunPlan(
        RunKind.EASY,
        (Segment(seconds, speed, grade),),
        indoor=indoor,
        route=None if indoor else FLAT,
    )


@given(seed=st.integers(0, 10_000))
@settings(max_examples=5, deadline=None)
def test_a_seed_gives_the_same_run(seed: int) -> None:
    """Deterministic: the same plan and seed give identical streams."""
    plan = workouts.easy_run(random.Random(seed), 20)
    first = simulate_run(plan, RUNNER, STATE, random.Random(seed))
    second = simulate_run(plan, RUNNER, STATE, random.Random(seed))
    assert first.streams == second.streams
    assert first.load == second.load


def test_another_seed_gives_another_run() -> None:
    """Seeds matter: routes, stops and noise differ."""
    one = simulate_run(workouts.easy_run(random.Random(1), 20), RUNNER, STATE, random.Random(1))
    two = simulate_run(workouts.easy_run(random.Random(2), 20), RUNNER, STATE, random.Random(2))
    assert one.streams.channels["heart_rate"] != two.streams.channels["heart_rate"]


@pytest.mark.parametrize(
    "plan",
    [
        workouts.easy_run(random.Random(5), 30),
        workouts.long_run(random.Random(5), 60),
        workouts.intervals(random.Random(5), reps=3),
        workouts.recovery_run(random.Random(5), 25),
        workouts.treadmill_run(random.Random(5), 30),
    ],
    ids=lambda p: p.kind.value,
)
def test_streams_are_raw_1hz_channels(plan: RunPlan) -> None:
    """Every channel is as long as ``time``; time is 0, 1, 2 …; distance never decreases."""
    run = simulate_run(plan, RUNNER, STATE, random.Random(9))
    streams = run.streams
    n = len(streams.time)
    assert n >= plan.planned_seconds
    assert streams.time[:3] == (0.0, 1.0, 2.0)
    assert streams.sample_interval == 1.0
    for name, values in streams.channels.items():
        assert len(values) == n, name
    distance = [d for d in streams.channels["distance"] if d is not None]
    assert all(b >= a for a, b in itertools.pairwise(distance))
    hr = [h for h in streams.channels["heart_rate"] if h is not None]
    assert all(RUNNER.resting_hr <= h <= RUNNER.max_hr for h in hr)
    expected = {"time", "distance", "speed", "heart_rate", "cadence", "grade"}
    assert expected - {"time"} <= set(streams.channels)
    if not plan.indoor:
        assert "altitude" in streams.channels


def test_outdoor_runs_carry_altitude_consistent_with_grade() -> None:
    """Altitude follows the route; the grade channel is its slope (percent)."""
    plan = workouts.long_run(random.Random(3), 40)
    run = simulate_run(plan, RUNNER, STATE, random.Random(3))
    ch = run.streams.channels
    alt, dist, grade = ch["altitude"], ch["distance"], ch["grade"]
    climbs = 0
    for i in range(100, len(alt) - 30, 30):
        rise = alt[i + 30] - alt[i]  # type: ignore[operator]
        run_m = dist[i + 30] - dist[i]  # type: ignore[operator]
        if run_m > 50 and abs(rise / run_m) > 0.02:
            climbs += 1
            assert (rise > 0) == (grade[i + 15] > 0)  # type: ignore[operator]
    assert climbs > 5


def test_hr_rises_with_pace_in_a_whole_run() -> None:
    """The same flat route run faster gives a higher heart rate."""
    easy = simulate_run(steady(2.2), RUNNER, STATE, random.Random(1))
    tempo = simulate_run(steady(2.9), RUNNER, STATE, random.Random(1))
    assert mean_hr(tempo, 300) > mean_hr(easy, 300) + 8


def test_hr_rises_with_treadmill_incline() -> None:
    """Same belt speed, steeper incline: higher heart rate."""
    flat = simulate_run(steady(2.0, indoor=True), RUNNER, STATE, random.Random(1))
    hill = simulate_run(steady(2.0, grade=0.06, indoor=True), RUNNER, STATE, random.Random(1))
    assert mean_hr(hill, 300) > mean_hr(flat, 300) + 5


def test_outdoor_runner_slows_on_climbs() -> None:
    """Effort-based pacing: speed is lower where the route climbs than where it falls."""
    hilly = Route(100.0, (Wave(20.0, 1500.0, 0.0),))
    plan = RunPlan(RunKind.EASY, (Segment(3600, 2.3),), route=hilly)
    run = simulate_run(plan, RUNNER, STATE, random.Random(2))
    ch = run.streams.channels
    up = [s for s, g in zip(ch["speed"], ch["grade"], strict=True) if g is not None and g > 3]
    down = [s for s, g in zip(ch["speed"], ch["grade"], strict=True) if g is not None and g < -3]
    assert statistics.fmean(up) < statistics.fmean(down)  # type: ignore[arg-type]


def test_hr_drifts_over_a_steady_run() -> None:
    """Cardiac drift: the last ten minutes of a steady hour beat the ten after warm-up."""
    run = simulate_run(steady(2.2, seconds=3600), RUNNER, STATE, random.Random(4))
    assert mean_hr(run, 3000, 3600) > mean_hr(run, 600, 1200) + 2


@given(fatigue=st.floats(0.0, 0.8), more=st.floats(0.4, 1.0), seed=st.integers(0, 999))
@settings(max_examples=10, deadline=None)
def test_hr_rises_with_fatigue_in_a_whole_run(fatigue: float, more: float, seed: int) -> None:
    """Same run, same seed, more accumulated fatigue: a higher average heart rate."""
    plan = steady(2.2, seconds=900)
    fresh = simulate_run(plan, RUNNER, BodyState(0.8, fatigue), random.Random(seed))
    tired = simulate_run(plan, RUNNER, BodyState(0.8, fatigue + more), random.Random(seed))
    assert mean_hr(tired) > mean_hr(fresh)


def test_treadmill_merges_two_sources_with_ranges() -> None:
    """Belt speed, incline and power come from the treadmill for the class; heart rate and
    cadence from the watch throughout; the watch covers speed after the class ends."""
    plan = workouts.treadmill_run(random.Random(8), 30)
    run = simulate_run(plan, RUNNER, STATE, random.Random(8))
    class_end = plan.planned_seconds
    total = class_end + plan.tail_seconds
    assert set(run.sources) == {TREADMILL, WATCH}
    assert len(run.sources[TREADMILL].time) == class_end
    assert len(run.sources[WATCH].time) == total
    assert "heart_rate" not in run.sources[TREADMILL].channels
    assert run.streams.is_indoor
    ranges = set(run.streams.source_ranges)
    assert SourceRange("heart_rate", WATCH) in ranges
    assert SourceRange("speed", TREADMILL, 0, class_end) in ranges
    assert SourceRange("speed", WATCH, class_end, total) in ranges
    assert SourceRange("grade", TREADMILL, 0, class_end) in ranges
    assert SourceRange("power", TREADMILL, 0, class_end) in ranges
    assert run.streams.channels["grade"][-1] is None
    distance = run.streams.channels["distance"]
    step = distance[class_end] - distance[class_end - 1]  # type: ignore[operator]
    assert 0 <= step < 2.0, "distance continues across the source switch"
    assert run.streams.channels["power"][class_end - 1] is not None
    grades = [g for g in run.streams.channels["grade"] if g is not None]
    assert max(grades) == pytest.approx(12.0)


@pytest.mark.parametrize("make", [city_route, trail_route])
def test_routes_are_runnable(make: object) -> None:
    """Seeded routes stay within runnable grades (city gentler than trail)."""
    route = make(random.Random(11))  # type: ignore[operator]
    grades = [abs(route.grade(d)) for d in range(0, 20000, 10)]
    assert max(grades) < (0.06 if make is city_route else 0.2)
