"""httpx on both sides of the seam:

- :class:`HttpxTransport` implements the seam with httpx (outside a Worker);
- :class:`SeamHttpxTransport` is an ``httpx.BaseTransport`` that sends through any seam,
  so an httpx-based client (the groq SDK, the Oura client) runs unchanged over ``fetch``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from momentum.adapters.outbound import body_headers
from momentum.core.ports.transport import HttpReply, Transport


class HttpxTransport:
    """The seam on httpx; one pooled client, made on first use."""

    def __init__(self, client: httpx.Client | None = None) -> None:
        self._client = client

    def _get(self) -> httpx.Client:
        if self._client is None:
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
        try:
            reply = self._get().request(
                method, url, headers=dict(headers or {}), content=body or None, timeout=timeout
            )
        except httpx.TransportError as error:
            raise OSError(f"{method} {url}: {error}") from error
        return HttpReply(
            reply.status_code, reply.content, body_headers(reply.headers.multi_items())
        )

    def close(self) -> None:
        """Close the pooled client."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _timeout(request: httpx.Request, default: float) -> float:
    """The longest of the request's httpx timeouts (``fetch`` has one deadline)."""
    values: Mapping[str, Any] = request.extensions.get("timeout") or {}
    given = [float(v) for v in values.values() if v is not None]
    return max(given) if given else default


class SeamHttpxTransport(httpx.BaseTransport):
    """An httpx transport that sends each request through ``seam``. A seam failure
    (``OSError``) becomes ``httpx.ConnectError``, which SDKs already handle."""

    def __init__(self, seam: Transport, *, timeout: float = 30.0) -> None:
        self.seam = seam
        self.timeout = timeout

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` (its whole body) and build the response httpx expects."""
        body = request.read()
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in request.headers.raw}
        headers.pop("Host", None)
        headers.pop("host", None)
        try:
            reply = self.seam.request(
                request.method,
                str(request.url),
                headers=headers,
                body=body,
                timeout=_timeout(request, self.timeout),
            )
        except OSError as error:
            raise httpx.ConnectError(str(error), request=request) from error
        return httpx.Response(
            reply.status, headers=list(reply.headers.items()), content=reply.body, request=request
        )


def client_over(seam: Transport, **options: Any) -> httpx.Client:
    """An ``httpx.Client`` whose every request goes through ``seam``."""
    return httpx.Client(transport=SeamHttpxTransport(seam), **options)
