"""Teams' settings: the ``[teams]`` section of ``momentum.toml`` and its environment
variables (``TEAMS_APP_ID``, ``TEAMS_APP_PASSWORD``, ``TEAMS_TENANT_ID``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from momentum.core.config import Secret, Settings

SECTION = "teams"
PUBLIC_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
PUBLIC_ISSUER = "https://api.botframework.com"
PUBLIC_LOGIN = "https://login.microsoftonline.com"
PUBLIC_BOT_SCOPE = "https://api.botframework.com/.default"


@dataclass(frozen=True)
class TeamsSettings:
    """The bot's Microsoft app registration and the Bot Framework endpoints.

    ``app_id`` is the Azure Bot's Microsoft App ID (the audience of every incoming token);
    ``app_password`` its client secret; ``tenant_id`` the single tenant it lives in (new
    multi-tenant bots are deprecated). The endpoint fields default to Microsoft's public
    cloud; tests point them at a loopback fake.
    """

    ENV: ClassVar[Mapping[str, str]] = {
        "app_id": "TEAMS_APP_ID",
        "app_password": "TEAMS_APP_PASSWORD",
        "tenant_id": "TEAMS_TENANT_ID",
    }

    app_id: str = ""
    app_password: Secret = field(default_factory=lambda: Secret(""))
    tenant_id: str = ""
    openid_metadata_url: str = PUBLIC_OPENID_METADATA
    token_issuer: str = PUBLIC_ISSUER
    login_endpoint: str = PUBLIC_LOGIN
    bot_scope: str = PUBLIC_BOT_SCOPE
    bot_name: str = "Momentum"


def teams_settings(settings: Settings) -> TeamsSettings:
    """The coach's ``[teams]`` settings (file, environment, Secrets port)."""
    return settings.section(SECTION, TeamsSettings)
