"""Grade-adjusted pace.

Minetti et al. 2002 (J Appl Physiol 93:1039): Cr(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i²
+ 19.5i + 3.6 J/kg/m. Reference points are the polynomial evaluated by hand (tolerance
1e-9) and the paper's findings: the cheapest gradient is about −20 % (Cr ≈ 1.8) and
cost rises steeply uphill.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.running.analytics.gap import (
    MINETTI,
    STRAVA_STYLE,
    factor_function,
    grade_adjusted_pace,
    grade_from_altitude,
    minetti_cost,
    strava_style_factor,
)


@pytest.mark.parametrize(
    ("gradient", "expected"),
    [
        (0.0, 3.6),
        # 155.4e-5 − 30.4e-4 − 43.3e-3 + 46.3e-2 + 1.95 + 3.6
        (0.10, 0.001554 - 0.00304 - 0.0433 + 0.463 + 1.95 + 3.6),
        (-0.10, -0.001554 - 0.00304 + 0.0433 + 0.463 - 1.95 + 3.6),
        (0.20, 155.4 * 0.2**5 - 30.4 * 0.2**4 - 43.3 * 0.2**3 + 46.3 * 0.2**2 + 3.9 + 3.6),
    ],
)
def test_minetti_polynomial(gradient: float, expected: float) -> None:
    assert minetti_cost(gradient) == pytest.approx(expected, abs=1e-9)


def test_minetti_minimum_is_near_minus_20_percent() -> None:
    grid = [g / 100 for g in range(-45, 46)]
    best = min(grid, key=minetti_cost)
    assert best == pytest.approx(-0.19, abs=0.02)
    assert minetti_cost(best) == pytest.approx(1.8, abs=0.05)


def test_clamps_beyond_the_study_range() -> None:
    assert minetti_cost(0.9) == minetti_cost(0.45)
    assert minetti_cost(-0.9) == minetti_cost(-0.45)


def test_uphill_gap_is_faster_than_pace_and_downhill_gentle_is_slower_only_when_steep() -> None:
    pace = 360.0  # 6:00/km
    assert grade_adjusted_pace(pace, 8.0) < pace
    assert grade_adjusted_pace(pace, -8.0) > pace
    # Strava-style curve: steep downhills cost more than flat again.
    assert grade_adjusted_pace(pace, -30.0, STRAVA_STYLE) < pace


def test_strava_style_curve_shape() -> None:
    grid = [g / 2 for g in range(-70, 71)]
    best = min(grid, key=strava_style_factor)
    assert -10.0 <= best <= -8.0
    assert strava_style_factor(best) == pytest.approx(0.9, abs=0.01)
    assert strava_style_factor(10.0) == pytest.approx(1.36, abs=0.01)


def test_unknown_model_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown GAP model"):
        factor_function("magic")


@given(st.floats(120.0, 1200.0), st.sampled_from([MINETTI, STRAVA_STYLE]))
def test_gap_equals_pace_on_flat(pace: float, model: str) -> None:
    assert grade_adjusted_pace(pace, 0.0, model) == pytest.approx(pace, rel=1e-12)


def test_grade_from_altitude_on_a_steady_climb() -> None:
    # 5 % climb: 1 m up every 20 m.
    cumulative = [i * 5.0 for i in range(200)]
    altitude = [i * 0.25 for i in range(200)]
    grades = grade_from_altitude(cumulative, altitude)
    assert grades[100] == pytest.approx(5.0, abs=1e-9)
    assert grade_from_altitude(cumulative, [None] * 200) == [0.0] * 200


def test_grade_from_altitude_of_a_single_sample_is_flat() -> None:
    """Regression: a one-sample stream with altitude raised IndexError."""
    from momentum.plugins.running.analytics.gap import grade_from_altitude

    assert grade_from_altitude([0.0], [120.0]) == [0.0]
    assert grade_from_altitude([], []) == []
