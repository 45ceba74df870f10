"""A Slack message that carries the dashboard's signed link goes out with link and media
previews off, so Slack's unfurler never fetches the athlete's pages; other messages keep
Slack's default. Checked on the fake Slack by the ``unfurl_links``/``unfurl_media`` fields
the real slack_sdk client sends."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from momentum.core.compose import build_app
from momentum.core.config import Secret, Settings
from momentum.core.dashboard.signing import KEY_SECRET
from momentum.core.memory import InMemoryScheduler, InMemoryStorage
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from tests.unit.test_coach_support import at, plan_for, talk_history

pytestmark = [pytest.mark.integration]

MON = dt.date(2026, 3, 2)
USER = "U123ADAM"


def test_the_weekly_plan_with_its_link_goes_out_without_previews(
    fake_slack: Any, athlete: AthleteProfile
) -> None:
    from momentum.adapters.slack.chat import SlackChat
    from momentum.adapters.slack.settings import SlackSettings
    from momentum.core.coach.fallback import FallbackModel
    from momentum.plugins.running.coach.offline import OfflineComposer
    from tests.fakes import fake_slack as slack

    clock = FixedClock(at(MON, 6))
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    storage.put_plan(plan_for("adam", dt.date(2026, 1, 5), weeks=12))
    talk_history(storage, "adam", dt.date(2026, 1, 5), MON - dt.timedelta(days=1))
    chat = SlackChat.from_settings(
        SlackSettings(
            signing_secret=Secret(slack.SIGNING_SECRET),
            bot_token=Secret(slack.BOT_TOKEN),
            base_url=fake_slack.api_url,
        )
    )
    env = {"MOMENTUM_PUBLIC_URL": "https://coach.example", KEY_SECRET: "k" * 40}
    app = build_app(
        Settings(env=env),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=chat,
        model=FallbackModel([OfflineComposer()], storage=storage, clock=clock, sleep=lambda s: 0),
        clock=clock,
        plugins=load_plugins(),
    )

    app.coach.run_job("monday_plan", "adam", MON)
    chat.direct_message(USER, "Easy 30 minutes today: https://example.org/route")

    plan, plain = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert "/dashboard/" in plan.text
    assert plan.unfurl_links is False and plan.unfurl_media is False
    assert plain.unfurl_links is None and plain.unfurl_media is None  # Slack's default
