"""Who may call ``/api/messages``: the Bot Framework's signed JWT, checked with PyJWT.

The Bot Connector service sends ``Authorization: Bearer <JWT>`` with every activity. A
token is accepted only when

- it is signed (RS256) by a key listed in the JWKS that the OpenID metadata document names
  (``jwks_uri``), fetched from the configured metadata URL, not assumed;
- its issuer is the Bot Framework's and its audience is this bot's app id;
- it is current on the app's clock (``exp`` and ``nbf``, with five minutes of skew);
- its ``serviceurl`` claim, when present, is the activity's ``serviceUrl`` (so a token for
  one service can't send the bot's replies elsewhere).

Nothing else reaches the coach. The token itself never reaches a log line: a rejection
says why, in words.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import jwt

CLOCK_SKEW_SECONDS = 300
METADATA_LIFETIME_SECONDS = 24 * 3600
FETCH_TIMEOUT_SECONDS = 10.0


class TokenRejected(Exception):
    """The request's token is missing or not valid; the message says why (never the token)."""


class BotAuthenticator:
    """Validates Bot Framework tokens for one app id.

    ``now`` returns the current UNIX time (the app's clock, so tests can move it). Keys
    are fetched lazily on the first request and refreshed when a token names a key id
    the cached set does not hold (PyJWT's ``PyJWKClient`` does that).
    """

    def __init__(
        self,
        app_id: str,
        openid_metadata_url: str,
        issuer: str,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.app_id = app_id
        self.openid_metadata_url = openid_metadata_url
        self.issuer = issuer
        self._now = now
        self._lock = threading.Lock()
        self._jwks: jwt.PyJWKClient | None = None
        self._fetched_at = 0.0

    def verify(self, authorization: str) -> dict[str, Any]:
        """The token's claims if ``authorization`` holds a valid bot token; otherwise
        :class:`TokenRejected` saying why."""
        import jwt

        scheme, _, token = authorization.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise TokenRejected("no Bearer token in the Authorization header")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(f"the token is not a JWT ({exc})") from None
        if header.get("alg") != "RS256":
            raise TokenRejected(f"the token's algorithm is {header.get('alg')!r}, not RS256")
        try:
            key = self._signing_key(token)
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer,
                # Time is checked below on the app's clock rather than the machine's.
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "require": ["exp", "iss", "aud"],
                },
            )
        except jwt.InvalidAudienceError:
            raise TokenRejected("the token's audience is not this bot's app id") from None
        except jwt.InvalidIssuerError:
            raise TokenRejected("the token's issuer is not the Bot Framework") from None
        except jwt.PyJWKClientError as exc:
            raise TokenRejected(f"the token's signing key is unknown ({exc})") from None
        except jwt.InvalidTokenError as exc:
            raise TokenRejected(f"the token is not valid ({exc})") from None
        self._check_times(claims)
        return claims

    @staticmethod
    def check_service_url(claims: dict[str, Any], service_url: str) -> None:
        """:class:`TokenRejected` unless the token's ``serviceurl`` claim (when it has one)
        is the activity's ``serviceUrl``."""
        claimed_url = str(claims.get("serviceurl") or claims.get("serviceUrl") or "")
        if claimed_url and claimed_url.rstrip("/") != service_url.rstrip("/"):
            raise TokenRejected("the token's serviceurl is not the activity's serviceUrl")

    def _check_times(self, claims: dict[str, Any]) -> None:
        now = self._now()
        try:
            expires = float(claims["exp"])
            not_before = float(claims.get("nbf", 0))
        except (TypeError, ValueError):
            raise TokenRejected("the token's exp or nbf is not a number") from None
        if now > expires + CLOCK_SKEW_SECONDS:
            raise TokenRejected("the token has expired")
        if now < not_before - CLOCK_SKEW_SECONDS:
            raise TokenRejected("the token is not valid yet")

    def _signing_key(self, token: str) -> Any:
        return self._client().get_signing_key_from_jwt(token).key

    def _client(self) -> jwt.PyJWKClient:
        import jwt

        with self._lock:
            stale = time.monotonic() - self._fetched_at > METADATA_LIFETIME_SECONDS
            if self._jwks is None or stale:
                jwks_uri = _jwks_uri(self.openid_metadata_url)
                self._jwks = jwt.PyJWKClient(jwks_uri, timeout=int(FETCH_TIMEOUT_SECONDS))
                self._fetched_at = time.monotonic()
            return self._jwks


def _jwks_uri(metadata_url: str) -> str:
    """The ``jwks_uri`` the OpenID metadata document names."""
    try:
        with urllib.request.urlopen(metadata_url, timeout=FETCH_TIMEOUT_SECONDS) as response:
            metadata = json.loads(response.read(1 << 20))
    except (OSError, ValueError) as exc:
        reason = f"the Bot Framework's OpenID metadata could not be read ({exc})"
        raise TokenRejected(reason) from None
    uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
    if not isinstance(uri, str) or not uri:
        raise TokenRejected("the Bot Framework's OpenID metadata names no jwks_uri")
    return uri
