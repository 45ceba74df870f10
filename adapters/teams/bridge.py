"""``/api/messages``: authenticate, check, dedupe, ack; the slow half is deferred.

Order of checks, each answered before anything is stored:

1. ``POST`` only (405); the bot configured (503);
2. the Bot Framework JWT (:mod:`.auth`): 401 when missing, forged, expired, for another
   audience or another service URL;
3. the activity itself (:mod:`.activity`): 400 naming the field that is wrong.

Then by type: an install (``installationUpdate`` add, or ``conversationUpdate`` adding the
bot) stores the athlete's conversation reference; an uninstall deletes it; a personal
message is claimed on its activity id (a redelivery is acked and nothing else), then
answered in two halves like Slack's: the typing indicator, then the coach's answer in
a deferred job. With a fast lane (``momentum serve``) even the typing indicator is sent
after the response; on a FaaS target it is sent before.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from momentum.adapters.teams.activity import Activity, parse_activity
from momentum.adapters.teams.auth import BotAuthenticator, TokenRejected
from momentum.adapters.teams.chat import TeamsChat
from momentum.adapters.teams.constants import (
    ACTIVITY_CLAIM_TTL,
    KIND_STRANGER,
    KIND_TYPING,
    MESSAGES_PATH,
    activity_claim_key,
)
from momentum.adapters.teams.directory import athlete_for
from momentum.adapters.teams.references import forget_reference, save_reference
from momentum.adapters.teams.settings import teams_settings
from momentum.adapters.teams.work import Work
from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.ports.scheduler import DeferredJob

log = logging.getLogger("momentum.teams")
INSTALL_ACTIONS = ("add", "add-upgrade")
UNINSTALL_ACTIONS = ("remove", "remove-upgrade")


def install(app: App) -> None:
    """Register ``/api/messages`` in ``app.routes`` and Teams' deferred handlers."""
    bridge = TeamsBridge(app)
    app.routes[MESSAGES_PATH] = bridge
    app.deferred_handlers.update(bridge.work.handlers())
    if isinstance(app.chat, TeamsChat):
        app.chat.attach(app.storage)


class TeamsBridge:
    """Teams for one app: the HTTP route (this object is callable) and its chat."""

    def __init__(self, app: App) -> None:
        self.app = app
        settings = teams_settings(app.settings)
        self.auth = BotAuthenticator(
            settings.app_id,
            settings.openid_metadata_url,
            settings.token_issuer,
            now=lambda: app.clock.now().timestamp(),
        )
        self.work = Work(self)
        self._lock = threading.Lock()
        self._chat: TeamsChat | None = None

    @property
    def chat(self) -> TeamsChat:
        """The app's chat if it is a TeamsChat, else one built from ``[teams]``."""
        if self._chat is None:
            with self._lock:
                if self._chat is None:
                    chat = self.app.chat
                    if not isinstance(chat, TeamsChat):
                        chat = TeamsChat.from_settings(teams_settings(self.app.settings))
                    chat.attach(self.app.storage)
                    self._chat = chat
        return self._chat

    def __call__(self, app: App, request: HttpRequest) -> HttpResponse:
        """The ``/api/messages`` route."""
        if request.method.upper() != "POST":
            return HttpResponse.text(405, "POST only")
        if not teams_settings(self.app.settings).app_id:
            log.error("[teams] app_id (TEAMS_APP_ID) is not set; refusing Teams activities")
            return HttpResponse.text(503, "Teams is not configured on this coach")
        try:
            claims = self.auth.verify(request.header("authorization"))
        except TokenRejected as exc:
            log.warning("rejected a Teams request: %s", exc)
            return HttpResponse.text(401, "invalid Bot Framework token")
        try:
            activity = parse_activity(request.body)
        except InputError as exc:
            log.warning("rejected a Teams activity: %s", exc)
            return HttpResponse.text(400, str(exc))
        try:
            self.auth.check_service_url(claims, activity.service_url)
        except TokenRejected as exc:
            log.warning("rejected a Teams request: %s", exc)
            return HttpResponse.text(401, "invalid Bot Framework token")
        return self.handle(activity)

    def handle(self, activity: Activity) -> HttpResponse:
        """Act on an authenticated, well-formed activity."""
        if activity.type == "message":
            return self._message(activity)
        if activity.type == "installationUpdate":
            if activity.action in INSTALL_ACTIONS:
                self._installed(activity)
            elif activity.action in UNINSTALL_ACTIONS:
                self._uninstalled(activity)
        elif activity.type == "conversationUpdate":
            if activity.recipient_id in activity.members_added:
                self._installed(activity)
            elif activity.recipient_id in activity.members_removed:
                self._uninstalled(activity)
        return HttpResponse.text(200, "")

    def _installed(self, activity: Activity) -> None:
        if not activity.personal:
            return  # the bot is personal-scope only: a team install is nobody's DM
        athlete = athlete_for(self.app.storage, activity)
        if athlete is None:
            log.info("the Teams app was installed by someone the coach doesn't know")
            return
        if save_reference(self.app.storage, athlete.athlete_id, activity.reference()):
            log.info("Teams conversation stored for athlete %s", athlete.athlete_id)

    def _uninstalled(self, activity: Activity) -> None:
        athlete = athlete_for(self.app.storage, activity)
        if athlete is not None and forget_reference(self.app.storage, athlete.athlete_id):
            log.info("Teams conversation removed for athlete %s", athlete.athlete_id)

    def _message(self, activity: Activity) -> HttpResponse:
        app = self.app
        if not activity.personal:
            return HttpResponse.text(200, "")  # athlete data only goes to the personal chat
        reference = activity.reference().to_dict()
        athlete = athlete_for(app.storage, activity)
        if athlete is None:
            stranger = {"reference": reference, "user": activity.from_id}
            _defer_short(app, DeferredJob(KIND_STRANGER, stranger))
            return HttpResponse.text(200, "")
        key = activity_claim_key(activity.id)
        if not app.storage.claim(key, app.clock.now(), ACTIVITY_CLAIM_TTL):
            log.info("Teams activity %s already handled; redelivery acknowledged", activity.id)
            return HttpResponse.text(200, "")
        request: dict[str, Any] = {
            "athlete_id": athlete.athlete_id,
            "text": activity.text.strip() or "hi",
            "activity_id": activity.id,
            "claim_key": key,
            "reference": reference,
        }
        try:
            # A message proves the conversation exists: keep its reference current.
            save_reference(app.storage, athlete.athlete_id, activity.reference())
            if getattr(app.scheduler, "has_fast_lane", False):
                app.scheduler.defer_fast(DeferredJob(KIND_TYPING, request, key=key))
            else:
                # Nothing runs after the response here (a FaaS target): typing first.
                self.work.begin_reply(request, acked=False)
        except Exception:
            app.storage.release(key)  # the Connector's redelivery is processed
            raise
        return HttpResponse.text(200, "")


def _defer_short(app: App, job: DeferredJob) -> None:
    if getattr(app.scheduler, "has_fast_lane", False):
        app.scheduler.defer_fast(job)
    else:
        app.scheduler.defer(job)
