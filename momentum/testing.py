"""A test kit for plugin authors and generated coaches (shipped in the wheel, the way httpx
ships ``MockTransport``).

In-memory ports (storage, blob, secrets, scheduler, a chat that records what was said), a
clock that moves only when told, a model that answers from a script, and
:class:`PluginHarness`, which loads plugin objects through the real plugin manager and runs
their hooks end to end::

    from momentum.testing import PluginHarness

    def test_my_job_greets_at_seven():
        harness = PluginHarness(my_plugin, now="2026-03-03T12:00:00+00:00")
        harness.add_athlete("ada", timezone="America/Toronto")
        harness.run_job("greet", "ada")
        assert harness.dms("ada") == ["Good morning, ada"]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.memory.blob import InMemoryBlob
from momentum.core.memory.chat import RecordedMessage, RecordingChat
from momentum.core.memory.model import ScriptedModel
from momentum.core.memory.scheduler import InMemoryScheduler
from momentum.core.memory.storage import InMemoryStorage
from momentum.core.model import Activity, AthleteProfile, HeartRateProfile, Message
from momentum.core.plugins.host import PluginHost
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.ports.secrets import MappingSecrets


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a stand-in to listen on)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def node_tool(name: str) -> str | None:
    """An npm command the test set-up installs (``azurite``, ``wrangler``): the checkout's
    ``.tools/node/node_modules/.bin/NAME``, then ``PATH``; ``None`` when neither has it."""
    import shutil
    from pathlib import Path

    local = Path(__file__).resolve().parents[1] / ".tools" / "node" / "node_modules" / ".bin" / name
    return str(local) if local.exists() else shutil.which(name)


__all__ = [
    "FixedClock",
    "InMemoryBlob",
    "InMemoryScheduler",
    "InMemorySecrets",
    "InMemoryStorage",
    "PluginHarness",
    "RecordedMessage",
    "RecordingChat",
    "ScriptedModel",
    "echo_model",
    "free_port",
    "node_tool",
    "sample_athlete",
]

InMemorySecrets = MappingSecrets
"""Secrets from a dict: ``InMemorySecrets({"OURA_TOKEN": "t0k"})``."""

DEFAULT_NOW = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
"""Tuesday 3 March 2026, 11:00 UTC (06:00 in Toronto): where a harness's clock starts."""


def echo_model() -> ScriptedModel:
    """A scripted model that answers every request with ``"(<purpose>) <last message>"``,
    so a test can see what reached the model without writing a script."""

    def respond(request: CompletionRequest) -> Completion:
        said = request.messages[-1].content if request.messages else ""
        return Completion(text=f"({request.purpose}) {said[:200]}", model="echo", provider="test")

    return ScriptedModel(respond=respond)


def sample_athlete(athlete_id: str = "ada", **changes: Any) -> AthleteProfile:
    """A plausible athlete (Toronto, max HR 185, chat user ``U<ID>``); ``changes`` replace
    any field."""
    import dataclasses

    athlete = AthleteProfile(
        athlete_id=athlete_id,
        name=athlete_id.title(),
        timezone="America/Toronto",
        heart_rate=HeartRateProfile(max_hr=185, resting_hr=50, threshold_hr=165),
        chat_user_id=f"U{athlete_id.upper()}",
    )
    return dataclasses.replace(athlete, **changes)


class PluginHarness:
    """One coach on in-memory ports with only the given plugins loaded (``builtins=True``
    adds the installed ones too), so a plugin's hooks run end to end as they would in
    production: through the real plugin manager, ``build_app`` and the app's routes,
    deferred handlers, recurring jobs and chat.

    ``now`` (an aware datetime or ISO string) starts the clock; ``settings`` may hold the
    plugin's section, as a table (``{"oura": {"days_back": 7}}``) or a schema instance;
    ``env`` and ``secrets`` are where its environment variables and secrets come from.
    """

    def __init__(
        self,
        *plugins: object,
        builtins: bool = False,
        now: dt.datetime | str = DEFAULT_NOW,
        settings: Mapping[str, Any] | Settings | None = None,
        env: Mapping[str, str] | None = None,
        secrets: Mapping[str, str] | None = None,
        model: ScriptedModel | None = None,
    ) -> None:
        start = dt.datetime.fromisoformat(now) if isinstance(now, str) else now
        self.clock = FixedClock(start)
        self.storage = InMemoryStorage()
        self.blob = InMemoryBlob()
        self.chat = RecordingChat()
        self.model = model or echo_model()
        self.scheduler = InMemoryScheduler(clock=self.clock)
        self.plugins = PluginHost()
        for plugin in plugins:
            self.plugins.register(plugin, name=_name_of(plugin))
        if builtins:
            self.plugins.load_entry_points()
        self.app: App = build_app(
            _settings(settings, env, secrets),
            storage=self.storage,
            scheduler=self.scheduler,
            chat=self.chat,
            model=self.model,
            clock=self.clock,
            plugins=self.plugins,
        )
        self.scheduler.runner = self.app.run_deferred

    # -- athletes and time ---------------------------------------------------------------
    def add_athlete(self, athlete: AthleteProfile | str = "ada", **changes: Any) -> AthleteProfile:
        """Store an athlete (a profile, or an id for :func:`sample_athlete`)."""
        profile = sample_athlete(athlete, **changes) if isinstance(athlete, str) else athlete
        self.storage.put_athlete(profile)
        return profile

    def advance(self, **delta: float) -> dt.datetime:
        """Move the clock (``advance(minutes=15)``); delayed deferred work now due runs on
        the next :meth:`run_deferred`."""
        self.clock.advance(dt.timedelta(**delta))
        return self.clock.now()

    def local_today(self, athlete_id: str) -> dt.date:
        """The athlete's local date by the harness's clock."""
        from zoneinfo import ZoneInfo

        athlete = self.storage.get_athlete(athlete_id)
        if athlete is None:
            raise KeyError(f"no athlete {athlete_id!r}: add_athlete() first")
        return self.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()

    # -- the hooks, end to end ------------------------------------------------------------
    def webhook(
        self,
        path: str | HttpRequest,
        body: bytes | str | Mapping[str, Any] = b"",
        *,
        method: str = "POST",
        headers: Mapping[str, str] | None = None,
        query: Mapping[str, str] | None = None,
        run_deferred: bool = True,
    ) -> HttpResponse:
        """Deliver an HTTP request (an :class:`HttpRequest`, or one built from ``path``,
        ``body`` (a dict is sent as JSON), ``method``, ``headers`` and ``query``) to the
        app's route, then run the deferred work it queued unless ``run_deferred=False``."""
        if isinstance(path, HttpRequest):
            request = path
        else:
            if isinstance(body, Mapping):
                data = json.dumps(body).encode()
                headers = {"Content-Type": "application/json", **(headers or {})}
            else:
                data = body.encode() if isinstance(body, str) else body
            request = HttpRequest(method, path, dict(headers or {}), dict(query or {}), data)
        response = self.app.handle_http(request)
        if run_deferred:
            self.run_deferred()
        return response

    def run_deferred(self) -> int:
        """Run queued deferred work (and delayed work now due); returns how many jobs ran."""
        return self.scheduler.run_pending()

    @property
    def pending(self) -> list[str]:
        """The kinds of the deferred jobs queued and not yet run."""
        return [job.kind for job in self.scheduler.pending] + [
            job.kind for _, job in self.scheduler.delayed
        ]

    def run_job(self, name: str, athlete_id: str, local_date: dt.date | str | None = None) -> None:
        """Fire recurring job ``name`` for one athlete and local date (today in the
        athlete's zone by default), as the scheduler's tick would."""
        if isinstance(local_date, str):
            local_date = dt.date.fromisoformat(local_date)
        known = {job.name for job in self.app.recurring_jobs()}
        if name not in known:
            raise KeyError(f"no recurring job {name!r} (loaded: {', '.join(sorted(known))})")
        self.app.run_job(name, athlete_id, local_date or self.local_today(athlete_id))

    def tick(self, at: dt.datetime | None = None, *, run_deferred: bool = True) -> list[str]:
        """The scheduler's tick at ``at`` (default: now): every job due then for every
        athlete, once per local date, and (unless ``run_deferred=False``) the work it
        handed to the Deferral port. Returns ``job:athlete:date`` for each run."""
        fired = self.app.tick(ScheduledTick(job="*", at=at or self.clock.now()))
        if run_deferred:
            self.run_deferred()
        return [f"{run.job.name}:{run.athlete_id}:{run.local_date}" for run in fired]

    def say(self, text: str, athlete_id: str = "ada", *, event_id: str = "") -> Message:
        """One chat turn: the athlete writes ``text``, the coach answers (calling the
        tools the model picks) and the answer is delivered by DM."""
        message = self.app.coach.reply(athlete_id, text, event_id=event_id)
        self.app.coach.deliver(message)
        return message

    # -- what happened ------------------------------------------------------------------------
    @property
    def posted(self) -> list[RecordedMessage]:
        """Every message the coach posted, in order (updates rewrite them in place)."""
        return list(self.chat.messages)

    def dms(self, athlete_id: str) -> list[str]:
        """The texts sent to ``athlete_id`` by direct message, in order."""
        athlete = self.storage.get_athlete(athlete_id)
        user = (athlete.chat_user_id if athlete else "") or athlete_id
        return [m.text for m in self.chat.messages if m.channel == f"dm:{user}"]

    def activities(self, athlete_id: str = "ada") -> list[Activity]:
        """The athlete's stored activities, oldest first."""
        return self.storage.list_activities(
            athlete_id,
            dt.datetime(1970, 1, 1, tzinfo=dt.UTC),
            dt.datetime(9999, 1, 1, tzinfo=dt.UTC),
        )

    @property
    def failed_plugins(self) -> dict[str, str]:
        """Plugins disabled because a hook raised: ``{name: "hook: error"}``."""
        return {n: f"{f.where}: {f.error}" for n, f in self.plugins.failed.items()}


def _name_of(plugin: object) -> str:
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return str(name).rsplit(".", 2)[-2] if str(name).endswith(".plugin") else str(name)


def _settings(
    given: Mapping[str, Any] | Settings | None,
    env: Mapping[str, str] | None,
    secrets: Mapping[str, str] | None,
) -> Settings:
    if isinstance(given, Settings):
        return given
    return Settings(
        sections=dict(given or {}),
        env=dict(env or {}),
        secrets=MappingSecrets(dict(secrets)) if secrets else None,
    )
