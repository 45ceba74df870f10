"""Strava OAuth tokens: kept fresh, and a rotated refresh token is never lost.

Strava access tokens live six hours; a refresh may return a new refresh token, after
which the old one stops working. So every write is conditional on the version read
(``Storage.put_token``), and two processes refreshing at once settle like this:

- both read version *n*; one wins the refresh at Strava and stores version *n+1*;
- the other either gets its own refresh in first and then loses the write
  (:class:`~momentum.core.ports.storage.ConflictError`: it re-reads and uses the stored, newer
  token), or is refused by Strava because the refresh token it sent was just rotated:
  it waits briefly for the winner's write to appear, then uses that.

Only if no newer token shows up is the refresh token really dead (the athlete revoked
access): then the athlete must connect again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from momentum.core.errors import ConfigError, MomentumError
from momentum.core.model import OAuthToken
from momentum.core.ports.clock import Clock
from momentum.core.ports.storage import ConflictError, Storage

log = logging.getLogger("momentum.strava")

PROVIDER = "strava"
REFRESH_MARGIN = dt.timedelta(minutes=5)
"""Refresh a little early, so a token can't expire between the check and the request."""
MAX_ATTEMPTS = 5
WAIT_FOR_WINNER = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""Back-off (seconds) while waiting for a concurrent refresher's write to land."""


class NotConnected(MomentumError):
    """The athlete has no Strava token: run ``momentum strava connect``."""


class RefreshRefused(MomentumError):
    """Strava refused the refresh token and no newer one was stored: connect again."""


class InvalidGrant(Exception):
    """Strava said the refresh token is not (or no longer) valid."""


Refresher = Callable[[str], dict[str, Any]]
"""Exchanges a refresh token for ``{"access_token", "refresh_token", "expires_at"}``."""


def from_epoch(seconds: float) -> dt.datetime:
    """An aware UTC datetime from epoch seconds."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC)


class TokenKeeper:
    """Hands out a valid access token per athlete, refreshing through ``refresher``."""

    def __init__(
        self,
        storage: Storage,
        clock: Clock,
        refresher: Refresher,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.storage = storage
        self.clock = clock
        self.refresher = refresher
        self.sleep = sleep
        self._lock = threading.Lock()

    def is_fresh(self, token: OAuthToken) -> bool:
        """True while the access token has more than :data:`REFRESH_MARGIN` left."""
        return token.expires_at - REFRESH_MARGIN > self.clock.now()

    def valid_token(self, athlete_id: str) -> OAuthToken:
        """A stored token with a usable access token, refreshed (and stored) if needed."""
        # One refresh at a time in this process; other processes race through Storage.
        with self._lock:
            for _ in range(MAX_ATTEMPTS):
                token = self.storage.get_token(athlete_id, PROVIDER)
                if token is None:
                    raise NotConnected(
                        f"athlete {athlete_id} has not connected Strava "
                        "(run: momentum strava connect)"
                    )
                if self.is_fresh(token):
                    return token
                stored = self._refresh(token)
                if stored is not None:
                    return stored
        raise RefreshRefused(f"could not refresh the Strava token of athlete {athlete_id}")

    def _refresh(self, token: OAuthToken) -> OAuthToken | None:
        """Refresh and store; ``None`` means "someone else changed it, look again"."""
        try:
            info = self.refresher(token.refresh_token)
        except InvalidGrant:
            if self._wait_for_newer(token):
                return None
            raise RefreshRefused(
                f"Strava refused the refresh token of athlete {token.athlete_id}; "
                "the athlete may have revoked access (run: momentum strava connect)"
            ) from None
        fresh = dataclasses.replace(
            token,
            access_token=str(info["access_token"]),
            refresh_token=str(info["refresh_token"]),
            expires_at=from_epoch(float(info["expires_at"])),
        )
        try:
            return self.storage.put_token(fresh, expected_version=token.version)
        except ConflictError:
            current = self.storage.get_token(token.athlete_id, PROVIDER)
            if current is not None and self.is_fresh(current):
                log.info("another process refreshed the Strava token first; using theirs")
                return current
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
    raise ConflictError(f"Strava token of {token.athlete_id} kept changing while connecting")


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
