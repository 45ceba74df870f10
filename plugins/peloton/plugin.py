"""The Peloton plugin's hooks: its data source, polling jobs, settings and commands.
Imports only ``momentum``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum import Activity, App, DataSource, RecurringJob, hookimpl

POLL_HOURS = (7, 12, 17, 21)
"""Four polls a day in the athlete's time: after morning, lunchtime and evening classes."""


def poll_job(app: App, athlete_id: str, local_date: dt.date) -> None:
    """Poll Peloton for one athlete (httpx is imported only when a poll runs)."""
    from momentum.plugins.peloton.poll import poll_job as run

    run(app, athlete_id, local_date)


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
    """Four polls a day in each athlete's local time, for athletes who connected Peloton
    only: the tick reads that from the profile it holds, so others cost nothing."""
    from momentum.plugins.peloton.connection import is_connected

    return [
        RecurringJob(
            f"peloton_poll_{hour:02d}",
            hour=hour,
            description="poll Peloton",
            run=poll_job,
            applies=is_connected,
        )
        for hour in POLL_HOURS
    ]


@hookimpl
def momentum_activity_stored(app: App, activity: Activity) -> None:
    """Another source stored a session Peloton already has: fold Peloton's record into it
    (one activity, both sources' ranges, one review)."""
    if activity.source == "peloton" or "peloton" in activity.source_ids:
        return
    from momentum.plugins.peloton.merge import fold_into

    fold_into(app, activity)


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[peloton]``: hosts, poll window and sampling."""
    from momentum.plugins.peloton.settings import PelotonSettings

    return {"peloton": PelotonSettings}


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum peloton connect|disconnect|sync|status``."""
    from momentum.plugins.peloton.cli import register

    register(cli)
