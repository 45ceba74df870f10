"""Oura OAuth tokens, kept fresh; a rotated refresh token is never lost.

Oura's refresh tokens are single-use: a refresh returns a new one and the old one stops
working. Tokens live in the Storage port's token table (``provider="oura"``), and every
write is conditional on the version read, so two workers refreshing at once settle:

- both read version *n*; Oura honours the refresh token once, so one gets new tokens and
  stores version *n+1*;
- the other is refused (``invalid_grant``): it waits for the winner's write to appear and
  uses that token. Only when no newer token shows up is the grant really gone (the athlete
  revoked access), and the athlete must connect again.

A process refreshes one athlete at a time (a lock), so its own threads never race.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from momentum import ConflictError, MomentumError, OAuthToken, Storage
from momentum.plugins.oura.errors import InvalidGrant

log = logging.getLogger("momentum.oura")

PROVIDER = "oura"
REFRESH_MARGIN = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 5
WAIT_FOR_WINNER = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)


class NotConnected(MomentumError):
    """The athlete has no Oura token: run ``momentum oura connect``."""


class ConnectAgain(MomentumError):
    """Oura refused the refresh token and no newer one was stored: connect again."""


Refresher = Callable[[str], dict[str, Any]]
"""Exchanges a refresh token for Oura's token JSON (``access_token``, ``refresh_token``,
``expires_in``)."""


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


class TokenKeeper:
    """Hands out a valid access token per athlete, refreshing through ``refresher``."""

    def __init__(
        self,
        storage: Storage,
        now: Callable[[], dt.datetime],
        refresher: Refresher,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.storage = storage
        self.now = now
        self.refresher = refresher
        self.sleep = sleep
        self._lock = threading.Lock()

    def is_fresh(self, token: OAuthToken) -> bool:
        """True while the access token has more than :data:`REFRESH_MARGIN` left."""
        return token.expires_at - REFRESH_MARGIN > self.now()

    def valid_token(self, athlete_id: str, *, force: bool = False) -> OAuthToken:
        """A stored token whose access token works, refreshed (and stored) when it is
        about to expire, or when ``force`` (Oura just answered 401)."""
        with self._lock:
            seen: OAuthToken | None = None
            for _ in range(MAX_ATTEMPTS):
                token = self.storage.get_token(athlete_id, PROVIDER)
                if token is None:
                    raise NotConnected(
                        f"athlete {athlete_id} has not connected Oura (run: momentum oura connect)"
                    )
                stale = force and (seen is None or seen.version == token.version)
                if self.is_fresh(token) and not stale:
                    return token
                seen = token
                stored = self._refresh(token)
                if stored is not None:
                    return stored
                force = False  # someone else refreshed meanwhile: their token is new
        raise ConnectAgain(f"could not refresh the Oura token of athlete {athlete_id}")

    def _refresh(self, token: OAuthToken) -> OAuthToken | None:
        """Refresh and store; ``None`` means "someone else changed it, look again"."""
        try:
            info = self.refresher(token.refresh_token)
        except InvalidGrant:
            if self._wait_for_newer(token):
                return None
            raise ConnectAgain(
                f"Oura refused the refresh token of athlete {token.athlete_id}; access may "
                "have been revoked (run: momentum oura connect)"
            ) from None
        fresh = dataclasses.replace(
            token_from(info, token.athlete_id, self.now()),
            provider_athlete_id=token.provider_athlete_id,
            scope=str(info.get("scope") or token.scope),
        )
        try:
            return self.storage.put_token(fresh, expected_version=token.version)
        except ConflictError:
            # Only a new connect can write between our read and a refresh Oura honoured.
            log.warning("the Oura token of %s changed while refreshing", token.athlete_id)
            return None

    def _wait_for_newer(self, seen: OAuthToken) -> bool:
        for pause in WAIT_FOR_WINNER:
            current = self.storage.get_token(seen.athlete_id, PROVIDER)
            if current is None:
                return False
            if current.version != seen.version:
                return True
            self.sleep(pause)
        return False


def store_token(storage: Storage, token: OAuthToken) -> OAuthToken:
    """Store a newly granted token set over whatever is there (connect), versioned."""
    for _ in range(MAX_ATTEMPTS):
        current = storage.get_token(token.athlete_id, PROVIDER)
        try:
            return storage.put_token(token, expected_version=current.version if current else 0)
        except ConflictError:
            continue
    raise ConflictError(f"the Oura token of {token.athlete_id} kept changing while connecting")


def athlete_for_user(storage: Storage, user_id: str) -> str | None:
    """Our athlete for an Oura user id (the identity link ``put_token`` keeps)."""
    return storage.find_identity(PROVIDER, user_id) if user_id else None
