"""Heart-rate zones: Friel %LTHR (default), %HRmax and %HRR (Karvonen).

References: Friel's running zones (TrainingPeaks, "Joe Friel's quick guide to setting
zones"): Z1 < 85 %, Z2 85–89 %, Z3 90–94 %, Z4 95–99 %, Z5 ≥ 100 % of LTHR. %HRmax and
%HRR: 50/60/70/80/90/100 %. Exact arithmetic, tolerance 1e-9 bpm.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.model import HeartRateProfile, ZoneModel
from momentum.plugins.running.analytics.zones import zone_bounds, zone_of


def test_friel_lthr_zones() -> None:
    hr = HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162)
    bounds = zone_bounds(hr)
    lows = [lo for lo, _ in bounds]
    assert lows == pytest.approx([0.0, 0.85 * 162, 0.90 * 162, 0.95 * 162, 162.0])
    assert bounds[4][1] == 182
    assert zone_of(137.6, bounds) == 1
    assert zone_of(137.7, bounds) == 2
    assert zone_of(153.9, bounds) == 4
    assert zone_of(162.0, bounds) == 5


def test_hrmax_zones() -> None:
    hr = HeartRateProfile(max_hr=200, resting_hr=50, threshold_hr=170, zone_model=ZoneModel.HRMAX)
    assert zone_bounds(hr) == [(100, 120), (120, 140), (140, 160), (160, 180), (180, 200)]


def test_hrr_zones_are_karvonen() -> None:
    hr = HeartRateProfile(max_hr=190, resting_hr=50, threshold_hr=170, zone_model=ZoneModel.HRR)
    bounds = zone_bounds(hr)
    # Karvonen: rest + % · (max − rest); reserve 140 bpm.
    assert bounds[0] == pytest.approx((120.0, 134.0))
    assert bounds[4] == pytest.approx((176.0, 190.0))


def test_below_and_above_the_range_clamp_to_zone_1_and_5() -> None:
    bounds = zone_bounds(HeartRateProfile(zone_model=ZoneModel.HRMAX))
    assert zone_of(40, bounds) == 1
    assert zone_of(250, bounds) == 5


profiles = st.builds(
    HeartRateProfile,
    max_hr=st.integers(160, 215),
    resting_hr=st.integers(35, 75),
    threshold_hr=st.integers(130, 159),
    zone_model=st.sampled_from(list(ZoneModel)),
)


@given(profiles, st.floats(30, 230), st.floats(30, 230))
def test_zone_of_is_monotonic_and_contiguous(hr: HeartRateProfile, a: float, b: float) -> None:
    bounds = zone_bounds(hr)
    assert len(bounds) == 5
    for (_, high), (low, _) in itertools.pairwise(bounds):
        assert high == pytest.approx(low)
    lo, hi = sorted((a, b))
    assert 1 <= zone_of(lo, bounds) <= zone_of(hi, bounds) <= 5
