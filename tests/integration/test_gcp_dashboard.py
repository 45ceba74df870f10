"""The deployed coach's dashboard on GCP's stand-ins: functions-framework serves the real
entry point on loopback, storage is the Firestore emulator, the signing key comes from the
Secret Manager fake through the real client. The Monday plan runs as a Cloud Tasks
delivery; the link in its message opens the athlete's pages from the function (200) and
forged, tampered, expired or other athletes' links get 403 with no data."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from momentum.core.dashboard.signing import KEY_SECRET, sign
from momentum.core.memory import RecordingChat
from momentum.core.model import AthleteProfile
from momentum.core.observations import Observation, keep
from momentum.core.ports.clock import FixedClock
from tests.integration.gcp_stack import LocalGcp, bearer, call, opened
from tests.integration.test_gcp_function import deploy
from tests.unit.test_coach_support import at, plan_for, run

pytestmark = [pytest.mark.integration, pytest.mark.gcp]

KEY = "gcp-dashboard-signing-key-0123456789abcdefghij"
FIRST, MON = dt.date(2026, 1, 5), dt.date(2026, 3, 2)


@pytest.fixture
def gcp(tmp_path: Path):  # type: ignore[no-untyped-def]
    yield from opened(tmp_path)


def test_the_weekly_plans_link_opens_the_athletes_pages_from_the_function(
    gcp: LocalGcp, tmp_path: Path, athlete: AthleteProfile
) -> None:
    gcp.put_secret(KEY_SECRET, KEY)
    clock = FixedClock(at(MON, 6))
    chat = RecordingChat()
    app = deploy(gcp, tmp_path, "", clock, athlete, chat=chat)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
    for k in range(1, 15, 2):
        app.storage.put_activity(run("adam", MON - dt.timedelta(days=k), 40 + k, hour=7))
    nights = [
        Observation(
            "oura",
            "sleep",
            MON - dt.timedelta(days=k),
            {"average_hrv": 40.0 + k, "resting_hr": 52.0, "total_sleep_duration": 27_000.0},
        )
        for k in range(10)
    ]
    keep(app.storage, "adam", nights)

    job = {"momentum": "run", "job": "monday_plan", "athlete_id": "adam", "date": MON.isoformat()}
    headers = {**bearer(gcp), "X-CloudTasks-TaskName": "monday"}
    assert call(gcp, "POST", "/tasks", json.dumps(job).encode(), headers).status == 200
    [dm] = chat.messages
    found = re.search(r"Open your week: (\S+)", dm.text)
    assert found is not None, dm.text
    link = found.group(1)
    assert link.startswith(f"{gcp.function.url}/dashboard/") and link.endswith("/plan")
    dashboard = link.removeprefix(gcp.function.url).removesuffix("plan")

    plan = call(gcp, "GET", dashboard + "plan")
    headers = {k.lower(): v for k, v in plan.headers.items()}
    assert plan.status == 200 and headers["cache-control"] == "private, no-store"
    assert "<h1>Plan</h1>" in plan.body.decode() and "Adam" in plan.body.decode()
    overview = call(gcp, "GET", dashboard)
    assert overview.status == 200
    html = overview.body.decode()
    assert 'id="chart-sleep"' in html and 'id="chart-readiness"' in html
    model = json.loads(call(gcp, "GET", dashboard + "api/overview.json").body)
    assert model["athlete"]["id"] == "adam" and len(model["nights"]) == 10
    assert sum(w["minutes"] for w in model["volume"]["12"]) == sum(40 + k for k in range(1, 15, 2))
    script = call(gcp, "GET", dashboard + "static/vega-lite.min.js")
    kind = {k.lower(): v for k, v in script.headers.items()}["content-type"]
    assert script.status == 200 and kind.startswith("text/javascript")
    assert call(gcp, "POST", dashboard, b"{}").status == 405

    now = int(clock.now().timestamp())
    good = dashboard.split("/")[2]
    eve = sign(KEY, "eve", now + 3600)
    refused = {
        "none": "/dashboard/",
        "tampered": f"/dashboard/{good[:-3]}AAA/",
        "another key": "/dashboard/" + sign("x" * 40, "adam", now + 3600) + "/",
        "other athlete": "/dashboard/" + ".".join([eve.split(".")[0], *good.split(".")[1:]]) + "/",
        "expired": "/dashboard/" + sign(KEY, "adam", now - 60) + "/plan",
    }
    for case, path in refused.items():
        answer = call(gcp, "GET", path)
        assert answer.status == 403, case
        assert answer.body.startswith(b"forbidden: ") and b"Adam" not in answer.body, case
        assert KEY.encode() not in answer.body

    clock.set(clock.now() + dt.timedelta(days=15))  # the link's two weeks are over
    late = call(gcp, "GET", dashboard)
    assert late.status == 403 and b"expired" in late.body
