"""A running + sleep + meals coach on Cloudflare: the Worker's logic on CPython over
wrangler's local D1, R2 and Queue (the test-only bridge), registered the way a packaged
Worker registers them (by import, from the chosen list, no entry points), the FDC key as
a Worker secret binding. The bodies are shared with AWS
(:mod:`tests.integration.domains_cloud`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.cloudflare import handlers
from momentum.adapters.cloudflare.bootstrap import build_cloudflare_app, worker_plugins
from momentum.adapters.cloudflare.package import worker_modules
from momentum.core.memory import RecordingChat
from momentum.core.ports.clock import FixedClock
from tests.fakes.fake_fdc import API_KEY, FakeFdc
from tests.integration import domains_cloud as shared
from tests.integration.test_cloudflare_worker import local, ports

pytestmark = [pytest.mark.integration, pytest.mark.cloudflare]
__all__ = ["local"]  # the wrangler fixture, shared with the Worker's own tests


@pytest.fixture
def fdc() -> Iterator[FakeFdc]:
    fake = FakeFdc().start()
    yield fake
    fake.stop()


@pytest.fixture
def coach(local: Any, tmp_path: Path, fdc: FakeFdc) -> tuple[Any, RecordingChat, shared.ModelLog]:
    (tmp_path / "momentum.toml").write_text(f'[meals]\nfdc_url = "{fdc.url}"\n')
    chat, log = RecordingChat(), shared.ModelLog()
    app = build_cloudflare_app(
        {"MOMENTUM_HOME": str(tmp_path), "FDC_API_KEY": API_KEY},  # a secret binding
        ports(local),
        chat=chat,
        model=log.model(),
        clock=FixedClock(shared.CHECKIN_TICK),
        plugins=worker_plugins(worker_modules(("running", "sleep", "meals"))),
    )
    assert app.plugins.failed == {}
    shared.prepare(app)
    return app, chat, log


def tick_through_the_worker(local: Any, app: Any) -> shared.Tick:
    """The cron trigger's ``scheduled`` handler, then the queue consumer on what it
    queued, each message handed over twice (Queues deliver at least once)."""
    from momentum.adapters.cloudflare.testing import received

    def tick(at: dt.datetime) -> None:
        handlers.scheduled(app, at.timestamp() * 1000)
        for message in received(local, settle=1.0):
            handlers.queue_message(app, message.id, message.body)
            handlers.queue_message(app, message.id, message.body)

    return tick


def test_one_six_am_checkin_covers_running_sleep_and_meals(local: Any, coach: Any) -> None:
    app, chat, log = coach
    shared.one_checkin_covers_three_domains(app, chat, log, tick_through_the_worker(local, app))


def test_the_wind_down_nudge_goes_out_once_at_her_evening_time(local: Any, coach: Any) -> None:
    app, chat, _ = coach
    shared.wind_down_once_at_her_evening_time(app, chat, tick_through_the_worker(local, app))


def test_a_meals_chat_turn_never_yields_the_declared_allergen(coach: Any, fdc: FakeFdc) -> None:
    app, _, log = coach
    shared.allergen_never_yielded(app, log)
    assert set(fdc.keys_seen) == {API_KEY}  # the key came from the secret binding
