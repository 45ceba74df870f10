"""One chat turn: the athlete's words → memory, tool calls, a short reply.

1. The athlete's message is stored (``athlete:<event>``) and a platform retry with the
   same event id gets the stored answer (``chat:<event>``) without a second model call.
   Deliveries that race (a Slack retry while the first is still working, two Lambda
   invocations) agree through a Storage claim (:mod:`momentum.core.coach.once`): one calls the
   model and runs the tools, the others wait for its stored reply. So a tool's side
   effect (``log_activity``) happens once per event id.
2. Code curates memory from the words (the DOMS lesson, a show on the treadmill); a new
   discovery reshuffles the plan so it takes effect at once. The safety layer reads the
   words too (pain, illness, red flags) and fits the plan before any model runs; the
   model gets its decision as facts, tools cannot undo it, and a reply that proposes
   running on a safety day is replaced by the layer's own words.
3. The model sees the facts, the week, memory, the last turns and the message (fenced),
   and picks tools. They run bound to this athlete only.
4. If tools ran, a second, tool-free call turns their results into a reply.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from momentum.core.coach.fence import fence
from momentum.core.coach.once import once, renew, writing_key
from momentum.core.coach.toolrun import ToolOutcome, run_calls, tool_table
from momentum.core.model import Activity, MemoryItem, Message, MessageKind, Role
from momentum.core.plugins.types import ToolContext
from momentum.plugins.running.coach import facts as facts_mod
from momentum.plugins.running.coach import planning, sections
from momentum.plugins.running.coach.formatting import local_day
from momentum.plugins.running.coach.memory import SEPARATE_STRENGTH_LONG_RUN, curate
from momentum.plugins.running.coach.offline import CHAT_SOURCE
from momentum.plugins.running.coach.render import session_label
from momentum.plugins.running.coach.safety.flow import SafetyDay
from momentum.plugins.running.coach.safety.rules import DayRule
from momentum.plugins.running.coach.tools import builtin_tools
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.coach.writer import Draft, Prompt

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.coach.state import StateAssessment
    from momentum.plugins.running.coach.engine import Coach

MAX_MESSAGE_CHARS = 2000
CONTEXT_WINDOW = dt.timedelta(hours=18)
"""An activity this recent is "in context" for "that run felt …" when none is given."""


def too_long_reply(length: int) -> str:
    """What the coach says to a message longer than it reads."""
    return (
        f"That message is {length:,} characters; I read at most {MAX_MESSAGE_CHARS:,} at a "
        "time, so I haven't read it. Could you send it again in shorter pieces?"
    )


class ChatTurn:
    """Handles one message from one athlete."""

    def __init__(
        self, coach: Coach, athlete_id: str, text: str, activity_id: str | None, event_id: str
    ) -> None:
        self.coach = coach
        self.app = coach.app
        self.athlete_id = athlete_id
        self.full_length = len(text.strip())
        self.text = text.strip()[:MAX_MESSAGE_CHARS]
        self.activity_id = activity_id
        self.now = self.app.clock.now()
        self.retryable = bool(event_id)
        self.event_id = event_id or f"{self.now:%Y%m%dT%H%M%S%f}"
        self.reply_id = f"chat:{self.event_id}"
        self.learned: list[MemoryItem] = []
        self.safe_day: SafetyDay = SafetyDay(self.now.date(), DayRule(), ())

    def run(self) -> Message:
        """Answer the message (or return the answer already given to this event).

        With an event id the work runs under the claim :func:`writing_key` of the reply:
        look for the stored reply, claim, look again, answer and store; a caller that
        loses the claim waits (``coach.patience``, ``coach.sleep``) for the winner's
        reply and returns it.
        """
        if not self.retryable:
            return self._answer()
        storage = self.app.storage
        return once(
            storage,
            self.app.clock,
            writing_key(self.athlete_id, self.reply_id),
            find=lambda: storage.get_message(self.athlete_id, self.reply_id),
            work=self._answer,
            sleep=self.coach.sleep,
            what=f"the reply to chat event {self.event_id} for athlete {self.athlete_id!r}",
            patience=self.coach.patience,
        )

    def _renew(self) -> None:
        """Restart the claim's lease before a slow, paid step (a model call)."""
        if self.retryable:
            renew(
                self.app.storage,
                self.app.clock,
                writing_key(self.athlete_id, self.reply_id),
                self.coach.patience,
            )

    def _answer(self) -> Message:
        """Store the athlete's words, call the model and the tools, store the reply."""
        if self.full_length > MAX_MESSAGE_CHARS:
            return self._too_long()
        storage = self.app.storage
        day = self.coach.today(self.athlete_id)
        view = self.coach.view(self.athlete_id, day, messages=True)
        storage.put_message(
            Message(
                message_id=f"athlete:{self.event_id}",
                athlete_id=self.athlete_id,
                at=self.now,
                kind=MessageKind.CHAT,
                role=Role.ATHLETE,
                text=self.text,
            )
        )
        view = self._learn(view)
        view = self._screen(view, day)
        state = self.coach.assess(view)
        alerts = other_domains_alerts(self.app, self.text)
        if alerts:  # another domain's red flag (an allergic reaction, a sleep disorder)
            return self._store(self._coach_message("\n\n".join(alerts), state, "none"))
        activity = self._activity_in_context(view)
        found = facts_mod.base_facts(view, state, "chat")
        found["today_session"] = ", ".join(
            session_label(s) for s in facts_mod.sessions_on(view, day)
        )
        found.update(self.safe_day.facts())
        if self.safe_day.opening:
            found["safety_new"] = "yes"
        if activity is not None:
            found["activity_id"] = activity.activity_id
        secs = [
            sections.facts_section(found),
            sections.current_week(view, day, priority=20),
            sections.memory_section(view),
            sections.conversation(view.messages),
        ]
        if activity is not None:
            secs.insert(1, sections.activity_detail(view, activity))
        message_block = fence(CHAT_SOURCE, self.text, MAX_MESSAGE_CHARS)
        tools = tool_table([*self.app.plugins.tools(), *builtin_tools()])
        draft = dataclasses.replace(
            self.coach.draft(view, "chat", state, secs, message=message_block),
            tools=tuple(t.spec for t in tools.values()),
            max_tokens=500,
        )
        self._renew()
        completion, prompt = self.coach.writer.complete(draft)
        outcomes: list[ToolOutcome] = []
        if completion.tool_calls:
            ctx = ToolContext(self.app, self.athlete_id, activity.activity_id if activity else None)
            outcomes = run_calls(completion.tool_calls, tools, ctx)
            if any(o.ok and o.name in ("log_activity", "adjust_session") for o in outcomes):
                planning.reconcile(storage, self.coach.view(self.athlete_id, day))
            # No tool can undo the safety layer: the records are applied again after them.
            planning.protect(storage, self.coach.view(self.athlete_id, day))
        outcomes += [
            ToolOutcome("remember", {}, f"ok: remembered under {item.section.value}: {item.text}")
            for item in self.learned
            if not any(o.name == "remember" for o in outcomes)
        ]
        self._renew()  # the tools may have taken a while; the follow-up call is paid too
        text, model = self._words(draft, completion.text, completion.model, outcomes, prompt)
        return self._store(self._coach_message(text, state, model))

    def _coach_message(self, text: str, state: StateAssessment, model: str) -> Message:
        return Message(
            message_id=self.reply_id,
            athlete_id=self.athlete_id,
            at=self.now + dt.timedelta(milliseconds=1),
            kind=MessageKind.CHAT,
            role=Role.COACH,
            text=text,
            state=state.state.value,
            model=model,
        )

    def _store(self, reply: Message) -> Message:
        storage = self.app.storage
        if not self.retryable:
            storage.put_message(reply)
            return reply
        # A writer whose lease ran out may have been overtaken: the first reply stored wins.
        if storage.put_message_if_absent(reply):
            return reply
        return storage.get_message(self.athlete_id, self.reply_id) or reply

    def _too_long(self) -> Message:
        """A message over :data:`MAX_MESSAGE_CHARS` is never cut silently (the end would be
        lost without anyone knowing): the coach says so and asks for shorter pieces. No
        model call is made."""
        reply = Message(
            message_id=self.reply_id,
            athlete_id=self.athlete_id,
            at=self.now + dt.timedelta(milliseconds=1),
            kind=MessageKind.CHAT,
            role=Role.COACH,
            text=too_long_reply(self.full_length),
            model="none",
        )
        if not self.retryable:
            self.app.storage.put_message(reply)
            return reply
        if self.app.storage.put_message_if_absent(reply):
            return reply
        return self.app.storage.get_message(self.athlete_id, self.reply_id) or reply

    def _words(
        self,
        draft: Draft,
        text: str,
        model: str,
        outcomes: list[ToolOutcome],
        prompt: Prompt,
    ) -> tuple[str, str]:
        if not outcomes:
            cleaned = self.coach.writer.clean(text, prompt)
            if cleaned:
                return self._checked(cleaned, model)
        follow = dataclasses.replace(
            draft,
            purpose="chat_reply",
            template="chat_reply.j2",
            tools=(),
            values={**draft.values, "actions": [o.line() for o in outcomes]},
        )
        return self._checked(*self.coach.writer.write(follow))

    def _checked(self, text: str, model: str) -> tuple[str, str]:
        """The reply, unless it breaks the safety layer: then the layer's own words."""
        if self.safe_day.active and not self.safe_day.check(text):
            return self.safe_day.message(), f"{model}+safety"
        return text, model

    def _screen(self, view: AthleteView, day: dt.date) -> AthleteView:
        """The safety layer reads the words before any model: records opened or closed,
        the plan fitted to them, and the day's rule kept for the reply."""
        from momentum.plugins.running.coach import safety

        screened = safety.screen(
            self.app.storage,
            self.athlete_id,
            view.memory,
            self.text,
            day=day,
            at=self.now,
            source="chat",
        )
        if screened.changed:
            view = dataclasses.replace(view, memory=screened.memory)
        view = planning.protect(self.app.storage, view)
        finding = screened.finding
        self.safe_day = safety.day_of(
            view.memory,
            view.plan,
            day,
            opening=finding.is_concern or bool(screened.closed),
            referral=finding.is_concern,
        )
        return view

    def _learn(self, view: AthleteView) -> AthleteView:
        """Curate memory from the athlete's words; reshuffle if a discovery landed."""
        learned = curate(
            self.athlete_id, self.text, self.now, view.activities, view.tz, view.memory
        )
        for item in learned:
            self.app.storage.put_memory(item)
        self.learned = learned
        if not learned:
            return view
        view = dataclasses.replace(view, memory=(*view.memory, *learned))
        if any(SEPARATE_STRENGTH_LONG_RUN in item.tags for item in learned):
            view = planning.reconcile(self.app.storage, view)
        return view

    def _activity_in_context(self, view: AthleteView) -> Activity | None:
        if self.activity_id:
            return self.app.storage.get_activity(self.athlete_id, self.activity_id)
        recent = [a for a in view.activities if self.now - a.start <= CONTEXT_WINDOW]
        runs = [a for a in recent if a.is_run and a.source != "chat"]
        if runs:
            return runs[-1]
        today = [a for a in recent if local_day(a.start, view.tz) == view.day]
        return today[-1] if today and today[-1].source != "chat" else None


def other_domains_alerts(app: App, text: str) -> list[str]:
    """The safety messages the other installed domains' ``screen`` decides (by code) for
    ``text``: a coach with running and meals still sends an allergic reaction to emergency
    services, without asking the model."""
    return [
        alert
        for domain in app.plugins.domains()
        if domain.name != "running" and domain.screen is not None
        if (alert := domain.screen(text))
    ]
