"""Pricing, rate-limit headers and the token estimate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.coach.pricing import LIST_PRICES, Price, PriceTable
from momentum.core.coach.ratelimit import RateLimitState, parse_duration, retry_after_from
from momentum.core.coach.tokens import estimate_tokens


def test_gpt_oss_120b_list_price() -> None:
    # Groq list price: $0.15 per 1M input tokens, $0.60 per 1M output tokens.
    assert PriceTable().cost("openai/gpt-oss-120b", 1_000_000, 1_000_000) == pytest.approx(0.75)
    assert PriceTable().cost("openai/gpt-oss-120b", 1500, 300) == pytest.approx(0.000405)


def test_unknown_model_costs_nothing_and_overrides_win() -> None:
    assert PriceTable().cost("someone/new-model", 10_000, 10_000) == 0.0
    table = PriceTable.from_extra({"pricing": {"someone/new-model": {"input": 1, "output": 2}}})
    assert table.cost("someone/new-model", 1_000_000, 1_000_000) == pytest.approx(3.0)


def test_offline_is_free() -> None:
    assert LIST_PRICES["offline"] == Price(0.0, 0.0)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("2m59.56s", 179.56), ("7.66s", 7.66), ("120ms", 0.12), ("1h2m3s", 3723.0), ("30", 30.0)],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


def test_bad_durations() -> None:
    assert parse_duration("soon") is None
    assert parse_duration("") is None
    assert parse_duration(None) is None


def test_ratelimit_headers() -> None:
    state = RateLimitState.from_headers(
        {
            "X-RateLimit-Remaining-Requests": "0",
            "x-ratelimit-remaining-tokens": "1200",
            "x-ratelimit-reset-requests": "2m59.56s",
            "x-ratelimit-reset-tokens": "7.66s",
        }
    )
    assert state is not None
    assert state.wait_for(100) == pytest.approx(179.56)
    assert RateLimitState.from_headers({"content-type": "json"}) is None
    roomy = RateLimitState(remaining_requests=10, remaining_tokens=5000, reset_tokens_s=3.0)
    assert roomy.wait_for(2000) == 0
    assert roomy.wait_for(6000) == pytest.approx(3.0)


def test_retry_after() -> None:
    assert retry_after_from({"Retry-After": "7"}) == 7.0
    assert retry_after_from({"retry-after-ms": "1500"}) == 1.5
    assert retry_after_from({}) is None


@given(st.text(max_size=400))
def test_estimate_is_never_negative_and_grows(text: str) -> None:
    assert estimate_tokens(text) >= 0
    assert estimate_tokens(text + " more words here") >= estimate_tokens(text)
