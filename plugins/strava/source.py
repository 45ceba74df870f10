"""``/strava/webhook``: Strava's subscription check and its events, answered at once.

Within Strava's two seconds the source only parses, checks (400 for malformed, 403 for a
wrong verify token or an unknown subscription), claims idempotency keys and defers the
work to :mod:`momentum.plugins.strava.sync`. Nothing is stored for a rejected request.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging
import threading
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING

from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.ports.scheduler import DeferredJob
from momentum.plugins.strava.events import Forbidden, StravaEvent, answer_challenge, parse_event
from momentum.plugins.strava.settings import strava_settings

if TYPE_CHECKING:
    from momentum.core.app import App

log = logging.getLogger("momentum.strava")

WEBHOOK_PATH = "/strava/webhook"
CREATE_CLAIM_TTL = dt.timedelta(days=7)


def create_claim_key(activity_id: int | str) -> str:
    """The claim that makes a create event (delivered twice) processed once."""
    return f"strava:create:{activity_id}"


class StravaSource:
    """The Strava data source (a ``WebhookSource``)."""

    name = "strava"
    description = "Strava: activities and streams by webhook, OAuth, backfill."
    webhook_path = WEBHOOK_PATH

    def __init__(self) -> None:
        self._file_subscription: tuple[float, str] | None = None
        self._lock = threading.Lock()

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """Answer a subscription check (GET) or an event (POST)."""
        try:
            if request.method.upper() == "GET":
                token = strava_settings(app.settings).verify_token.reveal()
                return HttpResponse.json(200, answer_challenge(dict(request.query), token))
            if request.method.upper() == "POST":
                return self._event(app, parse_event(request.body))
        except InputError as exc:
            log.warning("rejected a Strava webhook: %s", exc)
            return HttpResponse.text(400, str(exc))
        except Forbidden as exc:
            log.warning("refused a Strava webhook: %s", exc)
            return HttpResponse.text(403, str(exc))
        return HttpResponse.text(405, "GET or POST only")

    # -- events ----------------------------------------------------------------------------
    def _event(self, app: App, event: StravaEvent) -> HttpResponse:
        if not self.known_subscription(app, event.subscription_id):
            raise Forbidden(f"unknown subscription id {event.subscription_id}")
        from momentum.plugins.strava.sync import (
            KIND_CREATE,
            KIND_DEAUTHORIZE,
            KIND_DELETE,
            KIND_UPDATE,
        )
        from momentum.plugins.strava.tokens import athlete_for_owner

        athlete_id = athlete_for_owner(app.storage, event.owner_id)
        if athlete_id is None:
            log.info("Strava event for an athlete we don't coach (owner %s)", event.owner_id)
            return HttpResponse.text(200, "ignored")
        base = {"athlete_id": athlete_id, "owner_id": event.owner_id}
        if event.object_type == "athlete":
            if not event.deauthorized:
                return HttpResponse.text(200, "ignored")
            app.scheduler.defer(DeferredJob(KIND_DEAUTHORIZE, base))
            return HttpResponse.text(200, "ok")
        base["activity_id"] = event.object_id
        if event.aspect_type == "create":
            key = create_claim_key(event.object_id)
            if not app.storage.claim(key, app.clock.now(), CREATE_CLAIM_TTL):
                log.info("Strava create for %s delivered again; ignored", event.object_id)
                return HttpResponse.text(200, "duplicate")
            try:
                app.scheduler.defer(DeferredJob(KIND_CREATE, {**base, "claim_key": key}, key))
            except Exception:
                app.storage.release(key)
                raise
        elif event.aspect_type == "update":
            # Only what changed is re-read from Strava; the event's ``updates`` are not used.
            app.scheduler.defer(DeferredJob(KIND_UPDATE, base))
        else:
            app.scheduler.defer(DeferredJob(KIND_DELETE, base))
        return HttpResponse.text(200, "ok")

    def known_subscription(self, app: App, subscription_id: int) -> bool:
        """True for the configured subscription. ``momentum strava subscribe`` writes the
        id to ``momentum.toml``, so a coach already running re-reads the file (when it has
        changed) before refusing."""
        given = str(subscription_id).encode()
        configured = strava_settings(app.settings).subscription_id
        if configured and hmac.compare_digest(configured.encode(), given):
            return True
        in_file = self._subscription_in_file(Path(app.settings.home))
        return bool(in_file) and hmac.compare_digest(in_file.encode(), given)

    def _subscription_in_file(self, home: Path) -> str:
        path = home / "momentum.toml"
        try:
            mtime = path.stat().st_mtime
        except OSError:
            return ""
        with self._lock:
            if self._file_subscription and self._file_subscription[0] == mtime:
                return self._file_subscription[1]
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            return ""
        found = str((data.get("strava") or {}).get("subscription_id") or "")
        with self._lock:
            self._file_subscription = (mtime, found)
        return found
