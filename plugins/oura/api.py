"""An Oura client and token keeper for one coach, and calls made with an athlete's token
(refreshed on expiry, and once more if Oura answers 401)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from momentum import App, ConfigError
from momentum.plugins.oura.client import OuraClient, Unauthorized
from momentum.plugins.oura.settings import OuraSettings, oura_settings
from momentum.plugins.oura.tokens import Refresher, TokenKeeper

if TYPE_CHECKING:
    from momentum.core.ports.transport import Transport

T = TypeVar("T")

_KEEPERS: dict[int, tuple[Any, TokenKeeper]] = {}
_LOCK = threading.Lock()


def client_for(settings: OuraSettings, *, transport: Transport | None = None) -> OuraClient:
    """A client on ``settings.api_url`` with the configured timeout; its HTTP goes
    through ``transport`` when given, or the Worker's ``fetch`` inside a Worker."""
    from momentum.adapters.outbound import worker_transport

    seam = transport or worker_transport()
    http = None
    if seam is not None:
        from momentum.adapters.outbound.httpx_seam import SeamHttpxTransport

        http = SeamHttpxTransport(seam, timeout=settings.timeout_seconds)
    return OuraClient(settings.api_url, timeout=settings.timeout_seconds, transport=http)


def app_credentials(settings: OuraSettings) -> tuple[str, str]:
    """``(client_id, client_secret)``, or :class:`ConfigError` saying what to set."""
    secret = settings.client_secret.reveal()
    if not settings.client_id or not secret:
        raise ConfigError(
            "Oura needs OURA_CLIENT_ID and OURA_CLIENT_SECRET (or [oura] client_id and "
            "client_secret): register an application at https://cloud.ouraring.com/oauth/applications"
        )
    return settings.client_id, secret


def refresher(settings: OuraSettings) -> Refresher:
    """Exchanges a refresh token at Oura's token endpoint."""

    def refresh(refresh_token: str) -> dict[str, Any]:
        client_id, client_secret = app_credentials(settings)
        with client_for(settings) as client:
            return client.token(
                {
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                    "client_id": client_id,
                    "client_secret": client_secret,
                },
                "refreshing the Oura token",
            )

    return refresh


def keeper_for(app: App) -> TokenKeeper:
    """The coach's token keeper (one per storage, so its lock covers this process)."""
    with _LOCK:
        found = _KEEPERS.get(id(app.storage))
        if found is None or found[0] is not app.storage:
            keeper = TokenKeeper(app.storage, app.clock.now, refresher(oura_settings(app.settings)))
            found = (app.storage, keeper)
            _KEEPERS[id(app.storage)] = found
        return found[1]


def with_token(app: App, athlete_id: str, call: Callable[[OuraClient, str], T]) -> T:
    """Run ``call(client, access_token)``; a 401 forces one refresh and one retry."""
    keeper = keeper_for(app)
    with client_for(oura_settings(app.settings)) as client:
        token = keeper.valid_token(athlete_id)
        try:
            return call(client, token.access_token)
        except Unauthorized:
            token = keeper.valid_token(athlete_id, force=True)
            return call(client, token.access_token)
