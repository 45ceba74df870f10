"""The coach loop every domain shares: one message a morning, one on Monday, one on Sunday
night, however many domains are installed.

Each installed :class:`~momentum.core.plugins.types.Domain` brings its part of a message as
a :class:`~momentum.core.plugins.types.Brief` (every number computed by the domain's code).
:class:`CoachLoop` puts them together the same way for every coach, running-only,
sleep-only or running + sleep + meals:

* the ``alert`` lines first, verbatim (safety, decided by code; never rewritten);
* one model call for the words, over the facts of every domain, in one tone;
* each domain's ``lines`` under its ``title``;
* the first ``next_step``;
* written once, delivered once, its model call recorded once.

**Who writes the words.** A domain with a ``writer`` (running: its prompts through the
model chain, its offline composer last) leads the message: it is asked first (so the
others read what it just brought up to date, like meals reading running's fresh plan), its
own lines open the code part without a heading and its words comment on that picture.
Without one, core writes one opener over every domain's facts, above the sections.

**Tone, decided once** (:func:`decide_tone`). The state of the domain whose plan the
athlete is furthest behind on (the largest ``missed_days``) sets the tone of the whole
message, read the way that domain reads it (its ``Brief.state`` when it brings one, else
from its missed days). A coach who celebrates a running streak while the athlete has
skipped the sleep plan all week sounds like it was not listening; the slipping part is what
the person needs the coach to notice. Ties go to the leading domain (running keeps its own
judgement of a race day or a new athlete), and briefs with no plan (``missed_days`` and
``state`` both ``None``) do not vote.

A domain that holds the conversation itself (running's engine: chat, activity reviews) is
the app's coach, and it sends its check-in, Monday plan and weekly review through
:class:`CoachLoop` like every other coach.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from momentum.core.coach.once import Patience, once, renew, writing_key
from momentum.core.coach.sanitize import clean_for_chat
from momentum.core.coach.state import MotivationState, StateThresholds
from momentum.core.errors import NotFoundError
from momentum.core.model import Message, MessageKind, Role
from momentum.core.plugins.types import Wording
from momentum.core.ports.chat import ChatMessageRef
from momentum.core.ports.model import CompletionRequest, ModelMessage

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.plugins.types import Brief, Domain

WEEKLY_REVIEW_JOB = "weekly_refresh"


JOBS: dict[str, tuple[str, MessageKind]] = {  # names of momentum.core.coach.jobs
    "checkin": ("checkin", MessageKind.CHECKIN),
    "monday_plan": ("weekly_plan", MessageKind.MONDAY_PLAN),
    "weekly_refresh": ("weekly_review", MessageKind.WEEKLY_REVIEW),
}
"""The coach loop's recurring jobs and the Domain step and message kind of each."""

SYSTEM = (
    "You are a warm, concise personal coach. Write two or three sentences to the person, "
    "in their language, from the facts below only. Invent no number. Tone: {tone}."
)
TONES = {
    MotivationState.THRIVING: "celebrate the streak, look ahead",
    MotivationState.ON_TRACK: "encouraging and practical",
    MotivationState.FRAGILE: "short and warm; one easy step, no pressure",
    MotivationState.LOW: "very short and kind; ask how they are, no numbers to catch up on",
}


class CoachEngine(Protocol):
    """What the app asks of its coach: the recurring jobs, a new activity, a chat reply and
    delivery by direct message."""

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> Message:
        """Run a recurring job (``checkin``, ``monday_plan``, ``weekly_refresh``) and
        deliver its message once."""
        ...

    def on_activity(self, athlete_id: str, activity_id: str) -> Message | None:
        """A new activity arrived; the review delivered, if the coach writes one."""
        ...

    def reply(
        self, athlete_id: str, text: str, *, activity_id: str | None = None, event_id: str = ""
    ) -> Message:
        """Answer a chat message (a repeated ``event_id`` returns the stored answer)."""
        ...

    def deliver(self, message: Message) -> ChatMessageRef:
        """Send ``message`` by direct message and remember where it went."""
        ...

    def today(self, athlete_id: str) -> dt.date:
        """The athlete's local date now."""
        ...


@dataclass(frozen=True)
class Joined:
    """The briefs of every domain for one message, in the order they are shown."""

    alerts: tuple[str, ...]
    facts: dict[str, str]
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    next_step: str
    missed_days: int | None

    @property
    def rendered(self) -> str:
        """The code part after the words: each domain's lines under its title, then the
        next step."""
        parts = [f"*{title}*\n" + "\n".join(lines) for title, lines in self.sections if lines]
        if self.next_step:
            parts.append(f"Next: {self.next_step}")
        return "\n\n".join(parts)


def briefs(
    app: App,
    step: str,
    athlete_id: str,
    day: dt.date,
    *,
    exclude: Iterable[str] = (),
    domains: Sequence[Domain] | None = None,
) -> list[Brief]:
    """Each domain's part of one message: ``step`` is ``checkin``, ``weekly_plan`` or
    ``weekly_review``; domains named in ``exclude`` (the caller's own) are skipped."""
    skip = set(exclude)
    found = []
    for domain in app.plugins.domains() if domains is None else domains:
        make = getattr(domain, step, None)
        if domain.name in skip or make is None:
            continue
        brief = make(app, athlete_id, day)
        if brief is not None:
            found.append(brief)
    return found


def join(parts: Sequence[Brief]) -> Joined:
    """Put several domains' briefs together: alerts first, facts keyed by domain, sections in
    domain order, the first next step and the largest missed days."""
    facts: dict[str, str] = {}
    for brief in parts:
        for key, value in brief.facts.items():
            facts[f"{brief.domain}_{key}"] = value
    missed = [b.missed_days for b in parts if b.missed_days is not None]
    return Joined(
        alerts=tuple(b.alert for b in parts if b.alert),
        facts=facts,
        sections=tuple((b.title, tuple(b.lines)) for b in parts),
        next_step=next((b.next_step for b in parts if b.next_step), ""),
        missed_days=max(missed) if missed else None,
    )


def tone(missed_days: int | None, thresholds: StateThresholds | None = None) -> MotivationState:
    """The state that sets the tone, from the largest missed days of any domain: none
    missed is thriving, one on track, then fragile and low by the coach's thresholds; a
    coach whose domains keep no plan is on track."""
    limits = thresholds or StateThresholds()
    if missed_days is None:
        return MotivationState.ON_TRACK
    if missed_days >= limits.low:
        return MotivationState.LOW
    if missed_days >= limits.fragile:
        return MotivationState.FRAGILE
    return MotivationState.THRIVING if missed_days == 0 else MotivationState.ON_TRACK


def decide_tone(
    parts: Sequence[Brief], thresholds: StateThresholds | None = None
) -> MotivationState:
    """The one tone of a message joined from ``parts`` (in the order asked, the leading
    domain first): the state of the brief with the largest ``missed_days`` (its own
    ``state`` when it brings one, else :func:`tone` of its missed days); ties go to the
    earlier brief; briefs with neither ``missed_days`` nor ``state`` do not vote, and with
    no vote at all the athlete is on track."""
    best: tuple[int, MotivationState] | None = None
    for brief in parts:
        if brief.missed_days is None and brief.state is None:
            continue
        missed = brief.missed_days if brief.missed_days is not None else 0
        state = (
            MotivationState(brief.state)
            if brief.state is not None
            else tone(brief.missed_days, thresholds)
        )
        if best is None or missed > best[0]:
            best = (missed, state)
    return MotivationState.ON_TRACK if best is None else best[1]


def prompt(joined: Joined, state: MotivationState, purpose: str) -> tuple[ModelMessage, ...]:
    """The one model call of a joined message: the tone, then ``## Facts`` (``key: value``
    lines, the form every composer reads)."""
    facts = "\n".join(f"{key}: {value}" for key, value in joined.facts.items())
    return (
        ModelMessage("system", SYSTEM.format(tone=TONES[state])),
        ModelMessage("user", f"# {purpose}\n\n## Facts\nstate: {state.value}\n{facts}\n"),
    )


def deliver(app: App, message: Message) -> ChatMessageRef:
    """Send ``message`` to the athlete by direct message, with the signed dashboard link
    when the coach has one, and store where it went (``Message.ref`` = ``channel/message
    id``)."""
    athlete = app.storage.get_athlete(message.athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {message.athlete_id!r}")
    from momentum.core.dashboard.links import message_link

    link = message_link(app, message)  # a credential: sent, never stored
    text = f"{message.display}\n\n{link}" if link else message.display
    ref = app.chat.direct_message(athlete.chat_user_id or athlete.athlete_id, text)
    app.storage.put_message(dataclasses.replace(message, ref=f"{ref.channel}/{ref.message_id}"))
    return ref


def deliver_once(
    app: App,
    message: Message,
    *,
    send: Callable[[Message], ChatMessageRef] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    patience: Patience | None = None,
) -> Message:
    """Deliver ``message`` unless it went out already (its stored ``ref``); racing callers
    agree through a claim, so the athlete gets it once."""
    if message.ref:
        return message
    athlete_id, message_id = message.athlete_id, message.message_id
    post = send or (lambda m: deliver(app, m))

    def delivered() -> Message | None:
        stored = app.storage.get_message(athlete_id, message_id)
        return stored if stored is not None and stored.ref else None

    def work() -> Message:
        ref = post(message)
        return dataclasses.replace(message, ref=f"{ref.channel}/{ref.message_id}")

    return once(
        app.storage,
        app.clock,
        f"deliver:{athlete_id}:{message_id}",
        find=delivered,
        work=work,
        sleep=sleep,
        what=f"delivery of {message_id} to athlete {athlete_id!r}",
        patience=patience or Patience(),
    )


class CoachLoop:
    """The coach when no installed domain holds the conversation itself: each recurring
    job joins every domain's brief into one message, written once and delivered once."""

    def __init__(self, app: App, domains: Sequence[Domain] | None = None) -> None:
        self.app = app
        self.domains = domains
        """The domains asked (default: every installed one)."""
        self.thresholds = StateThresholds(
            app.settings.fragile_missed_days, app.settings.low_missed_days
        )
        self.patience = Patience()
        self.sleep: Callable[[float], None] = time.sleep

    def message(self, name: str, athlete_id: str, day: dt.date) -> Message:
        """The message of job ``name`` for ``day`` (written once, then read from storage).
        The weekly review is of the Monday-to-Sunday week holding ``day``: it is stored as
        ``weekly_review:<monday>`` and the domains are asked about its Sunday."""
        if name not in JOBS:
            raise NotFoundError(f"no coach job named {name!r} (known: {', '.join(JOBS)})")
        step, kind = JOBS[name]
        key_day = day
        if name == WEEKLY_REVIEW_JOB:
            key_day = day - dt.timedelta(days=day.weekday())
            day = key_day + dt.timedelta(days=6)
        message_id = f"{kind.value}:{key_day.isoformat()}"
        return once(
            self.app.storage,
            self.app.clock,
            writing_key(athlete_id, message_id),
            find=lambda: self.app.storage.get_message(athlete_id, message_id),
            work=lambda: self._write(step, kind, athlete_id, day, message_id),
            sleep=self.sleep,
            what=f"message {message_id} for athlete {athlete_id!r}",
            patience=self.patience,
        )

    def ordered_domains(self) -> list[Domain]:
        """The domains asked, a domain with a ``writer`` first (the first such one leads)."""
        domains = list(self.app.plugins.domains() if self.domains is None else self.domains)
        return sorted(domains, key=lambda d: d.writer is None)

    def _write(
        self, step: str, kind: MessageKind, athlete_id: str, day: dt.date, message_id: str
    ) -> Message:
        domains = self.ordered_domains()
        parts = briefs(self.app, step, athlete_id, day, domains=domains)
        state = decide_tone(parts, self.thresholds)
        lead_domain = domains[0] if domains and domains[0].writer is not None else None
        lead = next((b for b in parts if lead_domain and b.domain == lead_domain.name), None)
        if lead_domain is not None and lead_domain.writer is not None and lead is not None:
            others = join([b for b in parts if b is not lead])
            # The model call is the slow, paid step: the claim's lease must cover all of it.
            key = writing_key(athlete_id, message_id)
            renew(self.app.storage, self.app.clock, key, self.patience)
            wording = Wording(kind.value, athlete_id, day, state.value, lead, others.facts)
            words, model = lead_domain.writer(self.app, wording)
            alerts = tuple(a for a in (lead.alert, *others.alerts) if a)
            text = words
            rendered = "\n\n".join(
                part for part in (*alerts, "\n".join(lead.lines), others.rendered) if part
            )
        else:
            joined = join(parts)
            words, model = "", ""
            if joined.facts:
                request = CompletionRequest(
                    prompt(joined, state, kind.value), kind.value, athlete_id
                )
                completion = self.app.model.complete(request)
                words, model = clean_for_chat(completion.text), completion.model
            text = "\n\n".join(part for part in (words, joined.rendered) if part)
            rendered = "\n\n".join(joined.alerts)
        message = Message(
            message_id=message_id,
            athlete_id=athlete_id,
            at=self.app.clock.now(),
            kind=kind,
            role=Role.COACH,
            text=text,
            rendered=rendered,
            state=state.value,
            model=model,
        )
        if self.app.storage.put_message_if_absent(message):
            return message
        return self.app.storage.get_message(athlete_id, message_id) or message

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> Message:
        """Write the job's joined message and deliver it once."""
        return self.deliver_once(self.message(name, athlete_id, local_date))

    def on_activity(self, athlete_id: str, activity_id: str) -> Message | None:
        """No domain here reviews activities: nothing is sent."""
        return None

    def reply(
        self, athlete_id: str, text: str, *, activity_id: str | None = None, event_id: str = ""
    ) -> Message:
        """Answer a chat message: a domain's safety message (decided by code) when its
        ``screen`` finds one, else the model's words, with the tools it picked run first; a
        repeated ``event_id`` returns the stored answer."""
        message_id = f"chat:{event_id}" if event_id else f"chat:{self.app.clock.now():%s%f}"
        stored = self.app.storage.get_message(athlete_id, message_id)
        if stored is not None:
            return stored
        domains = self.domains if self.domains is not None else self.app.plugins.domains()
        alerts = [m for d in domains if d.screen is not None and (m := d.screen(text))]
        words, model = "\n\n".join(alerts), ""
        if not alerts:
            words, model = self._answer(athlete_id, text, activity_id)
        message = Message(
            message_id=message_id,
            athlete_id=athlete_id,
            at=self.app.clock.now(),
            kind=MessageKind.CHAT,
            role=Role.COACH,
            text=words,
            model=model,
        )
        if self.app.storage.put_message_if_absent(message):
            return message
        return self.app.storage.get_message(athlete_id, message_id) or message

    def _answer(self, athlete_id: str, text: str, activity_id: str | None) -> tuple[str, str]:
        """One model call with the domains' tools; when the model picks some, they run
        bound to this athlete (:mod:`momentum.core.coach.toolrun`) and a second call
        (``chat_reply``) words what they did."""
        from momentum.core.coach.toolrun import run_calls, tool_table
        from momentum.core.plugins.types import ToolContext

        tools = tool_table(self.app.plugins.tools())
        asked = (
            ModelMessage("system", SYSTEM.format(tone=TONES[MotivationState.ON_TRACK])),
            ModelMessage("user", f"# chat\n\n## Facts\nmessage: {text}\n"),
        )
        specs = tuple(tool.spec for tool in tools.values())
        completion = self.app.model.complete(
            CompletionRequest(asked, "chat", athlete_id, tools=specs)
        )
        if not completion.tool_calls:
            return clean_for_chat(completion.text), completion.model
        ctx = ToolContext(self.app, athlete_id, activity_id)
        done = run_calls(completion.tool_calls, tools, ctx)
        report = "\n".join(outcome.line() for outcome in done)
        follow = (*asked, ModelMessage("user", f"## What you did\n{report}\n"))
        reply = self.app.model.complete(CompletionRequest(follow, "chat_reply", athlete_id))
        return clean_for_chat(reply.text or report), reply.model

    def today(self, athlete_id: str) -> dt.date:
        """The athlete's local date by the app's clock."""
        from momentum.core.local_time import athlete_zone

        athlete = self.app.storage.get_athlete(athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {athlete_id!r}")
        return self.app.clock.now().astimezone(athlete_zone(athlete)).date()

    def deliver(self, message: Message) -> ChatMessageRef:
        """Send ``message`` by direct message (see :func:`deliver`)."""
        return deliver(self.app, message)

    def deliver_once(self, message: Message) -> Message:
        """Deliver ``message`` once (see :func:`deliver_once`)."""
        return deliver_once(
            self.app, message, send=self.deliver, sleep=self.sleep, patience=self.patience
        )
