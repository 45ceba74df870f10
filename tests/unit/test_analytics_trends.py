"""Trends: durability, weekly volume and ramp, ACWR, Foster monotony/strain, 80/20, snapshot."""

from __future__ import annotations

import datetime as dt
import statistics

import pytest

from momentum.core.model import Activity
from momentum.plugins.running.analytics.load import pmc_from_loads
from momentum.plugins.running.analytics.snapshot import fitness_snapshot
from momentum.plugins.running.analytics.trends import (
    acute_chronic_ratio,
    durability,
    intensity_distribution,
    monotony_strain,
    ramp_rate,
    volume_ramp_percent,
    week_start,
    weekly_volume,
)
from tests.unit.test_analytics_fixtures import ATHLETE

D0 = dt.date(2026, 1, 5)  # a Monday


def run(n: int, minutes: float, decoupling: float | None = None, **kw: object) -> Activity:
    start = dt.datetime.combine(D0 + dt.timedelta(days=n), dt.time(15), tzinfo=dt.UTC)
    return Activity(
        activity_id=f"r{n}",
        athlete_id="adam",
        activity_type="Run",
        start=start,
        moving_time_seconds=minutes * 60,
        decoupling_percent=decoupling,
        **kw,  # type: ignore[arg-type]
    )


def test_durability_labels() -> None:
    improving = [run(7 * k, 90, 9.0 - 1.5 * k) for k in range(5)]
    assert durability(improving).label == "building"
    worse = [run(7 * k, 90, 3.0 + 1.0 * k) for k in range(5)]
    assert durability(worse).label == "slipping"
    flat = [run(7 * k, 90, 4.0 + (0.1 if k % 2 else -0.1)) for k in range(5)]
    d = durability(flat)
    assert d.label == "steady" and d.long_runs == 5
    assert d.slope_per_week == pytest.approx(0.0, abs=0.2)


def test_durability_needs_three_long_runs_in_the_window() -> None:
    assert durability([]).label == "unknown"
    short_runs = [run(k, 40, 5.0) for k in range(5)]
    assert durability(short_runs).label == "unknown"
    two = [run(0, 90, 5.0), run(7, 90, 3.0)]
    assert durability(two).label == "unknown"
    old = [run(7 * k, 90, 9.0 - k) for k in range(4)]
    assert durability(old, as_of=D0 + dt.timedelta(days=200)).label == "unknown"


def test_weekly_volume_and_ramp() -> None:
    acts = [run(7 * w + d, 30 + 5 * w, distance_meters=5000.0) for w in range(4) for d in (0, 2, 4)]
    weeks = weekly_volume(acts, ATHLETE, D0 + dt.timedelta(days=27), weeks=4)
    assert [w.week_start for w in weeks] == [D0 + dt.timedelta(weeks=k) for k in range(4)]
    assert [w.activities for w in weeks] == [3, 3, 3, 3]
    assert weeks[0].moving_seconds == 3 * 30 * 60
    assert weeks[0].distance_meters == 15000
    base = (90 + 105 + 120) / 3
    assert volume_ramp_percent(weeks) == pytest.approx((135 - base) / base * 100)
    assert week_start(dt.date(2026, 1, 11)) == D0


def test_ramp_rate_is_the_weekly_ctl_change() -> None:
    points = pmc_from_loads(
        {D0 + dt.timedelta(days=k): 60.0 for k in range(30)}, D0, D0 + dt.timedelta(days=29)
    )
    assert ramp_rate(points) == pytest.approx(points[-1].ctl - points[-8].ctl)
    assert ramp_rate(points[:5]) is None


def test_acwr_rolling_averages() -> None:
    # Gabbett 2016: 7-day mean over 28-day mean. 21 days at 40, then 7 days at 80.
    today = D0 + dt.timedelta(days=27)
    loads = {D0 + dt.timedelta(days=k): (40.0 if k < 21 else 80.0) for k in range(28)}
    chronic = (21 * 40 + 7 * 80) / 28
    assert acute_chronic_ratio(loads, today) == pytest.approx(80 / chronic)
    assert acute_chronic_ratio({}, today) is None


def test_foster_monotony_and_strain() -> None:
    # Foster 1998: monotony = mean / SD of the week's daily loads (rest days = 0);
    # strain = weekly load × monotony. Population SD.
    week = [100.0, 0.0, 60.0, 0.0, 80.0, 0.0, 120.0]
    end = D0 + dt.timedelta(days=6)
    loads = {D0 + dt.timedelta(days=k): v for k, v in enumerate(week)}
    monotony, strain = monotony_strain(loads, end)
    expected = statistics.fmean(week) / statistics.pstdev(week)
    assert monotony == pytest.approx(expected)
    assert strain == pytest.approx(sum(week) * expected)
    assert monotony_strain({D0 + dt.timedelta(days=k): 50.0 for k in range(7)}, end) == (None, 0.0)


def test_intensity_distribution_80_20() -> None:
    polarized = run(0, 60, zone1_seconds=1200.0, zone2_seconds=1800.0, zone4_seconds=600.0)
    dist = intensity_distribution([polarized])
    assert dist.easy == pytest.approx(3000 / 3600)
    assert dist.hard == pytest.approx(600 / 3600)
    assert dist.meets_80_20
    grey = run(1, 60, zone3_seconds=2400.0, zone2_seconds=1200.0)
    assert not intensity_distribution([grey]).meets_80_20
    assert intensity_distribution([]).zone_seconds == 0


def test_fitness_snapshot_prints_like_the_coach() -> None:
    acts = [run(k, 60, hrss=60.0 + k) for k in range(0, 100, 2)]
    acts += [run(7 * k, 100, 8.0 - k, hrss=120.0) for k in range(7, 14)]
    snap = fitness_snapshot(acts, ATHLETE, D0 + dt.timedelta(days=99))
    assert snap.ctl > 0 and snap.atl > 0
    assert snap.change_30d_percent is not None and snap.change_30d_percent > 0
    assert snap.durability == "building"
    assert snap.summary().startswith("Fitness: ↑ +")
    assert snap.summary().endswith("(30d) | Durability: building")
    empty = fitness_snapshot([], ATHLETE, D0)
    assert empty.ctl == 0
    assert empty.summary() == "Fitness: building a baseline | Durability: unknown"


def test_fitness_snapshot_on_a_short_history_is_building_a_baseline() -> None:
    # 50 days of steady training: fitness and fatigue start from the first six weeks'
    # mean (not from 0), and the 30-day change waits for 42 days of history before the
    # window (72 days in all).
    acts = [run(k, 45, hrss=50.0) for k in range(0, 50)]
    snap = fitness_snapshot(acts, ATHLETE, D0 + dt.timedelta(days=49))
    assert snap.change_30d_percent is None
    assert snap.summary() == "Fitness: building a baseline | Durability: unknown"
    assert snap.ctl == pytest.approx(50.0) and snap.atl == pytest.approx(50.0)
    assert snap.tsb == pytest.approx(0.0, abs=1e-9)
    assert snap.ramp_rate == pytest.approx(0.0, abs=1e-9)
    later = [run(k, 45, hrss=50.0) for k in range(0, 73)]
    steady = fitness_snapshot(later, ATHLETE, D0 + dt.timedelta(days=72))
    assert steady.change_30d_percent == pytest.approx(0.0, abs=1e-9)
    assert steady.summary().startswith("Fitness: → +0% (30d)")
