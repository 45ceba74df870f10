"""``momentum strava …`` as a user runs it: a real ``momentum`` process on a coach home,
the fake Strava over TLS, and — for the webhook subscription — ``momentum``'s local HTTP
server answering Strava's ``hub.challenge`` and then its events."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.server import LocalServer
from tests.fakes.fake_strava import (
    CLIENT_ID,
    CLIENT_SECRET,
    OWNER_ID,
    VERIFY_TOKEN,
    FakeStrava,
    connect_athlete,
    synthetic_run,
)

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake(tmp_path, monkeypatch):
    with FakeStrava(tmp_path) as server:  # real time: the CLI runs on the system clock
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        server.add_athlete(OWNER_ID)
        yield server


@pytest.fixture
def home(tmp_path, fake, athlete, monkeypatch) -> Path:
    home = tmp_path / "coach"
    home.mkdir()
    (home / "momentum.toml").write_text(
        'athlete_id = "adam"\n\n[strava]\n'
        f'client_id = "{CLIENT_ID}"\nbase_url = "{fake.base_url}"\n'
        f'verify_token = "{VERIFY_TOKEN}"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("STRAVA_CLIENT_SECRET", CLIENT_SECRET)  # secrets from the environment
    app = open_app(home)
    try:
        app.storage.put_athlete(athlete)
        connect_athlete(app, fake, "adam")
    finally:
        close_app(app)
    return home


def momentum_in_process(home: Path, *args: str):
    """The ``strava`` commands on a fresh root CLI, in this process (quicker)."""
    import typer
    from typer.testing import CliRunner

    from momentum.plugins.strava.cli import register

    root = typer.Typer()

    @root.callback()
    def _root() -> None:
        """Momentum."""

    register(root)
    return CliRunner().invoke(root, list(args), env={"MOMENTUM_HOME": str(home)})


def momentum(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MOMENTUM_HOME": str(home), "COLUMNS": "120"}
    env.pop("STRAVA_SUBSCRIPTION_ID", None)
    return subprocess.run(
        [sys.executable, "-m", "momentum.adapters.local.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backfill_imports_the_last_weeks_with_a_progress_bar(home, fake):
    now = dt.datetime.now(dt.UTC)
    for day in (1, 3, 9, 30):  # the 30-day-old one is outside --weeks 2
        fake.add_activity(
            OWNER_ID,
            900 + day,
            name=f"Run {day}",
            sport_type="Run",
            start=now - dt.timedelta(days=day),
            streams=synthetic_run(20),
        )
    result = momentum(home, "strava", "backfill", "--weeks", "2")
    assert result.returncode == 0, result.stderr
    assert "3 imported, 0 already stored, 0 failed (of 3 in 2 weeks)" in result.stdout
    assert "3/3" in result.stdout  # rich's progress bar, M of N
    assert CLIENT_SECRET not in result.stdout + result.stderr

    app = open_app(home)
    try:
        stored = app.storage.list_activities("adam", now - dt.timedelta(days=60), now)
        assert sorted(a.activity_id for a in stored) == ["901", "903", "909"]
        assert all(app.storage.get_streams("adam", a.activity_id) for a in stored)
    finally:
        close_app(app)

    again = momentum(home, "strava", "backfill", "--weeks", "2")
    assert "0 imported, 3 already stored" in again.stdout


def test_status_shows_the_connection_but_never_the_tokens(home, fake):
    result = momentum_in_process(home, "strava", "status")
    assert result.exit_code == 0, result.output
    assert f"Strava athlete {OWNER_ID}" in result.output
    token = fake.current_refresh_token(OWNER_ID)
    assert token not in result.output


def test_status_json_is_one_object_without_any_token(home, fake):
    result = momentum_in_process(home, "strava", "status", "--json")
    assert result.exit_code == 0, result.output
    status = json.loads(result.output)
    assert status["athlete_id"] == "adam" and status["connected"] is True
    assert status["strava_athlete_id"] == str(OWNER_ID)
    assert status["subscription_id"] is None and status["expired"] is False
    assert status["access_token_valid_minutes"] > 0 and status["token_version"] >= 1
    assert dt.datetime.fromisoformat(status["expires_at"]).tzinfo is not None
    assert set(status) == {
        "athlete_id",
        "connected",
        "subscription_id",
        "strava_athlete_id",
        "scope",
        "expires_at",
        "access_token_valid_minutes",
        "expired",
        "token_version",
    }
    for secret in (fake.current_refresh_token(OWNER_ID), CLIENT_SECRET):
        assert secret not in result.output

    stranger = momentum_in_process(home, "strava", "status", "--json", "--athlete", "bea")
    assert stranger.exit_code == 0, stranger.output
    assert json.loads(stranger.output) == {
        "athlete_id": "bea",
        "connected": False,
        "subscription_id": None,
    }


def test_subscriptions_are_managed_from_the_cli_and_events_then_accepted(home, fake):
    app = open_app(home)  # the coach `momentum serve` would run, on the same home
    try:
        with LocalServer(app, port=0) as server:
            created = momentum_in_process(home, "strava", "subscribe", server.url)
            assert created.exit_code == 0, created.output
            [sub] = fake.subscriptions.values()
            assert sub["callback_url"] == f"{server.url}/strava/webhook"
            saved = tomllib.loads((home / "momentum.toml").read_text())
            assert saved["strava"]["subscription_id"] == str(sub["id"])
            assert saved["strava"]["client_id"] == str(CLIENT_ID)  # the rest is kept

            listed = momentum_in_process(home, "strava", "subscriptions")
            assert str(sub["id"]) in listed.output

            # the running server refuses unknown subscriptions, accepts the new one
            event = FakeStrava.event("activity", "delete", 1, OWNER_ID, sub["id"])
            assert _post(server.url, event) == 200
            assert _post(server.url, {**event, "subscription_id": 7}) == 403

            removed = momentum_in_process(home, "strava", "unsubscribe")
            assert removed.exit_code == 0, removed.output
            assert fake.subscriptions == {}
            saved = tomllib.loads((home / "momentum.toml").read_text())
            assert "subscription_id" not in saved["strava"]
    finally:
        close_app(app)


def test_subscribe_fails_clearly_when_the_callback_does_not_answer(home, fake):
    result = momentum_in_process(home, "strava", "subscribe", "http://127.0.0.1:9/nowhere")
    assert result.exit_code == 1
    assert "Strava refused" in result.output
    assert fake.subscriptions == {}


def _post(base: str, event: dict) -> int:
    request = urllib.request.Request(
        f"{base}/strava/webhook",
        data=json.dumps(event).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
