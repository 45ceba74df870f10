"""The local end of an OAuth authorization-code flow: a one-shot HTTP listener on
127.0.0.1 that receives the provider's redirect (``momentum oura connect``, a
data source's ``connect``, a plugin author's own ``connect``).

It answers the first request on its callback path with a short page, keeps the query
(never logged: it carries a one-time code) and answers anything else 404. Checking the
``state`` and exchanging the code is the caller's. Imported only by connect commands: a
server deployment never loads it.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from momentum.core.errors import MomentumError


class RedirectListener:
    """A one-shot HTTP server on 127.0.0.1 waiting for ``label``'s redirect to
    ``callback_path``; use it as a context manager, then :meth:`wait`."""

    def __init__(self, label: str, callback_path: str, port: int = 0) -> None:
        self.label = label
        self.callback_path = callback_path
        self.params: dict[str, str] | None = None
        """The redirect's query, once it came."""
        self._done = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )

    @property
    def redirect_uri(self) -> str:
        """The redirect URI to give the provider."""
        return f"http://127.0.0.1:{self._server.server_address[1]}{self.callback_path}"

    def __enter__(self) -> RedirectListener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait(self, timeout: float) -> dict[str, str]:
        """The first redirect's query, or :class:`MomentumError` after ``timeout`` s."""
        if not self._done.wait(timeout) or self.params is None:
            raise MomentumError(f"no answer from {self.label} within {timeout:.0f} s; try again")
        return self.params

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass  # the query carries a one-time code: keep it out of logs

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                if url.path != listener.callback_path or listener._done.is_set():
                    self._page(404, "Nothing here.")
                    return
                params = {k: v[0] for k, v in parse_qs(url.query).items()}
                listener.params = params
                listener._done.set()
                if "error" in params:
                    self._page(
                        200, f"{listener.label} access was not granted. You can close this tab."
                    )
                else:
                    self._page(
                        200, f"Momentum is connecting to {listener.label}. You can close this tab."
                    )

            def _page(self, status: int, text: str) -> None:
                body = f"<!doctype html><title>Momentum</title><p>{text}</p>".encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler
