"""Slack as a chat platform, tested through ``momentum.testing``: its settings come from
``[slack]`` and the environment, ``build_app`` installs ``/slack/events`` through the
chat-platform hook, and a signed DM from the fake Slack server (real slack-bolt and
slack-sdk, pointed at it by base_url) gets "Thinking…" then the coach's answer."""

from __future__ import annotations

import json

import pytest

from momentum.adapters.slack import plugin as slack_plugin
from momentum.plugins.running import plugin as running_plugin
from momentum.testing import PluginHarness
from tests.fakes.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    dm_event,
    event_callback,
    signed_headers,
)

pytestmark = pytest.mark.integration
USER = "UADA"


@pytest.fixture
def slack():
    with FakeSlack() as fake:
        yield fake


def test_a_dm_is_acked_then_answered_in_place(slack: FakeSlack) -> None:
    harness = PluginHarness(
        slack_plugin,
        running_plugin,
        settings={"slack": {"base_url": slack.api_url}},
        env={"SLACK_SIGNING_SECRET": SIGNING_SECRET},
        secrets={"SLACK_BOT_TOKEN": BOT_TOKEN},
    )
    harness.add_athlete("ada")
    assert "/slack/events" in harness.app.routes  # installed by build_app via the hook
    now = int(harness.clock.now().timestamp())
    body = json.dumps(event_callback(dm_event(USER, "legs are heavy", "1.1"), "Ev1", now))

    response = harness.webhook(
        "/slack/events", body, headers=signed_headers(body.encode(), now), run_deferred=False
    )
    assert response.status == 200 and harness.pending  # acked; the answer is deferred
    harness.run_deferred()

    [answer] = slack.in_channel(slack.dm_channel(USER))
    assert answer.history == ["Thinking…"] and answer.text.startswith("(chat)")


def test_a_bad_signature_is_refused(slack: FakeSlack) -> None:
    harness = PluginHarness(slack_plugin, env={"SLACK_SIGNING_SECRET": SIGNING_SECRET})
    now = int(harness.clock.now().timestamp())
    body = json.dumps(event_callback(dm_event(USER, "hi", "1.1"), "Ev2", now)).encode()
    headers = signed_headers(body, now, secret="not-the-secret")
    assert harness.webhook("/slack/events", body, headers=headers).status == 401
    assert harness.pending == [] and slack.messages == []
