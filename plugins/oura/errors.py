"""The Oura plugin's errors (no httpx here: the webhook route imports them on a cold start)."""

from __future__ import annotations

from momentum import InvalidGrant as RefreshRefused
from momentum import MomentumError


class OuraError(MomentumError):
    """Oura answered with an error (or not at all); ``status`` is 0 when it never answered."""

    def __init__(self, message: str, status: int = 0, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Unauthorized(OuraError):
    """Oura refused the access token (401): refresh it, or connect again."""


class InvalidGrant(OuraError, RefreshRefused):
    """Oura refused an authorization code or refresh token (already used, revoked); core's
    token keeper waits for a concurrent refresher's token on it."""
