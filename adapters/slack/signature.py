"""Verifying that a request came from Slack: the v0 HMAC-SHA256 signing secret scheme.

The signature covers ``v0:<timestamp>:<raw body>``; a timestamp more than five minutes
from now is refused so a captured request can't be replayed. The app's Clock is used
(not the machine's), so tests and every cloud agree on "now".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from momentum.core.config import Secret
from momentum.core.events import HttpRequest
from momentum.core.ports.clock import Clock

if TYPE_CHECKING:
    from slack_sdk.signature import Clock as SlackClock

MAX_AGE_SECONDS = 5 * 60


class SignatureError(Exception):
    """The request is not provably from Slack. The message says why, never the secret."""


def verify(request: HttpRequest, secret: Secret, clock: Clock) -> None:
    """Raise :class:`SignatureError` unless ``request`` carries a fresh, valid signature."""
    from slack_sdk.signature import SignatureVerifier

    timestamp = request.header("x-slack-request-timestamp")
    signature = request.header("x-slack-signature")
    if not timestamp or not signature:
        raise SignatureError("missing X-Slack-Request-Timestamp or X-Slack-Signature")
    if not timestamp.isdigit():
        raise SignatureError("X-Slack-Request-Timestamp is not a number")
    now = clock.now().timestamp()
    age = abs(now - int(timestamp))
    if age > MAX_AGE_SECONDS:
        raise SignatureError(f"timestamp is {age:.0f} s from now (limit {MAX_AGE_SECONDS} s)")
    try:
        request.body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureError("body is not UTF-8, so it can't be a signed Slack payload") from exc
    verifier = SignatureVerifier(secret.reveal(), clock=cast("SlackClock", _FixedNow(now)))
    if not verifier.is_valid(request.body, timestamp, signature):
        raise SignatureError("signature does not match")


class _FixedNow:
    """slack_sdk's verifier asks its clock for ``now()`` in seconds: the app clock's reading
    taken above, so the age check and the verifier agree on one instant. (Duck-typed, so
    slack_sdk's ``Clock`` class is not built again on every request.)"""

    def __init__(self, now: float) -> None:
        self._now = now

    def now(self) -> float:
        return self._now
