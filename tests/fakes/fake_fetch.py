"""A stand-in for the Workers ``fetch`` and the JavaScript objects it hands back, on
CPython, so :class:`momentum.adapters.outbound.fetch.FetchTransport` runs here unchanged.

- :class:`LoopbackFetch` is called like ``js.fetch(url, init)`` (``init`` carries
  ``method``, ``headers``, ``body``, ``signal``) and returns a promise stand-in;
  :func:`run_sync` waits on one like ``pyodide.ffi.run_sync`` (a rejected promise raises
  :class:`JsException`, as Pyodide does).
- It really sends the request over loopback with ``http.client`` (TLS verified against a
  given CA for the Strava fake), follows redirects and inflates gzip like ``fetch``, and
  resolves to a :class:`Response` with the parts of the JS ``Response`` API the seam
  uses: ``status``, ``statusText``, ``ok``, ``headers.entries()`` (``[name, value]``
  arrays) and ``arrayBuffer()`` (a promise of an ``ArrayBuffer`` with ``to_bytes()``).
- Every call is kept in :attr:`LoopbackFetch.calls`, so tests can read the real request
  bytes the clients sent through the seam.
"""

from __future__ import annotations

import gzip
import http.client
import ssl
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from momentum.adapters.outbound.fetch import FetchApi


class JsException(Exception):
    """What Pyodide raises when a promise rejects (``TypeError: fetch failed`` …)."""


@dataclass
class Promise:
    """A settled promise: a value, or the error it rejected with."""

    value: Any = None
    error: BaseException | None = None


def run_sync(promise: Promise) -> Any:
    """``pyodide.ffi.run_sync``: the promise's value, or raise why it rejected."""
    if not isinstance(promise, Promise):
        raise TypeError(f"run_sync wants a promise, got {type(promise).__name__}")
    if promise.error is not None:
        raise promise.error
    return promise.value


@dataclass(frozen=True)
class TimeoutSignal:
    """``AbortSignal.timeout(ms)``."""

    milliseconds: int


class ArrayBuffer:
    """An ``ArrayBuffer`` as Pyodide proxies it."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def to_bytes(self) -> bytes:
        """A copy of the bytes."""
        return bytes(self._data)


class Headers:
    """A JS ``Headers``: lower-case names; ``entries()`` yields ``[name, value]`` arrays
    (repeated names joined with ``", "``, as ``Headers.get`` does)."""

    def __init__(self, pairs: list[tuple[str, str]]) -> None:
        self._values: dict[str, str] = {}
        for name, value in pairs:
            key = name.lower()
            self._values[key] = f"{self._values[key]}, {value}" if key in self._values else value

    def entries(self) -> Iterator[list[str]]:
        """``[name, value]`` for each header, sorted by name like the JS iterator."""
        return iter([[k, self._values[k]] for k in sorted(self._values)])

    def get(self, name: str) -> str | None:
        """One header's value."""
        return self._values.get(name.lower())


class Response:
    """The parts of a JS ``Response`` the seam reads."""

    def __init__(self, status: int, reason: str, headers: Headers, body: bytes) -> None:
        self.status = status
        self.statusText = reason
        self.ok = 200 <= status < 300
        self.headers = headers
        self._body = body
        self.bodyUsed = False

    def arrayBuffer(self) -> Promise:
        """A promise of the body (once, like the real one)."""
        if self.bodyUsed:
            return Promise(error=JsException("TypeError: Body has already been used"))
        self.bodyUsed = True
        return Promise(ArrayBuffer(self._body))


@dataclass
class Call:
    """One request the seam made: what went on the wire."""

    method: str
    url: str
    headers: dict[str, str]
    body: bytes
    timeout_ms: int | None


@dataclass
class LoopbackFetch:
    """``fetch`` over loopback; ``ca_file`` is trusted for https:// URLs."""

    ca_file: Path | None = None
    calls: list[Call] = field(default_factory=list)

    def api(self) -> FetchApi:
        """The :class:`FetchApi` a ``FetchTransport`` takes (``init`` stays a dict)."""
        return FetchApi(
            fetch=self, run_sync=run_sync, request_init=dict, timeout_signal=TimeoutSignal
        )

    def __call__(self, url: str, init: dict[str, Any] | None = None) -> Promise:
        init = dict(init or {})
        method = str(init.get("method", "GET")).upper()
        # ``new Headers(init.headers)``: names are case-insensitive, kept lower-case
        headers = {str(k).lower(): str(v) for k, v in dict(init.get("headers") or {}).items()}
        body = init.get("body")
        if body is not None and not isinstance(body, bytes):
            return Promise(error=JsException(f"TypeError: unsupported body {type(body)!r}"))
        signal = init.get("signal")
        timeout_ms = signal.milliseconds if isinstance(signal, TimeoutSignal) else None
        self.calls.append(Call(method, url, headers, body or b"", timeout_ms))
        try:
            return Promise(self._send(method, url, headers, body, timeout_ms))
        except TimeoutError:
            return Promise(error=JsException("TimeoutError: The operation was aborted"))
        except OSError as error:
            return Promise(error=JsException(f"TypeError: fetch failed: {error}"))

    def _send(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None, ms: int | None
    ) -> Response:
        for _ in range(20):  # redirect: "follow"
            parts = urlsplit(url)
            timeout = ms / 1000 if ms else None
            connection: http.client.HTTPConnection
            if parts.scheme == "https":
                context = ssl.create_default_context(
                    cafile=str(self.ca_file) if self.ca_file else None
                )
                connection = http.client.HTTPSConnection(
                    parts.netloc, timeout=timeout, context=context
                )
            elif parts.scheme == "http":
                connection = http.client.HTTPConnection(parts.netloc, timeout=timeout)
            else:
                raise OSError(f"fetch cannot reach {parts.scheme}:// URLs")
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            wire = {"accept-encoding": "gzip, deflate", **headers}
            try:
                connection.request(method, path, body=body, headers=wire)
                reply = connection.getresponse()
                data = reply.read()
                pairs = reply.getheaders()
            finally:
                connection.close()
            location = reply.getheader("location")
            if reply.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                if reply.status == 303 or (reply.status in (301, 302) and method == "POST"):
                    method, body = "GET", None
                continue
            encoding = (reply.getheader("content-encoding") or "").lower()
            if encoding == "gzip":
                data = gzip.decompress(data)
            elif encoding == "deflate":
                data = zlib.decompress(data)
            return Response(reply.status, reply.reason, Headers(pairs), data)
        raise OSError("too many redirects")
