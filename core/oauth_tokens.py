"""OAuth tokens kept fresh for any data source, and a rotated refresh token never lost.

Providers such as Oura rotate refresh tokens: a refresh returns a new one and
the old one stops working. Tokens live in the Storage port's token table, and every write
is conditional on the version read, so two processes refreshing at once settle:

- both read version *n*; the provider honours the refresh once, and the winner stores
  version *n+1*;
- the other either refreshes first and then loses the write (:class:`ConflictError`: it
  re-reads and uses the stored token), or is refused by the provider (:class:`InvalidGrant`)
  because the token it sent was just rotated: it waits briefly for the winner's write to
  appear and uses that.

Only when no newer token shows up is the grant really gone (the athlete revoked access):
then :class:`ConnectAgain`. A process refreshes one athlete at a time (a lock), so its own
threads never race. A data source gives a :class:`TokenProvider` (its name, its label and
the command that connects it, and how to read its token answer) and a refresher.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from momentum.core.errors import MomentumError
from momentum.core.model import OAuthToken
from momentum.core.ports.storage import ConflictError, Storage

log = logging.getLogger("momentum.tokens")

REFRESH_MARGIN = dt.timedelta(minutes=5)
"""Refresh a little early, so a token can't expire between the check and the request."""
MAX_ATTEMPTS = 5
WAIT_FOR_WINNER = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
"""Back-off (seconds) while waiting for a concurrent refresher's write to land."""


class InvalidGrant(Exception):
    """The provider said the refresh token is not (or no longer) valid."""


class NotConnected(MomentumError):
    """The athlete has no token for this provider: they must connect it first."""


class ConnectAgain(MomentumError):
    """The provider refused the refresh token and no newer one was stored."""


Refresher = Callable[[str], dict[str, Any]]
"""Exchanges a refresh token for the provider's token answer (JSON as a dict); raises
:class:`InvalidGrant` when the provider refuses the refresh token."""


@dataclass(frozen=True)
class TokenProvider:
    """What the keeper needs to know of a provider."""

    name: str
    """The token's ``provider`` in Storage (``oura``)."""
    label: str
    """How messages name it (``Oura``)."""
    connect: str
    """The command that connects an athlete (``momentum oura connect``)."""
    refreshed: Callable[[dict[str, Any], OAuthToken, dt.datetime], OAuthToken]
    """The stored token after a refresh: ``(answer, old token, now) -> new token``."""


class TokenKeeper:
    """Hands out a valid access token per athlete, refreshing through ``refresher``."""

    def __init__(
        self,
        provider: TokenProvider,
        storage: Storage,
        now: Callable[[], dt.datetime],
        refresher: Refresher,
        *,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.provider = provider
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
        about to expire, or when ``force`` (the provider just answered 401)."""
        p = self.provider
        with self._lock:
            seen: OAuthToken | None = None
            for _ in range(MAX_ATTEMPTS):
                token = self.storage.get_token(athlete_id, p.name)
                if token is None:
                    raise NotConnected(
                        f"athlete {athlete_id} has not connected {p.label} (run: {p.connect})"
                    )
                stale = force and (seen is None or seen.version == token.version)
                if self.is_fresh(token) and not stale:
                    return token
                seen = token
                stored = self._refresh(token)
                if stored is not None:
                    return stored
                force = False  # someone else refreshed meanwhile: their token is new
        raise ConnectAgain(f"could not refresh the {p.label} token of athlete {athlete_id}")

    def _refresh(self, token: OAuthToken) -> OAuthToken | None:
        """Refresh and store; ``None`` means "someone else changed it, look again"."""
        p = self.provider
        try:
            info = self.refresher(token.refresh_token)
        except InvalidGrant:
            if self._wait_for_newer(token):
                return None
            raise ConnectAgain(
                f"{p.label} refused the refresh token of athlete {token.athlete_id}; "
                f"the athlete may have revoked access (run: {p.connect})"
            ) from None
        fresh = p.refreshed(info, token, self.now())
        try:
            return self.storage.put_token(fresh, expected_version=token.version)
        except ConflictError:
            current = self.storage.get_token(token.athlete_id, p.name)
            if current is not None and self.is_fresh(current):
                log.info("another process refreshed the %s token first; using theirs", p.label)
                return current
            return None

    def _wait_for_newer(self, seen: OAuthToken) -> bool:
        for pause in WAIT_FOR_WINNER:
            current = self.storage.get_token(seen.athlete_id, self.provider.name)
            if current is None:
                return False
            if current.version != seen.version:
                return True
            self.sleep(pause)
        return False


def store_token(storage: Storage, token: OAuthToken) -> OAuthToken:
    """Store a newly granted token set over whatever is there (connect), versioned."""
    for _ in range(MAX_ATTEMPTS):
        current = storage.get_token(token.athlete_id, token.provider)
        try:
            return storage.put_token(token, expected_version=current.version if current else 0)
        except ConflictError:
            continue
    raise ConflictError(
        f"the {token.provider} token of {token.athlete_id} kept changing while connecting"
    )
