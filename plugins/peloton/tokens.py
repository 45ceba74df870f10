"""Peloton sign-in tokens, kept fresh by core's token keeper (``momentum.TokenKeeper``).

Peloton's Auth0 tenant may rotate refresh tokens; the keeper's versioned writes settle two
workers refreshing at once (see :mod:`momentum.core.oauth_tokens`). This module says how
Peloton's token answer reads (``expires_in`` seconds from now; the refresh token kept when
not rotated) and which client a refresh uses: the one that issued the refresh token.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from momentum import App, OAuthToken, TokenKeeper, TokenProvider, store_token
from momentum.plugins.peloton.client import PelotonClient
from momentum.plugins.peloton.connection import WEB, sign_in_of
from momentum.plugins.peloton.settings import peloton_settings

PROVIDER = "peloton"

__all__ = ["PELOTON", "PROVIDER", "client_id_for", "keeper_for", "store_token", "token_from"]


def token_from(
    info: dict[str, Any], athlete_id: str, now: dt.datetime, **fields: Any
) -> OAuthToken:
    """A token record from Peloton's sign-in answer; ``refresh_token`` in ``fields`` is
    kept when Peloton did not rotate it."""
    kept = str(fields.pop("refresh_token", ""))
    return OAuthToken(
        athlete_id=athlete_id,
        provider=PROVIDER,
        access_token=str(info["access_token"]),
        refresh_token=str(info.get("refresh_token") or kept),
        expires_at=now + dt.timedelta(seconds=float(info["expires_in"])),
        scope=str(info.get("scope") or fields.pop("scope", "")),
        **fields,
    )


def _refreshed(info: dict[str, Any], token: OAuthToken, now: dt.datetime) -> OAuthToken:
    return dataclasses.replace(
        token_from(info, token.athlete_id, now, refresh_token=token.refresh_token),
        provider_athlete_id=token.provider_athlete_id,
        scope=str(info.get("scope") or token.scope),
    )


PELOTON = TokenProvider(PROVIDER, "Peloton", "momentum peloton connect", _refreshed)


def client_id_for(app: App, sign_in: str) -> str:
    """The client a sign-in's refresh token belongs to (Auth0 binds them)."""
    settings = peloton_settings(app.settings)
    return settings.web_client_id if sign_in == WEB else settings.client_id


def keeper_for(app: App, client: PelotonClient, athlete_id: str) -> TokenKeeper:
    """Core's token keeper for one athlete's Peloton sign-in, refreshing through
    ``client`` with the client id that issued the athlete's refresh token."""
    client_id = client_id_for(app, sign_in_of(app.storage.get_athlete(athlete_id)))
    return TokenKeeper(
        PELOTON, app.storage, app.clock.now, lambda refresh: client.refresh(client_id, refresh)
    )
