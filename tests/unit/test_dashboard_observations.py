"""Readiness and sleep on the Overview, from kept observations: the baselines follow the
stated convention, and no data means no chart (not an empty one)."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.dashboard.observations import (
    BASELINE_DAYS,
    MIN_NIGHTS,
    night_rows,
    nights,
    readiness_charts,
    readiness_model,
)
from momentum.core.dashboard.pages import DashboardData
from momentum.core.dashboard.registry import extensions
from momentum.core.dashboard.site import DashboardSite
from momentum.core.events import HttpRequest
from momentum.core.memory import InMemoryStorage
from momentum.core.model import AthleteProfile
from momentum.core.observations import Observation, keep
from momentum.core.plugins.host import load_plugins

TODAY = dt.date(2026, 3, 3)


def oura_night(day: dt.date, hrv: float, rhr: float, hours: float) -> Observation:
    return Observation(
        "oura",
        "sleep",
        day,
        {
            "average_hrv": hrv,
            "resting_hr": rhr,
            "lowest_heart_rate": rhr,
            "total_sleep_duration": hours * 3600,
        },
    )


def stored(athlete: AthleteProfile, *items: Observation) -> InMemoryStorage:
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    keep(storage, athlete.athlete_id, items)
    return storage


def test_no_nights_no_charts(athlete: AthleteProfile) -> None:
    model = readiness_model(stored(athlete), "adam", TODAY)
    assert model == {"nights": []}
    assert readiness_charts(model) == []


def test_baselines_are_the_30_nights_before_geometric_for_hrv(athlete: AthleteProfile) -> None:
    """HRV baseline = exp(mean(ln rMSSD)) of the 30 nights before (Plews et al. 2012);
    resting HR baseline = their arithmetic mean. Worked here by hand, to 0.1."""
    days = [TODAY - dt.timedelta(days=k) for k in range(40, -1, -1)]
    hrvs = [40.0 + (k % 7) * 3 for k in range(len(days))]
    rhrs = [50.0 + (k % 5) for k in range(len(days))]
    items = [
        oura_night(d, h, r, 7.0 + (k % 3) * 0.5)
        for k, (d, h, r) in enumerate(zip(days, hrvs, rhrs, strict=True))
    ]
    rows = night_rows(nights(stored(athlete, *items), "adam", TODAY), TODAY)
    last = rows[-1]
    window_hrv, window_rhr = hrvs[-31:-1], rhrs[-31:-1]
    assert last["day"] == TODAY.isoformat() and last["source"] == "oura"
    assert last["hrv"] == hrvs[-1] and last["resting_hr"] == rhrs[-1]
    assert last["hrv_baseline"] == pytest.approx(
        math.exp(statistics.fmean(math.log(v) for v in window_hrv)), abs=0.05
    )
    assert last["resting_hr_baseline"] == pytest.approx(statistics.fmean(window_rhr), abs=0.05)
    assert last["sleep_hours"] == pytest.approx(7.0 + (40 % 3) * 0.5)
    first = rows[0]  # the oldest night has no nights before it
    assert first["hrv_baseline"] is None and first["resting_hr_baseline"] is None
    assert sum(r["hrv_baseline"] is None for r in rows) == MIN_NIGHTS


def test_a_sleep_diary_alone_gives_the_sleep_chart_only(athlete: AthleteProfile) -> None:
    diary = [
        Observation(
            "apple_health",
            "sleep",
            TODAY - dt.timedelta(days=k),
            {"total_sleep_duration": 25_000.0},
        )
        for k in range(5)
    ]
    model = readiness_model(stored(athlete, *diary), "adam", TODAY)
    assert [r["source"] for r in model["nights"]] == ["apple_health"] * 5
    assert [c["id"] for c in readiness_charts(model)] == ["sleep"]


def test_the_ring_wins_a_night_both_sources_kept(athlete: AthleteProfile) -> None:
    both = [
        oura_night(TODAY, 50.0, 48.0, 7.5),
        Observation("apple_health", "sleep", TODAY, {"total_sleep_duration": 3600.0}),
    ]
    [row] = readiness_model(stored(athlete, *both), "adam", TODAY)["nights"]
    assert row["source"] == "oura" and row["sleep_hours"] == 7.5


def test_the_overview_draws_readiness_and_sleep_before_cost(athlete: AthleteProfile) -> None:
    storage = stored(
        athlete, *(oura_night(TODAY - dt.timedelta(days=k), 45, 50, 7) for k in range(10))
    )
    site = DashboardSite(
        DashboardData(storage, "adam", TODAY, extensions=extensions(load_plugins()))
    )
    model = site.data.overview()
    ids = [c["id"] for c in site.overview_charts(model)]
    assert ids[-3:] == ["readiness", "sleep", "cost"]
    html = site.handle_http(HttpRequest("GET", "/")).body.decode()
    assert 'data-figure="hrv">45.0<' in html and "no-nights" not in html
    empty = DashboardSite(DashboardData(stored(athlete), "adam", TODAY))
    assert [c["id"] for c in empty.overview_charts(empty.data.overview())] == ["cost"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(min_value=10, max_value=150), min_size=MIN_NIGHTS + 1, max_size=45))
def test_the_hrv_baseline_lies_within_the_nights_before(values: list[float]) -> None:
    days = [TODAY - dt.timedelta(days=len(values) - 1 - k) for k in range(len(values))]
    kept = [oura_night(d, v, 50, 7) for d, v in zip(days, values, strict=True)]
    for k, row in enumerate(night_rows(kept, TODAY)):
        window = values[max(0, k - BASELINE_DAYS) : k]
        if row["hrv_baseline"] is None:
            assert len(window) < MIN_NIGHTS
        else:
            assert min(window) - 0.05 <= row["hrv_baseline"] <= max(window) + 0.05
