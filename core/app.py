"""The application: ports wired together, plus the event handlers every adapter calls.

Adapters build an :class:`App` (see :mod:`momentum.core.compose`) and hand it events:
``handle_http`` for webhooks, ``tick`` for scheduler firings, ``run_deferred`` for the
second half of "ack now, work later". The same event gives the same behaviour everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from momentum.core.config import Settings
from momentum.core.events import HttpRequest, HttpResponse, ScheduledTick
from momentum.core.plugins.host import PluginHost
from momentum.core.plugins.types import WebhookSource
from momentum.core.ports.blob import Blob
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock
from momentum.core.ports.model import Model
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler
from momentum.core.ports.storage import Storage

if TYPE_CHECKING:
    from momentum.core.coach.loop import CoachEngine
    from momentum.core.schedule import DueRun

# Imported where first needed, not here: ``logging`` (only a failing job logs) and
# ``momentum.core.schedule`` (zoneinfo; only a tick needs it) add to every cold start otherwise.
LOGGER = "momentum"

DeferredHandler = Callable[["App", DeferredJob], None]
HttpRoute = Callable[["App", HttpRequest], HttpResponse]
MAX_BODY_BYTES = 256 * 1024


@dataclass
class App:
    """One coach: its ports, plugins and settings."""

    storage: Storage
    scheduler: Scheduler
    chat: Chat
    model: Model
    clock: Clock
    plugins: PluginHost
    settings: Settings = field(default_factory=Settings)
    deferred_handlers: dict[str, DeferredHandler] = field(default_factory=dict)
    routes: dict[str, HttpRoute] = field(default_factory=dict)
    prefix_routes: dict[str, HttpRoute] = field(default_factory=dict)
    """Routes for a path and everything under it (``/dashboard`` → ``/dashboard/…``);
    an exact route wins."""
    blob: Blob | None = None
    """Large payloads and uploads (spilled deferred payloads, ``uploads/``)."""
    _coach: CoachEngine | None = None

    def __post_init__(self) -> None:
        from momentum.core.runtime.tick import RUN_JOB, handle_run_job

        self.deferred_handlers.setdefault(RUN_JOB, handle_run_job)
        for kind, handler in self.plugins.deferred_handlers().items():
            self.deferred_handlers.setdefault(kind, handler)
        for source in self.plugins.data_sources():
            if isinstance(source, WebhookSource):
                self.routes.setdefault(source.webhook_path, _webhook_route(source))
        self.prefix_routes.setdefault("/dashboard", _dashboard_route)

    @property
    def coach(self) -> CoachEngine:
        """The coach (created on first use, so importing the app stays cheap): the engine of
        the domain that holds the conversation (running's), else core's coach loop over
        every domain's briefs."""
        if self._coach is None:
            from momentum.core.coach.loop import CoachLoop

            engines = [d.engine for d in self.plugins.domains() if d.engine is not None]
            self._coach = engines[0](self) if engines else CoachLoop(self)
        return self._coach

    # -- HTTP -------------------------------------------------------------------
    def handle_http(self, request: HttpRequest) -> HttpResponse:
        """Route a webhook to the plugin or chat adapter registered for its path."""
        route = self.routes.get(request.path.rstrip("/") or "/") or self._prefix_route(request.path)
        if route is None:
            return HttpResponse.text(404, f"no route for {request.path}")
        if len(request.body) > MAX_BODY_BYTES:
            return HttpResponse.text(400, f"body too large ({len(request.body)} bytes)")
        return route(self, request)

    def _prefix_route(self, path: str) -> HttpRoute | None:
        for prefix, route in self.prefix_routes.items():
            if path == prefix or path.startswith(prefix + "/"):
                return route
        return None

    # -- deferred work ------------------------------------------------------------
    def run_deferred(self, job: DeferredJob) -> None:
        """Run the second half of a webhook. Unknown kinds are an error, not a no-op."""
        handler = self.deferred_handlers.get(job.kind)
        if handler is None:
            raise KeyError(f"no handler for deferred job {job.kind!r}")
        handler(self, job)

    # -- scheduled jobs -----------------------------------------------------------
    def recurring_jobs(self) -> list[RecurringJob]:
        """The jobs that fire in each athlete's local time."""
        return self.plugins.recurring_jobs()

    def tick(self, event: ScheduledTick) -> list[DueRun]:
        """Fan out every job due at ``event.at`` that has not fired for its local date.

        Reads the zone directory, then only the athletes of zones where a job is due, and
        hands each (job, athlete, local date) to the Deferral port as one
        ``momentum.run_job`` job, claimed first so duplicate ticks, retries and restarts
        never fan it out twice (see :mod:`momentum.core.runtime.tick`). Returns the runs
        deferred by this call.
        """
        from momentum.core.runtime.tick import fan_out

        return fan_out(self, event)

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        """Run one recurring job for one athlete now: a plugin's job through its own
        ``run``, a built-in one through the coach (which delivers by DM)."""
        for job in self.recurring_jobs():
            if job.name == name and job.run is not None:
                job.run(self, athlete_id, local_date)
                return
        self.coach.run_job(name, athlete_id, local_date)


def _webhook_route(source: WebhookSource) -> HttpRoute:
    def route(app: App, request: HttpRequest) -> HttpResponse:
        return source.handle_webhook(app, request)

    return route


def _dashboard_route(app: App, request: HttpRequest) -> HttpResponse:
    from momentum.core.dashboard.remote import handle_dashboard  # only when a link is opened

    return handle_dashboard(app, request)


def default_deferred_payload(**values: Any) -> dict[str, Any]:
    """A JSON-ready payload for a deferred job (drops ``None`` values)."""
    return {k: v for k, v in values.items() if v is not None}
