"""Strava OAuth tokens, kept fresh by core's :mod:`momentum.core.oauth_tokens` keeper.

Strava access tokens live six hours; a refresh may return a new refresh token, after which
the old one stops working, so every write is conditional on the version read (the keeper
explains how two refreshing processes settle). This module says how Strava's token answer
reads (``expires_at`` in epoch seconds) and refreshes through stravalib.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from momentum.core.errors import ConfigError
from momentum.core.model import OAuthToken
from momentum.core.oauth_tokens import (
    ConnectAgain,
    InvalidGrant,
    NotConnected,
    Refresher,
    TokenProvider,
    store_token,
)
from momentum.core.oauth_tokens import TokenKeeper as _Keeper
from momentum.core.ports.clock import Clock
from momentum.core.ports.storage import Storage

PROVIDER = "strava"
RefreshRefused = ConnectAgain
"""Strava refused the refresh token and no newer one was stored: connect again."""

__all__ = [
    "PROVIDER",
    "InvalidGrant",
    "NotConnected",
    "RefreshRefused",
    "Refresher",
    "TokenKeeper",
    "athlete_for_owner",
    "from_epoch",
    "store_token",
    "stravalib_refresher",
]


def from_epoch(seconds: float) -> dt.datetime:
    """An aware UTC datetime from epoch seconds."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


def _refreshed(info: dict[str, Any], token: OAuthToken, now: dt.datetime) -> OAuthToken:
    return dataclasses.replace(
        token,
        access_token=str(info["access_token"]),
        refresh_token=str(info["refresh_token"]),
        expires_at=from_epoch(float(info["expires_at"])),
    )


STRAVA = TokenProvider(PROVIDER, "Strava", "momentum strava connect", _refreshed)


class TokenKeeper(_Keeper):
    """Core's token keeper for Strava (tokens carry ``expires_at`` as epoch seconds)."""

    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        refresher: Refresher,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(STRAVA, storage, clock.now, refresher, sleep=sleep)
        self.clock = clock


def stravalib_refresher(settings: Any) -> Refresher:
    """A refresher that calls Strava's token endpoint through stravalib."""
    from momentum.plugins.strava.api import app_credentials, fault_status, make_client

    def refresh(refresh_token: str) -> dict[str, Any]:
        from stravalib import exc

        client_id, client_secret = app_credentials(settings)
        client = make_client(settings)
        try:
            info = client.refresh_access_token(
                client_id=client_id, client_secret=client_secret, refresh_token=refresh_token
            )
        except exc.Fault as error:
            status = fault_status(error)
            if status == 400:
                raise InvalidGrant(str(error)) from error
            if status == 401:
                raise ConfigError("Strava rejected the client id or secret") from error
            raise
        return dict(info)

    return refresh


def athlete_for_owner(storage: Storage, owner_id: int | str) -> str | None:
    """Our athlete id for a Strava athlete id (``OAuthToken.provider_athlete_id``): one
    read of the identity link Storage keeps when a token is stored (and drops when it is
    deleted), never a walk over every athlete."""
    return storage.find_identity(PROVIDER, str(owner_id))
