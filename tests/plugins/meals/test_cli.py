"""``momentum meals profile set|show``, ``targets`` and ``plan`` against a temporary --home
(SQLite), with errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.plugins.meals.cli import register
from momentum.testing import sample_athlete


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    register(app)
    return app


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "coach"
    path.mkdir()
    with SqliteStorage(path / "momentum.db") as storage:
        storage.put_athlete(sample_athlete("me"))
    return path


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(
        make_cli(), ["--home", str(home), "meals", *args], env={"COLUMNS": "200"}
    )


def test_set_then_show_the_profile(home: Path) -> None:
    result = run(
        home, "profile", "set", "diet=vegetarian", "allergies=peanut,sesame", "household=3"
    )
    assert result.exit_code == 0, result.output
    shown = run(home, "profile", "show")
    assert shown.exit_code == 0, shown.output
    assert "diet: vegetarian" in shown.stdout
    assert "allergies: peanut, sesame" in shown.stdout
    assert "household: 3" in shown.stdout
    with SqliteStorage(home / "momentum.db") as storage:
        athlete = storage.get_athlete("me")
        assert athlete is not None and athlete.domain_profiles["meals"]["household"] == 3


def test_a_bad_value_is_refused_by_key_and_nothing_changes(home: Path) -> None:
    run(home, "profile", "set", "household=2")
    result = run(home, "profile", "set", "household=4", "diet=fruitarian")
    assert result.exit_code != 0
    assert "meals profile key 'diet'" in result.output
    assert "household: 2" in run(home, "profile", "show").stdout
    assert "write key=value" in run(home, "profile", "set", "vegan").output


def test_targets_and_plan_print(home: Path) -> None:
    run(
        home,
        "profile",
        "set",
        "sex=male",
        "weight_kg=80",
        "height_cm=180",
        "age=30",
        "activity=sedentary",
    )
    result = run(home, "targets", "--day", "2026-03-03")
    assert result.exit_code == 0, result.output
    # 1780 kcal resting (Mifflin) × 1.2 sedentary = 2136; protein 0.8 g/kg (RDA) = 64 g
    assert "2026-03-03: 2136 kcal (resting 1780, training 0), protein 64 g" in result.stdout
    plan = run(home, "plan", "--day", "2026-03-04")
    assert plan.exit_code == 0, plan.output
    assert plan.stdout.startswith("Mon 02 Mar")
    assert "Grocery list for 1:" in plan.stdout and "(FDC " in plan.stdout
    bad = run(home, "targets", "--day", "March 3rd")
    assert bad.exit_code != 0 and "is not a date (YYYY-MM-DD)" in bad.output
