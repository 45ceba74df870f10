"""The model chain: priority order, 429/5xx/timeout handling, usage recorded per call."""

from __future__ import annotations

import datetime as dt

import pytest

from momentum.core.coach.fallback import FallbackModel
from momentum.core.coach.ratelimit import RateLimitedError, RateLimitState
from momentum.core.memory import InMemoryStorage, ScriptedModel
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest, ModelError, ModelMessage
from momentum.plugins.running.coach.offline import OfflineComposer

NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
REQUEST = CompletionRequest(
    messages=(ModelMessage("system", "coach"), ModelMessage("user", "## Facts\nstate: thriving")),
    purpose="checkin",
    athlete_id="adam",
)


def ok(model: str = "openai/gpt-oss-120b", tokens: tuple[int, int] = (1500, 200)) -> Completion:
    return Completion(
        "Nice.", model=model, provider="groq", tokens_in=tokens[0], tokens_out=tokens[1]
    )


class Named(ScriptedModel):
    def __init__(self, name: str, *replies: Completion | ModelError) -> None:
        super().__init__(replies)
        self.name = name
        self.rate_limit: RateLimitState | None = None


def chain(*models: Named) -> tuple[FallbackModel, InMemoryStorage, FixedClock, list[float]]:
    storage = InMemoryStorage()
    clock = FixedClock(NOW)
    slept: list[float] = []
    return (
        FallbackModel(
            [*models, OfflineComposer()], storage=storage, clock=clock, sleep=slept.append
        ),
        storage,
        clock,
        slept,
    )


def usage(storage: InMemoryStorage) -> list[tuple[str, bool]]:
    records = storage.list_usage(None, NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1))
    return [(u.model, u.ok) for u in records]


def test_first_model_answers_and_costs_are_recorded() -> None:
    model, storage, _, _ = chain(Named("openai/gpt-oss-120b", ok()))
    answer = model.complete(REQUEST)
    assert answer.model == "openai/gpt-oss-120b"
    assert answer.cost_usd == pytest.approx((1500 * 0.15 + 200 * 0.60) / 1e6)
    [record] = storage.list_usage("adam", NOW - dt.timedelta(hours=1), NOW + dt.timedelta(hours=1))
    assert (record.purpose, record.tokens_in, record.tokens_out, record.ok) == (
        "checkin",
        1500,
        200,
        True,
    )
    assert record.cost_usd == pytest.approx(answer.cost_usd)
    assert record.latency_ms >= 0


def test_rate_limit_moves_on_and_cools_down() -> None:
    big = Named("openai/gpt-oss-120b", RateLimitedError("429", retry_after=30), ok())
    small = Named("openai/gpt-oss-20b", ok("openai/gpt-oss-20b"), ok("openai/gpt-oss-20b"))
    model, storage, clock, slept = chain(big, small)
    assert model.complete(REQUEST).model == "openai/gpt-oss-20b"
    assert slept == []
    assert model.cooling_down() == ["openai/gpt-oss-120b"]
    # Within the retry-after window the big model is not even asked.
    assert model.complete(REQUEST).model == "openai/gpt-oss-20b"
    assert len(big.requests) == 1
    clock.advance(dt.timedelta(seconds=31))
    assert model.complete(REQUEST).model == "openai/gpt-oss-120b"
    assert usage(storage)[0] == ("openai/gpt-oss-120b", False)


def test_short_retry_after_is_waited_out() -> None:
    big = Named("openai/gpt-oss-120b", RateLimitedError("429", retry_after=1.5), ok())
    model, storage, _, slept = chain(big)
    assert model.complete(REQUEST).model == "openai/gpt-oss-120b"
    assert slept == [1.5]
    assert [ok for _, ok in usage(storage)] == [False, True]


def test_server_errors_and_timeouts_fall_through_to_offline() -> None:
    big = Named("openai/gpt-oss-120b", ModelError("HTTP 500", status=500))
    small = Named("openai/gpt-oss-20b", ModelError("timed out"))
    model, storage, _, _ = chain(big, small)
    answer = model.complete(REQUEST)
    assert answer.model == "offline" and answer.text
    assert usage(storage) == [
        ("openai/gpt-oss-120b", False),
        ("openai/gpt-oss-20b", False),
        ("offline", True),
    ]


def test_exhausted_token_budget_sets_a_model_aside() -> None:
    big = Named("openai/gpt-oss-120b", ok(), ok())
    model, _, clock, _ = chain(big, Named("openai/gpt-oss-20b", ok("openai/gpt-oss-20b")))
    big.rate_limit = RateLimitState(remaining_requests=100, remaining_tokens=50, reset_tokens_s=8)
    assert model.complete(REQUEST).model == "openai/gpt-oss-120b"
    # The headers said the next call would not fit: the fallback takes it.
    assert model.complete(REQUEST).model == "openai/gpt-oss-20b"
    clock.advance(dt.timedelta(seconds=9))
    big.rate_limit = None
    assert model.complete(REQUEST).model == "openai/gpt-oss-120b"


def test_a_crashing_adapter_does_not_silence_the_coach() -> None:
    class Broken(Named):
        def complete(self, request: CompletionRequest) -> Completion:
            raise RuntimeError("bug")

    model, _, _, _ = chain(Broken("broken"))
    assert model.complete(REQUEST).model == "offline"


def test_all_failing_raises() -> None:
    with pytest.raises(ModelError, match="every model failed"):
        FallbackModel([Named("a", ModelError("down"))]).complete(REQUEST)
    with pytest.raises(ValueError):
        FallbackModel([])
