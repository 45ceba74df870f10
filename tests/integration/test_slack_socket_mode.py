"""Socket Mode end to end: slack_bolt's SocketModeHandler (slack_sdk's built-in WebSocket
client) connects to the fake Slack's ``ws://`` endpoint, receives envelopes and acks them
after "Thinking…" is posted and the work deferred, exactly like the HTTP path."""

from __future__ import annotations

import threading

import pytest

from momentum.adapters.slack import socket_mode
from momentum.adapters.slack.constants import THINKING
from momentum.adapters.slack.settings import SlackSettings
from momentum.core.config import Secret
from momentum.core.errors import ConfigError
from momentum.core.memory import InMemoryScheduler
from tests.fakes.fake_slack import (
    FakeSlack,
    RecordingCoach,
    build_slack_app,
    command_fields,
    dm_event,
    event_callback,
)

pytestmark = pytest.mark.integration

USER = "U123ADAM"


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def connected(fake_slack, clock, athlete):
    coach = RecordingCoach()
    app = build_slack_app(fake_slack, clock, [athlete], coach=coach)
    handler = socket_mode.connect(app)
    assert fake_slack.socket_connected()
    yield app, coach
    handler.close()


def test_an_event_over_the_socket_is_acked_after_thinking_and_answered(connected, fake_slack):
    app, coach = connected
    now = int(app.clock.now().timestamp())
    body = event_callback(dm_event(USER, "easy 5k done", "1.1"), "EvS1", now)

    envelope = fake_slack.send_envelope("events_api", body)
    ack = fake_slack.wait_ack(envelope)
    assert ack == {"envelope_id": envelope}
    [thinking] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert thinking.text == THINKING  # posted before the envelope was acked

    assert isinstance(app.scheduler, InMemoryScheduler)
    assert app.scheduler.run_pending() == 1
    [answer] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert answer.text == coach.answer and answer.ts == thinking.ts


def test_a_redelivered_envelope_is_deduplicated(connected, fake_slack):
    app, coach = connected
    now = int(app.clock.now().timestamp())
    body = event_callback(dm_event(USER, "hello", "2.1"), "EvS2", now)
    first = fake_slack.send_envelope("events_api", body)
    assert fake_slack.wait_ack(first) is not None
    again = fake_slack.send_envelope("events_api", body, retry_attempt=1)
    assert fake_slack.wait_ack(again) is not None
    assert isinstance(app.scheduler, InMemoryScheduler)
    assert app.scheduler.run_pending() == 1
    assert len(coach.replies) == 1


def test_slash_command_help_is_answered_in_the_ack(connected, fake_slack):
    envelope = fake_slack.send_envelope("slash_commands", command_fields("help", USER, "C0GENERAL"))
    ack = fake_slack.wait_ack(envelope)
    assert ack is not None
    assert "/momentum week" in ack["payload"]["text"]
    assert ack["payload"]["response_type"] == "ephemeral"


def test_run_blocks_until_stopped(fake_slack, clock, athlete):
    app = build_slack_app(fake_slack, clock, [athlete], coach=RecordingCoach())
    stop = threading.Event()
    thread = threading.Thread(target=socket_mode.run, args=(app, stop), daemon=True)
    thread.start()
    assert fake_slack.socket_connected()
    assert thread.is_alive()
    stop.set()
    thread.join(10)
    assert not thread.is_alive()


def test_socket_mode_needs_an_app_token(fake_slack, clock, athlete):
    app = build_slack_app(fake_slack, clock, [athlete])
    app.settings = type(app.settings)(
        sections={"slack": SlackSettings(bot_token=Secret("xoxb-x"), base_url=fake_slack.api_url)}
    )
    with pytest.raises(ConfigError, match="SLACK_APP_TOKEN"):
        socket_mode.connect(app)
