"""Core's outbound HTTP seam (:mod:`momentum.core.ports.transport`), implemented once for
every client that calls an API (Slack, Groq, Strava, Oura, D1's HTTP API):

- :class:`~.fetch.FetchTransport`: the Workers ``fetch`` through Pyodide's FFI (a Python
  Worker has no sockets);
- :class:`~.httpx_seam.HttpxTransport`: httpx everywhere else;
- adapters that let an SDK's own HTTP client send through any seam unchanged:
  :class:`~.httpx_seam.SeamHttpxTransport` (httpx-based: groq, Oura) and
  :class:`~.requests_seam.SeamAdapter` (requests-based: stravalib).

Clients call :func:`worker_transport`: inside a Worker it is ``fetch`` and they route their
SDK through it; elsewhere it is ``None`` and the SDK keeps its own HTTP. Nothing heavy is
imported here.
"""

from __future__ import annotations

import sys

from momentum.core.ports.transport import Transport

# Headers that describe the bytes on the wire, not the (already decoded) body a seam
# returns: fetch and httpx both inflate gzip, so passing these on would decode twice.
WIRE_HEADERS = frozenset({"content-encoding", "content-length", "transfer-encoding"})


def in_worker() -> bool:
    """True under Pyodide (a Python Worker), where only ``fetch`` reaches the network."""
    return sys.platform == "emscripten"


def worker_transport() -> Transport | None:
    """The ``fetch`` seam inside a Worker; ``None`` elsewhere (the SDK's own HTTP)."""
    if not in_worker():
        return None
    from momentum.adapters.outbound.fetch import FetchTransport

    return FetchTransport()


def default_transport() -> Transport:
    """A seam for code that has no SDK of its own: ``fetch`` in a Worker, httpx elsewhere."""
    transport = worker_transport()
    if transport is not None:
        return transport
    from momentum.adapters.outbound.httpx_seam import HttpxTransport

    return HttpxTransport()


def body_headers(pairs: object) -> dict[str, str]:
    """Reply headers with lower-case names, minus :data:`WIRE_HEADERS`; repeated names
    are joined with ``", "`` (``pairs``: ``(name, value)`` items)."""
    headers: dict[str, str] = {}
    for name, value in pairs:  # type: ignore[attr-defined]
        key = str(name).lower()
        if key in WIRE_HEADERS:
            continue
        headers[key] = f"{headers[key]}, {value}" if key in headers else str(value)
    return headers
