"""``/oura/webhook``: Oura's subscription challenge and its signed events.

* ``GET ?verification_token=…&challenge=…`` (when a subscription is created): the token
  must match ``OURA_VERIFICATION_TOKEN``; the answer is ``{"challenge": …}``.
* ``POST`` events carry ``x-oura-signature``: the HMAC-SHA256, keyed with the application's
  client secret, of the ``x-oura-timestamp`` header followed by the raw body, in hex.
  Anything unsigned, wrongly signed or stamped more than :data:`MAX_SKEW` from now is
  refused (401) before the body is read, and nothing is stored.
* A verified event is claimed on its identity (user, data type, document, event type,
  event time), so a second delivery is answered ``duplicate`` and does nothing, and the
  changed day is fetched by a deferred job (:mod:`momentum.plugins.oura.changes`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from dataclasses import dataclass

from momentum import App, DeferredJob, HttpRequest, HttpResponse, InputError
from momentum.plugins.oura.days import KINDS
from momentum.plugins.oura.settings import oura_settings
from momentum.plugins.oura.tokens import athlete_for_user

log = logging.getLogger("momentum.oura")

WEBHOOK_PATH = "/oura/webhook"
SOURCE = "oura webhook"
MAX_SKEW = dt.timedelta(minutes=5)
MAX_EVENT_BYTES = 8 * 1024
EVENT_CLAIM_TTL = dt.timedelta(days=7)
EVENT_TYPES = ("create", "update", "delete")
KIND_FETCH = "oura.fetch_changed"


class Refused(Exception):
    """Not signed by Oura (or too old): 401."""


@dataclass(frozen=True)
class OuraEvent:
    """One webhook event."""

    event_type: str
    data_type: str
    object_id: str
    event_time: str
    user_id: str

    @property
    def key(self) -> str:
        """The claim that makes a redelivery a duplicate."""
        return (
            f"oura:event:{self.user_id}:{self.data_type}:{self.object_id}:"
            f"{self.event_type}:{self.event_time}"
        )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Oura's signature of a delivery: hex HMAC-SHA256 of timestamp + body."""
    return hmac.new(secret.encode(), timestamp.encode() + body, hashlib.sha256).hexdigest()


def _stamp(value: str) -> dt.datetime:
    """``x-oura-timestamp``: epoch seconds, or an ISO 8601 date-time."""
    try:
        return dt.datetime.fromtimestamp(float(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        pass
    try:
        parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise Refused("x-oura-timestamp is not a time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def verify(request: HttpRequest, secret: str, now: dt.datetime) -> None:
    """Raise :class:`Refused` unless the request is signed with ``secret`` and fresh."""
    given = request.header("x-oura-signature").strip()
    stamp = request.header("x-oura-timestamp").strip()
    if not given or not stamp:
        raise Refused("x-oura-signature or x-oura-timestamp is missing")
    if not secret:
        raise Refused("OURA_CLIENT_SECRET is not set, so no signature can be checked")
    expected = signature(secret, stamp, request.body)
    if not hmac.compare_digest(given.lower().encode(), expected.encode()):
        raise Refused("x-oura-signature does not match the body")
    if abs(now - _stamp(stamp)) > MAX_SKEW:
        raise Refused(f"x-oura-timestamp {stamp} is more than 5 minutes from now (stale)")


def _text(data: dict[str, object], name: str, limit: int = 128) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value or len(value) > limit:
        raise InputError(SOURCE, f"{name} is missing or not a short string")
    return value


def parse_event(body: bytes) -> OuraEvent:
    """The event in a POST body, or :class:`InputError` naming what is wrong."""
    if len(body) > MAX_EVENT_BYTES:
        raise InputError(SOURCE, f"body too large ({len(body)} bytes)")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(SOURCE, f"body is not JSON ({exc})") from None
    if not isinstance(data, dict):
        raise InputError(SOURCE, "body is not a JSON object")
    event_type = _text(data, "event_type")
    if event_type not in EVENT_TYPES:
        raise InputError(SOURCE, f"event_type must be one of {', '.join(EVENT_TYPES)}")
    return OuraEvent(
        event_type=event_type,
        data_type=_text(data, "data_type"),
        object_id=_text(data, "object_id"),
        event_time=_text(data, "event_time"),
        user_id=_text(data, "user_id"),
    )


def answer_challenge(query: dict[str, str], token: str) -> dict[str, str]:
    """``{"challenge": …}`` for a subscription check; :class:`InputError` or
    :class:`Refused` when it is not ours."""
    challenge = query.get("challenge", "")
    given = query.get("verification_token", "")
    if not challenge or len(challenge) > 512 or not given:
        raise InputError(SOURCE, "verification_token and challenge are required")
    if not token or not hmac.compare_digest(given.encode(), token.encode()):
        raise Refused("verification_token does not match OURA_VERIFICATION_TOKEN")
    return {"challenge": challenge}


class OuraSource:
    """The Oura data source (a ``WebhookSource``)."""

    name = "oura"
    description = "Oura: sleep, readiness, activity, resting HR and workouts (API v2)."
    webhook_path = WEBHOOK_PATH

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """Answer the challenge (GET) or take an event (POST), within Oura's deadline."""
        settings = oura_settings(app.settings)
        try:
            if request.method.upper() == "GET":
                token = settings.verification_token.reveal()
                return HttpResponse.json(200, answer_challenge(dict(request.query), token))
            if request.method.upper() == "POST":
                verify(request, settings.client_secret.reveal(), app.clock.now())
                return self._event(app, parse_event(request.body))
        except Refused as exc:
            log.warning("refused an Oura webhook: %s", exc)
            return HttpResponse.text(401, str(exc))
        except InputError as exc:
            log.warning("rejected an Oura webhook: %s", exc)
            return HttpResponse.text(400, str(exc))
        return HttpResponse.text(405, "GET or POST only")

    def _event(self, app: App, event: OuraEvent) -> HttpResponse:
        if event.data_type not in KINDS:
            return HttpResponse.text(200, "ignored")
        athlete_id = athlete_for_user(app.storage, event.user_id)
        if athlete_id is None:
            log.info("Oura event for a user we don't coach; ignored")
            return HttpResponse.text(200, "ignored")
        if not app.storage.claim(event.key, app.clock.now(), EVENT_CLAIM_TTL):
            return HttpResponse.text(200, "duplicate")
        payload = {
            "athlete_id": athlete_id,
            "event_type": event.event_type,
            "data_type": event.data_type,
            "object_id": event.object_id,
            "claim_key": event.key,
        }
        try:
            app.scheduler.defer(DeferredJob(KIND_FETCH, payload, event.key))
        except Exception:
            app.storage.release(event.key)
            raise
        return HttpResponse.text(200, "ok")
