"""Oura OAuth tokens, kept fresh by core's token keeper (``momentum.TokenKeeper``).

Oura's refresh tokens are single-use: a refresh returns a new one and the old one stops
working; the keeper's versioned writes settle two workers refreshing at once (see
:mod:`momentum.core.oauth_tokens`). This module says how Oura's token answer reads
(``expires_in`` seconds from now) and finds the athlete of an Oura user.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from momentum import (
    ConnectAgain,
    NotConnected,
    OAuthToken,
    Storage,
    TokenProvider,
    store_token,
)
from momentum import TokenKeeper as _Keeper

PROVIDER = "oura"

Refresher = Callable[[str], dict[str, Any]]
"""Exchanges a refresh token for Oura's token JSON (``access_token``, ``refresh_token``,
``expires_in``)."""

__all__ = [
    "PROVIDER",
    "ConnectAgain",
    "NotConnected",
    "Refresher",
    "TokenKeeper",
    "athlete_for_user",
    "store_token",
    "token_from",
]


def token_from(
    info: dict[str, Any], athlete_id: str, now: dt.datetime, **fields: Any
) -> OAuthToken:
    """An :class:`OAuthToken` from Oura's token answer, expiring ``expires_in`` from now."""
    return OAuthToken(
        athlete_id=athlete_id,
        provider=PROVIDER,
        access_token=str(info["access_token"]),
        refresh_token=str(info["refresh_token"]),
        expires_at=now + dt.timedelta(seconds=float(info["expires_in"])),
        **fields,
    )


def _refreshed(info: dict[str, Any], token: OAuthToken, now: dt.datetime) -> OAuthToken:
    return dataclasses.replace(
        token_from(info, token.athlete_id, now),
        provider_athlete_id=token.provider_athlete_id,
        scope=str(info.get("scope") or token.scope),
    )


OURA = TokenProvider(PROVIDER, "Oura", "momentum oura connect", _refreshed)


class TokenKeeper(_Keeper):
    """Core's token keeper for Oura."""

    def __init__(
        self,
        storage: Storage,
        now: Callable[[], dt.datetime],
        refresher: Refresher,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(OURA, storage, now, refresher, sleep=sleep)


def athlete_for_user(storage: Storage, user_id: str) -> str | None:
    """Our athlete for an Oura user id (the identity link ``put_token`` keeps)."""
    return storage.find_identity(PROVIDER, user_id) if user_id else None
