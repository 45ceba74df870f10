"""Connecting an athlete's Peloton account, and disconnecting it.

:func:`with_password` is Peloton's own sign-in: the email (or username) and password go
once to Peloton's Auth0 tenant (the password grant) and only the tokens it answers are
kept, through core's ``store_token``; the password is never stored or logged.
:func:`with_refresh_token` is the fallback for accounts a password sign-in can't serve
(a second factor, a client Peloton stopped allowing): a refresh token copied from the web
app. Either way the member id is read from ``/api/me``, an identity link maps it back to
the athlete, and the profile is marked connected so the polling jobs take the athlete.
"""

from __future__ import annotations

from typing import Any

from momentum import App, InputError, OAuthToken, store_token
from momentum.plugins.peloton.client import PelotonClient, client_for
from momentum.plugins.peloton.connection import PASSWORD, WEB, mark_connected, mark_disconnected
from momentum.plugins.peloton.tokens import PROVIDER, client_id_for, token_from

WHERE = "peloton connect"


def _require_athlete(app: App, athlete_id: str) -> None:
    if app.storage.get_athlete(athlete_id) is None:
        raise InputError(WHERE, f"no athlete {athlete_id!r} (run momentum init)")


def with_password(app: App, athlete_id: str, username: str, password: str) -> OAuthToken:
    """Sign in as ``username`` (email or Peloton username) and store the tokens."""
    _require_athlete(app, athlete_id)
    if not username.strip():
        raise InputError(WHERE, "the email or username is empty")
    if not password:
        raise InputError(WHERE, "the password is empty")
    with client_for(app) as client:
        info = client.login(client_id_for(app, PASSWORD), username.strip(), password)
        return _keep(app, client, athlete_id, info, PASSWORD, "")


def with_refresh_token(app: App, athlete_id: str, refresh_token: str) -> OAuthToken:
    """Exchange a refresh token from Peloton's web app and store the tokens."""
    _require_athlete(app, athlete_id)
    refresh = refresh_token.strip()
    if not refresh:
        raise InputError(WHERE, "the refresh token is empty")
    with client_for(app) as client:
        info = client.refresh(client_id_for(app, WEB), refresh)
        return _keep(app, client, athlete_id, info, WEB, refresh)


def _keep(
    app: App,
    client: PelotonClient,
    athlete_id: str,
    info: dict[str, Any],
    sign_in: str,
    refresh: str,
) -> OAuthToken:
    member = client.me(str(info["access_token"]))
    user_id = str(member.get("id") or "")
    if not user_id:
        raise InputError(WHERE, "Peloton did not say who signed in (/api/me has no id)")
    owner = app.storage.find_identity(PROVIDER, user_id)
    if owner is not None and owner != athlete_id:
        raise InputError(WHERE, f"Peloton member {user_id} is already connected to {owner!r}")
    token = token_from(
        info, athlete_id, app.clock.now(), refresh_token=refresh, provider_athlete_id=user_id
    )
    stored = store_token(app.storage, token)
    mark_connected(app.storage, athlete_id, user_id, sign_in)
    return stored


def disconnect(app: App, athlete_id: str) -> bool:
    """Forget the athlete's Peloton tokens and stop polling; imported activities stay.
    Returns whether there was a connection."""
    had = app.storage.get_token(athlete_id, PROVIDER) is not None
    app.storage.delete_token(athlete_id, PROVIDER)
    mark_disconnected(app.storage, athlete_id)
    return had
