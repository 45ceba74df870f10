"""Slack registers as a chat platform through the ``momentum`` entry-point group.

Nothing heavy is imported here: slack-bolt and slack-sdk load inside the callables, the
first time a coach builds its Slack chat or installs ``/slack/events``.
"""

from __future__ import annotations

from typing import Any

from momentum.adapters.slack.settings import SECTION, SlackSettings, slack_settings
from momentum.core.app import App
from momentum.core.config import Settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import ChatPlatform
from momentum.core.ports.chat import Chat


def build_chat(settings: Settings) -> Chat:
    """A :class:`~momentum.adapters.slack.chat.SlackChat` from ``[slack]``."""
    try:
        from momentum.adapters.slack.chat import SlackChat
    except ImportError as exc:
        raise ConfigError(
            f"Slack support is not available ({exc}); install it with "
            "pip install 'momentum-coach[slack]'"
        ) from exc
    return SlackChat.from_settings(slack_settings(settings))


def can_post(settings: Settings) -> bool:
    """A bot token is set."""
    return bool(slack_settings(settings).bot_token)


def receives(settings: Settings) -> bool:
    """A signing secret is set, so ``/slack/events`` can verify callers."""
    return bool(slack_settings(settings).signing_secret)


def install(app: App) -> None:
    """Route ``/slack/events`` and register Slack's deferred handlers on ``app``."""
    try:
        from momentum.adapters.slack.bolt_app import install as install_bolt
    except ImportError as exc:
        raise ConfigError(
            f"SLACK_SIGNING_SECRET is set but the Slack adapter is not available ({exc}); "
            "install momentum-coach[slack] (or deploy with chat 'slack') or drop the secret"
        ) from exc
    install_bolt(app)


PLATFORM = ChatPlatform(
    "slack",
    build_chat=build_chat,
    can_post=can_post,
    receives=receives,
    install=install,
    description="Slack on slack-bolt: DMs, mentions, /momentum, HTTP or Socket Mode",
)


@hookimpl
def momentum_chat_platforms() -> list[ChatPlatform]:
    """Slack."""
    return [PLATFORM]


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[slack]``: signing secret, bot token, app token and the API's base URL."""
    return {SECTION: SlackSettings}
