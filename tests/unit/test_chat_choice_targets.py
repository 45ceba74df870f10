"""The AWS and local targets choose their chat through core's one choice and the
chat-platform hook (Slack registers through it)."""

from __future__ import annotations

import pytest

from momentum.adapters.aws.bootstrap import choose_chat
from momentum.adapters.local.console_chat import ConsoleChat
from momentum.adapters.local.server import chat_for
from momentum.adapters.slack.settings import SlackSettings
from momentum.core.config import Secret, Settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost, load_plugins

SLACK = Settings(
    sections={"slack": SlackSettings(signing_secret=Secret("s"), bot_token=Secret("xoxb-1"))}
)


@pytest.mark.aws
def test_aws_speaks_slack_when_it_is_configured_and_logs_otherwise() -> None:
    host = load_plugins()
    assert type(choose_chat(SLACK, {}, host)).__name__ == "SlackChat"
    assert type(choose_chat(Settings(), {}, host)).__name__ == "LoggingChat"
    assert type(choose_chat(SLACK, {"MOMENTUM_CHAT": "log"}, host)).__name__ == "LoggingChat"
    # Teams is a platform now: asked for but not configured, the log speaks.
    assert type(choose_chat(SLACK, {"MOMENTUM_CHAT": "teams"}, host)).__name__ == "LoggingChat"
    with pytest.raises(ConfigError, match=r"chat 'discord' is not available \(choose one of"):
        choose_chat(SLACK, {"MOMENTUM_CHAT": "discord"}, host)


@pytest.mark.aws
def test_without_the_slack_plugin_aws_logs() -> None:
    assert type(choose_chat(SLACK, {}, PluginHost())).__name__ == "LoggingChat"


def test_local_speaks_slack_when_configured_or_asked_and_the_console_otherwise() -> None:
    assert type(chat_for(SLACK, socket_mode=False)).__name__ == "SlackChat"
    console_file = Settings(chat="console", sections=SLACK.sections)  # as momentum init writes
    assert type(chat_for(console_file, socket_mode=False)).__name__ == "SlackChat"
    assert isinstance(chat_for(Settings(), socket_mode=False), ConsoleChat)
