"""The fast half: Bolt listeners that ack at once and defer the rest.

Everything here runs before Slack gets its response (``process_before_response``, so the
same code is correct on a FaaS platform, where nothing may run after the response, and in
Socket Mode) and must stay well inside Slack's three seconds. For a DM or mention that is
a Storage claim and then either

- with a scheduler that has a fast lane (:func:`fast_lane`, the local one): one
  ``defer_fast`` of a ``slack.thinking`` job, which posts "Thinking…" right after the
  response, so the ack never waits on Slack's Web API; or
- otherwise (a FaaS platform, where nothing runs after the response): "Thinking…" is
  posted before the ack.

Either way the model runs in :mod:`momentum.adapters.slack.work`, which updates "Thinking…" with
the answer.

Idempotency: an Events API delivery claims ``slack:event:<event_id>`` first. A retry of a
delivery already being handled (``X-Slack-Retry-Num``) finds the claim and is only
acked. If this half crashes, the claim is released and the error becomes a 500, so
Slack's retry is processed; a "Thinking…" already posted becomes an apology.

Busy: when the scheduler's queue is full (:class:`~momentum.core.ports.deferral.DeferralBusy`)
an event's claim is released and it is answered 503 "busy, try again", which Slack retries
later (:func:`on_error`); a slash command is answered with :data:`BUSY` at once. Either
is logged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from momentum.adapters.slack.blocks import help_blocks
from momentum.adapters.slack.constants import (
    BUSY,
    BUSY_STATUS,
    COMMAND,
    EVENT_CLAIM_TTL,
    KIND_ACTION,
    KIND_SCREEN,
    KIND_STRANGER,
    KIND_THINKING,
    event_claim_key,
)
from momentum.adapters.slack.screens import SCREENS
from momentum.adapters.slack.users import message_text, stranger_reply
from momentum.core.ports.deferral import DeferralBusy
from momentum.core.ports.scheduler import DeferredJob, Scheduler

if TYPE_CHECKING:
    from momentum.adapters.slack.bolt_app import SlackBridge

log = logging.getLogger("momentum.slack")

ANSWERED_SUBTYPES = (None, "", "file_share", "thread_broadcast")
"""Message subtypes the athlete wrote; edits (``message_changed``), deletions and joins
are not new messages."""


ACTION_PATTERN = re.compile(r"^momentum_")


def fast_lane(scheduler: Scheduler) -> Callable[[DeferredJob], None] | None:
    """The scheduler's ``defer_fast`` (a lane for short jobs that runs right after the
    response, in this process, never queued behind model calls), or ``None``."""
    if not getattr(scheduler, "has_fast_lane", False):
        return None
    fast = getattr(scheduler, "defer_fast", None)
    return fast if callable(fast) else None


def defer_short(scheduler: Scheduler, job: DeferredJob) -> None:
    """Defer a short job (a post or two, no model call): on the fast lane if there is one."""
    fast = fast_lane(scheduler)
    if fast is None:
        scheduler.defer(job)
    else:
        fast(job)


def register(bolt: Any, bridge: SlackBridge) -> None:
    """Attach Momentum's listeners to a slack_bolt ``App``."""
    listeners = Listeners(bridge)
    bolt.event("message")(listeners.on_message)
    bolt.event("app_mention")(listeners.on_mention)
    bolt.command(COMMAND)(listeners.on_command)
    bolt.action(ACTION_PATTERN)(listeners.on_action)
    bolt.error(on_error)


def on_error(error: Exception, body: dict[str, Any]) -> Any:
    """Bolt's error handler: a full queue is a 503 "busy, try again" (Slack retries the
    delivery later); anything else is logged and stays Bolt's 500."""
    if isinstance(error, DeferralBusy):
        from slack_bolt.response import BoltResponse

        what = body.get("event_id") or body.get("type") or "request"
        log.warning("Slack %s answered %d busy: %s", what, BUSY_STATUS, error)
        return BoltResponse(
            status=BUSY_STATUS,
            body="busy, try again",
            headers={"content-type": "text/plain; charset=utf-8", "retry-after": "60"},
        )
    log.error("a Slack listener failed", exc_info=error)
    return None


class Listeners:
    """Bolt listener functions bound to one bridge (app, directory)."""

    def __init__(self, bridge: SlackBridge) -> None:
        self.bridge = bridge

    # -- events ---------------------------------------------------------------------
    def on_message(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        """A direct message to the bot (with or without a file). Edits, deletions and bot
        messages are ignored."""
        ack()
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return
        if event.get("subtype") not in ANSWERED_SUBTYPES:
            return
        self._chat_event(body, event, in_dm=True)

    def on_mention(self, ack: Any, body: dict[str, Any], event: dict[str, Any]) -> None:
        """An @mention in a channel: answered in the athlete's DM, never in the channel."""
        ack()
        if event.get("bot_id"):
            return
        self._chat_event(body, event, in_dm=False)

    def _chat_event(self, body: dict[str, Any], event: dict[str, Any], *, in_dm: bool) -> None:
        app = self.bridge.app
        user = str(event.get("user") or "")
        channel = str(event.get("channel") or "")
        athlete = self.bridge.directory.find(user)
        if athlete is None:
            # Nothing is stored for a stranger; the polite answer is posted after the ack.
            stranger = {"user": user, "channel": channel, "in_dm": in_dm}
            defer_short(app.scheduler, DeferredJob(KIND_STRANGER, stranger))
            return
        event_id = str(body["event_id"])
        key = event_claim_key(event_id)
        if not app.storage.claim(key, app.clock.now(), EVENT_CLAIM_TTL):
            log.info("Slack event %s already handled; retry acknowledged only", event_id)
            return
        request = {
            "athlete_id": athlete.athlete_id,
            "text": message_text(str(event.get("text") or "")) or "hi",
            "event_id": event_id,
            "claim_key": key,
            "user": user,
            "channel": channel,
            "in_dm": in_dm,
            "thread_ts": str(event.get("thread_ts") or "") if in_dm else "",
        }
        fast = fast_lane(app.scheduler)
        if fast is None:
            # Nothing runs after the response here (a FaaS platform): "Thinking…" first.
            self.bridge.work.begin_reply(request, acked=False)
            return
        try:
            fast(DeferredJob(KIND_THINKING, request, key=key))
        except Exception:
            app.storage.release(key)  # Slack's retry of this delivery is processed
            raise

    # -- slash command -------------------------------------------------------------------
    def on_command(self, ack: Any, command: dict[str, Any]) -> None:
        """``/momentum plan|week|usage|help``. Screens go to the athlete's DM only."""
        words = str(command.get("text") or "").split()
        word = words[0].lower() if words else "help"
        if word not in SCREENS:
            note = "" if word == "help" else f"I don't know `{word}`."
            text, blocks = help_blocks(note)
            ack(text=text, blocks=blocks, response_type="ephemeral")
            return
        user = str(command["user_id"])
        athlete = self.bridge.directory.find(user)
        if athlete is None:
            ack(text=stranger_reply(user), response_type="ephemeral")
            return
        payload = {"athlete_id": athlete.athlete_id, "screen": word, "user": user}
        try:
            self.bridge.app.scheduler.defer(DeferredJob(KIND_SCREEN, payload))
        except DeferralBusy as busy:
            log.warning("/momentum %s answered busy: %s", word, busy)
            ack(text=BUSY, response_type="ephemeral")
            return
        if str(command.get("channel_id") or "").startswith("D"):
            ack()  # already in a DM: the screen arrives in the bot's DM
        else:
            ack(text="On its way to our DM.", response_type="ephemeral")

    # -- buttons ---------------------------------------------------------------------------
    def on_action(self, ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        """A button or menu in a coach DM: ack, then let the deferred half act on it."""
        ack()
        user = str(body["user"]["id"])
        athlete = self.bridge.directory.find(user)
        if athlete is None:
            log.info("ignored a Slack action from an unknown user")
            return
        container = body.get("container") or {}
        value = action.get("value") or (action.get("selected_option") or {}).get("value", "")
        payload = {
            "athlete_id": athlete.athlete_id,
            "action_id": str(action.get("action_id") or ""),
            "value": str(value),
            "channel": str(
                container.get("channel_id") or (body.get("channel") or {}).get("id") or ""
            ),
            "message_ts": str(container.get("message_ts") or ""),
        }
        self.bridge.app.scheduler.defer(DeferredJob(KIND_ACTION, payload))
