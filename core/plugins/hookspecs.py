"""Hook specifications. Every hook is documented; ``tests/unit/test_hookspecs.py`` fails
on one that is not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from momentum.core.plugins.types import DataSource, Domain, FileImporter, Tool
    from momentum.core.ports.scheduler import RecurringJob

hookspec = pluggy.HookspecMarker("momentum")


@hookspec
def momentum_data_sources() -> list[DataSource]:
    """Return the data sources this plugin provides (Strava, Peloton, Oura, files).

    A source that also satisfies ``WebhookSource`` gets its ``webhook_path`` routed to it
    by every adapter.
    """
    raise NotImplementedError


@hookspec
def momentum_file_importers() -> list[FileImporter]:
    """Return file importers; ``momentum import`` picks one by file suffix."""
    raise NotImplementedError


@hookspec
def momentum_domains() -> list[Domain]:
    """Return the coaching domains this plugin provides (running, sleep, meals)."""
    raise NotImplementedError


@hookspec
def momentum_tools() -> list[Tool]:
    """Return tools the model may call from chat. Each tool runs bound to one athlete
    (``ToolContext``) and must touch only that athlete's records."""
    raise NotImplementedError


@hookspec
def momentum_scheduled_jobs() -> list[RecurringJob]:
    """Return recurring jobs (local-time cron-like) this plugin adds, besides its domains'."""
    raise NotImplementedError


@hookspec
def momentum_deferred_handlers() -> dict[str, Any]:
    """Return ``{kind: handler(app, job)}`` for deferred jobs this plugin queues, so the
    second half of "ack now, work later" runs on every cloud."""
    raise NotImplementedError


@hookspec
def momentum_cli(cli: Any) -> None:
    """Add commands to the ``momentum`` CLI; ``cli`` is the root ``typer.Typer``."""
    raise NotImplementedError
