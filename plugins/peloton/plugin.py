"""The Peloton plugin's hooks: its data source, polling jobs, settings and commands.
Imports only ``momentum``."""

from __future__ import annotations

from typing import Any

from momentum import DataSource, RecurringJob, hookimpl


class PelotonSource:
    """Peloton as a data source (polled: no webhooks)."""

    name = "peloton"
    description = "Peloton (unofficial API): rides, tread runs and walks, rowing, strength."


@hookimpl
def momentum_data_sources() -> list[DataSource]:
    """Peloton, polled by the plugin's own jobs."""
    return [PelotonSource()]


@hookimpl
def momentum_scheduled_jobs() -> list[RecurringJob]:
    """Four polls a day in each athlete's local time."""
    from momentum.plugins.peloton.poll import JOBS

    return list(JOBS)


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[peloton]``: hosts, poll window and sampling."""
    from momentum.plugins.peloton.settings import PelotonSettings

    return {"peloton": PelotonSettings}


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum peloton connect|sync|status``."""
    from momentum.plugins.peloton.cli import register

    register(cli)
