"""A small JSON-over-HTTP server on 127.0.0.1 for the GCP stand-ins (Cloud Tasks, Secret
Manager, the OIDC issuer): each gives one function from (method, path, body) to
(status, JSON body); this serves it on a free port in a daemon thread."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Route = Callable[[str, str, bytes], tuple[int, Any]]
"""``(method, path with query, body) -> (status, JSON-ready answer)``."""


def google_error(status: int, code: str, message: str) -> tuple[int, dict[str, Any]]:
    """An error answer in Google APIs' JSON shape (what the REST clients raise from)."""
    return status, {"error": {"code": status, "status": code, "message": message}}


class ServerThread:
    """A socket server (``serve_forever``, ``shutdown``, ``server_close``: http.server's or
    werkzeug's) served in a daemon thread until :meth:`stop`."""

    def __init__(self) -> None:
        self.server: Any = None

    def run(self, server: Any) -> None:
        """Serve ``server`` from now on."""
        self.server = server
        threading.Thread(target=server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        """Stop serving (nothing happens when it is not)."""
        server, self.server = self.server, None
        if server is not None:
            server.shutdown()
            server.server_close()


class LoopbackServer:
    """Serves ``route`` on a free loopback port until :meth:`stop`."""

    def __init__(self, route: Route, headers: dict[str, str] | None = None) -> None:
        self.route = route
        self.headers = dict(headers or {})
        """Headers sent with every answer (e.g. ``Cache-Control``)."""
        self._thread = ServerThread()

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT``."""
        assert self._thread.server is not None, "start() first"
        return f"http://127.0.0.1:{self._thread.server.server_address[1]}"

    def start(self) -> str:
        """Serve on a free port; returns :attr:`endpoint`."""
        route, headers = self.route, self.headers

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, answer = route(self.command, self.path, body)
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _handle

        self._thread.run(ThreadingHTTPServer(("127.0.0.1", 0), Handler))
        return self.endpoint

    def stop(self) -> None:
        """Stop serving."""
        self._thread.stop()
