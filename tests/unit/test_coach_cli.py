"""`momentum checkin / review / weekly / chat / usage` on a local coach (offline model)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import coach_cmds
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import Plan
from tests.unit.test_coach_support import run, talk_history

TODAY = dt.date.today()


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    coach_cmds.register(app)
    return app


@pytest.fixture
def home(tmp_path: Path, athlete: AthleteProfile, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)
    me = dataclasses.replace(athlete, athlete_id="me", chat_user_id="")
    with SqliteStorage(tmp_path / "momentum.db") as storage:
        storage.put_athlete(me)
        monday = TODAY - dt.timedelta(days=TODAY.weekday() + 42)
        talk_history(storage, "me", monday, TODAY - dt.timedelta(days=1))
        storage.put_activity(
            run("me", TODAY - dt.timedelta(days=1), 47, activity_id="last-run", hour=12)
        )
    return tmp_path


def invoke(home: Path, *args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(make_cli(), ["--home", str(home), *args], input=input)


def test_checkin_prints_the_message(home: Path) -> None:
    result = invoke(home, "checkin", "--date", TODAY.isoformat())
    assert result.exit_code == 0, result.output
    assert "Momentum · checkin" in result.output
    assert "offline" in result.output
    assert "preview" in result.output
    with SqliteStorage(home / "momentum.db") as storage:  # a view: nothing stored
        assert storage.get_message("me", f"checkin:{TODAY.isoformat()}") is None
        assert storage.get_plan(Plan, "me") is None


def test_review_defaults_to_the_latest_activity(home: Path) -> None:
    result = invoke(home, "review")
    assert result.exit_code == 0, result.output
    assert "Latest activity" in result.output and "← just" in result.output
    feedback = invoke(home, "review", "last-run", "--feedback")
    assert "Went well" in feedback.output and "Next time" in feedback.output


def test_weekly_review(home: Path) -> None:
    result = invoke(home, "weekly")
    assert result.exit_code == 0, result.output
    assert "review" in result.output and "Sessions:" in result.output


def test_chat_repl_logs_and_exits(home: Path) -> None:
    result = invoke(home, "chat", input="did 60 min strength, totally gassed\nexit\n")
    assert result.exit_code == 0, result.output
    assert "coach › Logged it: 60min strength (hard)" in result.output
    with SqliteStorage(home / "momentum.db") as storage:
        now = dt.datetime.now(dt.UTC)
        logged = [
            a
            for a in storage.list_activities(
                "me", now - dt.timedelta(days=1), now + dt.timedelta(hours=1)
            )
            if a.source == "chat"
        ]
    assert len(logged) == 1


def test_usage_tables(home: Path) -> None:
    assert "No model calls" in invoke(home, "usage").output
    invoke(home, "review")
    result = invoke(home, "usage", "--days", "3")
    assert result.exit_code == 0, result.output
    assert "Cost per day" in result.output and "Cost per month" in result.output
    assert "offline" in result.output and "$0.0000" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("checkin", "--date", "3 days ago"), "--date: expected a date like"),
        (("checkin", "--athlete", "nobody"), "no athlete 'nobody'"),
        (("review", "nope"), "no activity 'nope'"),
    ],
)
def test_errors_are_one_line(home: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(home, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
