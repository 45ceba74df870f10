"""One chromium per session, and the dashboard of a demo-athlete coach to point it at.

Playwright drives Debian's chromium (``apt-get install chromium``; Playwright's own
browser download is not used). Every test here is skipped, with the reason, when
chromium or the playwright package is missing.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.dashboard import open_dashboard, serve_dashboard
from tests.conftest import DATA_DIR
from tests.dashboard_home import DashboardHome, make_dashboard_home

CHROMIUM = Path(os.environ.get("MOMENTUM_CHROMIUM", "/usr/bin/chromium"))
ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("MOMENTUM_ARTIFACTS", ROOT / ".artifacts")) / "dashboard"
"""Screenshots of each page land here (CI keeps them)."""


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian chromium through Playwright, shared by the session's tests."""
    if not CHROMIUM.exists():
        pytest.skip(f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright package is not installed (the dev extra has it)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture(scope="session")
def dash_coach(tmp_path_factory: pytest.TempPathFactory) -> DashboardHome:
    """The demo athlete's coach (see tests/dashboard_home.py)."""
    return make_dashboard_home(
        tmp_path_factory.mktemp("dash-browser") / "home", DATA_DIR if DATA_DIR.exists() else None
    )


@pytest.fixture(scope="session")
def dash_url(dash_coach: DashboardHome) -> Iterator[str]:
    """The dashboard served as ``momentum dashboard`` serves it, on a free port."""
    stop = threading.Event()
    started = threading.Event()
    urls: list[str] = []

    def run() -> None:
        with open_dashboard(dash_coach.home, today=dash_coach.today) as site:
            serve_dashboard(
                site,
                port=0,
                announce=lambda line: None,
                stop=stop,
                ready=lambda url: (urls.append(url), started.set()),
            )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30), "the dashboard did not start"
    yield urls[0].rstrip("/")
    stop.set()
    thread.join(15)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from npm (scripts/dev.py installs it into .tools/node)."""
    path = ROOT / ".tools" / "node" / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        pytest.skip(f"axe-core not found at {path} (python3 scripts/dev.py test installs it)")
    return path


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where screenshots go (emptied of old ones once per session)."""
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def coach_url(dash_coach: DashboardHome) -> Iterator[tuple[str, Any]]:
    """The demo athlete's coach itself served as ``momentum serve`` serves it (its routes,
    ``/dashboard/…`` among them), with a signing key in its home, its clock at the pages'
    day; yields the base URL and the app."""
    import datetime as dt

    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.adapters.local.dashboard import ensure_signing_key
    from momentum.adapters.local.server import LocalServer
    from momentum.core.ports.clock import FixedClock

    ensure_signing_key(dash_coach.home)
    clock = FixedClock(dt.datetime.combine(dash_coach.today, dt.time(20), tzinfo=dt.UTC))
    app = open_app(dash_coach.home, clock=clock)
    server = LocalServer(app, "127.0.0.1", 0)
    server.start()
    try:
        yield server.url.rstrip("/"), app
    finally:
        server.stop()
        close_app(app)
