"""``momentum oura connect``: the OAuth flow run from a laptop.

A one-shot listener on 127.0.0.1 receives Oura's redirect (register
``http://127.0.0.1:<port>/oura/callback`` as a redirect URI of the Oura application) and
hands it to :func:`momentum.plugins.oura.oauth.complete`, the same completion the deployed
``/oura/callback`` route uses.
"""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from typing import Any

from momentum import App, OAuthToken, RedirectListener
from momentum.plugins.oura.oauth import CALLBACK_PATH, complete, start

DEFAULT_PORT = 8726


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
    with RedirectListener("Oura", CALLBACK_PATH, port) as listener:
        url, _ = start(app, athlete_id, listener.redirect_uri)
        announce(f"Open this page to connect Oura (waiting for the redirect):\n{url}")
        if open_browser:
            webbrowser.open(url)
        params = listener.wait(timeout)
    return complete(app, params, listener.redirect_uri)


def describe(token: OAuthToken, now: Any) -> str:
    """One line about a connection (never the tokens)."""
    minutes = int((token.expires_at - now).total_seconds() // 60)
    state = f"access token valid for {minutes} min" if minutes > 0 else "refreshed on next use"
    return (
        f"Oura user {token.provider_athlete_id or '?'} · scope {token.scope or '?'} · "
        f"{state} · version {token.version}"
    )
