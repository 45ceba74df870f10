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
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock
from momentum.core.ports.model import Model
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler
from momentum.core.ports.storage import Storage

if TYPE_CHECKING:
    from momentum.core.coach.engine import Coach
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
    _coach: Coach | None = None

    def __post_init__(self) -> None:
        for kind, handler in self.plugins.deferred_handlers().items():
            self.deferred_handlers.setdefault(kind, handler)
        for source in self.plugins.data_sources():
            if isinstance(source, WebhookSource):
                self.routes.setdefault(source.webhook_path, _webhook_route(source))

    @property
    def coach(self) -> Coach:
        """The coach engine (created on first use, so importing the app stays cheap)."""
        if self._coach is None:
            from momentum.core.coach.engine import Coach

            self._coach = Coach(self)
        return self._coach

    # -- HTTP -------------------------------------------------------------------
    def handle_http(self, request: HttpRequest) -> HttpResponse:
        """Route a webhook to the plugin or chat adapter registered for its path."""
        route = self.routes.get(request.path.rstrip("/") or "/")
        if route is None:
            return HttpResponse.text(404, f"no route for {request.path}")
        if len(request.body) > MAX_BODY_BYTES:
            return HttpResponse.text(400, f"body too large ({len(request.body)} bytes)")
        return route(self, request)

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
        """Fire every job due at ``event.at`` that has not fired for its local date.

        Each (job, athlete, local date) is claimed in Storage first, so duplicate
        deliveries and restarts never fire a job twice. The claim is a short lease while
        the job runs and becomes a long one once it has succeeded: a process that dies
        mid-job leaves a lease that expires, and a tick inside the grace window retries
        it. A failed job releases its lease so the next tick retries it; the other due
        jobs still run, then the first failure is raised.
        """
        from momentum.core.schedule import CLAIM_TTL, RUN_LEASE, due_runs

        jobs = [j for j in self.recurring_jobs() if event.job in ("*", j.name)]
        athletes = self.storage.list_athletes()
        if event.athlete_id is not None:
            athletes = [a for a in athletes if a.athlete_id == event.athlete_id]
        fired = []
        failure: Exception | None = None
        for athlete in athletes:
            for run in due_runs(jobs, athlete.athlete_id, athlete.timezone, event.at):
                if not self.storage.claim(run.key, event.at, RUN_LEASE):
                    continue
                try:
                    self.run_job(run.job.name, athlete.athlete_id, run.local_date)
                except Exception as exc:
                    # One athlete's failing job must not starve everyone after it.
                    self.storage.release(run.key)
                    _log_failure(run)
                    failure = failure or exc
                    continue
                self.storage.extend_claim(run.key, event.at, CLAIM_TTL)
                fired.append(run)
        if failure is not None:
            raise failure
        return fired

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        """Run one recurring job for one athlete now: a plugin's job through its own
        ``run``, a built-in one through the coach (which delivers by DM)."""
        for job in self.recurring_jobs():
            if job.name == name and job.run is not None:
                job.run(self, athlete_id, local_date)
                return
        self.coach.run_job(name, athlete_id, local_date)


def _log_failure(run: DueRun) -> None:
    """Log the job failure being handled, with its traceback."""
    import logging

    logging.getLogger(LOGGER).exception(
        "job %s failed for athlete %s", run.job.name, run.athlete_id
    )


def _webhook_route(source: WebhookSource) -> HttpRoute:
    def route(app: App, request: HttpRequest) -> HttpResponse:
        return source.handle_webhook(app, request)

    return route


def default_deferred_payload(**values: Any) -> dict[str, Any]:
    """A JSON-ready payload for a deferred job (drops ``None`` values)."""
    return {k: v for k, v in values.items() if v is not None}
