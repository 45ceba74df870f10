"""A thin Oura API v2 client on httpx (Oura ships no official SDK).

Every call has a timeout; 429 and 5xx answers (and dropped connections) are retried with
exponential backoff, honouring ``Retry-After``; anything else that is not 2xx raises
:class:`OuraError` naming the call and Oura's status and message (never a token).
Collections are read page by page, following ``next_token`` until Oura stops giving one.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from momentum.plugins.oura.errors import InvalidGrant, OuraError, Unauthorized

__all__ = ["InvalidGrant", "OuraClient", "OuraError", "Unauthorized"]

log = logging.getLogger("momentum.oura")

MAX_ATTEMPTS = 5
BACKOFF_BASE = 0.5
"""Seconds before the first retry; doubled each time (0.5, 1, 2, 4)."""
MAX_WAIT = 60.0
"""A ``Retry-After`` longer than this is not waited out in-process: the error is raised
so the caller (a deferred job) can be retried later instead of holding a worker."""
MAX_PAGES = 1000


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("retry-after", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _reason(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(body, dict):
        for key in ("detail", "error_description", "message", "error", "title"):
            if body.get(key):
                return str(body[key])[:200]
    return str(body)[:200]


class OuraClient:
    """Calls to Oura's API (``api_url``) with a bearer token, or client credentials for the
    token and webhook-subscription endpoints."""

    def __init__(
        self,
        api_url: str,
        *,
        timeout: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.api_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 5.0)),
            transport=transport,
            headers={"User-Agent": "momentum-coach"},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def __enter__(self) -> OuraClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- the one place requests are sent ---------------------------------------------------
    def request(self, method: str, path: str, what: str, **kwargs: Any) -> httpx.Response:
        """Send one request, retrying 429, 5xx and transport errors with backoff."""
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = self._http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise OuraError(f"{what}: Oura did not answer ({type(exc).__name__})") from exc
                self._wait(BACKOFF_BASE * 2 ** (attempt - 1), what, "no answer")
                continue
            status = response.status_code
            if status < 400:
                return response
            if status == 429 or status >= 500:
                wait = _retry_after(response)
                if attempt < MAX_ATTEMPTS and (wait is None or wait <= MAX_WAIT):
                    self._wait(
                        wait if wait is not None else BACKOFF_BASE * 2 ** (attempt - 1),
                        what,
                        str(status),
                    )
                    continue
                raise OuraError(
                    f"{what}: Oura answered {status} ({_reason(response)})", status, wait
                )
            if status == 401:
                raise Unauthorized(f"{what}: Oura refused the access token (401)", status)
            if status == 400 and "oauth/token" in path:
                raise InvalidGrant(f"{what}: Oura refused the grant ({_reason(response)})", 400)
            raise OuraError(f"{what}: Oura answered {status} ({_reason(response)})", status)
        raise AssertionError("unreachable")

    def _wait(self, seconds: float, what: str, why: str) -> None:
        log.info("%s: Oura answered %s; retrying in %.1f s", what, why, seconds)
        self._sleep(seconds)

    # -- OAuth ---------------------------------------------------------------------------
    def token(self, form: dict[str, str], what: str) -> dict[str, Any]:
        """POST ``/oauth/token`` (code exchange or refresh) and return Oura's JSON."""
        body = self.request("POST", "/oauth/token", what, data=form).json()
        for key in ("access_token", "refresh_token", "expires_in"):
            if key not in body:
                raise OuraError(f"{what}: Oura's token answer has no {key}")
        return dict(body)

    # -- data ----------------------------------------------------------------------------
    def pages(
        self, access_token: str, kind: str, params: dict[str, str]
    ) -> Iterator[list[dict[str, Any]]]:
        """Each page of ``/v2/usercollection/<kind>`` for ``params``, following
        ``next_token``."""
        query = dict(params)
        headers = {"Authorization": f"Bearer {access_token}"}
        for _ in range(MAX_PAGES):
            body = self.request(
                "GET",
                f"/v2/usercollection/{kind}",
                f"reading Oura {kind}",
                params=query,
                headers=headers,
            ).json()
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise OuraError(f"reading Oura {kind}: the answer has no data list")
            yield [item for item in data if isinstance(item, dict)]
            token = body.get("next_token")
            if not token:
                return
            query = {**params, "next_token": str(token)}
        raise OuraError(f"reading Oura {kind}: more than {MAX_PAGES} pages")

    def collection(
        self, access_token: str, kind: str, params: dict[str, str]
    ) -> list[dict[str, Any]]:
        """Every document of ``/v2/usercollection/<kind>`` for ``params``."""
        return [item for page in self.pages(access_token, kind, params) for item in page]

    def document(self, access_token: str, kind: str, document_id: str) -> dict[str, Any] | None:
        """One document by id (``None`` when Oura has no such document any more)."""
        try:
            body = self.request(
                "GET",
                f"/v2/usercollection/{kind}/{document_id}",
                f"reading Oura {kind} {document_id}",
                headers={"Authorization": f"Bearer {access_token}"},
            ).json()
        except OuraError as exc:
            if exc.status == 404:
                return None
            raise
        return dict(body) if isinstance(body, dict) else None

    def personal_info(self, access_token: str) -> dict[str, Any]:
        """``/v2/usercollection/personal_info``: the Oura user's id (and profile)."""
        body = self.request(
            "GET",
            "/v2/usercollection/personal_info",
            "reading Oura personal info",
            headers={"Authorization": f"Bearer {access_token}"},
        ).json()
        return dict(body) if isinstance(body, dict) else {}

    # -- webhook subscriptions (client credentials) ------------------------------------------
    def subscriptions(self, client_id: str, client_secret: str) -> list[dict[str, Any]]:
        """The application's webhook subscriptions."""
        body = self.request(
            "GET",
            "/v2/webhook/subscription",
            "listing Oura subscriptions",
            headers=_client_headers(client_id, client_secret),
        ).json()
        return [s for s in body if isinstance(s, dict)] if isinstance(body, list) else []

    def subscribe(
        self, client_id: str, client_secret: str, subscription: dict[str, str]
    ) -> dict[str, Any]:
        """Create one subscription; Oura checks the callback (its challenge) first."""
        what = f"subscribing to Oura {subscription['event_type']} {subscription['data_type']}"
        return dict(
            self.request(
                "POST",
                "/v2/webhook/subscription",
                what,
                json=subscription,
                headers=_client_headers(client_id, client_secret),
            ).json()
        )

    def renew(self, client_id: str, client_secret: str, subscription_id: str) -> dict[str, Any]:
        """Renew one subscription; returns it with its new ``expiration_time``."""
        return dict(
            self.request(
                "PUT",
                f"/v2/webhook/subscription/renew/{subscription_id}",
                f"renewing Oura subscription {subscription_id}",
                headers=_client_headers(client_id, client_secret),
            ).json()
        )


def _client_headers(client_id: str, client_secret: str) -> dict[str, str]:
    return {"x-client-id": client_id, "x-client-secret": client_secret}
