"""The outbound HTTP seam: one small call every adapter that talks to an API can share.

Inside a Cloudflare Python Worker there are no sockets, so outbound HTTP must go through
the Workers ``fetch``; elsewhere httpx (or an SDK's own client) does it. Code that only
needs "send this request, give me the reply" takes a :class:`Transport`, and the target
decides which one it gets (``momentum.adapters.outbound``: ``fetch`` in a Worker).
SDK-based clients keep their SDK and route its HTTP client through the seam there.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class HttpReply:
    """A response: status, headers (lower-case names) and the whole body."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Transport(Protocol):
    """Sends one HTTP request and returns the whole reply (network failures raise
    ``OSError``; an HTTP error status is a reply, not an exception)."""

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        """Send ``method url`` with ``headers`` and ``body``; wait at most ``timeout``
        seconds."""
        ...
