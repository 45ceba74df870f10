"""The two sides of core's outbound HTTP seam (:mod:`momentum.core.ports.transport`):

- :class:`FetchTransport`: the Workers ``fetch`` through Pyodide's FFI, waited on with
  ``pyodide.ffi.run_sync`` (a Python Worker has no sockets);
- :class:`HttpxTransport`: httpx everywhere else.

:func:`default_transport` picks the one for the interpreter it runs in.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import Any

from momentum.core.ports.transport import HttpReply, Transport


def in_worker() -> bool:
    """True under Pyodide (a Python Worker), where only ``fetch`` reaches the network."""
    return sys.platform == "emscripten"


class HttpxTransport:
    """Outbound HTTP with httpx (imported on first use); one pooled client."""

    def __init__(self, client: Any = None) -> None:
        self._client = client

    def _get(self) -> Any:
        if self._client is None:
            import httpx

            self._client = httpx.Client()
        return self._client

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        """Send the request; httpx's transport errors are re-raised as ``OSError``."""
        import httpx

        try:
            reply = self._get().request(
                method, url, headers=dict(headers or {}), content=body or None, timeout=timeout
            )
        except httpx.TransportError as error:
            raise OSError(f"{method} {url}: {error}") from error
        return HttpReply(
            reply.status_code,
            reply.content,
            {k.lower(): v for k, v in reply.headers.items()},
        )

    def close(self) -> None:
        """Close the pooled client."""
        if self._client is not None:
            self._client.close()
            self._client = None


class FetchTransport:
    """Outbound HTTP with the Workers ``fetch`` (only inside a Python Worker)."""

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        """Call ``fetch`` and wait for the whole body (the Worker's own limits apply;
        ``timeout`` is not enforced by ``fetch``)."""
        import js  # type: ignore[import-not-found]
        from pyodide.ffi import run_sync, to_js  # type: ignore[import-not-found]

        init: dict[str, Any] = {"method": method, "headers": dict(headers or {})}
        if body:
            init["body"] = to_js(body)
        response = run_sync(js.fetch(url, to_js(init, dict_converter=js.Object.fromEntries)))
        data = run_sync(response.arrayBuffer()).to_bytes()
        names = {str(k).lower(): str(v) for k, v in response.headers.entries()}
        return HttpReply(int(response.status), bytes(data), names)


def default_transport() -> Transport:
    """``fetch`` inside a Worker, httpx elsewhere."""
    return FetchTransport() if in_worker() else HttpxTransport()
