"""The slow half: deferred handlers that call the coach and update "Thinking…".

They run on the Scheduler port's deferred path (a worker thread locally, a second
invocation on a cloud). Locally, ``slack.thinking`` runs first on the scheduler's fast
lane: it posts "Thinking…" right after the ack and defers ``slack.reply``, the model call,
to the main workers. A failure never leaves "Thinking…" hanging: it becomes a short
apology, and the event's claim is released so a redelivery is processed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from momentum.adapters.slack import plan_edits
from momentum.adapters.slack.blocks import (
    ACTION_DAY_PREFIX,
    ACTION_SHOW_PLAN,
    ACTION_SHOW_WEEK,
    message_blocks,
)
from momentum.adapters.slack.constants import (
    APOLOGY,
    BUSY,
    KIND_ACTION,
    KIND_REPLY,
    KIND_SCREEN,
    KIND_STRANGER,
    KIND_THINKING,
    THINKING,
)
from momentum.adapters.slack.screens import SCREENS, week_screen
from momentum.adapters.slack.users import stranger_reply
from momentum.core.app import App
from momentum.core.errors import InputError
from momentum.core.model import AthleteProfile, MessageKind
from momentum.core.ports.chat import ChatMessageRef
from momentum.core.ports.deferral import DeferralBusy
from momentum.core.ports.scheduler import DeferredJob
from momentum.plugins.running.model.plan import Plan

if TYPE_CHECKING:
    from momentum.adapters.slack.bolt_app import SlackBridge

log = logging.getLogger("momentum.slack")
THREAD_LOOKBACK = dt.timedelta(days=30)


class Work:
    """Deferred handlers bound to one bridge; each has the ``(app, job)`` signature."""

    def __init__(self, bridge: SlackBridge) -> None:
        self.bridge = bridge

    def handlers(self) -> dict[str, Any]:
        """``{kind: handler}`` to register on the app."""
        return {
            KIND_THINKING: self.thinking,
            KIND_REPLY: self.reply,
            KIND_SCREEN: self.screen,
            KIND_ACTION: self.action,
            KIND_STRANGER: self.stranger,
        }

    # -- chat -----------------------------------------------------------------------------
    def begin_reply(self, request: dict[str, Any], *, acked: bool) -> None:
        """Post "Thinking…" where the answer will go and defer the model call (``slack.reply``).

        ``request`` is what the listener took from the event (athlete, text, event id and
        claim, user, channel, ``in_dm``, thread). Before the ack (``acked=False``) any
        failure releases the claim, turns a posted "Thinking…" into the apology and is
        raised, so Slack's retry is processed. After the ack (the fast lane) Slack will not
        retry, so if "Thinking…" can't be posted the answer is still deferred and arrives
        as a new message.
        """
        app, chat = self.bridge.app, self.bridge.chat
        p = request
        thinking: ChatMessageRef | None = None
        try:
            # Athlete data only goes by DM: a mention in a channel is answered in the DM.
            try:
                target = p["channel"] if p["in_dm"] else chat.open_dm(p["user"])
                thinking = chat.post(target, THINKING, thread_ts=p["thread_ts"] or None)
            except Exception:
                if not acked:
                    raise
                log.warning(
                    "could not post Thinking… for Slack event %s; the answer will be a new message",
                    p["event_id"],
                    exc_info=True,
                )
            payload = {
                "athlete_id": p["athlete_id"],
                "text": p["text"],
                "event_id": p["event_id"],
                "claim_key": p["claim_key"],
                "user": p["user"],
                # "" for a mention without "Thinking…": the athlete's DM, opened later.
                "channel": thinking.channel if thinking else (p["channel"] if p["in_dm"] else ""),
                "message_id": thinking.message_id if thinking else "",
                "thread_ts": p["thread_ts"],
                "mentioned_in": "" if p["in_dm"] else p["channel"],
            }
            app.scheduler.defer(DeferredJob(KIND_REPLY, payload, key=p["claim_key"]))
        except Exception as error:
            app.storage.release(p["claim_key"])
            if thinking is not None:
                self._apologise(thinking, BUSY if isinstance(error, DeferralBusy) else APOLOGY)
            raise

    def thinking(self, app: App, job: DeferredJob) -> None:
        """The fast lane's half of an event: "Thinking…" right after the ack, then the reply."""
        self.begin_reply(job.payload, acked=True)

    def reply(self, app: App, job: DeferredJob) -> None:
        """Ask the coach, then put its answer where "Thinking…" was (or in a new message
        if "Thinking…" could not be posted)."""
        p = job.payload
        chat = self.bridge.chat
        ref = ChatMessageRef(p["channel"], p["message_id"]) if p.get("message_id") else None
        if p.get("mentioned_in"):
            try:
                chat.ephemeral(p["mentioned_in"], p["user"], "I've answered you in our DM.")
            except Exception:
                log.warning("could not point the athlete to the DM", exc_info=True)
        try:
            activity_id = thread_activity(app, p["athlete_id"], p.get("thread_ts", ""))
            message = app.coach.reply(
                p["athlete_id"], p["text"], activity_id=activity_id, event_id=p["event_id"]
            )
            text = message.display or message.text or "…"
            if ref is not None:
                chat.update(ref, text, message_blocks(text))
            else:
                channel = p["channel"] or chat.open_dm(p["user"])
                chat.post(channel, text, message_blocks(text), thread_ts=p["thread_ts"] or None)
        except Exception:
            log.exception("coach reply to Slack event %s failed", p.get("event_id"))
            app.storage.release(p["claim_key"])
            if ref is not None:
                self._apologise(ref)
            else:
                self._apologise_anew(p)

    def stranger(self, app: App, job: DeferredJob) -> None:
        """Tell someone the coach doesn't know, politely, where they wrote."""
        p = job.payload
        if p["in_dm"]:
            self.bridge.chat.post(p["channel"], stranger_reply(p["user"]))
        elif p["user"] and p["channel"]:
            self.bridge.chat.ephemeral(p["channel"], p["user"], stranger_reply(p["user"]))

    # -- /momentum week|plan|usage -----------------------------------------------------------
    def screen(self, app: App, job: DeferredJob) -> None:
        """Post a screen to the athlete's DM (an apology there if it can't be drawn)."""
        p = job.payload
        chat = self.bridge.chat
        channel = chat.open_dm(p["user"])
        try:
            athlete = _athlete(app, p["athlete_id"])
            text, blocks = SCREENS[p["screen"]](app, athlete)
        except Exception:
            log.exception("Slack screen %r failed", p.get("screen"))
            chat.post(channel, APOLOGY)
            return
        chat.post(channel, text, blocks)

    # -- buttons ------------------------------------------------------------------------------
    def action(self, app: App, job: DeferredJob) -> None:
        """Show a screen, or mark a session done / swap two days and redraw the week."""
        p = job.payload
        chat = self.bridge.chat
        action_id, channel = p["action_id"], p["channel"]
        try:
            athlete = _athlete(app, p["athlete_id"])
            if action_id in (ACTION_SHOW_WEEK, ACTION_SHOW_PLAN):
                screen = "week" if action_id == ACTION_SHOW_WEEK else "plan"
                text, blocks = SCREENS[screen](app, athlete)
                chat.post(channel, text, blocks)
            elif action_id.startswith(ACTION_DAY_PREFIX):
                note = _edit_plan(app, athlete, p["value"])
                text, blocks = week_screen(app, athlete, note=note)
                if p.get("message_ts"):
                    chat.update(ChatMessageRef(channel, p["message_ts"]), text, blocks)
                else:
                    chat.post(channel, text, blocks)
            else:
                log.info("ignored unknown Slack action %s", action_id)
        except InputError as exc:
            chat.post(channel, f"I couldn't do that: {exc.reason}.")
        except Exception:
            log.exception("Slack action %s failed", action_id)
            try:
                chat.post(channel, APOLOGY)
            except Exception:
                log.exception("could not post the apology")

    def _apologise(self, ref: ChatMessageRef, text: str = APOLOGY) -> None:
        try:
            self.bridge.chat.update(ref, text)
        except Exception:
            log.exception("could not replace Thinking… with an apology")

    def _apologise_anew(self, p: dict[str, Any]) -> None:
        chat = self.bridge.chat
        try:
            channel = p["channel"] or chat.open_dm(p["user"])
            chat.post(channel, APOLOGY, thread_ts=p.get("thread_ts") or None)
        except Exception:
            log.exception("could not post the apology")


def _athlete(app: App, athlete_id: str) -> AthleteProfile:
    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise InputError("slack", f"athlete {athlete_id} no longer exists")
    return athlete


def _edit_plan(app: App, athlete: AthleteProfile, value: str) -> str:
    kind, day, other = plan_edits.parse_value(value)
    if kind == "done":
        session = plan_edits.session_on(app.storage.get_plan(Plan, athlete.athlete_id), day)
        plan_edits.log_done(app, athlete.athlete_id, session)
        return f"Marked {day:%A} done. Nice."
    assert other is not None
    plan_edits.swap_days(app, athlete, day, other)
    return f"Swapped {day:%A} and {other:%A}."


def thread_activity(app: App, athlete_id: str, thread_ts: str) -> str | None:
    """The activity whose review started this thread, so "that felt hard" has a subject.

    The coach stores a review as ``review:<activity_id>`` with the delivered message's
    ref (``<channel>/<ts>``); a reply in that thread is about that activity.
    """
    if not thread_ts:
        return None
    now = app.clock.now()
    for message in app.storage.list_messages(athlete_id, now - THREAD_LOOKBACK, now):
        if message.kind is MessageKind.REVIEW and message.ref.endswith(f"/{thread_ts}"):
            return message.message_id.removeprefix("review:")
    return None
