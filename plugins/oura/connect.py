"""``momentum oura connect``: the OAuth flow run from a laptop.

A one-shot listener on 127.0.0.1 receives Oura's redirect (register
``http://127.0.0.1:<port>/oura/callback`` as a redirect URI of the Oura application) and
hands it to :func:`momentum.plugins.oura.oauth.complete`, the same completion the deployed
``/oura/callback`` route uses.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from momentum import App, MomentumError, OAuthToken
from momentum.plugins.oura.oauth import CALLBACK_PATH, complete, start

DEFAULT_PORT = 8726


class Listener:
    """A one-shot HTTP server on 127.0.0.1 waiting for Oura's redirect."""

    def __init__(self, port: int = DEFAULT_PORT) -> None:
        self.params: dict[str, str] | None = None
        self._done = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to give Oura."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{CALLBACK_PATH}"

    def __enter__(self) -> Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        """The redirect's query, or :class:`MomentumError` after ``timeout`` seconds."""
        if not self._done.wait(timeout) or self.params is None:
            raise MomentumError(f"no answer from Oura within {timeout:.0f} s; try again")
        return self.params

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # the query carries a one-time code: keep it out of logs

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != CALLBACK_PATH or listener._done.is_set():
                    self._page(404, "Nothing here.")
                    return
                listener.params = {k: v[0] for k, v in parse_qs(url.query).items()}
                listener._done.set()
                self._page(200, "Momentum is connecting to Oura. You can close this tab.")

            def _page(self, status: int, text: str) -> None:
                body = f"<!doctype html><title>Momentum</title><p>{text}</p>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


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
    with Listener(port) as listener:
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
