"""Oura readiness against its stated conventions: the ln(rMSSD) baseline (Plews et al.
2012), resting-HR and sleep thresholds, and invariants of the "clearly poor" rule; the
webhook signature against a worked HMAC-SHA256 example."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.oura.readiness import (
    Night,
    hrv_baseline,
    hrv_is_low,
    readiness_of,
    rhr_baseline,
    rhr_is_high,
    sleep_is_short,
)
from momentum.plugins.oura.webhook import signature

pytestmark = pytest.mark.oura
DAY = dt.date(2026, 3, 3)


def test_the_hrv_baseline_follows_the_ln_rmssd_convention() -> None:
    # 30 nights alternating 45 and 55 ms. ln 45 = 3.806662, ln 55 = 4.007333: mean
    # 3.906998 (geometric mean 49.75 ms); sample SD = 0.1003355 × √(30/29) = 0.102051.
    # Well below = under exp(3.906998 − 0.102051) = 44.93 ms (tolerance 0.01 ms).
    base = hrv_baseline([45.0, 55.0] * 15)
    assert base is not None and base.nights == 30
    assert base.mean == pytest.approx(3.906998, abs=1e-6)
    assert base.sd == pytest.approx(0.102051, abs=2e-6)
    assert math.exp(base.mean - base.sd) == pytest.approx(44.93, abs=0.01)
    assert not hrv_is_low(44.95, base) and hrv_is_low(44.90, base)


def test_a_steady_month_uses_the_sd_floor_and_too_few_nights_judge_nothing() -> None:
    steady = hrv_baseline([50.0] * 10)
    assert steady is not None and steady.sd == 0
    # floor 0.05: under 50 × e^−0.05 = 47.56 ms
    assert not hrv_is_low(47.6, steady) and hrv_is_low(47.5, steady)
    assert hrv_baseline([50.0] * 6) is None and rhr_baseline([50.0] * 6) is None


def test_resting_hr_and_sleep_thresholds() -> None:
    base = rhr_baseline([50.0, 52.0] * 15)  # mean 51, SD 1.017: the 3 bpm floor applies
    assert base is not None
    assert not rhr_is_high(53.9, base) and rhr_is_high(54.0, base)
    assert sleep_is_short(6.79 * 3600, 8.0) and not sleep_is_short(6.8 * 3600, 8.0)


def _night(hrv: float, rhr: float, hours: float) -> Night:
    return Night(
        day=DAY,
        hrv=hrv,
        hrv_base=hrv_baseline([45.0, 55.0] * 15),
        rhr=rhr,
        rhr_base=rhr_baseline([50.0, 52.0] * 15),
        sleep_seconds=hours * 3600,
        need_hours=8.0,
    )


def test_low_hrv_and_a_short_night_is_clearly_poor_and_says_why() -> None:
    reading = readiness_of(_night(31, 51, 5.0))
    assert reading.soften
    assert reading.reason == (
        "HRV 31 ms is 38 % below your 30-day baseline and you slept 5.0 h of 8 h"
    )
    assert reading.facts["hrv"].startswith("31 ms, 38 % below your 30-day baseline of 50 ms")


def test_one_flag_alone_does_not_soften() -> None:
    assert not readiness_of(_night(31, 51, 7.5)).soften  # HRV only
    assert not readiness_of(_night(50, 51, 5.0)).soften  # sleep only


positive_ms = st.floats(min_value=10, max_value=200, allow_nan=False)


@given(st.lists(positive_ms, min_size=7, max_size=30), st.floats(min_value=0, max_value=3))
def test_hrv_at_or_above_its_geometric_mean_is_never_low(values: list[float], lift: float) -> None:
    base = hrv_baseline(values)
    assert base is not None
    assert not hrv_is_low(math.exp(base.mean) * (1 + lift), base)


@given(positive_ms, st.floats(min_value=6.8, max_value=12))
def test_with_enough_sleep_and_a_usual_resting_hr_no_hrv_softens(hrv: float, hours: float) -> None:
    assert not readiness_of(_night(hrv, 51, hours)).soften


@given(positive_ms, st.floats(min_value=40, max_value=80), st.floats(min_value=2, max_value=12))
def test_a_reason_is_given_exactly_when_something_is_flagged(
    hrv: float, rhr: float, hours: float
) -> None:
    night = _night(hrv, rhr, hours)
    flagged = night.hrv_low or night.rhr_high or night.sleep_short
    assert bool(night.reason()) == flagged
    assert night.poor <= flagged


def test_the_signature_is_hmac_sha256_of_timestamp_then_body() -> None:
    body = b'{"event_type":"create"}'
    # HMAC-SHA256(key="secret", msg="1700000000" + body), computed independently below.
    expected = hmac.new(b"secret", b"1700000000" + body, hashlib.sha256).hexdigest()
    assert signature("secret", "1700000000", body) == expected
    assert len(expected) == 64
