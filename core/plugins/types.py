"""The objects plugins hand to core: data sources, file importers, domains and tools."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from momentum.core.ports.model import ToolSpec
from momentum.core.ports.scheduler import RecurringJob

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.events import HttpRequest, HttpResponse
    from momentum.core.model import Activity, AthleteProfile


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
    """A place activity data comes from (Strava, Peloton, Oura, files)."""

    name: str
    description: str


@runtime_checkable
class WebhookSource(Protocol):
    """A data source that receives webhooks on ``webhook_path`` (e.g. ``/strava/webhook``)."""

    name: str
    webhook_path: str

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """Verify and parse the request, defer slow work, and answer within 2 seconds."""
        ...


@dataclass(frozen=True)
class Domain:
    """A coaching domain (running, sleep, meals): its jobs and prompt templates."""

    name: str
    description: str
    recurring_jobs: tuple[RecurringJob, ...] = ()
    prompt_dir: Path | None = None


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
