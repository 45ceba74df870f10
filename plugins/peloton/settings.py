"""The ``[peloton]`` section of ``momentum.toml``."""

from __future__ import annotations

from dataclasses import dataclass

from momentum import Settings

SECTION = "peloton"
API_URL = "https://api.onepeloton.com"
AUTH_URL = "https://auth.onepeloton.com"
APP_CLIENT_ID = "mgsmWCD0A8Qn6uz6mmqI6qeBNHH9IPwS"
"""The public client id of Peloton's own app, which may sign in with a password (the one
pylotoncycle uses; Peloton's web client refuses the password grant)."""
WEB_CLIENT_ID = "WVoJxVDdPoFx4RNewvvg6ch2mZ7bwnsM"
"""The public client id of Peloton's web app: a refresh token copied from a browser
sign-in belongs to it, and is refreshed with it."""


@dataclass(frozen=True)
class PelotonSettings:
    """Where Peloton's API and sign-in live (a fake Peloton in tests), the sign-in's client
    ids (``client_id`` for a password sign-in, ``web_client_id`` for a refresh token pasted
    from the web app), how many days each poll re-reads, and the performance graph's
    sampling (seconds per sample)."""

    api_url: str = API_URL
    auth_url: str = AUTH_URL
    client_id: str = APP_CLIENT_ID
    web_client_id: str = WEB_CLIENT_ID
    poll_days: int = 3
    every_n: int = 1
    timeout_seconds: float = 15.0


def peloton_settings(settings: Settings) -> PelotonSettings:
    """The coach's ``[peloton]`` settings."""
    return settings.section(SECTION, PelotonSettings)
