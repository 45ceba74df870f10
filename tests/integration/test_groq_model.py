"""GroqModel and the model chain against a fake Groq server, with the real groq SDK."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

pytest.importorskip(
    "groq", reason="the groq SDK is not installed (pip install momentum-coach[groq])"
)

from momentum.adapters.groq.model import GroqModel
from momentum.core.coach.fallback import FallbackModel
from momentum.core.coach.ratelimit import RateLimitedError
from momentum.core.compose import build_model
from momentum.core.config import ModelSettings, Secret, Settings
from momentum.core.memory import InMemoryStorage
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import CompletionRequest, ModelError, ModelMessage, ToolSpec
from momentum.plugins.running.coach.offline import OfflineComposer
from tests.fakes.fake_groq import API_KEY, FakeGroq, Reply

pytestmark = pytest.mark.integration

NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
BIG, SMALL = "openai/gpt-oss-120b", "openai/gpt-oss-20b"
REQUEST = CompletionRequest(
    messages=(
        ModelMessage("system", "You are a coach."),
        ModelMessage("user", "## Facts\nstate: thriving"),
    ),
    purpose="checkin",
    athlete_id="adam",
    max_tokens=300,
)


@pytest.fixture
def fake() -> Iterator[FakeGroq]:
    with FakeGroq() as server:
        yield server


def model_settings(fake: FakeGroq, timeout: float = 2.0) -> ModelSettings:
    return ModelSettings(
        api_key=Secret(API_KEY), base_url=fake.url, timeout_seconds=timeout, fallbacks=(SMALL,)
    )


def test_completion_speaks_the_wire_format(fake: FakeGroq) -> None:
    fake.push(Reply("Third Z2 run this week.", usage=(1500, 180)))
    model = GroqModel.from_settings(model_settings(fake))
    answer = model.complete(REQUEST)
    assert answer.text == "Third Z2 run this week."
    assert (answer.model, answer.provider) == (BIG, "groq")
    assert (answer.tokens_in, answer.tokens_out) == (1500, 180)
    assert answer.cost_usd == pytest.approx((1500 * 0.15 + 180 * 0.60) / 1e6)
    assert model.rate_limit is not None and model.rate_limit.remaining_tokens == 249_000
    [seen] = fake.requests
    assert seen.path == "/openai/v1/chat/completions"
    assert seen.headers["authorization"] == f"Bearer {API_KEY}"
    assert seen.body["model"] == BIG and seen.body["max_completion_tokens"] == 300
    assert seen.body["reasoning_effort"] == "low"
    assert [m["role"] for m in seen.body["messages"]] == ["system", "user"]


def test_tool_calls_round_trip(fake: FakeGroq) -> None:
    fake.push(
        Reply(
            tool_calls=[
                ("log_activity", {"activity_type": "strength", "duration": 60, "intensity": "hard"})
            ]
        )
    )
    tool = ToolSpec("log_activity", "Log a session", {"type": "object", "properties": {}})
    answer = GroqModel.from_settings(model_settings(fake)).complete(
        CompletionRequest(REQUEST.messages, "chat", "adam", tools=(tool,))
    )
    [call] = answer.tool_calls
    assert call.name == "log_activity" and call.call_id.startswith("call_")
    assert call.arguments == {"activity_type": "strength", "duration": 60, "intensity": "hard"}
    body = fake.requests[0].body
    assert body["tool_choice"] == "auto"
    assert body["tools"][0] == {
        "type": "function",
        "function": {
            "name": "log_activity",
            "description": "Log a session",
            "parameters": {"type": "object", "properties": {}},
        },
    }


def test_429_carries_retry_after(fake: FakeGroq) -> None:
    fake.push(fake.rate_limited("7"))
    with pytest.raises(RateLimitedError) as caught:
        GroqModel.from_settings(model_settings(fake)).complete(REQUEST)
    assert caught.value.retry_after == 7.0 and caught.value.status == 429
    assert len(fake.requests) == 1  # the SDK's own retries are off


def test_500_and_timeout_are_retryable_errors(fake: FakeGroq) -> None:
    model = GroqModel.from_settings(model_settings(fake, timeout=0.5))
    fake.push(Reply(status=500))
    with pytest.raises(ModelError) as caught:
        model.complete(REQUEST)
    assert caught.value.status == 500 and caught.value.retryable
    fake.push(Reply("too late", delay=2.0))
    with pytest.raises(ModelError, match="timed out"):
        model.complete(REQUEST)


def test_bad_key_is_not_retryable(fake: FakeGroq) -> None:
    settings = ModelSettings(api_key=Secret("gsk_wrong"), base_url=fake.url)
    with pytest.raises(ModelError) as caught:
        GroqModel.from_settings(settings).complete(REQUEST)
    assert caught.value.status == 401 and not caught.value.retryable


def chain(
    fake: FakeGroq, timeout: float = 2.0
) -> tuple[FallbackModel, InMemoryStorage, FixedClock]:
    storage, clock = InMemoryStorage(), FixedClock(NOW)
    model = build_model(Settings(model=model_settings(fake, timeout)), storage, clock)
    assert isinstance(model, FallbackModel)
    assert [m.name for m in model.models] == [BIG, SMALL, "offline"]
    assert isinstance(model.models[-1], OfflineComposer)
    return model, storage, clock


def usage(storage: InMemoryStorage) -> list[tuple[str, bool, str]]:
    return [
        (u.model, u.ok, u.error.split(" ")[0])
        for u in storage.list_usage(None, NOW - dt.timedelta(days=1), NOW + dt.timedelta(days=1))
    ]


def test_chain_falls_back_on_429_and_respects_retry_after(fake: FakeGroq) -> None:
    model, storage, clock = chain(fake)
    fake.push(
        fake.rate_limited("30", for_model=BIG), Reply("From the small model.", for_model=SMALL)
    )
    assert model.complete(REQUEST).model == SMALL
    fake.push(Reply("Small again.", for_model=SMALL))
    assert model.complete(REQUEST).text == "Small again."
    assert [r.model for r in fake.requests] == [BIG, SMALL, SMALL]  # big one skipped while cooling
    clock.advance(dt.timedelta(seconds=31))
    fake.push(Reply("Big is back.", for_model=BIG))
    assert model.complete(REQUEST).model == BIG
    assert usage(storage)[0] == (BIG, False, "429")


def test_chain_falls_back_on_500_then_offline_on_timeout(fake: FakeGroq) -> None:
    model, storage, _ = chain(fake, timeout=0.5)
    fake.push(Reply(status=500, for_model=BIG), Reply("late", delay=2.0, for_model=SMALL))
    answer = model.complete(REQUEST)
    assert answer.model == "offline" and answer.text
    assert usage(storage) == [
        (BIG, False, "500"),
        (SMALL, False, "openai/gpt-oss-20b:"),
        ("offline", True, ""),
    ]


def test_ratelimit_headers_move_traffic_before_a_429(fake: FakeGroq) -> None:
    model, _, clock = chain(fake)
    fake.push(Reply("Last one that fits.", for_model=BIG, remaining_tokens=100))
    assert model.complete(REQUEST).model == BIG
    fake.push(Reply("Overflow.", for_model=SMALL))
    assert model.complete(REQUEST).model == SMALL
    clock.advance(dt.timedelta(seconds=8))
    assert model.complete(REQUEST).model == BIG
