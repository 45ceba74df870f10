"""The seam inside a Python Worker: the Workers ``fetch``, reached through Pyodide's FFI
and waited on with ``pyodide.ffi.run_sync`` (the coach's code is synchronous).

The runtime's pieces come in as a :class:`FetchApi`, so the same code runs on CPython in
the tests with a stand-in of ``fetch`` and of the JavaScript ``Response`` it resolves to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from momentum.adapters.outbound import body_headers
from momentum.core.ports.transport import HttpReply

SET_BY_FETCH = frozenset(
    {"host", "connection", "keep-alive", "content-length", "transfer-encoding"}
)
"""Request headers ``fetch`` sets itself from the URL and the body (a client's own copy,
e.g. httpx's, is dropped rather than sent twice or refused)."""


@dataclass(frozen=True)
class FetchApi:
    """What :class:`FetchTransport` needs from the JavaScript side."""

    fetch: Callable[[str, Any], Any]
    """``js.fetch(url, init)``: a promise of a ``Response``."""
    run_sync: Callable[[Any], Any]
    """Blocks on a promise and returns its value (raises when it rejects)."""
    request_init: Callable[[dict[str, Any]], Any]
    """A plain dict → the ``RequestInit`` object ``fetch`` takes."""
    timeout_signal: Callable[[int], Any] | None = None
    """``AbortSignal.timeout(ms)``, when the runtime has it."""


def pyodide_api() -> FetchApi:
    """The real pieces: ``js.fetch``, ``run_sync``, ``to_js`` and ``AbortSignal``."""
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import run_sync, to_js  # type: ignore[import-not-found]

    def request_init(values: dict[str, Any]) -> Any:
        return to_js(values, dict_converter=js.Object.fromEntries)

    timeout = getattr(getattr(js, "AbortSignal", None), "timeout", None)
    return FetchApi(js.fetch, run_sync, request_init, timeout)


class FetchTransport:
    """Outbound HTTP with ``fetch``: the request as given, the reply's whole body (already
    inflated by ``fetch``), its status and headers. A rejected ``fetch`` (DNS, refused,
    aborted on timeout) raises ``OSError`` naming the method and URL only."""

    def __init__(self, api: FetchApi | None = None) -> None:
        self._api = api

    @property
    def api(self) -> FetchApi:
        """The JavaScript side (the runtime's own unless one was given)."""
        if self._api is None:
            self._api = pyodide_api()
        return self._api

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        """Call ``fetch`` and wait for the whole body; ``timeout`` aborts the call through
        ``AbortSignal.timeout`` (the Worker's own limits apply too)."""
        api = self.api
        sent = {k: str(v) for k, v in (headers or {}).items() if k.lower() not in SET_BY_FETCH}
        init: dict[str, Any] = {"method": method.upper(), "headers": sent}
        if body:
            init["body"] = bytes(body)
        if api.timeout_signal is not None and timeout > 0:
            init["signal"] = api.timeout_signal(max(1, int(timeout * 1000)))
        try:
            response = api.run_sync(api.fetch(url, api.request_init(init)))
            data = api.run_sync(response.arrayBuffer())
        except Exception as error:  # a JsException: fetch rejected, or the body failed
            raise OSError(f"{method.upper()} {url}: fetch failed ({error})") from error
        return HttpReply(
            int(response.status), bytes(data.to_bytes()), body_headers(response.headers.entries())
        )
