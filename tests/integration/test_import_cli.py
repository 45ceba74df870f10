"""The analytics commands end to end: ``momentum paces``, ``analyze`` and ``import`` run as
a real process against a real local coach (SQLite in a temp home)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
import typer
from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import analytics_cmds
from momentum.core.errors import MomentumError

app = typer.Typer(pretty_exceptions_enable=False, add_completion=False)
app.callback()(root._root)
analytics_cmds.register(app)
try:
    app(args=sys.argv[1:], standalone_mode=True)
except MomentumError as exc:
    typer.secho(f"error: {exc}", err=True)
    sys.exit(1)
"""


def momentum(*args: str, home: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run the analytics commands in a real process, with the root CLI's ``--home`` option
    and its one-line error handling (other workstreams' commands are left out, so this
    test does not depend on them)."""
    env = dict(os.environ)
    if home is not None:
        env["MOMENTUM_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_paces_json_has_exactly_the_agreed_shape() -> None:
    result = momentum("paces", "10k", "40:00", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"vdot", "race_times", "paces"}
    assert set(data["race_times"]) == {"5k", "10k", "half", "marathon"}
    assert set(data["paces"]) == {"E", "M", "T", "I", "R"}
    # Daniels: a 40:00 10K ≈ VDOT 51.9 (±0.1); the 10K equivalent is the race itself (±1 s).
    assert data["vdot"] == pytest.approx(51.9, abs=0.1)
    assert data["race_times"]["10k"] == pytest.approx(2400, abs=1)
    for key, (fast, slow) in data["paces"].items():
        assert isinstance(fast, float) and isinstance(slow, float)
        assert fast == slow or key == "E"


def test_paces_table_and_other_inputs() -> None:
    result = momentum("paces", "half", "1:31:35")
    assert result.returncode == 0, result.stderr
    assert "VDOT 50.0" in result.stdout and "Riegel" in result.stdout
    from momentum.adapters.local.commands.analytics_cmds import paces_data
    from momentum.plugins.running.analytics.units import format_duration, parse_distance
    from momentum.plugins.running.analytics.vdot import race_time

    # Each distance at its VDOT-50 equivalent time reads back as VDOT 50 (±0.1; times are
    # rounded to the second).
    for distance in ("15k", "3000m", "1mi", "5K", "half"):
        time = format_duration(race_time(50, parse_distance(distance)))
        assert paces_data(distance, time)["vdot"] == pytest.approx(50, abs=0.1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("paces", "10x", "40:00"), "distance '10x' not understood"),
        (("paces", "10k", "forty"), "time 'forty' not understood"),
        (("paces", "10k", "5:00"), "outside"),
    ],
)
def test_bad_paces_input_is_one_line_without_traceback(args: tuple[str, ...], message: str) -> None:
    result = momentum(*args)
    assert result.returncode != 0
    assert message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_analyze_json_uses_the_record_field_names(data_dir: Path, tmp_path: Path) -> None:
    result = momentum(
        "analyze", str(data_dir / "tcx" / "test.tcx"), "--json", home=tmp_path / "nohome"
    )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    for key in (
        "distance_meters",
        "moving_time_seconds",
        "avg_hr",
        "zone1_seconds",
        "zone5_seconds",
        "gap_seconds_per_km",
        "gap_model",
        "efficiency_factor",
        "core_ef",
        "core_ef_seconds",
        "decoupling_percent",
        "trimp",
        "hrss",
        "splits",
        "gap_str",
    ):
        assert key in record
    assert "streams" not in record
    assert record["activity_type"] == "Run" and record["athlete_id"] == "me"
    assert len(record["splits"]) == 5 and "pace_seconds_per_km" in record["splits"][0]
    assert not (tmp_path / "nohome").exists()  # analyze never creates a coach
    table = momentum("analyze", str(data_dir / "tcx" / "test.tcx"), home=tmp_path / "nohome")
    assert table.returncode == 0 and "Splits" in table.stdout
    strava = momentum(
        "analyze", str(data_dir / "tcx" / "test.tcx"), "--json", "--gap-model", "strava_style"
    )
    assert json.loads(strava.stdout)["gap_model"] == "strava_style"
    assert record["gap_model"] == "minetti2002"


def test_analyze_rejects_a_truncated_file_in_one_line(data_dir: Path, tmp_path: Path) -> None:
    cut = tmp_path / "cut.fit"
    cut.write_bytes((data_dir / "fit" / "garmin-fenix-5-walk.fit").read_bytes()[:40])
    result = momentum("analyze", str(cut), home=tmp_path)
    assert result.returncode == 1
    assert "cut.fit" in result.stderr and "truncated" in result.stderr
    assert "Traceback" not in result.stderr


def test_import_into_the_local_coach_is_idempotent(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip(
        "momentum.adapters.local.bootstrap", reason="local coach adapter not built yet"
    )
    from momentum.adapters.local.sqlite_storage import SqliteStorage

    home = tmp_path / "coach"
    home.mkdir()  # a coach exists: only init and demo create one
    (home / "momentum.toml").write_text("", encoding="utf-8")
    first = momentum("import", str(data_dir), home=home)
    assert first.returncode == 1  # the decoded-records CSV beside the FIT files fails
    assert "imported 9 new, unchanged 0, failed 1" in first.stdout
    assert first.stderr.count("error: ") == 1 and "Traceback" not in first.stderr
    assert "warning: " in first.stderr and "truncated" in first.stderr  # kept, and said
    db = home / "momentum.db"
    before = db.read_bytes()
    second = momentum("import", str(data_dir / "fit"), str(data_dir / "tcx"), home=home)
    assert "imported 0 new, unchanged 7" in second.stdout
    storage = SqliteStorage(db)
    try:
        athletes = storage.list_athletes()
        assert [a.athlete_id for a in athletes] == ["me"]
        import datetime as dt

        stored = storage.list_activities(
            "me", dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        assert len(stored) == 9
        streamless = [a for a in stored if storage.get_streams("me", a.activity_id) is None]
        assert [a.activity_type for a in streamless] == ["Run"]  # Mojstrovka: distance only
    finally:
        storage.close()
    assert len(before) > 0


def test_import_json_counts_and_exit_codes(data_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip(
        "momentum.adapters.local.bootstrap", reason="local coach adapter not built yet"
    )
    corpus = REPO / "tests" / "corpus" / "files"
    crashing = sorted(p for p in corpus.iterdir() if p.is_file() and p.suffix != ".md")
    folder = tmp_path / "drawer"
    folder.mkdir()
    for path in crashing:
        (folder / path.name).write_bytes(path.read_bytes())
    good = data_dir / "tcx" / "test.tcx"
    home = tmp_path / "coach"
    home.mkdir()  # a coach exists: only init and demo create one
    (home / "momentum.toml").write_text("", encoding="utf-8")
    result = momentum("import", str(folder), str(good), "--json", home=home)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"imported", "unchanged", "failed"}
    assert data["unchanged"] == 0
    assert data["imported"] + len(data["failed"]) >= len(crashing) + 1
    assert all(set(item) == {"file", "reason"} for item in data["failed"])
    assert all(item["reason"] and "\n" not in item["reason"] for item in data["failed"])
    again = momentum("import", str(good), "--json", home=home)
    assert again.returncode == 0
    assert json.loads(again.stdout) == {"imported": 0, "unchanged": 1, "failed": []}
