"""The dashboard's Overview for five years of daily running: payload size and time to the
first chart in headless chromium.

A SQLite coach is filled with one run a day for five years (summary records with heart
rate, efficiency and decoupling, so every chart has a point a day where it can) and a ring's
night every day (HRV, resting heart rate, sleep: the readiness and sleep charts), then the
Overview is served as ``momentum dashboard`` serves it. Prints the page's HTML size (the
chart data travel inside it), its JSON's size, the server's time to answer, and, when
Debian's chromium and playwright are present, the time from navigation to the first chart
drawn and to all charts (best and median of ``--runs`` loads). Goals: ≤ 300 KB, ≤ 1 s.

    .venv/bin/python benchmarks/dashboard.py [--json] [--years 5] [--runs 5]
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PAYLOAD_GOAL_KB = 300.0
FIRST_CHART_GOAL_MS = 1000.0
CHROMIUM = Path("/usr/bin/chromium")
TODAY = dt.date(2026, 3, 10)


def fill(home: Path, years: int) -> str:
    """A coach in ``home`` with a run every day for ``years`` years up to :data:`TODAY`."""
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.core.observations import Observation, keep
    from momentum.plugins.running.analytics.summary import summary_activity
    from momentum.testing import sample_athlete

    rng = random.Random(5)
    app = open_app(home)
    athlete = sample_athlete()
    try:
        app.storage.put_athlete(athlete)
        day = TODAY - dt.timedelta(days=365 * years)
        while day <= TODAY:
            minutes = rng.choice((30, 40, 45, 50, 60, 90)) + rng.random() * 5
            pace = 330 + rng.random() * 60
            start = dt.datetime.combine(day, dt.time(11, 0), tzinfo=dt.UTC)
            run = summary_activity(
                athlete,
                activity_id=f"bench-{day.isoformat()}",
                activity_type="Run",
                start=start,
                moving_time_seconds=minutes * 60,
                distance_meters=minutes * 60 / pace * 1000,
                avg_hr=135 + rng.random() * 20,
                max_hr=170,
                name="Daily run",
            )
            run = dataclasses.replace(
                run,
                efficiency_factor=0.9 + rng.random() * 0.1,
                decoupling_percent=rng.random() * 8,
            )
            app.storage.put_activity(run)
            night = {
                "average_hrv": 35 + rng.random() * 30,
                "resting_hr": 48 + rng.random() * 8,
                "total_sleep_duration": (6 + rng.random() * 2.5) * 3600,
            }
            keep(app.storage, athlete.athlete_id, [Observation("oura", "sleep", day, night)])
            day += dt.timedelta(days=1)
    finally:
        close_app(app)
    return athlete.athlete_id


def first_chart_ms(url: str, runs: int) -> dict[str, float] | None:
    """Best and median milliseconds from navigation to the first and to all charts."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    first: list[float] = []
    every: list[float] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            for _ in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(url)
                page.wait_for_selector("body[data-charts=ready]", timeout=30_000)
                status = page.evaluate("window.momentumCharts")
                first.append(float(status["firstChartMs"]))
                every.append(float(status["allChartsMs"]))
                context.close()
        finally:
            browser.close()
    return {
        "first_chart_best_ms": round(min(first), 1),
        "first_chart_median_ms": round(statistics.median(first), 1),
        "all_charts_median_ms": round(statistics.median(every), 1),
    }


def measure(years: int, runs: int) -> dict[str, Any]:
    """Fill a coach, serve its dashboard, and measure."""
    from momentum.adapters.local.dashboard import open_dashboard, serve_dashboard
    from momentum.core.events import HttpRequest

    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "home"
        athlete_id = fill(home, years)
        with open_dashboard(home, athlete_id=athlete_id, today=TODAY) as site:
            started = time.perf_counter()
            page = site.handle_http(HttpRequest("GET", "/"))
            answer_ms = (time.perf_counter() - started) * 1000
            data = site.handle_http(HttpRequest("GET", "/api/overview.json"))
            stop, ready, urls = threading.Event(), threading.Event(), []
            thread = threading.Thread(
                target=serve_dashboard,
                args=(site,),
                kwargs={
                    "port": 0,
                    "announce": lambda line: None,
                    "stop": stop,
                    "ready": lambda url: (urls.append(url), ready.set()),
                },
                daemon=True,
            )
            thread.start()
            ready.wait(30)
            try:
                browser = first_chart_ms(urls[0], runs)
            finally:
                stop.set()
                thread.join(15)
    result: dict[str, Any] = {
        "years": years,
        "activities": 365 * years + 1,
        "overview_html_kb": round(len(page.body) / 1024, 1),
        "overview_json_kb": round(len(data.body) / 1024, 1),
        "charts": page.body.count(b'class="chart-card"'),
        "payload_goal_kb": PAYLOAD_GOAL_KB,
        "server_answer_ms": round(answer_ms, 1),
        "first_chart_goal_ms": FIRST_CHART_GOAL_MS,
    }
    result.update(browser or {"browser": "skipped: no chromium or playwright"})
    return result


def main() -> None:
    """Parse the options, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.years, args.runs)
    if args.json:
        print(json.dumps(result))
        return
    for key, value in result.items():
        print(f"{key:>24}: {value}")


if __name__ == "__main__":
    main()
