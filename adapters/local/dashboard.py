"""The local side of ``momentum dashboard``: one athlete's pages on 127.0.0.1.

:func:`open_dashboard` reads the coach's SQLite home without starting its scheduler (the
dashboard runs no jobs and writes nothing); :func:`serve_dashboard` serves the site with
the same waitress server as ``momentum serve`` until Ctrl-C, SIGTERM or ``stop``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from momentum.adapters.local.server import (
    LocalServer,
    _install_signal_handlers,
    _restore_signal_handlers,
)
from momentum.core.dashboard.overview import DEFAULT_BUDGET_USD
from momentum.core.dashboard.pages import DashboardData
from momentum.core.dashboard.registry import extensions
from momentum.core.dashboard.site import DashboardSite
from momentum.core.errors import NotFoundError
from momentum.core.model import AthleteProfile
from momentum.plugins.running.coach.view import athlete_zone

if TYPE_CHECKING:
    from momentum.adapters.local.sqlite_storage import SqliteStorage

HOST = "127.0.0.1"
DEFAULT_PORT = 8765
STALE_DAYS = 56
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@contextlib.contextmanager
def open_dashboard(
    home: Path,
    *,
    athlete_id: str | None = None,
    today: dt.date | None = None,
    budget_usd: float = DEFAULT_BUDGET_USD,
) -> Iterator[DashboardSite]:
    """The dashboard of the coach in ``home`` (its settings' athlete unless
    ``athlete_id``), as of ``today`` (default: the athlete's local today)."""
    from momentum.adapters.local.bootstrap import database_path
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.core.config import load_settings
    from momentum.core.plugins.host import load_plugins

    settings = load_settings(home)
    chosen = athlete_id or settings.athlete_id
    plugins = load_plugins()
    plugins.load_local(home, settings.extra.get("local_plugins") or ())
    storage = SqliteStorage(database_path(home))
    try:
        athlete = storage.get_athlete(chosen)
        if athlete is None:
            known = ", ".join(a.athlete_id for a in storage.list_athletes()) or "none"
            raise NotFoundError(
                f"no athlete {chosen!r} in the coach at {home} (athletes: {known}); "
                "pass --athlete ID"
            )
        day = today or default_day(storage, athlete)
        yield DashboardSite(DashboardData(storage, chosen, day, budget_usd, extensions(plugins)))
    finally:
        storage.close()


def ensure_signing_key(home: Path) -> bool:
    """Give the coach in ``home`` a dashboard signing key (the secret
    ``MOMENTUM_DASHBOARD_KEY``, an owner-only file under ``home/secrets``) unless it has
    one, in the environment or there; True when one was made. Never prints the key."""
    from momentum.adapters.local.secrets import LocalSecrets
    from momentum.core.dashboard.signing import KEY_SECRET, MIN_KEY_CHARS, new_key

    secrets = LocalSecrets(home / "secrets")
    current = secrets.get(KEY_SECRET)
    if current is not None and len(current) >= MIN_KEY_CHARS:
        return False
    secrets.put(KEY_SECRET, new_key())
    return True


def default_day(storage: SqliteStorage, athlete: AthleteProfile) -> dt.date:
    """The athlete's local today; but when nothing was recorded in the last
    :data:`STALE_DAYS` days (an old export, the demo's fixed weeks), the day of the latest
    activity, so the pages show the training rather than empty weeks (the page says
    which day it is as of)."""
    zone = athlete_zone(athlete)
    today = dt.datetime.now(zone).date()
    end = dt.datetime.combine(today + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    recent = storage.list_activities(athlete.athlete_id, end - dt.timedelta(days=STALE_DAYS), end)
    if recent:
        return today
    every = storage.list_activities(athlete.athlete_id, EPOCH, end)
    if not every:
        return today
    return max(a.start for a in every).astimezone(zone).date()


def serve_dashboard(
    site: DashboardSite,
    *,
    port: int = DEFAULT_PORT,
    open_browser: Callable[[str], object] | None = None,
    announce: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    ready: Callable[[str], None] | None = None,
) -> None:
    """Serve ``site`` on 127.0.0.1:``port`` (0 picks a free one) until ``stop`` is set,
    SIGTERM or Ctrl-C; ``open_browser(url)`` is called once it answers."""
    stop = stop or threading.Event()
    server = LocalServer(site, HOST, port, threads=4)
    previous = _install_signal_handlers(stop)
    try:
        server.start()
        url = server.url + "/"
        announce(f"momentum: dashboard at {url} (Ctrl-C stops it)")
        if ready is not None:
            ready(url)
        if open_browser is not None:
            open_browser(url)
        while not stop.wait(0.5):
            pass
    finally:
        stop.set()
        _restore_signal_handlers(previous)
        server.stop()
        announce("momentum: dashboard stopped")
