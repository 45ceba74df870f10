"""The deployed coach's dashboard: signed links in the weekly messages, and the pages
behind ``/dashboard/<token>/`` through core's one door (:func:`dispatch`), read-only.

The same paths are served by each cloud function in tests/integration/test_deployed_dashboard.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from momentum.core.app import App
from momentum.core.config import Settings, load_settings
from momentum.core.dashboard.links import dashboard_link, public_url, signing_key
from momentum.core.dashboard.signing import KEY_SECRET, sign
from momentum.core.errors import ConfigError
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.memory import RecordingChat
from momentum.core.model import AthleteProfile
from momentum.core.ports.clock import FixedClock
from momentum.core.runtime.dispatch import dispatch
from tests.unit.test_coach_support import at, offline_app, plan_for, run, talk_history

KEY = "a-signing-key-long-enough-to-be-safe-0123456789"
BASE = "https://coach.example"
FIRST = dt.date(2026, 1, 5)
MON = dt.date(2026, 3, 2)
LINK = re.compile(r"Open your week: (https://coach\.example(/dashboard/[^\s/]+/)(\S*))")


def linked_app(athlete: AthleteProfile, when: dt.datetime, **env: str) -> App:
    settings = Settings(env={"MOMENTUM_PUBLIC_URL": BASE, KEY_SECRET: KEY, **env})
    app = offline_app(athlete, FixedClock(when), settings=settings)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
    talk_history(app.storage, "adam", FIRST, when.date() - dt.timedelta(days=1))
    return app


def get(app: App, path: str, method: str = "GET") -> HttpResponse:
    answer = dispatch(app, HttpRequest(method, path))
    assert isinstance(answer, HttpResponse)
    return answer


def sent(app: App) -> list[str]:
    assert isinstance(app.chat, RecordingChat)
    return [m.text for m in app.chat.messages]


def test_no_link_without_a_public_url_or_a_key(athlete: AthleteProfile) -> None:
    app = offline_app(athlete, FixedClock(at(MON, 6)))
    assert dashboard_link(app, "adam") is None
    assert public_url(Settings(env={"MOMENTUM_PUBLIC_URL": "ftp://x"})) is None
    assert signing_key(Settings(env={KEY_SECRET: "short"})) is None
    app.coach.run_job("monday_plan", "adam", MON)
    assert "Open your week" not in sent(app)[0]
    assert get(app, "/dashboard/anything/").status == 403


def test_the_weekly_plan_carries_a_link_that_opens_this_athletes_plan(
    athlete: AthleteProfile,
) -> None:
    app = linked_app(athlete, at(MON, 6))
    message = app.coach.run_job("monday_plan", "adam", MON)
    [text] = sent(app)
    found = LINK.search(text)
    assert found is not None, text
    assert found.group(3) == "plan"
    stored = app.storage.get_message("adam", message.message_id)
    assert stored is not None and "dashboard" not in stored.display  # sent, never stored
    page = get(app, found.group(2) + found.group(3))
    assert page.status == 200
    html = page.body.decode()
    assert "Adam" in html and "<h1>Plan</h1>" in html
    assert page.headers["cache-control"] == "private, no-store"
    assert page.headers["referrer-policy"] == "no-referrer"
    # Its own links and scripts keep the token, so the next page opens too.
    assert f'href="{found.group(2)}activity"' in html
    assert f'src="{found.group(2)}static/vega.min.js"' in html
    assert get(app, found.group(2) + "static/vega.min.js").status == 200


def test_the_weekly_review_links_the_overview_and_the_checkin_has_no_link(
    athlete: AthleteProfile,
) -> None:
    sunday = MON - dt.timedelta(days=1)
    app = linked_app(athlete, at(sunday, 21))
    app.storage.put_activity(run("adam", sunday, 60, hour=8))
    app.coach.run_job("weekly_refresh", "adam", sunday)
    found = LINK.search(sent(app)[-1])
    assert found is not None and found.group(3) == ""
    overview = get(app, found.group(2))
    assert overview.status == 200 and "<h1>Overview</h1>" in overview.body.decode()
    model = json.loads(get(app, found.group(2) + "api/overview.json").body)
    assert model["athlete"]["id"] == "adam" and model["sections"] == ["running"]
    app.coach.run_job("checkin", "adam", MON + dt.timedelta(days=1))
    assert "Open your week" not in sent(app)[-1]


def forged_paths(app: App) -> dict[str, str]:
    now = int(app.clock.now().timestamp())
    good = sign(KEY, "adam", now + 3600)
    eve = sign(KEY, "eve", now + 3600)
    return {
        "no token": "/dashboard/",
        "garbage": "/dashboard/not-a-token/",
        "tampered": "/dashboard/" + good[:-2] + ("AA" if good[-2:] != "AA" else "BB") + "/",
        "other key": "/dashboard/"
        + sign("another-key-that-is-long-enough-0123456789", "adam", now + 3600)
        + "/",
        "expired": "/dashboard/" + sign(KEY, "adam", now - 1) + "/",
        "other athlete": "/dashboard/" + ".".join([eve.split(".")[0], *good.split(".")[1:]]) + "/",
        "longer life": "/dashboard/"
        + ".".join([good.split(".")[0], str(now + 10**7), good.split(".")[2]])
        + "/plan",
    }


@pytest.mark.parametrize(
    "case",
    ["no token", "garbage", "tampered", "other key", "expired", "other athlete", "longer life"],
)
def test_forged_expired_and_other_athletes_links_get_403_and_no_data(
    case: str, athlete: AthleteProfile
) -> None:
    app = linked_app(athlete, at(MON, 6))
    app.storage.put_athlete(dataclasses.replace(athlete, athlete_id="eve", name="Evelyn"))
    answer = get(app, forged_paths(app)[case])
    assert answer.status == 403
    body = answer.body.decode()
    assert body.startswith("forbidden: ") and "Adam" not in body and "Evelyn" not in body
    assert KEY not in body


def test_a_link_expires_on_the_clock(athlete: AthleteProfile) -> None:
    app = linked_app(athlete, at(MON, 6))
    link = dashboard_link(app, "adam", days=1)
    assert link is not None
    path = link.removeprefix(BASE)
    assert get(app, path).status == 200
    assert isinstance(app.clock, FixedClock)
    app.clock.set(app.clock.now() + dt.timedelta(days=1, seconds=1))
    answer = get(app, path)
    assert answer.status == 403 and b"expired" in answer.body


def test_the_pages_are_read_only(athlete: AthleteProfile) -> None:
    app = linked_app(athlete, at(MON, 6))
    link = dashboard_link(app, "adam")
    assert link is not None
    path = link.removeprefix(BASE)
    for method in ("POST", "PUT", "DELETE"):
        assert get(app, path, method).status == 405
    assert get(app, "/dashboardx").status == 404  # only the prefix and what is under it


def test_the_public_url_comes_from_the_environment_the_file_or_the_function_url(
    tmp_path: Path,
) -> None:
    (tmp_path / "momentum.toml").write_text('public_url = "https://file.example/"\n')
    from_file = load_settings(tmp_path, env={})
    assert public_url(from_file) == "https://file.example"
    assert public_url(load_settings(tmp_path, env={"MOMENTUM_PUBLIC_URL": BASE})) == BASE
    gcp = Settings(env={"MOMENTUM_FUNCTION_URL": "https://fn.run.app"})
    assert public_url(gcp) == "https://fn.run.app"
    (tmp_path / "momentum.toml").write_text("public_url = 3\n")
    with pytest.raises(ConfigError, match="public_url"):
        load_settings(tmp_path, env={})


def test_a_coach_speaking_to_the_log_keeps_the_link_token_out_of_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    from momentum.core.runtime.chat import LoggingChat

    token = sign(KEY, "adam", 2_000_000_000)
    text = f"Your week.\nOpen your week: {BASE}/dashboard/{token}/plan"
    with caplog.at_level("INFO", logger="momentum.chat"):
        ref = LoggingChat().direct_message("U1", text)
        LoggingChat().update(ref, text)
    assert token not in caplog.text
    assert caplog.text.count(f"{BASE}/dashboard/<token>/plan") == 2
