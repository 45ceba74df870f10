"""``momentum dashboard`` against a real local coach: SQLite home, waitress, real analytics.

The JSON behind each page is fetched over HTTP from the same server the command runs, and
its numbers are checked against the analytics the coach uses (and against the CLI's own
``--json``): the dashboard must show the coach's numbers, not its own.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.dashboard import open_dashboard, serve_dashboard
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.coach.usage import summarize
from momentum.core.dashboard.observations import NIGHTS
from momentum.core.model import Activity, AthleteProfile
from momentum.core.observations import read_days
from momentum.plugins.running.analytics.evidence import best_evidence
from momentum.plugins.running.analytics.load import local_day, pmc
from momentum.plugins.running.coach.metrics import fitness
from momentum.plugins.running.coach.view import athlete_zone, load_view
from momentum.plugins.running.dashboard import HISTORY_DAYS
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import week_status
from tests.conftest import DATA_DIR
from tests.dashboard_home import DashboardHome, make_dashboard_home

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
END = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def coach(tmp_path_factory: pytest.TempPathFactory) -> DashboardHome:
    """The demo athlete's coach in a SQLite home (see tests/dashboard_home.py)."""
    return make_dashboard_home(
        tmp_path_factory.mktemp("dash") / "home", DATA_DIR if DATA_DIR.exists() else None
    )


@pytest.fixture(scope="module")
def base_url(coach: DashboardHome) -> Iterator[str]:
    """The dashboard served by :func:`serve_dashboard` (as the command does) on a free port."""
    stop = threading.Event()
    ready: list[str] = []
    started = threading.Event()

    def run() -> None:
        with open_dashboard(coach.home, today=coach.today) as site:
            serve_dashboard(
                site,
                port=0,
                announce=lambda line: None,
                stop=stop,
                ready=lambda url: (ready.append(url), started.set()),
            )

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    assert started.wait(30), "the dashboard did not start"
    yield ready[0].rstrip("/")
    stop.set()
    thread.join(15)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: status, headers (lower-case names) and body."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                response.read(),
            )
    except urllib.error.HTTPError as error:
        return error.code, {k.lower(): v for k, v in error.headers.items()}, error.read()


def get_json(url: str) -> Any:
    status, headers, body = get(url)
    assert status == 200, body[:300]
    assert headers["content-type"].startswith("application/json")
    return json.loads(body)


def stored(coach: DashboardHome) -> tuple[AthleteProfile, list[Activity], Any, SqliteStorage]:
    storage = SqliteStorage(coach.home / "momentum.db")
    athlete = storage.get_athlete(coach.athlete_id)
    assert athlete is not None
    activities = sorted(
        (
            a
            for a in storage.list_activities(coach.athlete_id, EPOCH, END)
            if local_day(a.start, athlete.timezone) <= coach.today
        ),
        key=lambda a: a.start,
    )
    return athlete, activities, storage.get_plan(Plan, coach.athlete_id), storage


def test_overview_numbers_are_the_coachs_analytics(coach: DashboardHome, base_url: str) -> None:
    model = get_json(f"{base_url}/api/overview.json")
    athlete, activities, plan, storage = stored(coach)
    try:
        said = fitness(load_view(storage, coach.athlete_id, coach.today))
        assert said.ctl is not None and said.atl is not None and said.tsb is not None
        assert model["fitness"]["fitness"] == round(said.ctl, 1)
        assert model["fitness"]["fatigue"] == round(said.atl, 1)
        assert model["fitness"]["form"] == round(said.tsb, 1)
        assert model["fitness"]["durability"] == said.durability
        assert model["today"] == coach.today.isoformat()

        weeks12, weeks52 = model["volume"]["12"], model["volume"]["52"]
        assert (len(weeks12), len(weeks52)) == (12, 52)
        for row in weeks12:
            monday = dt.date.fromisoformat(row["week"])
            status = week_status(plan, activities, monday, timezone=athlete.timezone)
            assert row["minutes"] == status.aerobic_minutes_done
            if plan.week_of(monday) is None:
                assert row["planned_minutes"] is None
            else:
                assert row["planned_minutes"] == status.aerobic_minutes_planned
        assert sum(r["minutes"] for r in weeks12) > 0

        since = coach.today - dt.timedelta(days=HISTORY_DAYS - 1)
        loaded = [a for a in activities if local_day(a.start, athlete.timezone) >= since]
        last = pmc(loaded, athlete, coach.today - dt.timedelta(days=364), coach.today)[-1]
        assert model["pmc"][-1] == {
            "day": coach.today.isoformat(),
            "fitness": round(last.ctl, 1),
            "fatigue": round(last.atl, 1),
            "form": round(last.tsb, 1),
        }

        evidence = best_evidence(athlete, activities, coach.today)
        assert evidence is not None
        assert model["vdot"][-1]["vdot"] == round(evidence.vdot, 1)

        runs_with_ef = [a for a in activities if a.is_run and a.efficiency_factor is not None]
        recent = [
            a
            for a in runs_with_ef
            if (coach.today - local_day(a.start, athlete.timezone)).days < 365
        ]
        assert [r["activity_id"] for r in model["efficiency"]] == [a.activity_id for a in recent]

        months = summarize(storage.list_usage(coach.athlete_id, EPOCH, END), athlete_zone(athlete))
        spent = {r.key: round(r.cost_usd, 4) for r in months.months}
        shown = {r["month"]: r["cost_usd"] for r in model["cost"] if r["calls"]}
        assert shown == spent
        assert {"2026-02", "2026-03"} <= set(shown)

        days = model["consistency"]
        assert len({d["week"] for d in days}) == 12
        assert {d["status"] for d in days} <= {"done", "missed", "rest", "extra", "planned"}
        since = coach.today - dt.timedelta(days=NIGHTS - 1)
        kept = read_days(storage, coach.athlete_id, "oura", "sleep", since, coach.today)
        shown_nights = {n["day"]: n for n in model["nights"]}
        assert len(shown_nights) == min(NIGHTS, len(kept)) > 0  # the ring's nights, 8 weeks
        for night in kept[-NIGHTS:]:
            row = shown_nights[night.day.isoformat()]
            assert row["hrv"] == night.values["average_hrv"]
            assert row["sleep_hours"] == round(night.values["total_sleep_duration"] / 3600, 2)
        assert model["sections"] == ["running"]
    finally:
        storage.close()


def test_activity_page_draws_the_track_and_keeps_the_records_numbers(
    coach: DashboardHome, base_url: str
) -> None:
    if coach.route_activity_id is None:
        pytest.skip(f"the shared FIT track is not on this machine ({DATA_DIR})")
    model = get_json(f"{base_url}/api/activity/{coach.route_activity_id}.json")
    _, _, _, storage = stored(coach)
    try:
        activity = storage.get_activity(coach.athlete_id, coach.route_activity_id)
        assert activity is not None
        assert 50 <= len(model["route"]) <= 401
        assert model["route"][0] == {"order": 0, "x": 0.0, "y": 0.0}
        shown = model["activity"]
        assert shown["distance_km"] == round(activity.distance_meters / 1000.0, 2)
        assert shown["pace"] == round(
            activity.moving_time_seconds / activity.distance_meters * 1000.0, 1
        )
        assert shown["elevation_gain_m"] == round(activity.elevation_gain_meters)
        assert [s["pace"] for s in model["splits"]] == [
            round(s.pace_seconds_per_km, 1) if s.pace_seconds_per_km is not None else None
            for s in activity.splits
        ]
        assert [z["minutes"] for z in model["zones"]] == [
            round(s / 60.0, 1) for s in activity.zone_seconds
        ]
        profile = model["profile"]
        assert len(profile) > 20
        assert profile[-1]["km"] == pytest.approx(activity.distance_meters / 1000.0, rel=0.02)
        assert any(p["elevation"] is not None for p in profile)
    finally:
        storage.close()


def test_a_run_is_compared_with_its_planned_session(coach: DashboardHome, base_url: str) -> None:
    latest_page = get_json(f"{base_url}/api/activity.json")
    athlete, activities, plan, storage = stored(coach)
    storage.close()
    recent = [
        a for a in activities if (coach.today - local_day(a.start, athlete.timezone)).days < 365
    ]
    assert latest_page["activity"]["id"] == recent[-1].activity_id
    assert latest_page["recent"][0]["id"] == recent[-1].activity_id
    matched = []
    for run in reversed([a for a in recent if a.is_run]):
        day = local_day(run.start, athlete.timezone)
        week = plan.week_of(day)
        sessions = [s for s in week.sessions if s.date == day and s.kind.is_run] if week else []
        if sessions:
            matched.append((run, sessions[0]))
    assert matched, "some demo run falls on a planned run day"
    run, session = matched[0]
    model = get_json(f"{base_url}/api/activity/{run.activity_id}.json")
    assert model["plan"]["planned_minutes"] == session.minutes
    assert model["plan"]["kind"] == session.kind.value
    assert model["plan"]["done_minutes"] == round(run.moving_time_seconds / 60.0, 1)


def test_numbers_equal_the_clis_json(coach: DashboardHome, tmp_path: Path) -> None:
    """``momentum week --json`` and ``momentum usage --json`` print what the pages show (on a
    copy of the home: ``week`` may bring the plan up to date)."""
    home = tmp_path / "copy"
    shutil.copytree(coach.home, home)
    env = {k: v for k, v in os.environ.items() if k not in ("GROQ_API_KEY", "MOMENTUM_HOME")}
    env["PYTHONPATH"] = str(ROOT)

    def cli(*args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    week = cli("week", "--json", "--date", coach.today.isoformat())
    usage = cli("usage", "--json", "--months", "36")
    with open_dashboard(home, today=coach.today) as site:
        plan_page = site.data.page("plan", None)
        overview = site.data.overview()
    this_week = plan_page["this_week"]
    assert this_week["start"] == week["start"]
    assert this_week["aerobic_minutes_done"] == week["aerobic_minutes_done"]
    assert this_week["aerobic_minutes_planned"] == week["aerobic_minutes_planned"]
    assert [d["status"] for d in this_week["days"]] == [d["status"] for d in week["days"]]
    assert overview["volume"]["12"][-1]["minutes"] == week["aerobic_minutes_done"]
    cli_months = {m["key"]: round(m["cost_usd"], 4) for m in usage["months"] if m["calls"]}
    page_months = {m["month"]: m["cost_usd"] for m in overview["cost"] if m["calls"]}
    assert page_months == cli_months


def test_plan_page_lists_the_coming_weeks_with_phases(coach: DashboardHome, base_url: str) -> None:
    model = get_json(f"{base_url}/api/plan.json")
    _, _, plan, storage = stored(coach)
    storage.close()
    monday = coach.today - dt.timedelta(days=coach.today.weekday())
    coming = [w for w in plan.weeks if w.start >= monday]
    assert [w["week"] for w in model["weeks"]] == [w.start.isoformat() for w in coming][:16]
    assert [w["planned_minutes"] for w in model["weeks"]] == [w.planned_minutes for w in coming][
        :16
    ]
    assert [p["name"] for p in model["phases"]] == [p.name for p in plan.phases]
    assert len(model["this_week"]["days"]) == 7


def test_pages_are_offline_and_read_only(base_url: str) -> None:
    for path in ("/", "/activity", "/plan"):
        status, headers, body = get(base_url + path)
        html = body.decode()
        assert status == 200, path
        assert headers["content-type"].startswith("text/html")
        assert "default-src 'none'" in headers["content-security-policy"]
        assert 'src="http' not in html and 'href="http' not in html, path
        assert 'name="viewport"' in html
        assert html.count('role="img"') >= 1
    status, headers, body = get(base_url + "/static/vega-lite.min.js")
    assert status == 200 and headers["content-type"] == "text/javascript"
    assert len(body) > 100_000
    assert get(base_url + "/static/../momentum.db")[0] == 404
    assert get(base_url + "/activity/no-such-run")[0] == 404
    request = urllib.request.Request(base_url + "/api/plan.json", data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405


def test_a_coach_without_activities_says_so(tmp_path: Path) -> None:
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.core.events import HttpRequest
    from momentum.testing import sample_athlete

    app = open_app(tmp_path)
    athlete = sample_athlete()
    app.storage.put_athlete(athlete)
    close_app(app)
    with open_dashboard(tmp_path, athlete_id=athlete.athlete_id) as site:
        page = site.handle_http(HttpRequest("GET", "/"))
        latest = site.handle_http(HttpRequest("GET", "/activity"))
    assert page.status == 200
    assert b"No activities yet" in page.body
    assert latest.status == 404 and b"no activities yet" in latest.body


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MOMENTUM_HOME"}
    env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(
        [sys.executable, "-m", "momentum.adapters.local.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )


def test_command_help_port_check_and_missing_coach(tmp_path: Path) -> None:
    shown = run_cli("dashboard", "--help")
    assert shown.returncode == 0
    for option in ("--port", "--no-open", "--home", "--date", "--athlete"):
        assert option in shown.stdout
    bad = run_cli("dashboard", "--port", "70000", "--no-open", "--home", str(tmp_path))
    assert bad.returncode == 2 and "65535" in bad.stderr
    empty = run_cli("dashboard", "--no-open", "--home", str(tmp_path / "nothing"))
    assert empty.returncode == 1
    assert "no coach at" in empty.stderr


def test_command_serves_until_interrupted(coach: DashboardHome) -> None:
    env = {k: v for k, v in os.environ.items() if k != "MOMENTUM_HOME"}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="200")
    args = ["dashboard", "--no-open", "--port", "0", "--home", str(coach.home)]
    args += ["--date", coach.today.isoformat()]
    process = subprocess.Popen(
        [sys.executable, "-m", "momentum.adapters.local.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert "dashboard at http://127.0.0.1:" in line, line
        url = line.split(" at ", 1)[1].split()[0]
        status, _, body = get(url)
        assert status == 200 and b"Overview" in body
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=20)
        assert "dashboard stopped" in out
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
