"""A thin httpx client over the endpoints Peloton's own apps use (no public API exists).

Sign-in is Peloton's Auth0 tenant (``auth.onepeloton.com``): ``/oauth/token`` with the
password grant (email or username and password, for Peloton's app client) gives an access
token (Bearer) and a refresh token, and the refresh grant renews them. The old
``api.onepeloton.com/auth/login`` session sign-in has answered 403 since late 2025 and is
not used. Data calls have timeouts; 429 and 5xx are retried with backoff (honouring
``Retry-After``); anything else raises :class:`PelotonError` naming the call and status,
never a token or a password. A sign-in is not retried on 429: Peloton counts attempts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

from momentum import App, MomentumError
from momentum import InvalidGrant as RefreshRefused

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


class InvalidGrant(PelotonError, RefreshRefused):
    """Peloton's sign-in refused the refresh token (used, expired or revoked); core's
    token keeper treats it as :class:`momentum.InvalidGrant`."""


class BadCredentials(PelotonError):
    """Peloton's sign-in refused the email/username or password."""


class SignInRefused(PelotonError):
    """Peloton's sign-in refused for another reason (a client that may not use passwords,
    a second factor, too many attempts); the message says which and what to do."""


SCOPE = "offline_access openid"
"""``offline_access`` is what makes Auth0 issue a refresh token."""
TOKEN_PATH = "/oauth/token"


def client_for(app: App) -> PelotonClient:
    """A client on the coach's configured hosts (``[peloton]``)."""
    from momentum.plugins.peloton.settings import peloton_settings

    s = peloton_settings(app.settings)
    return PelotonClient(s.api_url, s.auth_url, timeout=s.timeout_seconds)


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
        self,
        http: httpx.Client,
        method: str,
        path: str,
        what: str,
        *,
        retry_429: bool = True,
        grant: str = "",
        **kwargs: Any,
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
            if ((status == 429 and retry_429) or status >= 500) and attempt < MAX_ATTEMPTS:
                try:
                    wait = float(response.headers.get("retry-after", ""))
                except ValueError:
                    wait = BACKOFF_BASE * 2 ** (attempt - 1)
                if wait <= MAX_WAIT:
                    log.info("%s: Peloton answered %s; retrying in %.1f s", what, status, wait)
                    self._sleep(max(0.0, wait))
                    continue
            if grant:
                raise sign_in_error(response, what, grant)
            if status == 401:
                raise Unauthorized(f"{what}: Peloton refused the access token (401)", status)
            raise PelotonError(f"{what}: Peloton answered {status}", status)
        raise AssertionError("unreachable")

    # -- sign-in -------------------------------------------------------------------------
    def login(self, client_id: str, username: str, password: str) -> dict[str, Any]:
        """Sign in with an email or username and password (Auth0's password grant); the
        answer has ``access_token``, ``refresh_token`` and ``expires_in``. The password is
        sent once, over the sign-in connection only, and kept nowhere."""
        what = "signing in to Peloton"
        body = self._token(
            what,
            "password",
            retry_429=False,
            json={
                "grant_type": "password",
                "client_id": client_id,
                "username": username,
                "password": password,
                "scope": SCOPE,
            },
        )
        if not body.get("refresh_token"):
            raise PelotonError(f"{what}: the answer has no refresh token")
        return body

    def refresh(self, client_id: str, refresh_token: str) -> dict[str, Any]:
        """Exchange a refresh token; Peloton's answer (``access_token``, ``expires_in``,
        and a rotated ``refresh_token`` when the tenant rotates them)."""
        return self._token(
            "refreshing the Peloton sign-in",
            "refresh_token",
            json={
                "grant_type": "refresh_token",
                "client_id": client_id,
                "refresh_token": refresh_token,
            },
        )

    def _token(
        self, what: str, grant: str, *, retry_429: bool = True, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            body = self._send(
                self._auth, "POST", TOKEN_PATH, what, retry_429=retry_429, grant=grant, **kwargs
            ).json()
        except ValueError:
            raise PelotonError(f"{what}: the answer is not JSON") from None
        if not isinstance(body, dict) or "access_token" not in body or "expires_in" not in body:
            raise PelotonError(f"{what}: the answer has no access token")
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


def sign_in_error(response: httpx.Response, what: str, grant: str) -> PelotonError:
    """The error for a refused ``/oauth/token`` call, from Auth0's ``error`` code: it
    names what went wrong and what to do, and quotes no token or password."""
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = str(body.get("error") or "") if isinstance(body, dict) else ""
    said = str(body.get("error_description") or "")[:200] if isinstance(body, dict) else ""
    said = f" ({said})" if said else ""
    if status == 429:
        wait = response.headers.get("retry-after") or response.headers.get("x-ratelimit-reset")
        hint = f"; try again in {wait} s" if wait and wait.isdigit() else "; try again later"
        if error == "too_many_attempts":
            hint = "; Peloton blocked sign-ins for this account: unblock it from Peloton's e-mail"
        return SignInRefused(f"{what}: Peloton is limiting sign-ins (429){said}{hint}", status)
    if status >= 500:
        return PelotonError(
            f"{what}: Peloton's sign-in is unavailable ({status}); try again later", status
        )
    if error == "invalid_grant" and grant == "password":
        return BadCredentials(f"{what}: Peloton refused the email or password{said}", status)
    if error == "invalid_grant":
        return InvalidGrant(f"{what}: Peloton refused the refresh token{said}", status)
    if error == "unauthorized_client":
        return SignInRefused(
            f"{what}: Peloton's sign-in does not accept this client id for that grant{said}; "
            "set [peloton] client_id, or connect with a refresh token instead",
            status,
        )
    if error == "mfa_required":
        return SignInRefused(
            f"{what}: the account asks for a second factor, which a password sign-in can't "
            "give; connect with a refresh token from Peloton's web app instead",
            status,
        )
    return SignInRefused(f"{what}: Peloton answered {status} {error}{said}".rstrip(), status)
