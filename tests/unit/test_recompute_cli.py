"""`momentum recompute` on a temp home: init, import a real run, edit the profile, recompute."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import analytics_cmds, init_cmds, recompute_cmds
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.record import build_activity
from tests.unit.test_coach_support import run

RUN_FILE = "fit/activity-small-fenix2-run.fit"


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    init_cmds.register(app)
    analytics_cmds.register(app)
    recompute_cmds.register(app)
    return app


def invoke(home: Path, *args: str) -> Result:
    return CliRunner().invoke(make_cli(), ["--home", str(home), *args])


@pytest.fixture(autouse=True)
def _machine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/Toronto")
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)


def stored(home: Path) -> tuple[AthleteProfile, list[Activity]]:
    with SqliteStorage(home / "momentum.db") as storage:
        (athlete,) = storage.list_athletes()
        far = dt.datetime(1970, 1, 1, tzinfo=dt.UTC), dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
        return athlete, storage.list_activities(athlete.athlete_id, *far)


def fresh_build(home: Path, activity: Activity, athlete: AthleteProfile) -> Activity:
    with SqliteStorage(home / "momentum.db") as storage:
        streams = storage.get_streams(athlete.athlete_id, activity.activity_id)
    assert streams is not None
    built = build_activity(
        streams,
        athlete,
        activity_id=activity.activity_id,
        activity_type=activity.activity_type,
        start=activity.start,
        name=activity.name,
        source=activity.source,
        subtype=activity.activity_subtype,
    )
    return dataclasses.replace(built, streams=None)


def edit_threshold(home: Path, bpm: int) -> None:
    """Change the stored profile behind the CLI's back (a hand edit, or an older version
    that did not recompute), so only `momentum recompute` brings the numbers along."""
    with SqliteStorage(home / "momentum.db") as storage:
        (athlete,) = storage.list_athletes()
        hr = dataclasses.replace(athlete.heart_rate, threshold_hr=bpm)
        storage.put_athlete(dataclasses.replace(athlete, heart_rate=hr))


@pytest.fixture
def home(tmp_path: Path, data_dir: Path) -> Path:
    """A local coach with one real run imported through the CLI."""
    home = tmp_path / "coach"
    assert invoke(home, "init", "--yes", "--threshold-hr", "165").exit_code == 0
    result = invoke(home, "import", str(data_dir / RUN_FILE))
    assert result.exit_code == 0, result.output
    assert "imported 1 new" in result.stdout
    return home


def test_recompute_after_a_threshold_edit(home: Path) -> None:
    _, (before,) = stored(home)
    edit_threshold(home, 150)

    result = invoke(home, "recompute")

    assert result.exit_code == 0, result.output
    assert result.stdout == "Recomputed 1 activity (1 changed)\n"
    athlete, (after,) = stored(home)
    assert athlete.heart_rate.threshold_hr == 150
    reference = fresh_build(home, after, athlete)
    assert after.zone_seconds == reference.zone_seconds != before.zone_seconds
    assert (running_metrics(after).trimp, after.hrss) == (
        running_metrics(reference).trimp,
        reference.hrss,
    )
    assert after == reference
    # Again: nothing left to change.
    again = invoke(home, "recompute")
    assert again.exit_code == 0 and again.stdout == "Recomputed 1 activity (0 changed)\n"
    assert stored(home)[1] == [after]


def test_init_force_with_new_heart_rate_recomputes_at_once(home: Path) -> None:
    _, (before,) = stored(home)
    edit = invoke(home, "init", "--yes", "--force", "--threshold-hr", "150")
    assert edit.exit_code == 0, edit.output
    assert "Heart-rate profile changed: Recomputed 1 activity (1 changed)" in edit.stdout
    athlete, (after,) = stored(home)
    assert after == fresh_build(home, after, athlete) != before
    # Nothing left for `momentum recompute`, and an unchanged --force recomputes nothing.
    assert invoke(home, "recompute").stdout == "Recomputed 1 activity (0 changed)\n"
    same = invoke(home, "init", "--yes", "--force", "--threshold-hr", "150")
    assert same.exit_code == 0 and "Heart-rate profile changed" not in same.stdout


def test_a_record_that_cannot_follow_is_named_and_fails_the_command(home: Path) -> None:
    athlete, (imported,) = stored(home)
    legacy = run(athlete.athlete_id, dt.date(2026, 1, 5), activity_id="old-run")
    with SqliteStorage(home / "momentum.db") as storage:
        storage.put_activity(legacy)
    edit_threshold(home, 150)

    result = invoke(home, "recompute")

    assert result.exit_code == 1
    assert result.stdout == (
        "Recomputed 1 activity (1 changed; 1 skipped: old-run (no stored streams to rebuild "
        "its zone times and load from))\n"
    )
    assert result.stderr.splitlines()[-1] == (
        "error: activity old-run (Morning Run, 2026-01-05): no stored streams to rebuild its "
        "zone times and load from"
    )
    _, activities = stored(home)
    assert legacy in activities  # left exactly as it was
    assert any(a.activity_id == imported.activity_id and a != imported for a in activities)


def test_no_coach_and_several_athletes_fail_in_one_line(tmp_path: Path, home: Path) -> None:
    empty = tmp_path / "nothing"
    result = invoke(empty, "recompute")
    assert result.exit_code == 1
    assert result.stderr == f"error: no coach at {empty}; run momentum init (or pass --home DIR)\n"
    assert not empty.exists()
    athlete, _ = stored(home)
    with SqliteStorage(home / "momentum.db") as storage:
        storage.put_athlete(dataclasses.replace(athlete, athlete_id="zoe", name="Zoe"))
    several = invoke(home, "recompute")
    assert several.exit_code == 1 and "pick --athlete" in several.stderr
    assert invoke(home, "recompute", "--athlete", "nobody").stderr.startswith(
        "error: no athlete 'nobody'"
    )
    chosen = invoke(home, "recompute", "--athlete", athlete.athlete_id)
    assert chosen.exit_code == 0 and chosen.stdout.startswith("Recomputed 1 activity")


def test_help_and_registration() -> None:
    assert "momentum.adapters.local.commands.recompute_cmds" in root.COMMAND_MODULES
    result = CliRunner().invoke(make_cli(), ["recompute", "--help"])
    assert result.exit_code == 0
    assert "Rebuild zone times and TRIMP/HRSS load" in result.stdout
    assert "--athlete" in result.stdout
