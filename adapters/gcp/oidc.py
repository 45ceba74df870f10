"""Checking the OIDC token Cloud Tasks and Cloud Scheduler put on each request.

Both sign a Google ID token for the function's service account; the function accepts a
request only if the token's signature checks against Google's certificates, it was issued
by ``accounts.google.com`` for this function's URL (the audience), and its ``email`` is the
expected service account. ``certs_url`` can point at a local issuer in tests.
"""

from __future__ import annotations

import functools
from typing import Any

from momentum.core.errors import InputError

GOOGLE_CERTS_URL = "https://www.googleapis.com/oauth2/v1/certs"
ISSUERS = ("accounts.google.com", "https://accounts.google.com")


def bearer(authorization: str | None) -> str:
    """The token in an ``Authorization: Bearer ...`` header; :class:`InputError` if absent."""
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InputError("Authorization header", "needs a Bearer OIDC token")
    return token.strip()


@functools.cache
def cached_request() -> Any:
    """A google-auth transport whose HTTP cache keeps Google's certificates for as long as
    their ``Cache-Control`` allows (hours), so a warm instance verifies tokens without a
    fetch each time (google-auth's own advice: a CacheControl session)."""
    import cachecontrol
    import requests
    from google.auth.transport import requests as google_requests

    return google_requests.Request(session=cachecontrol.CacheControl(requests.Session()))


def verify_oidc(
    token: str,
    *,
    audience: str,
    service_account: str,
    certs_url: str = GOOGLE_CERTS_URL,
    request: Any = None,
) -> dict[str, Any]:
    """The token's claims if it is valid for ``audience`` and signed for
    ``service_account``; otherwise :class:`InputError` saying what was wrong (never the
    token itself)."""
    from google.auth import exceptions
    from google.oauth2 import id_token

    try:
        claims = dict(
            id_token.verify_token(
                token,
                request or cached_request(),
                audience=audience,
                certs_url=certs_url,
                clock_skew_in_seconds=10,
            )
        )
    except (ValueError, exceptions.GoogleAuthError) as error:
        raise InputError("OIDC token", f"did not verify: {error}") from None
    if claims.get("iss") not in ISSUERS:
        raise InputError("OIDC token", f"has issuer {claims.get('iss')!r}, not Google")
    if claims.get("email") != service_account or not claims.get("email_verified", False):
        raise InputError("OIDC token", "is not for this function's service account")
    return claims
