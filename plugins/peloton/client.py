"""A thin httpx client over the endpoints Peloton's own apps use (no public API exists).

Sign-in is Peloton's Auth0 tenant: an access token (Bearer) and a refresh token, renewed at
``/oauth/token``. Calls have timeouts; 429 and 5xx are retried with backoff (honouring
``Retry-After``); anything else raises :class:`PelotonError` naming the call and status,
never a token.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from momentum import MomentumError

log = logging.getLogger("momentum.peloton")

MAX_ATTEMPTS = 5
BACKOFF_BASE = 0.5
MAX_WAIT = 60.0
PAGE_LIMIT = 50
MAX_PAGES = 200


class PelotonError(MomentumError):
    """Peloton answered with an error, or not at all (``status`` 0)."""

    def __init__(self, message: str, status: int = 0) -> None:
        super().__init__(message)
        self.status = status


class Unauthorized(PelotonError):
    """Peloton refused the access token (401)."""


class InvalidGrant(PelotonError):
    """Peloton's sign-in refused the refresh token (used, expired or revoked)."""


class PelotonClient:
    """Calls to Peloton's API (``api_url``) and sign-in (``auth_url``)."""

    def __init__(
        self,
        api_url: str,
        auth_url: str,
        *,
        timeout: float = 15.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._sleep = sleep
        limits = httpx.Timeout(timeout, connect=min(timeout, 5.0))
        headers = {"User-Agent": "momentum-coach", "Peloton-Platform": "web"}
        self._api = httpx.Client(base_url=api_url.rstrip("/"), timeout=limits, headers=headers)
        self._auth = httpx.Client(base_url=auth_url.rstrip("/"), timeout=limits, headers=headers)

    def close(self) -> None:
        """Close both connection pools."""
        self._api.close()
        self._auth.close()

    def __enter__(self) -> PelotonClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _send(
        self, http: httpx.Client, method: str, path: str, what: str, **kwargs: Any
    ) -> httpx.Response:
        for attempt in range(1, MAX_ATTEMPTS + 1):
            try:
                response = http.request(method, path, **kwargs)
            except httpx.TransportError as exc:
                if attempt == MAX_ATTEMPTS:
                    raise PelotonError(
                        f"{what}: Peloton did not answer ({type(exc).__name__})"
                    ) from exc
                self._sleep(BACKOFF_BASE * 2 ** (attempt - 1))
                continue
            status = response.status_code
            if status < 400:
                return response
            if (status == 429 or status >= 500) and attempt < MAX_ATTEMPTS:
                try:
                    wait = float(response.headers.get("retry-after", ""))
                except ValueError:
                    wait = BACKOFF_BASE * 2 ** (attempt - 1)
                if wait <= MAX_WAIT:
                    log.info("%s: Peloton answered %s; retrying in %.1f s", what, status, wait)
                    self._sleep(max(0.0, wait))
                    continue
            if status == 401:
                raise Unauthorized(f"{what}: Peloton refused the access token (401)", status)
            if status in (400, 403) and path == "/oauth/token":
                raise InvalidGrant(f"{what}: Peloton refused the refresh token ({status})", status)
            raise PelotonError(f"{what}: Peloton answered {status}", status)
        raise AssertionError("unreachable")

    # -- sign-in -------------------------------------------------------------------------
    def refresh(self, client_id: str, refresh_token: str) -> dict[str, Any]:
        """Exchange a refresh token; Peloton's answer (``access_token``, ``expires_in``,
        and a rotated ``refresh_token`` when the tenant rotates them)."""
        body = self._send(
            self._auth,
            "POST",
            "/oauth/token",
            "refreshing the Peloton sign-in",
            json={
                "grant_type": "refresh_token",
                "client_id": client_id,
                "refresh_token": refresh_token,
            },
        ).json()
        if not isinstance(body, dict) or "access_token" not in body or "expires_in" not in body:
            raise PelotonError("refreshing the Peloton sign-in: the answer has no access token")
        return body

    # -- data ----------------------------------------------------------------------------
    def _get(self, token: str, path: str, what: str, **params: Any) -> Any:
        return self._send(
            self._api,
            "GET",
            path,
            what,
            params=params,
            headers={"Authorization": f"Bearer {token}"},
        ).json()

    def me(self, token: str) -> dict[str, Any]:
        """``/api/me``: the signed-in member (``id`` is the user id)."""
        body = self._get(token, "/api/me", "reading the Peloton member")
        return body if isinstance(body, dict) else {}

    def workouts(self, token: str, user_id: str) -> Iterator[dict[str, Any]]:
        """The member's workouts, newest first, page by page (``joins=ride``)."""
        for page in range(MAX_PAGES):
            body = self._get(
                token,
                f"/api/user/{user_id}/workouts",
                "listing Peloton workouts",
                joins="ride",
                limit=PAGE_LIMIT,
                page=page,
                sort_by="-created",
            )
            data = body.get("data") if isinstance(body, dict) else None
            if not isinstance(data, list):
                raise PelotonError("listing Peloton workouts: the answer has no data list")
            yield from (w for w in data if isinstance(w, dict))
            if not body.get("show_next") or page + 1 >= int(body.get("page_count") or 0):
                return

    def performance_graph(self, token: str, workout_id: str, every_n: int) -> dict[str, Any]:
        """``/api/workout/<id>/performance_graph``: the workout's sampled metrics."""
        body = self._get(
            token,
            f"/api/workout/{workout_id}/performance_graph",
            f"reading Peloton workout {workout_id}",
            every_n=every_n,
        )
        return body if isinstance(body, dict) else {}
