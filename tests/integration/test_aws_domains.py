"""A running + sleep + meals coach on AWS: the real Lambda handler on DynamoDB, S3 and
SSM (moto server), the fake Lambda running what the tick fans out, the meals FDC key as an
SSM SecureString and a loopback FoodData Central. The bodies are shared with the other
clouds (:mod:`tests.integration.domains_cloud`)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.core.memory import RecordingChat
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from tests.fakes.fake_fdc import API_KEY, FakeFdc
from tests.integration import domains_cloud as shared
from tests.integration.aws_stack import local_aws
from tests.support.aws import LocalAws

pytestmark = [pytest.mark.integration, pytest.mark.aws]


@pytest.fixture
def fdc() -> Iterator[FakeFdc]:
    fake = FakeFdc().start()
    yield fake
    fake.stop()


@pytest.fixture
def coach(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fdc: FakeFdc
) -> Iterator[tuple[Any, RecordingChat, shared.ModelLog, LocalAws]]:
    (tmp_path / "momentum.toml").write_text(f'[meals]\nfdc_url = "{fdc.url}"\n')
    with local_aws(monkeypatch, tmp_path) as stack:
        stack.put_secrets({"FDC_API_KEY": API_KEY})  # as the stack stores momentum:fdcApiKey
        chat, log = RecordingChat(), shared.ModelLog()
        app = build_aws_app(
            {**os.environ, **stack.env()},
            chat=chat,
            model=log.model(),
            clock=FixedClock(shared.CHECKIN_TICK),
            plugins=load_plugins(),
        )
        assert {"running", "sleep", "meals"} <= {d.name for d in app.plugins.domains()}
        shared.prepare(app)
        handler.set_app(app)
        yield app, chat, log, stack


def tick_through_lambda(stack: LocalAws) -> shared.Tick:
    """EventBridge's tick event to the handler, then the runs it deferred (the fake
    Lambda's queued self-invokes)."""

    def tick(at: dt.datetime) -> None:
        handler.handler({"momentum": "tick", "job": "*", "at": at.isoformat()}, None)
        stack.fake_lambda.drain()

    return tick


def test_one_six_am_checkin_covers_running_sleep_and_meals(coach: Any) -> None:
    app, chat, log, stack = coach
    shared.one_checkin_covers_three_domains(app, chat, log, tick_through_lambda(stack))


def test_the_wind_down_nudge_goes_out_once_at_her_evening_time(coach: Any) -> None:
    app, chat, _, stack = coach
    shared.wind_down_once_at_her_evening_time(app, chat, tick_through_lambda(stack))


def test_a_meals_chat_turn_never_yields_the_declared_allergen(coach: Any, fdc: FakeFdc) -> None:
    app, _, log, _ = coach
    shared.allergen_never_yielded(app, log)
    assert fdc.keys_seen and set(fdc.keys_seen) == {API_KEY}  # the key came from SSM
    assert "GET /v1/food/172470" in fdc.calls or "POST /v1/foods" in fdc.calls
