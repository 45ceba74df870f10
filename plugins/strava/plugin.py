"""The Strava plugin's hooks: the webhook data source, its deferred work, its commands."""

from __future__ import annotations

from typing import Any

from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import DataSource


@hookimpl
def momentum_data_sources() -> list[DataSource]:
    """Strava, answering webhooks on ``/strava/webhook``."""
    from momentum.plugins.strava.source import StravaSource

    return [StravaSource()]


@hookimpl
def momentum_deferred_handlers() -> dict[str, Any]:
    """Create, update, delete and deauthorisation work queued by the webhook."""
    from momentum.plugins.strava.sync import HANDLERS

    return dict(HANDLERS)


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum strava connect|subscribe|unsubscribe|subscriptions|backfill|status``."""
    from momentum.plugins.strava.cli import register

    register(cli)


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[strava]``: the API application's credentials and the webhook's verify token."""
    from momentum.plugins.strava.settings import StravaSettings

    return {"strava": StravaSettings}
