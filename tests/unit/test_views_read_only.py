"""Views are read-only (issue 19, item 6): any sequence of ``plan`` (with ``--date``,
``--json``, ``--weeks``), ``week``, ``checkin``, ``paces``, ``predict``, ``race list``,
``activities`` (list and show) and ``plan export`` leaves every table of the coach's SQLite
database exactly as it was, the stored plan's adjustment included. Only the scheduled
jobs, ``plan adjust`` and chat change the plan.

The snapshot is the database's full SQL dump (every table, every row), taken before and
after the views run on a real local coach (the CLI through typer's runner).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import (
    activity_cmds,
    analytics_cmds,
    coach_cmds,
    plan_cmds,
    race_cmds,
)
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import build_plan
from tests.unit.test_plans_support import DOMS_MEMORY, talk_athlete, talk_history

MONDAY = dt.date(2026, 2, 23)


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    for module in (plan_cmds, coach_cmds, race_cmds, activity_cmds, analytics_cmds):
        module.register(app)
    return app


CLI = make_cli()


def invoke(home: Path, *args: str) -> str:
    result = CliRunner().invoke(CLI, ["--home", str(home), *args], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return result.output


def snapshot(home: Path) -> list[str]:
    """Every table's rows, as SQL."""
    con = sqlite3.connect(home / "momentum.db")
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A coach with the talk's athlete, history and memory, Monday's stored plan and a
    Saturday cut to 20 minutes by `plan adjust`."""
    import os

    os.environ.pop("GROQ_API_KEY", None)
    path = tmp_path_factory.mktemp("coach")
    (path / "momentum.toml").write_text('athlete_id = "adam"\n')
    with SqliteStorage(path / "momentum.db") as storage:
        storage.put_athlete(talk_athlete())
        for a in talk_history():
            storage.put_activity(a)
        storage.put_memory(DOMS_MEMORY)
        plan = build_plan(talk_athlete(), talk_history(), [DOMS_MEMORY], MONDAY)
        storage.put_plan(plan, expected_version=0)
    invoke(path, "plan", "adjust", "2026-02-28", "only 20 minutes", "--date", MONDAY.isoformat())
    return path


def _days() -> st.SearchStrategy[str]:
    return st.dates(MONDAY - dt.timedelta(days=14), MONDAY + dt.timedelta(days=70)).map(
        dt.date.isoformat
    )


VIEWS = st.one_of(
    _days().map(lambda d: ("plan", "--date", d)),
    _days().map(lambda d: ("plan", "--json", "--date", d)),
    st.integers(1, 12).map(lambda w: ("plan", "--weeks", str(w))),
    _days().map(lambda d: ("week", "--date", d)),
    _days().map(lambda d: ("week", "--json", "--date", d)),
    _days().map(lambda d: ("checkin", "--date", d)),
    st.just(("paces",)),
    st.just(("paces", "--json")),
    st.just(("predict",)),
    st.just(("race", "list")),
    st.just(("activities", "--days", "400")),
    st.just(("activities", "--json", "--days", "400")),
)


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(st.lists(VIEWS, min_size=1, max_size=4))
def test_any_sequence_of_views_changes_nothing(home: Path, views: list[tuple[str, ...]]) -> None:
    before = snapshot(home)
    for view in views:
        invoke(home, *view)
    assert snapshot(home) == before


def test_the_adjustment_survives_the_views_that_used_to_rewrite_it(home: Path) -> None:
    """The issue's case: `plan --date` into next month, `week` and `checkin` once rebuilt
    the stored plan and lost Saturday's 20-minute adjustment."""
    before = snapshot(home)
    invoke(home, "plan", "--date", "2026-03-30")
    invoke(home, "week", "--date", "2026-03-04")
    out = invoke(home, "checkin", "--date", "2026-02-25")
    assert "preview" in out
    assert snapshot(home) == before
    with SqliteStorage(home / "momentum.db") as storage:
        plan = storage.get_plan(Plan, "adam")
    assert plan is not None
    (sat,) = [s for w in plan.weeks for s in w.sessions if s.date == dt.date(2026, 2, 28)]
    assert sat.minutes == 20


def test_showing_an_activity_and_exporting_write_nothing(home: Path, tmp_path: Path) -> None:
    before = snapshot(home)
    listed = invoke(home, "activities", "--days", "400")
    first_id = listed.split()[2]
    shown = invoke(home, "activities", "show", first_id)
    assert first_id in shown
    invoke(home, "plan", "export", "--ics", str(tmp_path / "p.ics"), "--date", "2026-02-25")
    assert snapshot(home) == before
