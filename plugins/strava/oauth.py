"""``momentum strava connect``: Strava's OAuth authorization-code flow, run locally.

A one-shot HTTP listener on 127.0.0.1 receives Strava's redirect; the ``state`` value
ties the redirect to this run (CSRF), the granted scopes are checked (an athlete can
untick "view data about your private activities"), and stravalib exchanges the code for
tokens, which are stored versioned like every later refresh. In the Strava app's
settings the *Authorization Callback Domain* must be ``127.0.0.1``.
"""

from __future__ import annotations

import datetime as dt
import hmac
import secrets
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.model import OAuthToken
from momentum.core.oauth_redirect import RedirectListener
from momentum.plugins.strava.api import app_credentials, make_client
from momentum.plugins.strava.settings import strava_settings
from momentum.plugins.strava.tokens import PROVIDER, athlete_for_owner, from_epoch, store_token

CALLBACK_PATH = "/strava/callback"
DEFAULT_PORT = 8725
SCOPES = ("read", "activity:read_all")
"""``activity:read_all`` so runs marked "only me" are coached too; nothing is written."""
READ_SCOPES = {"activity:read", "activity:read_all"}
SOURCE = "strava connect"


@dataclass(frozen=True)
class Callback:
    """What Strava's redirect carried."""

    params: dict[str, str]


def check_callback(callback: Callback, state: str) -> tuple[str, str]:
    """``(code, granted scope)`` from a redirect, or :class:`InputError` saying why not."""
    params = callback.params
    if not hmac.compare_digest(params.get("state", "").encode(), state.encode()):
        raise InputError(SOURCE, "the redirect's state does not match this run (not ours)")
    if "error" in params:
        raise InputError(SOURCE, f"Strava access was not granted ({params['error']})")
    code = params.get("code", "")
    if not code:
        raise InputError(SOURCE, "the redirect carried no authorization code")
    scope = params.get("scope", "")
    if not READ_SCOPES & set(scope.split(",")):
        raise InputError(
            SOURCE, f"activity access was not granted (scope {scope!r}); tick it and retry"
        )
    return code, scope


def connect(
    app: App,
    athlete_id: str,
    *,
    port: int = DEFAULT_PORT,
    open_browser: bool = True,
    timeout: float = 300.0,
    announce: Callable[[str], None] = print,
) -> OAuthToken:
    """Run the flow for ``athlete_id`` and store the tokens; returns the stored token."""
    if app.storage.get_athlete(athlete_id) is None:
        raise InputError(SOURCE, f"no athlete {athlete_id!r} (run momentum init first)")
    client_id, client_secret = app_credentials(strava_settings(app.settings))
    client = make_client(strava_settings(app.settings))
    state = secrets.token_urlsafe(24)
    with RedirectListener("Strava", CALLBACK_PATH, port) as listener:
        url = client.authorization_url(
            client_id=client_id,
            redirect_uri=listener.redirect_uri,
            scope=list(SCOPES),  # type: ignore[arg-type]
            state=state,
            approval_prompt="auto",
        )
        announce(f"Open this page to connect Strava (waiting for the redirect):\n{url}")
        if open_browser:
            webbrowser.open(url)
        callback = Callback(listener.wait(timeout))
    code, scope = check_callback(callback, state)
    exchanged = client.exchange_code_for_token(
        client_id=client_id, client_secret=client_secret, code=code, return_athlete=True
    )
    info, athlete = cast("tuple[dict[str, Any], Any]", exchanged)
    provider_id = str(athlete.id) if athlete is not None and athlete.id else ""
    other = athlete_for_owner(app.storage, provider_id) if provider_id else None
    if other is not None and other != athlete_id:
        raise InputError(SOURCE, f"Strava athlete {provider_id} is already connected to {other!r}")
    token = OAuthToken(
        athlete_id=athlete_id,
        provider=PROVIDER,
        access_token=str(info["access_token"]),
        refresh_token=str(info["refresh_token"]),
        expires_at=from_epoch(float(info["expires_at"])),
        provider_athlete_id=provider_id,
        scope=scope,
    )
    return store_token(app.storage, token)


def status_json(
    athlete_id: str, token: OAuthToken | None, subscription_id: str | None, now: dt.datetime
) -> dict[str, object]:
    """``momentum strava status --json``: the connection and subscription, never a token."""
    status: dict[str, object] = {
        "athlete_id": athlete_id,
        "connected": token is not None,
        "subscription_id": subscription_id,
    }
    if token is not None:
        seconds = (token.expires_at - now).total_seconds()
        status.update(
            strava_athlete_id=token.provider_athlete_id or None,
            scope=token.scope or None,
            expires_at=token.expires_at.isoformat(),
            access_token_valid_minutes=max(0, int(seconds // 60)),
            expired=seconds <= 0,
            token_version=token.version,
        )
    return status


def describe(token: OAuthToken, now: dt.datetime) -> str:
    """One line about a stored connection (never the tokens themselves)."""
    minutes = int((token.expires_at - now).total_seconds() // 60)
    state = (
        f"access token valid for {minutes} min"
        if minutes > 0
        else "access token expired (refreshed on next use)"
    )
    return (
        f"Strava athlete {token.provider_athlete_id or '?'} · scope {token.scope or '?'} · "
        f"{state} · version {token.version}"
    )
