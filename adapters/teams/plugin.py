"""Teams registers as a chat platform through the ``momentum`` entry-point group.

Nothing heavy is imported here: the Teams SDK, MSAL and PyJWT load inside the callables,
the first time a coach builds its Teams chat or installs ``/api/messages``.
"""

from __future__ import annotations

from typing import Any

from momentum.adapters.teams.settings import SECTION, TeamsSettings, teams_settings
from momentum.core.app import App
from momentum.core.config import Settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import ChatPlatform
from momentum.core.ports.chat import Chat


def build_chat(settings: Settings) -> Chat:
    """A :class:`~momentum.adapters.teams.chat.TeamsChat` from ``[teams]``."""
    try:
        from momentum.adapters.teams.chat import TeamsChat
    except ImportError as exc:
        raise ConfigError(
            f"Teams support is not available ({exc}); install it with "
            "pip install 'momentum-coach[teams]'"
        ) from exc
    return TeamsChat.from_settings(teams_settings(settings))


def can_post(settings: Settings) -> bool:
    """The app id and its password are set (the bot can get a token)."""
    teams = teams_settings(settings)
    return bool(teams.app_id and teams.app_password)


def receives(settings: Settings) -> bool:
    """The app id is set, so ``/api/messages`` can check tokens' audience."""
    return bool(teams_settings(settings).app_id)


def install(app: App) -> None:
    """Route ``/api/messages`` and register Teams' deferred handlers on ``app``."""
    try:
        from momentum.adapters.teams.bridge import install as install_bridge
    except ImportError as exc:
        raise ConfigError(
            f"TEAMS_APP_ID is set but the Teams adapter is not available ({exc}); "
            "install momentum-coach[teams] (or deploy with chat 'teams') or unset it"
        ) from exc
    install_bridge(app)


PLATFORM = ChatPlatform(
    "teams",
    build_chat=build_chat,
    can_post=can_post,
    receives=receives,
    install=install,
    description="Microsoft Teams: personal chat, proactive DMs and Adaptive Cards",
)


@hookimpl
def momentum_chat_platforms() -> list[ChatPlatform]:
    """Teams."""
    return [PLATFORM]


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[teams]``: app id, app password, tenant and the Bot Framework endpoints."""
    return {SECTION: TeamsSettings}


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum teams package``."""
    from momentum.adapters.teams.cli import register

    register(cli)
