"""The plugin's own recurring job: the daily renewal of its webhook subscriptions.

``oura_subscriptions`` (04:00 local) renews the application's webhook subscriptions once a
day (claimed per date, however many athletes there are), when ``public_url`` is set; a
no-op otherwise. New data arrives by webhook; :func:`sync_recent` (``momentum oura sync``)
re-reads the last few days by hand, storing nothing new on a re-run.
"""

from __future__ import annotations

import datetime as dt
import logging

from momentum import App, MomentumError, RecurringJob
from momentum.plugins.oura.settings import oura_settings
from momentum.plugins.oura.tokens import PROVIDER

log = logging.getLogger("momentum.oura")

SYNC_DAYS = 3


def sync_recent(app: App, athlete_id: str, local_date: dt.date) -> None:
    """Re-read the last few days (no-op without a connection)."""
    if app.storage.get_token(athlete_id, PROVIDER) is None:
        return
    from momentum.plugins.oura.sync import fetch_range

    start = local_date - dt.timedelta(days=SYNC_DAYS - 1)
    changed = fetch_range(app, athlete_id, start, local_date)
    log.info("Oura sync for %s: %s", athlete_id, changed)


def renew_subscriptions(app: App, athlete_id: str, local_date: dt.date) -> None:
    """Once a day for the whole coach: keep the webhook subscriptions alive."""
    settings = oura_settings(app.settings)
    if not settings.public_url or not settings.client_id:
        return
    key = f"oura:subscriptions:{local_date.isoformat()}"
    if not app.storage.claim(key, app.clock.now(), dt.timedelta(days=2)):
        return
    from momentum.plugins.oura.subscriptions import ensure

    try:
        outcome = ensure(app)
    except MomentumError:
        app.storage.release(key)
        raise
    log.info("Oura subscriptions: created %s, renewed %s", outcome.created, outcome.renewed)


JOBS = [
    RecurringJob(
        "oura_subscriptions",
        hour=4,
        description="renew Oura webhook subscriptions",
        run=renew_subscriptions,
    ),
]
