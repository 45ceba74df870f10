"""The objects plugins hand to core: data sources, file importers, domains, tools, chat
platforms and model providers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from momentum.core.ports.model import ToolSpec
from momentum.core.ports.scheduler import RecurringJob

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.coach.loop import CoachEngine
    from momentum.core.config import ModelSettings, Settings
    from momentum.core.events import HttpRequest, HttpResponse
    from momentum.core.model import Activity, AthleteProfile, DomainPlan
    from momentum.core.ports.chat import Chat
    from momentum.core.ports.model import Model


@runtime_checkable
class FileImporter(Protocol):
    """Reads activity files of some formats into activity records."""

    name: str
    extensions: tuple[str, ...]
    """Lower-case suffixes it reads, with the dot: ``(".fit", ".gpx")``."""

    def read(self, path: Path, athlete: AthleteProfile) -> Sequence[Activity]:
        """Parse one file. Raises ``momentum.core.errors.InputError`` naming the file and the
        reason."""
        ...


@runtime_checkable
class DataSource(Protocol):
    """A place activity data comes from (an activity service, a ring, files)."""

    name: str
    description: str


@runtime_checkable
class WebhookSource(Protocol):
    """A data source that receives webhooks on ``webhook_path`` (e.g. ``/oura/webhook``)."""

    name: str
    webhook_path: str

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """Verify and parse the request, defer slow work, and answer within 2 seconds."""
        ...


@dataclass(frozen=True)
class Brief:
    """What one domain brings to one message of the coach loop (the morning check-in, the
    week's plan, the weekly review), every number computed by the domain's code.

    Core joins the briefs of every installed domain into one message: ``alert`` lines
    first and verbatim (safety, decided by code), then one model call for the words over
    all domains' ``facts``, then each domain's ``lines`` under its ``title``, and the first
    ``next_step``.
    """

    domain: str
    title: str
    """The section's heading (``"Sleep"``, ``"Meals"``)."""
    facts: Mapping[str, str] = field(default_factory=dict)
    """Short lines for the model's words (``{"sleep_debt": "3.5 h over 14 days"}``)."""
    lines: tuple[str, ...] = ()
    """The code-rendered part, shown as is (targets, a table, a grocery list)."""
    next_step: str = ""
    """One easy next step for today, in plain words."""
    missed_days: int | None = None
    """Days of this domain's plan missed in a row up to today (``None``: the domain has no
    plan to miss); core's tone (thriving, fragile, low) reads the largest of them."""
    alert: str = ""
    """A safety message decided by code (see a doctor, an allergen found); shown first and
    never rewritten by the model."""
    state: str | None = None
    """The domain's own reading of the athlete's state (a ``MotivationState`` value:
    ``thriving``, ``on_track``, ``fragile``, ``low``) when it judges more than missed days
    (running: a new athlete, a race day); ``None``: core reads ``missed_days``."""


@dataclass(frozen=True)
class Wording:
    """What core's loop asks a domain's ``writer`` for: the words of one message.

    ``brief`` is the very Brief the writer's own domain returned for this message (a
    subclass may carry the domain's prompt material); ``others`` are the other domains'
    facts, keyed ``<domain>_<key>``, for the same one model call; ``state`` is the tone
    core decided once for the whole message.
    """

    purpose: str
    """The message kind: ``checkin``, ``monday_plan`` or ``weekly_review``."""
    athlete_id: str
    day: dt.date
    state: str
    brief: Brief
    others: Mapping[str, str] = field(default_factory=dict)


DomainStep = Callable[["App", str, "dt.date"], "Brief | None"]
"""``(app, athlete_id, local_date) -> Brief | None``: one domain's part of one message."""


@dataclass(frozen=True)
class Domain:
    """A coaching domain (running, sleep, meals): its jobs, prompt templates and its part of
    each message of the coach loop.

    Each step is optional; a domain without ``checkin`` adds nothing to the morning
    message. ``screen(text)`` reads untrusted text (a chat message, an activity's notes)
    before any model and returns a safety message decided by code, or ``None``.
    ``simulate(app, athlete_id, start, end)`` fills one athlete's records with a
    deterministic, offline simulation between two dates, for ``momentum demo --domain``.

    Example (a sleep domain whose morning part is one line and a fact)::

        def checkin(app, athlete_id, day):
            hours = 7.2  # computed by the domain's code from its observations
            return Brief("sleep", "Sleep", facts={"slept": f"{hours} h"},
                         lines=(f"Last night: {hours} h",), next_step="Lights out by 22:45")

        Domain("sleep", "A sleep coach", checkin=checkin)
    """

    name: str
    description: str
    recurring_jobs: tuple[RecurringJob, ...] = ()
    prompt_dir: Path | None = None
    checkin: DomainStep | None = None
    weekly_plan: DomainStep | None = None
    weekly_review: DomainStep | None = None
    screen: Callable[[str], str | None] | None = None
    simulate: Callable[[App, str, dt.date, dt.date], None] | None = None
    engine: Callable[[App], CoachEngine] | None = None
    """A domain that holds the conversation itself (chat replies, activity reviews, its own
    messages) builds the app's coach with it; its messages take the other domains' briefs
    in (:func:`momentum.core.coach.loop.briefs`). At most one installed domain has one;
    without one, core's :class:`~momentum.core.coach.loop.CoachLoop` is the coach."""
    composer: Callable[[], Model] | None = None
    """The domain's offline composer: the model chain's last link, which writes its
    messages without any LLM (on a plane, in the demo, when every provider is down)."""
    writer: Callable[[App, Wording], tuple[str, str]] | None = None
    """Writes the words of the loop's messages with the domain's own prompts, through the
    app's model chain (whose last link is the ``composer``); returns ``(words, model)``.
    The domain with a writer leads the message: it is asked first, its lines come first
    without a heading and its words follow the code part. Without one (sleep, meals),
    core's loop writes one opener with its own prompt."""
    plan_record: type[DomainPlan] | None = None
    """The record type of the domain's stored plan, if it stores one
    (``app.storage.put_plan(plan)``, ``app.storage.get_plan(MyPlan, athlete_id)``; see
    :class:`~momentum.core.model.DomainPlan`), so copying a coach to another store
    (``momentum migrate``) takes the domain's plans along."""


@dataclass(frozen=True)
class ToolContext:
    """What a tool may touch: the app, bound to the one athlete the message came from.
    Tools must read and write only ``athlete_id``'s records."""

    app: App
    athlete_id: str
    activity_id: str | None = None
    """The activity in context (the one just reviewed), if any."""


@dataclass(frozen=True)
class Tool:
    """A function the model may call. ``run`` gets the context and the parsed arguments
    and returns a short result for the model."""

    spec: ToolSpec
    run: Callable[[ToolContext, dict[str, Any]], str]
    tags: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class ChatPlatform:
    """A chat platform (Slack, Teams) as a plugin registers it.

    ``build_chat`` makes its Chat port from the coach's settings; ``can_post`` says whether
    the credentials to post are set; ``receives`` whether those to verify incoming requests
    are; ``install`` adds its HTTP routes (``/slack/events``) and deferred handlers to an app.
    Heavy SDKs are imported inside these callables, never at registration.
    """

    name: str
    build_chat: Callable[[Settings], Chat]
    can_post: Callable[[Settings], bool]
    receives: Callable[[Settings], bool]
    install: Callable[[App], None]
    description: str = ""


@dataclass(frozen=True)
class ModelProvider:
    """A model provider (Groq) as a plugin registers it.

    ``build(model_settings, model_id)`` makes one Model for one id of the chain
    (``[model] model`` then ``fallbacks``). ``env`` names the environment variables (and
    secrets) of its ``[model]`` fields, e.g. ``{"api_key": "GROQ_API_KEY"}``; with
    ``needs_key`` the provider is used only when an API key is set.
    """

    name: str
    build: Callable[[ModelSettings, str], Model]
    env: Mapping[str, str] = field(default_factory=dict)
    needs_key: bool = True
    description: str = ""


@dataclass(frozen=True)
class Readiness:
    """What a source (a ring, a watch) says about the athlete's readiness on one day.

    The source computes it in code from its own data; core only shows it and acts on it.
    ``facts`` are short lines for the check-in's facts (``{"hrv": "38 ms, 24 % below your
    30-day baseline of 50 ms"}``); ``soften`` asks for today's session to be softened, and
    ``reason`` is the one line that says why (it reaches the athlete and the plan's
    adjustment, so it names the numbers, never a secret).
    """

    source: str
    facts: Mapping[str, str] = field(default_factory=dict)
    soften: bool = False
    reason: str = ""
