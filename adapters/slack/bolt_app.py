"""Slack on slack-bolt: ``install(app)`` wires ``/slack/events`` and the deferred work.

The HTTP route verifies the signature (401), checks the payload (400), answers Slack's
``url_verification`` itself, then hands the request to a Bolt app running with
``process_before_response=True`` so the same code acks correctly on FaaS platforms and in
Socket Mode. The Bolt app and its WebClient are built on the first event, so installing
costs nothing at import or cold start.

Nothing on the request path calls Slack: Bolt's ``auth.test`` (which it makes to learn
the bot's own ids, eagerly or on the first request) is replaced by an ``authorize``
function that hands Bolt the configured bot token, and the bot's user id is read from
the ``authorizations`` Slack puts in every event. So the route answers Slack's set-up
check before a bot token exists, and an unreachable Slack never delays an ack.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING, Any

from momentum.adapters.slack.constants import EVENTS_PATH
from momentum.adapters.slack.payloads import parse_body
from momentum.adapters.slack.settings import slack_settings
from momentum.adapters.slack.signature import SignatureError, verify
from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.events import HttpRequest, HttpResponse

if TYPE_CHECKING:
    from momentum.adapters.slack.chat import SlackChat

log = logging.getLogger("momentum.slack")


def install(app: App) -> None:
    """Register ``/slack/events`` in ``app.routes`` and Slack's deferred handlers."""
    bridge = SlackBridge(app)
    app.routes[EVENTS_PATH] = bridge
    app.deferred_handlers.update(bridge.work.handlers())


def bridge_of(app: App) -> SlackBridge:
    """The bridge :func:`install` put on ``app`` (installing it if needed)."""
    route = app.routes.get(EVENTS_PATH)
    if not isinstance(route, SlackBridge):
        install(app)
        route = app.routes[EVENTS_PATH]
    assert isinstance(route, SlackBridge)
    return route


class SlackBridge:
    """Slack for one app: the HTTP route (this object is callable), the lazily built
    Bolt app, and the SlackChat both halves speak through."""

    def __init__(self, app: App) -> None:
        from momentum.adapters.slack.users import AthleteDirectory
        from momentum.adapters.slack.work import Work

        self.app = app
        self.work = Work(self)
        self.directory = AthleteDirectory(app.storage)
        self._lock = threading.Lock()
        self._bolt: Any = None
        self._chat: SlackChat | None = None
        self.bot_user_id: str | None = None
        """The bot's own user id, learnt from events' ``authorizations`` (never asked for)."""

    @property
    def chat(self) -> SlackChat:
        """The app's chat if it is a SlackChat, else one built from ``[slack]``."""
        from momentum.adapters.slack.chat import SlackChat

        if self._chat is None:
            with self._lock:
                if self._chat is None:
                    if isinstance(self.app.chat, SlackChat):
                        self._chat = self.app.chat
                    else:
                        self._chat = SlackChat.from_settings(slack_settings(self.app.settings))
        return self._chat

    def bolt(self) -> Any:
        """The slack_bolt ``App`` (built once, without calling Slack)."""
        if self._bolt is None:
            chat = self.chat
            with self._lock:
                if self._bolt is None:
                    self._bolt = _build_bolt(self, chat)
        return self._bolt

    def __call__(self, app: App, request: HttpRequest) -> HttpResponse:
        """The ``/slack/events`` route: events, slash commands and interactivity."""
        if request.method.upper() != "POST":
            return HttpResponse.text(405, "POST only")
        secret = slack_settings(self.app.settings).signing_secret
        if not secret:
            log.error("SLACK_SIGNING_SECRET is not set; refusing Slack requests")
            return HttpResponse.text(503, "Slack is not configured on this coach")
        try:
            verify(request, secret, self.app.clock)
        except SignatureError as exc:
            log.warning("rejected a Slack request: %s", exc)
            return HttpResponse.text(401, "invalid Slack signature")
        try:
            payload = parse_body(request.body, request.header("content-type"))
        except InputError as exc:
            log.warning("rejected a Slack request: %s", exc)
            return HttpResponse.text(400, str(exc))
        if payload.get("type") == "url_verification":
            # Slack's set-up check: answered here, before (and without) a bot token.
            return HttpResponse.json(200, {"challenge": payload["challenge"]})
        self._learn_bot_user(payload)
        if not slack_settings(self.app.settings).bot_token:
            log.error("SLACK_BOT_TOKEN is not set; Slack events can't be answered yet")
            return HttpResponse.text(503, "Slack bot token is not configured on this coach")
        try:
            bolt = self.bolt()
        except Exception:
            log.exception("the Slack app could not start (check SLACK_BOT_TOKEN)")
            return HttpResponse.text(503, "Slack app failed to start")
        return _dispatch(bolt, request)

    def _learn_bot_user(self, payload: dict[str, Any]) -> None:
        if self.bot_user_id is not None:
            return
        for grant in payload.get("authorizations") or ():
            if isinstance(grant, dict) and grant.get("is_bot") and grant.get("user_id"):
                self.bot_user_id = str(grant["user_id"])
                return

    def authorize(self, enterprise_id: str | None, team_id: str | None, user_id: str | None) -> Any:
        """Bolt's ``authorize``: the configured bot token, with no call to Slack."""
        from slack_bolt.authorization import AuthorizeResult

        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_token=self.chat.client.token,
            bot_user_id=self.bot_user_id,
        )


class _QuietTokenNotice(logging.Filter):
    """Bolt notes that SLACK_BOT_TOKEN in the environment (or the client's token) is
    unused when ``authorize`` is given; ``authorize`` hands Bolt that same token, so the
    notice is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return "`token` will be unused" not in message and "will be ignored" not in message


def _build_bolt(bridge: SlackBridge, chat: SlackChat) -> Any:
    from slack_bolt import App as BoltApp

    from momentum.adapters.slack.listeners import register

    bolt_log = logging.getLogger("momentum.slack.bolt")
    if not any(isinstance(f, _QuietTokenNotice) for f in bolt_log.filters):
        bolt_log.addFilter(_QuietTokenNotice())
    bolt = BoltApp(
        name="momentum",
        client=chat.client,
        # Hands Bolt the bot token without the auth.test it would make on the first
        # request (see the module docstring); listeners ignore bot messages themselves.
        authorize=_authorize_for(bridge),
        # The route verified the signature with the app's clock already; Bolt's own check
        # would use the machine's clock and verify twice.
        signing_secret="",
        request_verification_enabled=False,
        process_before_response=True,
        token_verification_enabled=False,
        # Middleware for requests that never reach Bolt or features Momentum doesn't use,
        # left out of every request's chain: ssl_check bodies have no command, so the
        # route answers them 400 first; no custom workflow functions; no AI assistant.
        ssl_check_enabled=False,
        attaching_function_token_enabled=False,
        attaching_conversation_kwargs_enabled=False,
        logger=bolt_log,
    )
    register(bolt, bridge)
    return bolt


def _authorize_for(bridge: SlackBridge) -> Any:
    """A plain function for Bolt (it inspects argument names, which a bound method's
    ``self`` would confuse)."""

    def authorize(enterprise_id: str | None, team_id: str | None, user_id: str | None) -> Any:
        return bridge.authorize(enterprise_id, team_id, user_id)

    return authorize


def _dispatch(bolt: Any, request: HttpRequest) -> HttpResponse:
    from slack_bolt.request import BoltRequest

    bolt_request = BoltRequest(
        body=request.body.decode("utf-8"),
        query=dict(request.query),
        headers=dict(request.headers),
        mode="http",
    )
    response = bolt.dispatch(bolt_request)
    headers = {key: values[0] for key, values in response.headers.items() if values}
    body = response.body.encode("utf-8") if isinstance(response.body, str) else response.body
    return HttpResponse(response.status, body or b"", headers)
