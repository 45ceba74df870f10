"""The ``[oura]`` section of ``momentum.toml`` and its environment variables
(``OURA_CLIENT_ID``, ``OURA_CLIENT_SECRET``, ``OURA_VERIFICATION_TOKEN``)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from momentum import Secret, Settings

SECTION = "oura"
API_URL = "https://api.ouraring.com"
AUTHORIZE_URL = "https://cloud.ouraring.com/oauth/authorize"


@dataclass(frozen=True)
class OuraSettings:
    """The Oura API application's credentials, the webhook verification token, where the
    OAuth redirect lands (``public_url`` + ``/oura/callback`` on a deployed coach), how far
    back a backfill reaches, and the athlete's nightly sleep need.

    ``api_url`` and ``authorize_url`` move every call to another host (a fake Oura in
    tests)."""

    ENV: ClassVar[Mapping[str, str]] = {
        "client_id": "OURA_CLIENT_ID",
        "client_secret": "OURA_CLIENT_SECRET",
        "verification_token": "OURA_VERIFICATION_TOKEN",
    }

    client_id: str = ""
    client_secret: Secret = field(default_factory=lambda: Secret(""))
    verification_token: Secret = field(default_factory=lambda: Secret(""))
    public_url: str = ""
    """The coach's public base URL (``https://coach.example.com``): the webhook callback
    and the OAuth redirect of a deployed coach live under it."""
    api_url: str = API_URL
    authorize_url: str = AUTHORIZE_URL
    backfill_days: int = 90
    sleep_need_hours: float = 8.0
    timeout_seconds: float = 15.0


def oura_settings(settings: Settings) -> OuraSettings:
    """The coach's ``[oura]`` settings (file, environment, Secrets port)."""
    return settings.section(SECTION, OuraSettings)
