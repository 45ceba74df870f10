"""A requests adapter over the seam, so a requests-based SDK (stravalib) sends through
``fetch`` in a Worker: mount it on a ``requests.Session`` and hand that to the SDK."""

from __future__ import annotations

from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from momentum.core.ports.transport import Transport


def _timeout(value: Any, default: float) -> float:
    """requests' ``timeout`` (a number, ``(connect, read)`` or ``None``) as one deadline."""
    if value is None:
        return default
    if isinstance(value, tuple):
        given = [float(v) for v in value if v is not None]
        return max(given) if given else default
    return float(value)


def _body_bytes(body: Any) -> bytes:
    """A prepared request's body (``None``, text, bytes, or an iterable of chunks)."""
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    if hasattr(body, "read"):
        chunk = body.read()
        return chunk.encode("utf-8") if isinstance(chunk, str) else bytes(chunk)
    return b"".join(c.encode("utf-8") if isinstance(c, str) else bytes(c) for c in body)


def _phrase(status: int) -> str:
    """``OK``, ``Not Found``… (``fetch`` replies carry no reason phrase we keep)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


class SeamAdapter(BaseAdapter):
    """Sends a prepared request through ``seam``; a seam failure becomes
    ``requests.ConnectionError`` (what requests' callers already handle)."""

    def __init__(self, seam: Transport, *, timeout: float = 30.0) -> None:
        super().__init__()
        self.seam = seam
        self.timeout = timeout

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, timeout: Any = None, **_: Any
    ) -> requests.Response:
        """One request; TLS, proxies and certificates are the seam's business."""
        data = _body_bytes(request.body)
        headers: Mapping[str, str] = {
            str(name): value.decode("latin-1") if isinstance(value, bytes) else str(value)
            for name, value in request.headers.items()
        }
        try:
            reply = self.seam.request(
                str(request.method),
                str(request.url),
                headers=headers,
                body=data,
                timeout=_timeout(timeout, self.timeout),
            )
        except OSError as error:
            raise requests.ConnectionError(str(error), request=request) from error
        response = requests.Response()
        response.status_code = reply.status
        response.headers = CaseInsensitiveDict(reply.headers)
        response._content = reply.body
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        response.url = str(request.url)
        response.request = request
        response.reason = _phrase(reply.status)
        return response

    def close(self) -> None:
        """Nothing is pooled here."""


def session_over(seam: Transport) -> requests.Session:
    """A ``requests.Session`` whose http:// and https:// requests go through ``seam``."""
    session = requests.Session()
    adapter = SeamAdapter(seam)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
