"""slack_sdk's ``WebClient`` sending through the outbound HTTP seam (``fetch`` in a
Worker, where urllib has no sockets).

slack_sdk builds every Web API request itself (form or JSON body, bearer token, retries
on 429 through its retry handlers) and hands one ``urllib.request.Request`` to a single
method to send; :class:`SeamWebClient` replaces only that send, so everything else is the
SDK's own code.
"""

from __future__ import annotations

from typing import Any
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError

from momentum.core.ports.transport import Transport


class SeamWebClient(WebClient):
    """A ``WebClient`` whose HTTP goes through ``transport``."""

    def __init__(self, transport: Transport, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.transport = transport

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        """Send the request slack_sdk built; the reply in the shape its callers read
        (``status``, ``headers``, ``body`` as text)."""
        if not url.lower().startswith(("https://", "http://")):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        data = req.data if isinstance(req.data, bytes) else b""
        headers = {name: str(value) for name, value in req.header_items()}
        reply = self.transport.request(
            req.get_method(), url, headers=headers, body=data, timeout=float(self.timeout)
        )
        content_type = reply.headers.get("content-type", "")
        if content_type.split(";")[0].strip() == "application/gzip":
            return {"status": reply.status, "headers": reply.headers, "body": reply.body}
        charset = "utf-8"
        for part in content_type.split(";")[1:]:
            name, _, value = part.strip().partition("=")
            if name.lower() == "charset" and value:
                charset = value.strip('"')
        body = reply.body.decode(charset, errors="replace")
        return {"status": reply.status, "headers": reply.headers, "body": body}
