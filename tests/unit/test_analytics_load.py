"""Load over time: CTL/ATL/TSB, contributions, 30-day change, load without heart rate.

Reference: the exponentially weighted PMC (Banister impulse-response as used by Coggan's
Performance Manager / TrainingPeaks) with time constants 42 and 7 days:
X_d = X_{d−1} + (load_d − X_{d−1})·(1 − e^(−1/τ)); a constant daily load L for N days
from zero gives X = L·(1 − e^(−N/τ)) exactly (closed form of the recurrence). TSB uses
yesterday's CTL − ATL (TrainingPeaks). Tolerance 1e-9.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.analytics.load import (
    ATL_GAIN,
    CTL_GAIN,
    activity_load,
    contribution,
    daily_loads,
    fitness_change_percent,
    local_day,
    pmc,
    pmc_from_loads,
)
from core.analytics.vdot import training_paces, vdot_from_race
from core.model import Activity, RaceResult
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
    points = pmc_from_loads(loads, D0, day(83))
    assert len(points) == 84
    n = 84
    assert points[-1].ctl == pytest.approx(100 * (1 - math.exp(-n / 42)), abs=1e-9)
    assert points[-1].atl == pytest.approx(100 * (1 - math.exp(-n / 7)), abs=1e-9)


def test_tsb_is_yesterdays_fitness_minus_fatigue() -> None:
    points = pmc_from_loads({day(0): 100.0, day(1): 50.0}, D0, day(3))
    assert points[0].tsb == 0.0
    for prev, cur in itertools.pairwise(points):
        assert cur.tsb == pytest.approx(prev.ctl - prev.atl)


def test_contribution_is_the_days_increment() -> None:
    fitness, fatigue = contribution(100.0)
    assert fitness == pytest.approx(100 * (1 - math.exp(-1 / 42)))
    assert fatigue == pytest.approx(100 * (1 - math.exp(-1 / 7)))
    before = pmc_from_loads({day(0): 60.0}, D0, day(5))[-1]
    after = pmc_from_loads({day(0): 60.0, day(5): 100.0}, D0, day(5))[-1]
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
    loads = {day(k): 50.0 for k in range(60)}
    points = pmc_from_loads(loads, D0, day(59))
    expected = (points[-1].ctl - points[-31].ctl) / points[-31].ctl * 100
    assert fitness_change_percent(points) == pytest.approx(expected)
    assert fitness_change_percent(points[:20]) is None
    assert fitness_change_percent(pmc_from_loads({}, D0, day(40))) is None


def test_days_are_the_athletes_local_days() -> None:
    late = dt.datetime(2026, 2, 20, 3, 30, tzinfo=dt.UTC)  # 22:30 on the 19th in Toronto
    assert local_day(late, "America/Toronto") == dt.date(2026, 2, 19)
    assert local_day(late, "Not/AZone") == dt.date(2026, 2, 20)
    a = dataclasses.replace(act(0, 40.0), start=late)
    assert daily_loads([a], ATHLETE) == {dt.date(2026, 2, 19): 40.0}


def test_load_without_heart_rate_from_pace_and_vdot() -> None:
    # rTSS idea: hours · IF² · 100 with IF = threshold pace / GAP. Running exactly at
    # T pace for one hour scores 100.
    athlete = dataclasses.replace(
        ATHLETE, race_results=(RaceResult(dt.date(2025, 9, 27), 10_000, 2400),)
    )
    t_pace = training_paces(vdot_from_race(10_000, 2400))["T"][0]
    at_threshold = act(100, None, moving_time_seconds=3600, gap_seconds_per_km=t_pace)
    assert activity_load(at_threshold, athlete) == pytest.approx(100.0, rel=1e-6)
    easy = act(100, None, moving_time_seconds=3600, gap_seconds_per_km=t_pace * 1.25)
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
    for p in pmc_from_loads(loads, D0, day(len(values) - 1)):
        assert 0.0 <= p.ctl <= top + 1e-9
        assert 0.0 <= p.atl <= top + 1e-9
        assert -top - 1e-9 <= p.tsb <= top + 1e-9
