"""The slow half: deferred handlers that show typing, ask the coach and send the answer.

They run on the Deferral port (a worker thread locally, a second invocation on a cloud).
A failure never leaves the athlete without an answer: it becomes a short apology, and the
activity's claim is released so a redelivery is processed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from momentum.adapters.teams.activity import ConversationReference
from momentum.adapters.teams.cards import message_card, plan_card, week_card
from momentum.adapters.teams.constants import APOLOGY, KIND_REPLY, KIND_STRANGER, KIND_TYPING
from momentum.adapters.teams.directory import stranger_reply
from momentum.core.app import App
from momentum.core.model import AthleteProfile
from momentum.core.ports.scheduler import DeferredJob
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.profile import running_profile

if TYPE_CHECKING:
    from momentum.adapters.teams.bridge import TeamsBridge

log = logging.getLogger("momentum.teams")
SCREENS = ("week", "plan")
"""Words that show a card instead of asking the model: the week's tree, the plan."""


class Work:
    """Deferred handlers bound to one bridge; each has the ``(app, job)`` signature."""

    def __init__(self, bridge: TeamsBridge) -> None:
        self.bridge = bridge

    def handlers(self) -> dict[str, Any]:
        """``{kind: handler}`` to register on the app."""
        return {KIND_TYPING: self.typing, KIND_REPLY: self.reply, KIND_STRANGER: self.stranger}

    def begin_reply(self, request: dict[str, Any], *, acked: bool) -> None:
        """Show the typing indicator, then defer the model call (``teams.reply``).

        Before the ack (``acked=False``) a failure releases the claim and is raised, so the
        Connector's redelivery is processed. After it, a typing indicator that can't be
        sent is only logged: the answer still comes.
        """
        app = self.bridge.app
        try:
            try:
                self.bridge.chat.connector.typing(_reference(request))
            except Exception:
                if not acked:
                    raise
                log.warning("could not show typing for Teams activity %s", request["activity_id"])
            app.scheduler.defer(DeferredJob(KIND_REPLY, request, key=request["claim_key"]))
        except Exception:
            app.storage.release(request["claim_key"])
            raise

    def typing(self, app: App, job: DeferredJob) -> None:
        """The fast lane's half: typing right after the ack, then the reply deferred."""
        self.begin_reply(job.payload, acked=True)

    def reply(self, app: App, job: DeferredJob) -> None:
        """Ask the coach (or draw the week or the plan), then send the answer."""
        p = job.payload
        reference = _reference(p)
        connector = self.bridge.chat.connector
        try:
            word = p["text"].strip().lower()
            athlete = app.storage.get_athlete(p["athlete_id"])
            if word in SCREENS and athlete is not None:
                text, card = screen(app, athlete, word)
            else:
                message = app.coach.reply(p["athlete_id"], p["text"], event_id=p["activity_id"])
                text = message.display or message.text or "…"
                card = message_card(text)
            connector.send(reference, text, card)
        except Exception:
            log.exception("coach reply to Teams activity %s failed", p.get("activity_id"))
            app.storage.release(p["claim_key"])
            try:
                connector.send(reference, APOLOGY)
            except Exception:
                log.exception("could not send the apology")

    def stranger(self, app: App, job: DeferredJob) -> None:
        """Tell someone the coach doesn't know, politely, in the chat they wrote in."""
        p = job.payload
        self.bridge.chat.connector.send(_reference(p), stranger_reply(p["user"]))


def _reference(payload: dict[str, Any]) -> ConversationReference:
    return ConversationReference.from_dict(payload["reference"])


def screen(app: App, athlete: AthleteProfile, word: str) -> tuple[str, dict[str, Any]]:
    """``week`` or ``plan`` for ``athlete``, as of today in their time zone."""
    from momentum.plugins.running.plans import week_status

    today = app.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()
    monday = today - dt.timedelta(days=today.weekday())
    zone = ZoneInfo(athlete.timezone)
    start = dt.datetime.combine(monday, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), zone).astimezone(dt.UTC)
    activities = app.storage.list_activities(athlete.athlete_id, start, end)
    plan = app.storage.get_plan(Plan, athlete.athlete_id)
    status = week_status(plan, activities, today, timezone=athlete.timezone)
    if word == "week":
        return week_card(status, plan, today)
    race = ""
    goal = running_profile(athlete).goal_race
    if goal is not None:
        race = f"{goal.name}, {(goal.date - today).days} days"
    return plan_card(plan, status, today, race=race)
