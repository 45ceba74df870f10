"""Strava webhook requests, parsed and checked before anything acts on them.

Strava sends two things to the callback URL: a ``GET`` with ``hub.mode``,
``hub.challenge`` and ``hub.verify_token`` when a subscription is created, and ``POST``s
with one event each::

    {"object_type": "activity", "object_id": 1360128428, "aspect_type": "update",
     "owner_id": 134815, "subscription_id": 120475, "event_time": 1516126040,
     "updates": {"title": "Messy"}}

A deauthorisation is an ``athlete`` update with ``{"authorized": "false"}``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field
from typing import Any

from momentum.core.errors import InputError
from momentum.core.untrusted import parse_json

SOURCE = "strava webhook"
MAX_EVENT_BYTES = 8 * 1024
"""Strava's events are a few hundred bytes; anything near this is not from Strava."""
MAX_CHALLENGE = 512
OBJECT_TYPES = ("activity", "athlete")
ASPECT_TYPES = ("create", "update", "delete")


class Forbidden(Exception):
    """Well-formed but not ours: wrong verify token or unknown subscription (403)."""


@dataclass(frozen=True)
class StravaEvent:
    """One webhook event."""

    object_type: str
    aspect_type: str
    object_id: int
    owner_id: int
    subscription_id: int
    event_time: int
    updates: dict[str, str] = field(default_factory=dict)

    @property
    def deauthorized(self) -> bool:
        """The athlete revoked Momentum's access on Strava."""
        return (
            self.object_type == "athlete"
            and self.aspect_type == "update"
            and self.updates.get("authorized", "").lower() == "false"
        )


def _int(body: dict[str, Any], name: str) -> int:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(SOURCE, f"{name} is missing or not a non-negative integer")
    return value


EARLIEST_EVENT = 1_230_768_000
"""2009-01-01: Strava's events can't be older than Strava."""
LATEST_EVENT = 4_102_444_800
"""2100-01-01: a later time is not a real event's."""


def _event_time(body: dict[str, Any]) -> int:
    value = _int(body, "event_time")
    if not EARLIEST_EVENT <= value < LATEST_EVENT:
        raise InputError(SOURCE, f"event_time {value} is not a time between 2009 and 2100")
    return value


def _choice(body: dict[str, Any], name: str, options: tuple[str, ...]) -> str:
    value = body.get(name)
    if value not in options:
        raise InputError(SOURCE, f"{name} must be one of {', '.join(options)}, got {value!r}")
    return str(value)


def parse_event(body: bytes) -> StravaEvent:
    """The event in a POST body, or :class:`InputError` naming what is wrong."""
    if len(body) > MAX_EVENT_BYTES:
        raise InputError(SOURCE, f"body too large ({len(body)} bytes)")
    data = parse_json(body, SOURCE)
    if not isinstance(data, dict):
        raise InputError(SOURCE, "body is not a JSON object")
    updates = data.get("updates") or {}
    if not isinstance(updates, dict) or not all(
        isinstance(v, str | int | float | bool) for v in updates.values()
    ):
        raise InputError(SOURCE, "updates must be an object of plain values")
    return StravaEvent(
        object_type=_choice(data, "object_type", OBJECT_TYPES),
        aspect_type=_choice(data, "aspect_type", ASPECT_TYPES),
        object_id=_int(data, "object_id"),
        owner_id=_int(data, "owner_id"),
        subscription_id=_int(data, "subscription_id"),
        event_time=_event_time(data),
        updates={
            str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in updates.items()
        },
    )


def answer_challenge(query: dict[str, str], verify_token: str) -> dict[str, str]:
    """The JSON that proves the callback is ours: ``{"hub.challenge": <challenge>}``.

    :class:`InputError` for a malformed request, :class:`Forbidden` for a wrong token
    (or none configured)."""
    mode = query.get("hub.mode")
    challenge = query.get("hub.challenge")
    given = query.get("hub.verify_token")
    if mode is None or challenge is None or given is None:
        raise InputError(SOURCE, "hub.mode, hub.challenge and hub.verify_token are required")
    if mode != "subscribe":
        raise InputError(SOURCE, f"hub.mode must be 'subscribe', got {mode!r}")
    if not challenge or len(challenge) > MAX_CHALLENGE:
        raise InputError(SOURCE, "hub.challenge is empty or too long")
    if not verify_token or not hmac.compare_digest(given.encode(), verify_token.encode()):
        raise Forbidden("hub.verify_token does not match STRAVA_VERIFY_TOKEN")
    return {"hub.challenge": challenge}
