"""The simulated runner's physiology: cost of running, steady-state heart rate, lag."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.adapters.local.demo.physiology import (
    WALK_RUN_SPEED,
    BodyState,
    HeartRateTrace,
    Runner,
    minetti_cost,
    net_vo2,
)

RUNNER = Runner()
running_speeds = st.floats(min_value=WALK_RUN_SPEED, max_value=4.0)
any_speeds = st.floats(min_value=0.0, max_value=4.0)
uphill_grades = st.floats(min_value=-0.15, max_value=0.35)
body_states = st.builds(
    BodyState,
    fitness=st.floats(min_value=0.0, max_value=1.5),
    fatigue=st.floats(min_value=0.0, max_value=1.5),
)


def test_minetti_cost_matches_the_published_polynomial() -> None:
    """Minetti et al. 2002: C(0) = 3.6 J/kg/m; C(0.10) = 3.6 + 1.95 + 0.463 − 0.0433 −
    0.00304 + 0.001554 ≈ 5.968 (tolerance 1e-3)."""
    assert minetti_cost(0.0) == pytest.approx(3.6)
    assert minetti_cost(0.10) == pytest.approx(5.968, abs=1e-3)
    assert minetti_cost(0.9) == minetti_cost(0.45)


def test_acsm_walking_cost_for_a_treadmill_hike() -> None:
    """ACSM walking: 0.1·v + 1.8·v·grade; 90 m/min on 10 % costs 9 + 16.2 = 25.2 net."""
    assert net_vo2(1.5, 0.10) == pytest.approx(25.2)
    assert net_vo2(0.0, 0.10) == 0.0


@given(slow=running_speeds, delta=st.floats(min_value=0.05, max_value=1.0), grade=uphill_grades)
def test_hr_rises_with_pace(slow: float, delta: float, grade: float) -> None:
    """Faster running costs more oxygen, so the steady state is higher (until max HR)."""
    low = RUNNER.steady_state_hr(slow, grade)
    high = RUNNER.steady_state_hr(slow + delta, grade)
    assert high > low or high == RUNNER.max_hr


@given(a=any_speeds, b=any_speeds, grade=uphill_grades)
def test_hr_never_falls_with_pace_walking_or_running(a: float, b: float, grade: float) -> None:
    """Across the walk–run switch the steady state is still monotone in speed."""
    slow, fast = sorted((a, b))
    assert RUNNER.steady_state_hr(fast, grade) >= RUNNER.steady_state_hr(slow, grade)


@given(
    speed=running_speeds,
    grade=uphill_grades,
    climb=st.floats(min_value=0.01, max_value=0.1),
)
def test_hr_rises_with_grade(speed: float, grade: float, climb: float) -> None:
    """Uphill of the cheapest downhill gradient, steeper costs more (Minetti)."""
    low = RUNNER.steady_state_hr(speed, grade)
    high = RUNNER.steady_state_hr(speed, grade + climb)
    assert high > low or high == RUNNER.max_hr


@given(
    speed=st.floats(min_value=1.0, max_value=3.0),
    minutes=st.floats(min_value=1.0, max_value=180.0),
    state=body_states,
    indoor=st.booleans(),
)
def test_hr_drifts_upward_with_time_on_feet(
    speed: float, minutes: float, state: BodyState, indoor: bool
) -> None:
    """Cardiac drift: the same effort settles higher later in the session."""
    early = RUNNER.steady_state_hr(speed, 0.0, elapsed_s=0.0, state=state, indoor=indoor)
    late = RUNNER.steady_state_hr(speed, 0.0, elapsed_s=minutes * 60, state=state, indoor=indoor)
    assert late > early or late == RUNNER.max_hr


@given(speed=running_speeds, fatigue=st.floats(0.0, 1.0), more=st.floats(0.05, 1.0))
def test_hr_rises_with_fatigue(speed: float, fatigue: float, more: float) -> None:
    """Accumulated fatigue costs beats at the same pace, and drifts faster."""
    fresh = BodyState(fitness=0.8, fatigue=fatigue)
    tired = BodyState(fitness=0.8, fatigue=fatigue + more)
    for elapsed in (0.0, 3600.0):
        low = RUNNER.steady_state_hr(speed, 0.0, elapsed_s=elapsed, state=fresh)
        high = RUNNER.steady_state_hr(speed, 0.0, elapsed_s=elapsed, state=tired)
        assert high > low or high == RUNNER.max_hr


def test_fitness_lowers_hr_at_the_same_pace() -> None:
    """Better economy with training: the same easy pace costs fewer beats."""
    unfit = RUNNER.steady_state_hr(2.27, 0.0, state=BodyState(fitness=0.2, fatigue=0.5))
    fit = RUNNER.steady_state_hr(2.27, 0.0, state=BodyState(fitness=1.2, fatigue=0.5))
    assert fit < unfit


def test_defaults_put_easy_pace_in_zone_two() -> None:
    """Calibration to the talk's athlete: 7:20 min/km on the flat, fresh, is Friel Z2
    (85–89 % of LTHR 162: 137.7–145.8 bpm)."""
    hr = RUNNER.steady_state_hr(1000 / 440, 0.0, state=BodyState(fitness=0.8, fatigue=0.8))
    assert 137.7 <= hr < 145.8


def test_heart_rate_lags_toward_the_target() -> None:
    """First-order lag: after one time constant ~63 % of the step, after five ~99 %."""
    quiet = Runner(noise_bpm=0.0)
    trace = HeartRateTrace(quiet, random.Random(1), start_hr=100.0)
    values = [trace.step(150.0) for _ in range(int(5 * quiet.tau_up_s))]
    assert values[int(quiet.tau_up_s) - 1] == pytest.approx(100 + 50 * 0.632, abs=1.0)
    assert values[-1] == pytest.approx(150.0, abs=0.5)
    assert all(b >= a for a, b in itertools.pairwise(values))


def test_heart_rate_noise_is_seeded() -> None:
    """The same seed gives the same noisy trace; another seed does not."""

    def trace(seed: int) -> list[float]:
        hr = HeartRateTrace(RUNNER, random.Random(seed))
        return [hr.step(140.0) for _ in range(120)]

    assert trace(3) == trace(3)
    assert trace(3) != trace(4)
