"""The Oura plugin's hooks: its data source and callback route, deferred work, jobs,
readiness for the check-in, settings and commands. Imports only ``momentum``."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from momentum import App, DataSource, MomentumError, Readiness, RecurringJob, hookimpl

log = logging.getLogger("momentum.oura")


@hookimpl
def momentum_data_sources() -> list[DataSource]:
    """Oura on ``/oura/webhook``, and its OAuth redirect on ``/oura/callback``."""
    from momentum.plugins.oura.oauth import OuraCallback
    from momentum.plugins.oura.webhook import OuraSource

    return [OuraSource(), OuraCallback()]


@hookimpl
def momentum_deferred_handlers() -> dict[str, Any]:
    """Fetching the day a webhook says changed."""
    from momentum.plugins.oura.changes import HANDLERS

    return dict(HANDLERS)


@hookimpl
def momentum_scheduled_jobs() -> list[RecurringJob]:
    """The daily renewal of the webhook subscriptions."""
    from momentum.plugins.oura.jobs import JOBS

    return list(JOBS)


@hookimpl
def momentum_readiness(app: App, athlete_id: str, day: dt.date) -> Readiness | None:
    """Last night against the athlete's 30-day baseline (stored data only)."""
    from momentum.plugins.oura.readiness import night_of, readiness_of
    from momentum.plugins.oura.settings import oura_settings

    try:
        need = oura_settings(app.settings).sleep_need_hours
        night = night_of(app.storage, athlete_id, day, need)
    except MomentumError as exc:  # never let a bad night disable the plugin
        log.warning("Oura readiness for %s on %s not computed: %s", athlete_id, day, exc)
        return None
    return None if night is None else readiness_of(night)


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[oura]``: the application's credentials, verification token and public URL."""
    from momentum.plugins.oura.settings import OuraSettings

    return {"oura": OuraSettings}


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum oura connect|backfill|sync|subscribe|status``."""
    from momentum.plugins.oura.cli import register

    register(cli)
