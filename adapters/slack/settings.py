"""Slack's settings: the ``[slack]`` section of ``momentum.toml`` and its environment
variables (``SLACK_SIGNING_SECRET``, ``SLACK_BOT_TOKEN``, ``SLACK_APP_TOKEN``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from momentum.core.config import Secret, Settings

SECTION = "slack"


@dataclass(frozen=True)
class SlackSettings:
    """Slack credentials: signing secret (HTTP), bot token, app token (Socket Mode), and
    ``base_url`` to point the Web API elsewhere (a fake Slack in tests)."""

    ENV: ClassVar[Mapping[str, str]] = {
        "signing_secret": "SLACK_SIGNING_SECRET",
        "bot_token": "SLACK_BOT_TOKEN",
        "app_token": "SLACK_APP_TOKEN",
    }

    signing_secret: Secret = field(default_factory=lambda: Secret(""))
    bot_token: Secret = field(default_factory=lambda: Secret(""))
    app_token: Secret = field(default_factory=lambda: Secret(""))
    base_url: str = ""


def slack_settings(settings: Settings) -> SlackSettings:
    """The coach's ``[slack]`` settings (file, environment, Secrets port)."""
    return settings.section(SECTION, SlackSettings)
