"""Load over time: CTL/ATL/TSB, contributions, 30-day change, load without heart rate.

Reference: the exponentially weighted PMC (Banister impulse-response as used by Coggan's
Performance Manager / TrainingPeaks) with time constants 42 and 7 days:
X_d = X_{d−1} + (load_d − X_{d−1})·(1 − e^(−1/τ)); a constant daily load L for N days
from zero gives X = L·(1 − e^(−N/τ)) exactly (closed form of the recurrence). TSB uses
yesterday's CTL − ATL (TrainingPeaks). Tolerance 1e-9. These reference tests use the
textbook zero start (``seed=0.0``).

Start-up convention (the default, ``seed="history"``): CTL and ATL start from one value,
as TrainingPeaks' "estimate starting fitness" and GoldenCheetah's season seed do, here
the mean daily load (rest days 0) of the first 42 days of the history. The 30-day change
needs the history to begin 42 days (one CTL time constant) before the window.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.model import Activity
from momentum.plugins.running.activity_metrics import with_running_metrics
from momentum.plugins.running.analytics.load import (
    ATL_GAIN,
    BASELINE_DAYS,
    CTL_GAIN,
    SEED_DAYS,
    Seed,
    activity_load,
    contribution,
    daily_loads,
    fitness_change_percent,
    history_seed,
    local_day,
    pmc,
    pmc_from_loads,
)
from momentum.plugins.running.analytics.vdot import training_paces, vdot_from_race
from momentum.plugins.running.profile import RaceResult, with_running_profile
from tests.unit.test_analytics_fixtures import ATHLETE

D0 = dt.date(2026, 1, 1)


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def act(n: int, hrss: float | None, **kw: object) -> Activity:
    start = dt.datetime.combine(day(n), dt.time(12), tzinfo=dt.UTC)
    return Activity(
        activity_id=f"a{n}",
        athlete_id="adam",
        activity_type="Run",
        start=start,
        hrss=hrss,
        **kw,  # type: ignore[arg-type]
    )


def test_constant_load_closed_form() -> None:
    loads = {day(k): 100.0 for k in range(84)}
    points = pmc_from_loads(loads, D0, day(83), seed=0.0)
    assert len(points) == 84
    n = 84
    assert points[-1].ctl == pytest.approx(100 * (1 - math.exp(-n / 42)), abs=1e-9)
    assert points[-1].atl == pytest.approx(100 * (1 - math.exp(-n / 7)), abs=1e-9)


def test_tsb_is_yesterdays_fitness_minus_fatigue() -> None:
    points = pmc_from_loads({day(0): 100.0, day(1): 50.0}, D0, day(3), seed=0.0)
    assert points[0].tsb == 0.0
    for prev, cur in itertools.pairwise(points):
        assert cur.tsb == pytest.approx(prev.ctl - prev.atl)


def test_contribution_is_the_days_increment() -> None:
    fitness, fatigue = contribution(100.0)
    assert fitness == pytest.approx(100 * (1 - math.exp(-1 / 42)))
    assert fatigue == pytest.approx(100 * (1 - math.exp(-1 / 7)))
    for seed in (0.0, 35.0):  # linear in the loads whatever the (fixed) starting value
        before = pmc_from_loads({day(0): 60.0}, D0, day(5), seed=seed)[-1]
        after = pmc_from_loads({day(0): 60.0, day(5): 100.0}, D0, day(5), seed=seed)[-1]
        assert after.ctl - before.ctl == pytest.approx(fitness)
        assert after.atl - before.atl == pytest.approx(fatigue)
    assert contribution(1.0) == (CTL_GAIN, ATL_GAIN)


def test_pmc_warms_up_from_history_before_start() -> None:
    activities = [act(k, 80.0) for k in range(0, 60, 2)]
    full = pmc(activities, ATHLETE, D0, day(59))
    window = pmc(activities, ATHLETE, day(30), day(59))
    assert window == full[30:]
    assert pmc(activities, ATHLETE, day(5), day(4)) == []


def test_fitness_change_percent() -> None:
    loads = {day(k): 50.0 + k for k in range(90)}
    points = pmc_from_loads(loads, D0, day(89))
    expected = (points[-1].ctl - points[-31].ctl) / points[-31].ctl * 100
    assert expected > 5
    assert fitness_change_percent(points) == pytest.approx(expected, abs=1e-9)
    assert fitness_change_percent(points[-31:], history_start=D0) == pytest.approx(expected)
    assert fitness_change_percent(points[:20]) is None
    assert fitness_change_percent(pmc_from_loads({}, D0, day(80))) is None


def test_fitness_change_needs_one_ctl_time_constant_of_history_before_the_window() -> None:
    # The 30-day window's first day must be at least 42 days after the history's first
    # day: 73 days of history including both ends; one day less gives None.
    assert BASELINE_DAYS == 42
    loads = {day(k): 40.0 + k for k in range(0, 120, 2)}
    enough = pmc_from_loads(loads, D0, day(72))
    assert fitness_change_percent(enough) is not None
    short = pmc_from_loads(loads, D0, day(71))
    assert fitness_change_percent(short) is None
    # Points that begin inside the history: the caller says where the history starts.
    window = pmc_from_loads(loads, day(41), day(72))
    assert fitness_change_percent(window) is None  # would look like a new athlete
    assert fitness_change_percent(window, history_start=D0) == pytest.approx(
        fitness_change_percent(enough)
    )
    # From (near) zero fitness a percentage means nothing.
    tiny = {day(k): 0.5 for k in range(100)}
    assert fitness_change_percent(pmc_from_loads(tiny, D0, day(99))) is None


def test_seed_is_the_mean_daily_load_of_the_first_six_weeks() -> None:
    assert SEED_DAYS == 42
    # 80 every other day for 60 days: 21 runs in the first 42 days → 21·80/42 = 40.
    loads = {day(k): 80.0 for k in range(0, 60, 2)}
    assert history_seed(loads, day(59)) == pytest.approx(40.0, abs=1e-12)
    # Shorter history: the mean over what there is up to the PMC's end (no look-ahead
    # past it); nothing at all seeds 0.
    assert history_seed(loads, day(3)) == pytest.approx(160 / 4)
    assert history_seed(loads, day(4)) == pytest.approx(240 / 5)
    assert history_seed({}, day(10)) == 0.0
    points = pmc_from_loads(loads, day(-3), day(59))
    # Before the first loaded day: the assumed steady state, form 0.
    assert [(p.ctl, p.atl, p.tsb) for p in points[:3]] == [(40.0, 40.0, 0.0)] * 3
    first = points[3]
    assert first.day == D0 and first.tsb == 0.0
    assert first.ctl == pytest.approx(40.0 + (80.0 - 40.0) * CTL_GAIN, abs=1e-12)
    assert first.atl == pytest.approx(40.0 + (80.0 - 40.0) * ATL_GAIN, abs=1e-12)
    # A fixed seed is a starting CTL/ATL set by hand (TrainingPeaks, GoldenCheetah).
    flat = pmc_from_loads({day(k): 55.0 for k in range(30)}, D0, day(29), seed=55.0)
    assert all(p.ctl == pytest.approx(55.0) and p.tsb == pytest.approx(0.0) for p in flat)


def test_seeding_removes_the_short_history_inflation() -> None:
    # The defect: a steady athlete (Mon 60, Wed 50, Sat 110 every week for three years)
    # seen through the coach's 91-day window. Zero-started, CTL climbs from 0 and the
    # 30-day change reads about +21 %; seeded, it matches the full three-year PMC (the
    # truth) to within 0.1 percentage point.
    pattern = {0: 60.0, 2: 50.0, 5: 110.0}
    monday = dt.date(2026, 1, 5)
    every = {
        monday + dt.timedelta(days=k): pattern[k % 7]
        for k in range(-3 * 364, 91)
        if k % 7 in pattern
    }
    view = {d: load for d, load in every.items() if d >= monday}
    end = monday + dt.timedelta(days=90)
    truth = fitness_change_percent(pmc_from_loads(every, monday, end, seed=0.0))
    seeded = fitness_change_percent(pmc_from_loads(view, monday, end))
    zero = fitness_change_percent(pmc_from_loads(view, monday, end, seed=0.0))
    assert truth is not None and seeded is not None and zero is not None
    assert seeded == pytest.approx(truth, abs=0.1)
    assert zero > truth + 15


SEEDS: list[Seed] = [0.0, 25.0, "history"]


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(st.integers(0, 150), st.floats(0.0, 300.0), max_size=60),
    st.integers(0, 150),
    st.sampled_from(SEEDS),
)
def test_a_window_of_the_pmc_is_a_slice_of_the_whole(
    raw: dict[int, float], lo: int, seed: Seed
) -> None:
    # Asking for fewer days never changes a day's numbers (same end, same seed).
    loads = {day(k): v for k, v in raw.items()}
    whole = pmc_from_loads(loads, D0, day(150), seed=seed)
    part = pmc_from_loads(loads, day(lo), day(150), seed=seed)
    assert part == whole[lo:]
    assert [p.day for p in whole] == [day(k) for k in range(151)]


def test_days_are_the_athletes_local_days() -> None:
    late = dt.datetime(2026, 2, 20, 3, 30, tzinfo=dt.UTC)  # 22:30 on the 19th in Toronto
    assert local_day(late, "America/Toronto") == dt.date(2026, 2, 19)
    assert local_day(late, "Not/AZone") == dt.date(2026, 2, 20)
    a = dataclasses.replace(act(0, 40.0), start=late)
    assert daily_loads([a], ATHLETE) == {dt.date(2026, 2, 19): 40.0}


def test_load_without_heart_rate_from_pace_and_vdot() -> None:
    # rTSS idea: hours · IF² · 100 with IF = threshold pace / GAP. Running exactly at
    # T pace for one hour scores 100.
    athlete = with_running_profile(
        ATHLETE, race_results=(RaceResult(dt.date(2025, 9, 27), 10_000, 2400),)
    )
    t_pace = training_paces(vdot_from_race(10_000, 2400))["T"][0]
    at_threshold = with_running_metrics(
        act(100, None, moving_time_seconds=3600), gap_seconds_per_km=t_pace
    )
    assert activity_load(at_threshold, athlete) == pytest.approx(100.0, rel=1e-6)
    easy = with_running_metrics(
        act(100, None, moving_time_seconds=3600), gap_seconds_per_km=t_pace * 1.25
    )
    assert activity_load(easy, athlete) == pytest.approx(100 / 1.25**2, rel=1e-6)


def test_load_without_heart_rate_from_reported_intensity() -> None:
    strength = dataclasses.replace(
        act(1, None, moving_time_seconds=2100), activity_type="WeightTraining"
    )
    assert activity_load(strength, ATHLETE) == pytest.approx(2100 / 3600 * 0.65**2 * 100)
    hard = dataclasses.replace(strength, intensity="hard")
    assert activity_load(hard, ATHLETE) == pytest.approx(2100 / 3600 * 0.9**2 * 100)
    assert activity_load(act(1, 55.0), ATHLETE) == 55.0


@settings(max_examples=80, deadline=None)
@given(st.lists(st.floats(0.0, 400.0), min_size=1, max_size=400))
def test_ctl_and_atl_stay_within_the_loads(values: list[float]) -> None:
    loads = {day(k): v for k, v in enumerate(values)}
    top = max(values)
    for seed in (0.0, "history"):
        for p in pmc_from_loads(loads, D0, day(len(values) - 1), seed=seed):
            assert 0.0 <= p.ctl <= top + 1e-9
            assert 0.0 <= p.atl <= top + 1e-9
            assert -top - 1e-9 <= p.tsb <= top + 1e-9
