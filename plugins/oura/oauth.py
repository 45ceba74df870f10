"""Oura's OAuth2 authorization-code flow: the authorize URL, and the redirect completed.

The same completion serves ``momentum oura connect`` (a one-shot listener on 127.0.0.1)
and the ``/oura/callback`` route every target serves (``public_url`` + ``/oura/callback``
registered as a redirect URI of the Oura application). ``state`` ties a redirect to the
athlete who started it: it is issued with a time and kept as an identity link
(``oura-oauth-state``), valid for :data:`STATE_TTL` and used once, so a forged or replayed
redirect stores nothing. The code is exchanged at Oura's token endpoint, the Oura user id
read from ``personal_info``, and the token set stored versioned.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import secrets
from collections.abc import Mapping
from urllib.parse import urlencode

from momentum import App, HttpRequest, HttpResponse, InputError, MomentumError, OAuthToken
from momentum.plugins.oura.settings import oura_settings
from momentum.plugins.oura.tokens import athlete_for_user, store_token, token_from

CALLBACK_PATH = "/oura/callback"
SCOPES = ("personal", "daily", "heartrate", "workout", "session")
STATE_KIND = "oura-oauth-state"
STATE_TTL = dt.timedelta(minutes=15)
SOURCE = "oura connect"

log = logging.getLogger("momentum.oura")


def start(app: App, athlete_id: str, redirect_uri: str) -> tuple[str, str]:
    """``(authorize URL, state)`` for ``athlete_id``; the state is remembered."""
    if app.storage.get_athlete(athlete_id) is None:
        raise InputError(SOURCE, f"no athlete {athlete_id!r} (run momentum init first)")
    from momentum.plugins.oura.api import app_credentials

    settings = oura_settings(app.settings)
    client_id, _ = app_credentials(settings)
    state = f"{int(app.clock.now().timestamp())}.{secrets.token_urlsafe(24)}"
    app.storage.link_identity(STATE_KIND, state, athlete_id)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": " ".join(SCOPES),
            "state": state,
        }
    )
    return f"{settings.authorize_url}?{query}", state


def _athlete_for_state(app: App, state: str) -> str:
    issued, _, _ = state.partition(".")
    if not issued.isdigit() or not state:
        raise InputError(SOURCE, "the redirect's state is missing or malformed")
    athlete_id = app.storage.find_identity(STATE_KIND, state)
    if athlete_id is None:
        raise InputError(SOURCE, "the redirect's state is unknown or already used")
    app.storage.unlink_identity(STATE_KIND, state)  # used once, whatever follows
    age = app.clock.now() - dt.datetime.fromtimestamp(int(issued), dt.UTC)
    if not dt.timedelta(0) <= age <= STATE_TTL:
        raise InputError(SOURCE, "the connect link expired; run momentum oura connect again")
    return athlete_id


def complete(app: App, params: Mapping[str, str], redirect_uri: str) -> OAuthToken:
    """Finish a redirect: check state and code, exchange, store; :class:`InputError` says
    what was wrong (and nothing is stored)."""
    state = params.get("state", "")
    athlete_id = _athlete_for_state(app, state)
    if "error" in params:
        raise InputError(SOURCE, f"Oura access was not granted ({params['error'][:80]})")
    code = params.get("code", "")
    if not code:
        raise InputError(SOURCE, "the redirect carried no authorization code")
    from momentum.plugins.oura.api import app_credentials, client_for

    settings = oura_settings(app.settings)
    client_id, client_secret = app_credentials(settings)
    with client_for(settings) as client:
        info = client.token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": client_id,
                "client_secret": client_secret,
            },
            "exchanging the Oura authorization code",
        )
        user_id = str(client.personal_info(str(info["access_token"])).get("id") or "")
    other = athlete_for_user(app.storage, user_id)
    if other is not None and other != athlete_id:
        raise InputError(SOURCE, f"this Oura account is already connected to {other!r}")
    token = token_from(
        info,
        athlete_id,
        app.clock.now(),
        provider_athlete_id=user_id,
        scope=str(info.get("scope") or ""),
    )
    return store_token(app.storage, token)


def redirect_uri_of(app: App) -> str:
    """The deployed coach's redirect URI (``public_url`` + ``/oura/callback``)."""
    base = oura_settings(app.settings).public_url.rstrip("/")
    if not base:
        raise InputError(SOURCE, "[oura] public_url is not set, so Oura can't reach this coach")
    return base + CALLBACK_PATH


def _page(status: int, text: str) -> HttpResponse:
    body = f"<!doctype html><title>Momentum</title><p>{text}</p>".encode()
    return HttpResponse(status, body, {"content-type": "text/html; charset=utf-8"})


class OuraCallback:
    """``/oura/callback`` on every target: the browser's redirect after consent."""

    name = "oura-callback"
    description = "Oura: the OAuth redirect that completes a connection."
    webhook_path = CALLBACK_PATH

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """Complete the connection and tell the athlete, in a page, how it went."""
        if request.method.upper() != "GET":
            return HttpResponse.text(405, "GET only")
        try:
            complete(app, dict(request.query), redirect_uri_of(app))
        except InputError as exc:
            return _page(400, f"Oura was not connected: {html.escape(exc.reason)}")
        except MomentumError as exc:
            log.error("Oura connect failed: %s", exc)
            return _page(502, "Oura could not be reached to finish connecting; try again.")
        return _page(200, "Oura is connected to your coach. You can close this tab.")
