"""The deployed coach's dashboard, checked the same way on every cloud's stand-ins.

Each cloud opens as a :class:`Deployed`: the coach built the way its function builds it
(storage on the stand-in, the signing key as that cloud holds secrets, a recording chat, a
fixed clock), a way to deliver a run job through the cloud's own deferred path, and a way
to send an HTTP request through its own entry point. :func:`check_signed_links` is the one
test body: the Monday plan goes out with the link; the link answers 200 with the athlete's
pages; forged, tampered, other-key, other-athlete and expired links get 403; POST gets
405. The openers live in ``test_deployed_dashboard.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from momentum.core.app import App
from momentum.core.dashboard.signing import sign
from momentum.core.memory import RecordingChat
from momentum.core.observations import Observation, keep
from momentum.core.ports.clock import FixedClock
from tests.unit.test_coach_support import plan_for, run

KEY = "deployed-dashboard-signing-key-0123456789abcdef"
"""The signing key each cloud is given as a secret (at least 32 characters)."""
FIRST, MON = dt.date(2026, 1, 5), dt.date(2026, 3, 2)
START = dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.UTC)
"""Monday 06:00 in Toronto: the Monday plan's hour."""


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as the platform's entry point gave it (header names lower-case)."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Deployed:
    """One cloud's deployed coach on its stand-ins."""

    url: str
    """The public base URL the coach was told (its links must start with it)."""
    app: App
    chat: RecordingChat
    clock: FixedClock
    run: Callable[[dict[str, str]], None]
    """Deliver a ``{"momentum": "run", …}`` envelope the way the cloud delivers jobs."""
    request: Callable[[str, str, bytes], Answer]
    """``(method, path below url, body)`` through the cloud's HTTP entry point."""


def seed(app: App) -> None:
    """A 12-week plan, seven runs in the last fortnight and ten ring nights."""
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


def check_signed_links(coach: Deployed) -> None:
    """The whole path, as the athlete and an attacker would walk it."""
    seed(coach.app)
    coach.run({"momentum": "run", "job": "monday_plan", "athlete_id": "adam", "date": "2026-03-02"})
    [dm] = coach.chat.messages
    found = re.search(r"Open your week: (\S+)", dm.text)
    assert found is not None, dm.text
    link = found.group(1)
    assert link.startswith(f"{coach.url}/dashboard/") and link.endswith("/plan"), link
    dashboard = link.removeprefix(coach.url).removesuffix("plan")

    plan = coach.request("GET", dashboard + "plan", b"")
    assert plan.status == 200 and plan.headers["cache-control"] == "private, no-store"
    page = plan.body.decode()
    assert "<h1>Plan</h1>" in page and "Adam" in page
    assert f'href="{dashboard}"' in page  # the pages link on under the same token
    overview = coach.request("GET", dashboard, b"")
    assert overview.status == 200
    html = overview.body.decode()
    assert 'id="chart-sleep"' in html and 'id="chart-readiness"' in html
    model = json.loads(coach.request("GET", dashboard + "api/overview.json", b"").body)
    assert model["athlete"]["id"] == "adam" and len(model["nights"]) == 10
    assert sum(w["minutes"] for w in model["volume"]["12"]) == sum(40 + k for k in range(1, 15, 2))
    script = coach.request("GET", dashboard + "static/vega-lite.min.js", b"")
    assert script.status == 200 and script.headers["content-type"].startswith("text/javascript")
    assert coach.request("POST", dashboard, b"{}").status == 405

    now = int(coach.clock.now().timestamp())
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
        answer = coach.request("GET", path, b"")
        assert answer.status == 403, case
        assert answer.body.startswith(b"forbidden: ") and b"Adam" not in answer.body, case
        assert KEY.encode() not in answer.body

    coach.clock.set(coach.clock.now() + dt.timedelta(days=15))  # the link's two weeks are over
    late = coach.request("GET", dashboard, b"")
    assert late.status == 403 and b"expired" in late.body
