"""`momentum plan`, `momentum plan adjust` and `momentum week` against a temporary --home."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import plan_cmds
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.plugins.running.model.plan import Plan, SessionKind
from tests.unit.test_plans_support import DOMS_MEMORY, talk_athlete, talk_history

MONDAY = "2026-02-23"


def make_cli() -> typer.Typer:
    """The root callback (for --home) with only the plan commands."""
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    plan_cmds.register(app)
    return app


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """A coach home holding the talk's athlete, history and DOMS memory."""
    path = tmp_path / "coach"
    path.mkdir()
    with SqliteStorage(path / "momentum.db") as storage:
        storage.put_athlete(talk_athlete())
        for activity in talk_history():
            storage.put_activity(activity)
        storage.put_memory(DOMS_MEMORY)
    return path


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(make_cli(), ["--home", str(home), *args], env={"COLUMNS": "200"})


def test_plan_json_builds_and_prints_the_fixed_shape_without_storing(home: Path) -> None:
    """No plan yet: one is built for Feb 23 and printed in the issue's JSON shape. The view
    stores nothing (issue 19: views are read-only; the jobs, `plan adjust` and chat store
    plans), and showing it again gives the same plan."""
    result = run(home, "plan", "--json", "--weeks", "2", "--date", MONDAY)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [w["start"] for w in data["weeks"]] == ["2026-02-23", "2026-03-02"]
    first = data["weeks"][0]
    assert first["phase"] == "Winter Engine"
    assert first["planned_minutes"] == sum(s["minutes"] for s in first["sessions"])
    sat = next(s for s in first["sessions"] if s["date"] == "2026-02-28")
    assert sat["kind"] == "long" and sat["minutes"] == 120 and len(sat["pace"]) == 2
    with SqliteStorage(home / "momentum.db") as storage:
        assert storage.get_plan(Plan, "adam") is None
    again = run(home, "plan", "--json", "--weeks", "2", "--date", MONDAY)
    assert json.loads(again.stdout) == data


def test_plan_table_shows_phases_mvw_and_sessions(home: Path) -> None:
    """The rich view: goal, macrocycle with focus, the MVW line and each week's table."""
    result = run(home, "plan", "--weeks", "1", "--date", MONDAY)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Monster of Mazinaw 30K Trail" in out
    assert "3× 45–60 min Z2 | 1× 90–120 min long run | 1× strength" in out
    assert "Winter Engine" in out and "September Taper" in out
    assert "Long Run (120min)" in out and "Strength (60min)" in out


def test_plan_adjust_replaces_one_day(home: Path) -> None:
    """`plan adjust 2026-02-28 "only 20 minutes"` swaps Saturday and stores the plan."""
    assert run(home, "plan", "--json", "--date", MONDAY).exit_code == 0
    result = run(home, "plan", "adjust", "2026-02-28", "I only have 20 minutes", "--date", MONDAY)
    assert result.exit_code == 0, result.output
    assert "Sat 2026-02-28 is now:" in result.stdout and "20min" in result.stdout
    with SqliteStorage(home / "momentum.db") as storage:
        plan = storage.get_plan(Plan, "adam")
    assert plan is not None and plan.version == 2
    (sat,) = [s for s in plan.weeks[0].sessions if s.date.isoformat() == "2026-02-28"]
    assert sat.kind is SessionKind.EASY and sat.minutes == 20


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan", "adjust", "2026-02-26", "only 20 minutes", "--date", MONDAY), "rest day"),
        (("plan", "adjust", "next tuesday", "only 20 minutes", "--date", MONDAY), "DATE"),
        (("plan", "--json", "--date", "23/02/2026"), "--date"),
    ],
)
def test_errors_are_one_line_without_traceback(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    """Bad input exits non-zero with a single `error:` line naming what was wrong."""
    result = run(home, *args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:") and message in lines[0]


def test_no_athlete_is_a_clear_error(tmp_path: Path) -> None:
    """An empty home says to run `momentum init`."""
    result = run(tmp_path / "empty", "week")
    assert result.exit_code == 1 and "momentum init" in result.output


def _store_mondays_plan(home: Path) -> None:
    """What Monday's plan job stores: the plan built on :data:`MONDAY`."""
    import datetime as dt

    from momentum.plugins.running.plans import build_plan

    with SqliteStorage(home / "momentum.db") as storage:
        day = dt.date.fromisoformat(MONDAY)
        plan = build_plan(talk_athlete(), talk_history(), [DOMS_MEMORY], day)
        storage.put_plan(plan, expected_version=0)


def test_week_shows_planned_done_and_missed(home: Path) -> None:
    """`momentum week` on Tuesday after a quiet Monday: Monday missed, Tuesday and the
    Saturday long run still to do, the aerobic line and the MVW ticks. The plan is the one
    Monday's job stored (views store none)."""
    _store_mondays_plan(home)
    result = run(home, "week", "--date", "2026-02-24")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Week of Feb 23 – Mar 01" in out
    assert "· Mon - 45min Z1-Z2 Run" in out and "missed" in out
    assert "○ Sat - Long Run (120min)" in out
    assert "Aerobic: 0:00h / 5:00h" in out and "MVW: 3 runs ○○○" in out
    data = json.loads(run(home, "week", "--json", "--date", "2026-02-24").stdout)
    assert [d["status"] for d in data["days"]][:2] == ["missed", "planned"]
    assert data["mvw"]["long_run"] == [0, 1]
