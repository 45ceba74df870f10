"""The command line behaves like a well-made tool: version, -h, completion, JSON on the read
commands, one date parser, refused homes, bad options and bad rows as one line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.dates import parse_date
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.errors import InputError
from momentum.core.model import AthleteProfile
from tests.unit.test_coach_support import run, talk_history

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date.today()


@pytest.fixture(scope="module")
def cli():
    root._register_all()
    return root.cli


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
    (tmp_path / "momentum.toml").write_text('athlete_id = "me"\n', encoding="utf-8")
    return tmp_path


def invoke(cli, home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def momentum(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "momentum.adapters.local.cli", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_version_and_short_help(cli) -> None:
    from momentum import __version__

    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0 and result.output == f"momentum {__version__}\n"
    for args in (["-h"], ["usage", "-h"], ["strava", "subscriptions", "-h"], ["migrate", "-h"]):
        shown = CliRunner().invoke(cli, args)
        assert shown.exit_code == 0 and "Usage:" in shown.output, args


def test_shell_completion_is_offered(cli) -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert "--install-completion" in result.output and "--show-completion" in result.output


@pytest.mark.parametrize("command", ["checkin", "review", "weekly"])
def test_read_commands_print_json(cli, home: Path, command: str) -> None:
    result = invoke(cli, home, command, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["athlete_id"] == "me" and data["text"] and data["model"] == "offline"


def test_usage_prints_json(cli, home: Path) -> None:
    data = json.loads(invoke(cli, home, "usage", "--json").output)
    assert {"days", "months", "models", "total"} <= set(data)
    assert set(data["total"]) >= {"calls", "tokens_in", "tokens_out", "cost_usd"}


def test_one_date_parser_everywhere(cli, home: Path) -> None:
    assert parse_date("2026-03-04") == dt.date(2026, 3, 4)
    assert parse_date("yesterday", today=dt.date(2026, 3, 4)) == dt.date(2026, 3, 3)
    with pytest.raises(InputError, match="--date: expected a date like 2026-03-04"):
        parse_date("3/4/26", "--date")
    with pytest.raises(InputError, match="before 1900"):
        parse_date("0001-01-01", "--week")
    for args in (["checkin", "--date", "3/4"], ["weekly", "--week", "0001-01-01"]):
        result = CliRunner().invoke(cli, ["--home", str(home), *args])
        assert result.exit_code == 1
        assert result.output.startswith(f"error: {args[1]}: "), result.output
    assert invoke(cli, home, "checkin", "--date", "today", "--json").exit_code == 0


def test_a_mistyped_home_is_refused_and_not_created(cli, tmp_path: Path) -> None:
    typo = tmp_path / "momentun"
    result = invoke(cli, typo, "checkin")
    assert result.exit_code == 1
    assert result.output == f"error: no coach at {typo}; run momentum init (or pass --home DIR)\n"
    assert not typo.exists()


def test_a_home_that_is_a_file_is_a_clear_error(cli, tmp_path: Path) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("x")
    for args in (["checkin"], ["init"]):
        result = invoke(cli, afile, *args)
        assert result.exit_code == 1
        assert result.output == f"error: {afile} is a file, not a coach's folder; pass --home DIR\n"


def test_serve_with_a_port_out_of_range_is_an_error_not_a_traceback(home: Path) -> None:
    result = momentum("--home", str(home), "serve", "--port", "99999", env={"NO_COLOR": "1"})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "Invalid value for '--port'" in result.stderr and "65535" in result.stderr


def test_no_color_is_honoured_on_errors(home: Path, tmp_path: Path) -> None:
    missing = tmp_path / "missing"
    forced = momentum("--home", str(missing), "checkin", env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert forced.stderr.startswith("error: no coach at") and "\x1b[" not in forced.stderr


def test_a_bad_json_row_names_the_table_and_id(home: Path) -> None:
    with sqlite3.connect(home / "momentum.db") as conn:
        conn.execute(
            "UPDATE activities SET body = ? WHERE activity_id = ?",
            ('{"activity_id": "last-run", "athlete_id": "me", "start": 7}', "last-run"),
        )
    result = momentum("--home", str(home), "review", env={"NO_COLOR": "1"})
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[-1]
    assert (
        line.startswith("error: ") and "a row of table activities (activity_id='last-run'" in line
    )
