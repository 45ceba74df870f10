"""Banister TRIMP by the athlete's sex, and the profile's ``sex`` field end to end.

Reference (Banister 1991; Morton, Fitz-Clarke & Banister 1990): TRIMP = Σ minutes · x ·
k·e^(b·x), x = (HR − HRrest) / (HRmax − HRrest) the heart-rate-reserve fraction; men
k = 0.64, b = 1.92; women k = 0.86, b = 1.67. Sex not given → the men's constants
(GoldenCheetah's default). HRSS = 100 · TRIMP / TRIMP(60 min at LTHR). Each 1 s sample
contributes 1/60 min at its own heart rate. Tolerance: relative 1e-9 (the same sums in
floating point, in a different order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.coach.toolargs import ToolArgumentError
from momentum.core.model import Activity, AthleteProfile, Streams, from_json, to_json
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.record import build_activity
from momentum.plugins.running.analytics.summary import summary_activity
from momentum.plugins.running.analytics.trimp import FEMALE, MALE, parse_sex, trimp_constants
from momentum.plugins.running.coach.tools import builtin_tools
from tests.unit.test_analytics_fixtures import ATHLETE, START, steady
from tests.unit.test_coach_support import at, offline_app

REST, TOP, LTHR = 52, 182, 162
PUBLISHED = {"male": (0.64, 1.92), "female": (0.86, 1.67), None: (0.64, 1.92)}


def x_of(bpm: float) -> float:
    return min(1.0, max(0.0, (bpm - REST) / (TOP - REST)))


def published_trimp(minutes_at: list[tuple[float, float]], sex: str | None) -> float:
    """Σ minutes · x · k·e^(b·x) over ``(minutes, bpm)`` pieces, Banister's formula."""
    k, b = PUBLISHED[sex]
    return math.fsum(m * x_of(h) * k * math.exp(b * x_of(h)) for m, h in minutes_at)


def record(streams: Streams, sex: str | None) -> Activity:
    athlete = dataclasses.replace(ATHLETE, sex=sex)
    return build_activity(streams, athlete, activity_id="a1", activity_type="Run", start=START)


def test_constants_are_banisters() -> None:
    assert MALE == (0.64, 1.92) and FEMALE == (0.86, 1.67)
    assert trimp_constants("female") == FEMALE
    assert trimp_constants("male") == MALE
    assert trimp_constants(None) == MALE  # not given: the men's curve


@pytest.mark.parametrize("sex", ["female", "male", None])
def test_steady_half_hour_matches_the_published_formula(sex: str | None) -> None:
    a = record(steady(1800, hr=150.0), sex)
    expected = published_trimp([(30.0, 150.0)], sex)
    assert running_metrics(a).trimp == pytest.approx(expected, rel=1e-9)
    # HRSS: 100 × TRIMP over an hour at LTHR with the same constants.
    assert a.hrss == pytest.approx(100 * expected / published_trimp([(60.0, LTHR)], sex), rel=1e-9)


@pytest.mark.parametrize("sex", ["female", "male"])
def test_rising_heart_rate_sums_sample_by_sample(sex: str) -> None:
    def hr(i: int) -> float:
        return 115.0 + 55.0 * i / 2400

    a = record(steady(2400, hr=hr), sex)
    expected = published_trimp([(1 / 60, hr(i)) for i in range(1, 2401)], sex)
    assert running_metrics(a).trimp == pytest.approx(expected, rel=1e-9)


def test_women_score_hard_minutes_less_steeply() -> None:
    # Same hour at threshold is HRSS 100 for both; below threshold the women's flatter
    # curve (b = 1.67) gives a larger share, above it a smaller one.
    for sex in ("female", "male"):
        assert record(steady(3600, hr=float(LTHR)), sex).hrss == pytest.approx(100.0, rel=1e-9)
    easy_f = record(steady(3600, hr=130.0), "female").hrss
    easy_m = record(steady(3600, hr=130.0), "male").hrss
    hard_f = record(steady(3600, hr=175.0), "female").hrss
    hard_m = record(steady(3600, hr=175.0), "male").hrss
    assert easy_f is not None and easy_m is not None and hard_f is not None and hard_m is not None
    assert easy_f > easy_m and hard_f < hard_m


def test_summary_records_use_the_profiles_sex() -> None:
    female = dataclasses.replace(ATHLETE, sex="female")
    a = summary_activity(
        female,
        activity_id="s1",
        activity_type="Run",
        start=START,
        moving_time_seconds=2700,
        avg_hr=145.0,
    )
    assert running_metrics(a).trimp == pytest.approx(
        published_trimp([(45.0, 145.0)], "female"), rel=1e-9
    )


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("female", "female"),
        (" Male ", "male"),
        ("F", "female"),
        ("m", "male"),
        ("woman", "female"),
        ("skip", None),
        ("", None),
        ("None", None),
        ("prefer not  to say", None),
        (None, None),
    ],
)
def test_parse_sex(answer: str | None, value: str | None) -> None:
    assert parse_sex(answer) == value


@pytest.mark.parametrize("bad", ["x", "yes", "femal", "2"])
def test_bad_sex_is_refused_with_the_field_named(bad: str) -> None:
    with pytest.raises(ValueError, match=f"sex must be female, male or skip \\(got '{bad}'\\)"):
        parse_sex(bad)
    # A hand-edited profile fails loudly rather than silently using the men's curve.
    with pytest.raises(ValueError, match="sex must be"):
        record(steady(60), bad)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(["female", "male", None]), st.text(max_size=10))
def test_profile_sex_round_trips_through_json(sex: str | None, name: str) -> None:
    profile = dataclasses.replace(ATHLETE, name=name, sex=sex)
    assert from_json(AthleteProfile, to_json(profile)) == profile


def test_profiles_stored_before_the_field_read_as_not_given() -> None:
    data = json.loads(to_json(ATHLETE))
    del data["sex"]
    assert from_json(AthleteProfile, json.dumps(data)).sex is None


TOOLS = {t.spec.name: t for t in builtin_tools()}


@pytest.fixture
def ctx(athlete: AthleteProfile) -> ToolContext:
    app = offline_app(athlete, FixedClock(at(dt.date(2026, 3, 3), 19)))
    return ToolContext(app, athlete.athlete_id, None)


def test_update_profile_sets_and_clears_sex(ctx: ToolContext) -> None:
    tool = TOOLS["update_profile"]
    assert "sex" in tool.spec.parameters["properties"]["field"]["enum"]
    storage = ctx.app.storage
    assert tool.run(ctx, {"field": "sex", "value": "Female"}) == "ok: profile sex updated"
    assert storage.get_athlete(ctx.athlete_id).sex == "female"
    with pytest.raises(ToolArgumentError, match="sex must be female, male or skip"):
        tool.run(ctx, {"field": "sex", "value": "robot"})
    assert storage.get_athlete(ctx.athlete_id).sex == "female"  # unchanged
    tool.run(ctx, {"field": "sex", "value": "prefer not to say"})
    assert storage.get_athlete(ctx.athlete_id).sex is None
