"""The dashboard's pages in a real browser: charts drawn, numbers shown, keyboard, axe, phone.

Each page is opened in Debian's chromium; the test waits until every chart has been drawn
by the vendored Vega-Lite, then counts the drawn marks against the page's JSON, reads the
figures on the page against the coach's analytics, and keeps a screenshot.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.dashboard.observations import NIGHTS
from momentum.plugins.running.coach.metrics import fitness
from momentum.plugins.running.coach.view import load_view
from tests.dashboard_home import NIGHTS as RING_NIGHTS
from tests.dashboard_home import DashboardHome

pytestmark = pytest.mark.browser

SERIOUS = {"serious", "critical"}


def page_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.errors = errors
    try:
        yield opened
    finally:
        context.close()


def open_page(page: Any, url: str) -> dict[str, Any]:
    """Load ``url`` and wait until every chart is drawn; the charts' status."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_selector("body[data-charts=ready]", timeout=20_000)
    status: dict[str, Any] = page.evaluate("window.momentumCharts")
    assert status["failed"] == [], status
    assert status["rendered"] == status["expected"] > 0
    assert page.errors == [], page.errors
    return status


def marks(page: Any, chart_id: str, kind: str, name: str = "") -> int:
    """How many marks of Vega's ``kind`` (rect, line, symbol …; bars and ticks are both
    rects) the chart's SVG drew, only those of the mark group ``name`` when given
    (Vega-Lite names a layer's marks ``layer_<n>_marks``)."""
    group = f"g.mark-{kind}" + (f".{name}" if name else "")
    return int(page.locator(f"#chart-{chart_id} svg {group} > path").count())


def test_overview_draws_every_chart_and_shows_the_coachs_figures(
    page: Any, dash_url: str, dash_coach: DashboardHome, artifacts: Path
) -> None:
    model = page_json(f"{dash_url}/api/overview.json")
    open_page(page, f"{dash_url}/")
    assert marks(page, "volume-12", "rect", "layer_0_marks") == 12  # bars: minutes done
    planned = [w for w in model["volume"]["12"] if w["planned_minutes"] is not None]
    assert marks(page, "volume-12", "rect", "layer_1_marks") == len(planned) > 0  # the plan
    assert marks(page, "volume-52", "rect", "layer_0_marks") == 52
    assert marks(page, "consistency", "rect") == len(model["consistency"])
    assert marks(page, "cost", "rect", "layer_0_marks") == len(model["cost"])
    runs = model["efficiency"]
    with_decoupling = [r for r in runs if r["decoupling"] is not None]
    assert marks(page, "efficiency", "symbol") == len(runs) + len(with_decoupling)
    assert marks(page, "pmc", "line") == 3
    nights = model["nights"]
    assert len(nights) == min(NIGHTS, RING_NIGHTS) > 0  # kept in tests/dashboard_home.py
    assert marks(page, "sleep", "rect") == len(nights)
    assert marks(page, "readiness", "symbol") == 2 * len(nights)  # HRV and resting HR points
    assert marks(page, "readiness", "line") == 4  # each, and its dashed baseline
    assert float(page.locator("[data-figure=hrv]").inner_text()) == nights[-1]["hrv"]

    storage = SqliteStorage(dash_coach.home / "momentum.db")
    try:
        said = fitness(load_view(storage, dash_coach.athlete_id, dash_coach.today))
    finally:
        storage.close()
    shown = {
        name: page.locator(f"[data-figure={name}]").inner_text()
        for name in ("fitness", "fatigue", "form", "week_minutes", "week_planned", "vdot")
    }
    assert said.ctl is not None and said.atl is not None and said.tsb is not None
    assert float(shown["fitness"]) == round(said.ctl, 1)
    assert float(shown["fatigue"]) == round(said.atl, 1)
    assert float(shown["form"]) == round(said.tsb, 1)
    this_week = model["volume"]["12"][-1]
    assert int(shown["week_minutes"]) == this_week["minutes"]
    assert int(shown["week_planned"]) == this_week["planned_minutes"]  # the plan covers it
    assert float(shown["vdot"]) == model["vdot"][-1]["vdot"]
    month = page.locator("[data-figure=month_cost]").inner_text()
    assert float(month) == pytest.approx(model["cost"][-1]["cost_usd"], abs=5e-5)
    page.screenshot(path=str(artifacts / "overview.png"), full_page=True)


def test_activity_page_draws_route_profile_splits_and_zones(
    page: Any, dash_url: str, dash_coach: DashboardHome, artifacts: Path
) -> None:
    if dash_coach.route_activity_id is None:
        pytest.skip("the shared FIT track is not on this machine")
    url = f"{dash_url}/activity/{dash_coach.route_activity_id}"
    model = page_json(f"{dash_url}/api/activity/{dash_coach.route_activity_id}.json")
    open_page(page, url)
    assert marks(page, "route", "line") == 1
    assert marks(page, "splits", "rect") == len(model["splits"])
    assert marks(page, "zones", "rect") == 5
    assert marks(page, "profile", "line") == 4  # pace, GAP, heart rate, elevation
    rows = page.locator("#splits-table tbody tr")
    assert rows.count() == len(model["splits"])
    first = rows.nth(0).locator("td").nth(0)
    assert float(first.get_attribute("data-value")) == model["splits"][0]["pace"]
    shown = page.locator("[data-figure=distance_km]").inner_text()
    assert float(shown) == model["activity"]["distance_km"]
    page.screenshot(path=str(artifacts / "activity.png"), full_page=True)


def test_plan_page_shows_the_coming_weeks_and_this_week(
    page: Any, dash_url: str, artifacts: Path
) -> None:
    model = page_json(f"{dash_url}/api/plan.json")
    open_page(page, f"{dash_url}/plan")
    assert marks(page, "plan-weeks", "rect") == len(model["weeks"]) > 0
    assert page.locator("#week-table tbody tr").count() == 7
    done = page.locator("[data-figure=aerobic_minutes_done]").inner_text()
    assert int(done) == model["this_week"]["aerobic_minutes_done"]
    page.screenshot(path=str(artifacts / "plan.png"), full_page=True)


def test_keyboard_reaches_every_page(page: Any, dash_url: str) -> None:
    open_page(page, f"{dash_url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    open_page(page, f"{dash_url}/")
    names = []
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("document.activeElement.textContent"))
    assert names == ["Skip to content", "Overview", "Activity", "Plan"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/plan")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')").endswith("/activity")


@pytest.mark.parametrize("path", ["/", "/activity", "/plan"])
def test_axe_finds_no_serious_violations(
    browser: Any, dash_url: str, axe_script: Path, path: str
) -> None:
    # The page's CSP forbids inline scripts, as it should; axe is injected past it.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        open_page(page, dash_url + path)
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    finally:
        context.close()
    serious = [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
    assert serious == []


def test_phone_layout_has_no_sideways_scrolling(
    browser: Any, dash_url: str, artifacts: Path
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    try:
        phone = context.new_page()
        phone.errors = []
        phone.on("pageerror", lambda e: phone.errors.append(str(e)))
        open_page(phone, f"{dash_url}/")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        box = phone.locator("#chart-pmc svg").bounding_box()
        assert box is not None and 250 <= box["width"] <= 390
        phone.screenshot(path=str(artifacts / "overview-phone.png"), full_page=True)
    finally:
        context.close()


def test_pages_load_nothing_from_another_origin(page: Any, dash_url: str) -> None:
    """Offline: every request the page makes goes to the dashboard itself."""
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    open_page(page, f"{dash_url}/")
    assert requested and all(u.startswith(dash_url) for u in requested), requested


def test_a_page_opened_from_a_signed_link_renders_and_a_forged_one_is_refused(
    page: Any, coach_url: tuple[str, Any], artifacts: Path
) -> None:
    """The deployed coach's path: ``/dashboard/<token>/`` on the coach's own server."""
    from momentum.core.dashboard.links import signing_key
    from momentum.core.dashboard.signing import sign

    base, app = coach_url
    key = signing_key(app.settings)
    assert key is not None  # made in the coach's home/secrets, read through its settings
    now = int(app.clock.now().timestamp())
    token = sign(key, app.settings.athlete_id, now + 3600)
    status = open_page(page, f"{base}/dashboard/{token}/")
    assert status["rendered"] >= 8
    model = page_json(f"{base}/dashboard/{token}/api/overview.json")
    assert marks(page, "volume-12", "rect", "layer_0_marks") == 12
    assert marks(page, "sleep", "rect") == len(model["nights"]) > 0
    page.screenshot(path=str(artifacts / "overview-signed-link.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("link", name="Plan").click()
    assert page.url == f"{base}/dashboard/{token}/plan"  # the token rides along
    page.wait_for_selector("body[data-charts=ready]", timeout=20_000)
    assert page.evaluate("window.momentumCharts.rendered") == 1

    forged = ".".join([*token.split(".")[:2], "A" * 43])
    expired = sign(key, app.settings.athlete_id, now - 1)
    for bad in (forged, expired):
        answer = page.goto(f"{base}/dashboard/{bad}/")
        assert answer is not None and answer.status == 403
        assert page.locator("body").inner_text().startswith("forbidden:")
