"""Peloton sign-in tokens in the Storage port (``provider="peloton"``), refreshed before
they expire. Writes are conditional on the version read, so when two workers refresh at
once only one write lands; the other re-reads and uses the stored token. If Peloton
rotated the refresh token, the stored one is always the newest."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from typing import Any

from momentum import App, ConflictError, MomentumError, OAuthToken
from momentum.plugins.peloton.client import InvalidGrant, PelotonClient
from momentum.plugins.peloton.settings import peloton_settings

PROVIDER = "peloton"
REFRESH_MARGIN = dt.timedelta(minutes=5)
WAIT_FOR_WINNER = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
_LOCK = threading.Lock()


class NotConnected(MomentumError):
    """No Peloton sign-in stored: run ``momentum peloton connect``."""


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
        **fields,
    )


def valid_token(app: App, client: PelotonClient, athlete_id: str) -> OAuthToken:
    """A stored token whose access token is good for a few more minutes."""
    settings = peloton_settings(app.settings)
    with _LOCK:
        for _ in range(5):
            token = app.storage.get_token(athlete_id, PROVIDER)
            if token is None:
                raise NotConnected(
                    f"athlete {athlete_id} has not connected Peloton "
                    "(run: momentum peloton connect)"
                )
            if token.expires_at - REFRESH_MARGIN > app.clock.now():
                return token
            try:
                info = client.refresh(settings.client_id, token.refresh_token)
            except InvalidGrant:
                if _newer_appeared(app, token):
                    continue
                raise MomentumError(
                    f"Peloton refused the stored sign-in of {athlete_id}; "
                    "run: momentum peloton connect"
                ) from None
            fresh = dataclasses.replace(
                token_from(info, athlete_id, app.clock.now(), refresh_token=token.refresh_token),
                provider_athlete_id=token.provider_athlete_id,
            )
            try:
                return app.storage.put_token(fresh, expected_version=token.version)
            except ConflictError:
                continue
    raise MomentumError(f"could not refresh the Peloton sign-in of {athlete_id}")


def _newer_appeared(app: App, seen: OAuthToken) -> bool:
    for pause in WAIT_FOR_WINNER:
        current = app.storage.get_token(seen.athlete_id, PROVIDER)
        if current is not None and current.version != seen.version:
            return True
        time.sleep(pause)
    return False


def store_token(app: App, token: OAuthToken) -> OAuthToken:
    """Store a new sign-in over whatever is there, versioned."""
    for _ in range(5):
        current = app.storage.get_token(token.athlete_id, PROVIDER)
        try:
            return app.storage.put_token(token, expected_version=current.version if current else 0)
        except ConflictError:
            continue
    raise ConflictError(f"the Peloton sign-in of {token.athlete_id} kept changing")
