"""Strava's settings: the ``[strava]`` section of ``momentum.toml`` and its environment
variables (``STRAVA_CLIENT_ID``, ``STRAVA_CLIENT_SECRET``, ``STRAVA_VERIFY_TOKEN``,
``STRAVA_SUBSCRIPTION_ID``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from momentum.core.config import Secret, Settings

SECTION = "strava"


@dataclass(frozen=True)
class StravaSettings:
    """Strava API application credentials, the webhook verify token and subscription id,
    and ``base_url`` to move every call to another host (a fake Strava in tests)."""

    ENV: ClassVar[Mapping[str, str]] = {
        "client_id": "STRAVA_CLIENT_ID",
        "client_secret": "STRAVA_CLIENT_SECRET",
        "verify_token": "STRAVA_VERIFY_TOKEN",
        "subscription_id": "STRAVA_SUBSCRIPTION_ID",
    }

    client_id: str = ""
    client_secret: Secret = field(default_factory=lambda: Secret(""))
    verify_token: Secret = field(default_factory=lambda: Secret(""))
    subscription_id: str = ""
    base_url: str = ""


def strava_settings(settings: Settings) -> StravaSettings:
    """The coach's ``[strava]`` settings (file, environment, Secrets port)."""
    return settings.section(SECTION, StravaSettings)
