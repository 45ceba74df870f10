"""Strava's rate limits from its headers: a 15-minute window reset on the quarter hour
(UTC) and a daily one reset at UTC midnight, for all requests and for reads."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from momentum.plugins.strava.ratelimit import RateBudget, Rates, budget_for, next_quarter, parse

NOW = dt.datetime(2026, 3, 3, 11, 7, 30, tzinfo=dt.UTC)


def headers(usage: str, limit: str = "600,30000", read_usage="", read_limit="300,15000"):
    found = {"X-RateLimit-Limit": limit, "X-RateLimit-Usage": usage}
    if read_usage:
        found |= {"X-ReadRateLimit-Limit": read_limit, "X-ReadRateLimit-Usage": read_usage}
    return found


def test_headers_parse_case_insensitively():
    assert parse({"x-ratelimit-limit": "200,2000", "X-RATELIMIT-USAGE": "5,70"}, "x-ratelimit") == (
        Rates(5, 70, 200, 2000)
    )
    assert parse({"X-RateLimit-Limit": "200"}, "x-ratelimit") is None
    assert parse({"X-RateLimit-Limit": "a,b", "X-RateLimit-Usage": "1,2"}, "x-ratelimit") is None


def test_room_left_means_no_wait():
    budget = RateBudget()
    budget.record(headers("10,100"), NOW)
    assert budget.wait_seconds("GET", NOW) == (0.0, "")


def test_a_full_15_minute_window_waits_for_the_next_quarter_hour():
    budget = RateBudget(reserve=0)
    budget.record(headers("600,1000"), NOW)
    assert budget.wait_seconds("POST", NOW) == (450.0, "15-minute")  # 11:07:30 → 11:15
    assert budget.wait_seconds("POST", NOW.replace(minute=15, second=0)) == (0.0, "")


def test_a_full_day_waits_for_midnight_utc():
    budget = RateBudget(reserve=0)
    budget.record(headers("10,30000"), NOW)
    wait, which = budget.wait_seconds("GET", NOW)
    assert which == "daily" and wait == (dt.datetime(2026, 3, 4, tzinfo=dt.UTC) - NOW).seconds


def test_read_limits_apply_to_reads_only():
    budget = RateBudget(reserve=0)
    budget.record(headers("10,100", read_usage="300,400"), NOW)
    assert budget.wait_seconds("GET", NOW)[1] == "15-minute read"
    assert budget.wait_seconds("POST", NOW) == (0.0, "")


def test_the_reserve_keeps_requests_back():
    budget = RateBudget(reserve=2)
    budget.record(headers("598,1000"), NOW)
    assert budget.wait_seconds("GET", NOW)[0] > 0


def test_budgets_are_per_application_and_server():
    assert budget_for("42", "https://a") is budget_for("42", "https://a")
    assert budget_for("42", "https://a") is not budget_for("42", "https://b")


@given(
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),
        max_value=dt.datetime(2030, 1, 1),
        timezones=st.just(dt.UTC),
    ),
    st.integers(0, 700),
    st.integers(0, 40000),
)
def test_waits_are_bounded_by_the_window_they_wait_for(now, short, daily):
    budget = RateBudget(reserve=0)
    budget.record(headers(f"{short},{daily}"), now)
    wait, which = budget.wait_seconds("GET", now)
    assert 0 <= wait <= 86400
    if short < 600 and daily < 30000:
        assert wait == 0
    if which.startswith("15"):
        assert wait <= 900 and now + dt.timedelta(seconds=wait) == next_quarter(now)
