"""VDOT from the best recent evidence (issue 19, item 2), checked against the references.

References and tolerances:

* Daniels–Gilbert: a 10K in 45:00 is VDOT 45.3 (±0.1); the decay convention (full value for
  six weeks, 0.5 % a week after) is checked exactly.
* Minetti et al. 2002: Cr(+10 %) = 5.97 J/kg/m against 3.6 flat; a 10 km course with 500 m
  of even climb on half of it (10 % grade) is 5 km × 5.97/3.6 + 5 km = 13.3 km flat (±0.05).
* Swain & Leutholtz 1997 / ACSM (%HRR ≈ %VO2R): a runner whose heart rate follows that
  relation exactly for a VO2max of 50 gets an estimate of 50 back (±0.5).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.model import Activity, HeartRateProfile
from momentum.plugins.running.analytics.evidence import (
    HIGH,
    LOW,
    MEDIUM,
    adjusted_race_vdot,
    best_evidence,
    flat_equivalent_distance,
    heart_rate_evidence,
    race_activities,
    race_evidence,
)
from momentum.plugins.running.analytics.vdot import race_time, vdot_from_race, velocity_for_vo2
from momentum.plugins.running.profile import RaceResult
from tests.unit.test_plans_support import activity, talk_athlete

TODAY = dt.date(2026, 3, 2)
HR = HeartRateProfile(max_hr=190, resting_hr=50, threshold_hr=170)


def steady_run(day: dt.date, vo2max: float, hrr: float, minutes: float = 45) -> Activity:
    """A run at the speed whose oxygen cost is ``3.5 + hrr·(vo2max − 3.5)``, at the heart
    rate of that %HRR (the Swain relation, exactly)."""
    vo2 = 3.5 + hrr * (vo2max - 3.5)
    velocity = velocity_for_vo2(vo2)  # m/min
    base = activity(day, minutes)
    return dataclasses.replace(
        base,
        distance_meters=velocity * minutes,
        avg_hr=HR.resting_hr + hrr * (HR.max_hr - HR.resting_hr),
    )


def test_a_fresh_road_race_sets_vdot_with_high_confidence() -> None:
    result = RaceResult(TODAY - dt.timedelta(days=10), 10000, 45 * 60, "Spring 10K", "road")
    found = race_evidence([result], TODAY)
    assert found is not None and found.source == "race" and found.confidence == HIGH
    assert found.vdot == pytest.approx(45.3, abs=0.1)
    assert "10K in 45:00" in found.detail


def test_older_results_count_for_less() -> None:
    """Full value for six weeks, then 0.5 % a week; none after a year."""
    day = TODAY - dt.timedelta(weeks=16)
    result = RaceResult(day, 10000, 45 * 60)
    raw = vdot_from_race(10000, 45 * 60)
    found = race_evidence([result], TODAY)
    assert found is not None
    assert found.vdot == pytest.approx(raw * (1 - 0.005 * 10))
    assert found.confidence == MEDIUM
    assert race_evidence([RaceResult(TODAY - dt.timedelta(days=400), 10000, 2700)], TODAY) is None


def test_minetti_flat_equivalent_of_a_hilly_course() -> None:
    assert flat_equivalent_distance(10000, 500) == pytest.approx(13_290, abs=50)
    assert flat_equivalent_distance(10000, 0) == 10000


def test_a_hilly_or_trail_result_is_adjusted_up() -> None:
    flat = RaceResult(TODAY, 21097.5, 2 * 3600)
    hilly = dataclasses.replace(flat, elevation_gain_meters=400)
    trail = dataclasses.replace(flat, surface="trail")
    base = vdot_from_race(21097.5, 7200)
    assert adjusted_race_vdot(hilly)[0] > base
    assert adjusted_race_vdot(trail)[0] == pytest.approx(vdot_from_race(21097.5, 7200 / 1.12))
    assert "trail" in adjusted_race_vdot(trail)[1]


@settings(max_examples=60, deadline=None)
@given(st.floats(35, 65), st.lists(st.floats(0.6, 0.85), min_size=6, max_size=12))
def test_heart_rate_estimate_recovers_the_vo2max_the_runs_follow(
    vo2max: float, hrrs: list[float]
) -> None:
    """Runs that follow %HRR = %VO2R exactly give back their VO2max, with high confidence."""
    athlete = talk_athlete(heart_rate=HR, race_results=())
    runs = [steady_run(TODAY - dt.timedelta(days=2 + 3 * i), vo2max, h) for i, h in enumerate(hrrs)]
    found = heart_rate_evidence(athlete, runs, TODAY)
    assert found is not None and found.source == "heart rate"
    assert found.vdot == pytest.approx(vo2max, abs=0.5)
    assert found.confidence == HIGH


def test_few_runs_give_low_confidence_and_hard_runs_are_left_out() -> None:
    athlete = talk_athlete(heart_rate=HR, race_results=())
    one = [steady_run(TODAY - dt.timedelta(days=1), 50, 0.7)]
    found = heart_rate_evidence(athlete, one, TODAY)
    assert found is not None and found.confidence == LOW
    race_effort = [steady_run(TODAY - dt.timedelta(days=1), 50, 0.97)]
    assert heart_rate_evidence(athlete, race_effort, TODAY) is None


def test_a_trail_race_does_not_set_vdot_when_heart_rate_says_otherwise() -> None:
    """The issue's runner: a 30K trail race in 4:57 (VDOT 18.5 as a road result) while six
    weeks of steady runs say about 45. The trail result is a lower bound; heart rate wins,
    and the answer says so."""
    trail = RaceResult(
        TODAY - dt.timedelta(days=20), 30000, 4 * 3600 + 57 * 60, "Mazinaw 30K Trail"
    )
    athlete = talk_athlete(heart_rate=HR, race_results=(trail,))
    runs = [steady_run(TODAY - dt.timedelta(days=2 + 3 * i), 45, 0.7) for i in range(10)]
    found = best_evidence(athlete, runs, TODAY)
    assert found is not None
    assert found.source == "heart rate" and found.vdot == pytest.approx(45, abs=0.5)
    assert "the race" in found.detail and "Mazinaw" in found.detail
    assert vdot_from_race(30000, trail.time_seconds) < 20


def test_a_road_race_wins_over_heart_rate() -> None:
    """Race results first: a fresh road 10K sets VDOT even when heart rate says more."""
    road = RaceResult(TODAY - dt.timedelta(days=5), 10000, race_time(42, 10000), "City 10K")
    athlete = talk_athlete(heart_rate=HR, race_results=(road,))
    runs = [steady_run(TODAY - dt.timedelta(days=2 + 3 * i), 48, 0.7) for i in range(10)]
    found = best_evidence(athlete, runs, TODAY)
    assert found is not None and found.source == "race"
    assert found.vdot == pytest.approx(42, abs=0.1)


def test_a_run_named_as_a_race_becomes_a_result() -> None:
    """``race_result_of`` is wired: a run called "Parkrun" (or with the race subtype) is a
    5K result."""
    base = activity(TODAY - dt.timedelta(days=3), 22)
    parkrun = dataclasses.replace(base, name="Saturday parkrun", distance_meters=5000)
    plain = dataclasses.replace(base, name="Morning Run", distance_meters=5000)
    (result,) = race_activities([parkrun, plain])
    assert result.distance_meters == 5000 and result.time_seconds == 22 * 60
    found = best_evidence(talk_athlete(race_results=()), [parkrun], TODAY)
    assert found is not None and found.source == "race"
    assert found.vdot == pytest.approx(vdot_from_race(5000, 22 * 60))
