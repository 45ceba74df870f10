"""`momentum race add/goal/list`, `paces` (the coach's own), `predict`, `activities` and
`plan export --ics/--fit` on a local coach (issue 19, items 2, 7 and 8).

The exports are read back with the real parsers: icalendar for the .ics file and fitdecode
(an independent FIT decoder) for each workout, whose timed steps must add up to the
session's minutes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import activity_cmds, analytics_cmds, plan_cmds, race_cmds
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.profile import running_profile
from tests.unit.test_plans_support import DOMS_MEMORY, activity, talk_athlete, talk_history

TODAY = dt.date.today()


def make_cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    for module in (plan_cmds, race_cmds, activity_cmds, analytics_cmds):
        module.register(app)
    return app


def run(home: Path, *args: str) -> Result:
    return CliRunner().invoke(make_cli(), ["--home", str(home), *args], env={"COLUMNS": "200"})


def stored(home: Path) -> AthleteProfile:
    with SqliteStorage(home / "momentum.db") as storage:
        profile = storage.get_athlete("adam")
    assert profile is not None
    return profile


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The talk's athlete, with recent runs (distance and heart rate) up to yesterday."""
    (tmp_path / "momentum.toml").write_text('athlete_id = "adam"\n')
    athlete = talk_athlete(race_results=(), goal_race=None)
    with SqliteStorage(tmp_path / "momentum.db") as storage:
        storage.put_athlete(athlete)
        for back in range(1, 40, 2):
            a = activity(TODAY - dt.timedelta(days=back), 50)
            storage.put_activity(dataclasses.replace(a, distance_meters=9000, avg_hr=140))
        storage.put_memory(DOMS_MEMORY)
    return tmp_path


def test_race_add_sets_the_vdot_and_paces_follow(home: Path) -> None:
    before = run(home, "paces")
    assert before.exit_code == 0 and "heart rate" in before.output  # HR estimate until a race
    day = (TODAY - dt.timedelta(days=6)).isoformat()
    added = run(home, "race", "add", "-d", "10k", "-t", "45:00", "--date", day, "-n", "City 10K")
    assert added.exit_code == 0, added.output
    assert "Training by VDOT 45.3 (race: City 10K" in added.output
    (result,) = running_profile(stored(home)).race_results
    assert (result.distance_meters, result.time_seconds, result.name) == (10000, 2700, "City 10K")
    again = run(home, "race", "add", "-d", "10k", "-t", "45:00", "--date", day, "-n", "City 10K")
    assert (
        again.exit_code == 0 and len(running_profile(stored(home)).race_results) == 1
    )  # once, not twice
    data = json.loads(run(home, "paces", "--json").output)
    assert data["evidence"]["source"] == "race" and data["evidence"]["confidence"] == "high"
    # Daniels' table: T pace 4:35/km at VDOT 45, 4:30 at 46 (±5 s).
    assert data["paces"]["T"][0] == pytest.approx(4 * 60 + 33, abs=5)
    listed = run(home, "race", "list")
    assert "City 10K" in listed.output and "VDOT 45.3" in listed.output


def test_a_trail_race_is_adjusted_and_does_not_drag_the_paces_down(home: Path) -> None:
    day = (TODAY - dt.timedelta(days=10)).isoformat()
    out = run(
        home,
        "race",
        "add",
        "-d",
        "30k",
        "-t",
        "4:57:00",
        "--date",
        day,
        "--surface",
        "trail",
        "--elevation",
        "900",
        "-n",
        "Mazinaw 30K",
    )
    assert out.exit_code == 0, out.output
    shown = run(home, "paces").output
    assert "heart rate" in shown and "the race (Mazinaw 30K" in shown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("race", "add", "-d", "ten", "-t", "45:00", "--date", "2026-01-01"), "distance"),
        (("race", "add", "-d", "10k", "-t", "soon", "--date", "2026-01-01"), "time"),
        (("race", "add", "-d", "10k", "-t", "5:00", "--date", "2026-01-01"), "not a running pace"),
        (("race", "add", "-d", "10k", "-t", "45:00", "--date", "2999-01-01"), "future"),
        (
            (
                "race",
                "add",
                "-d",
                "10k",
                "-t",
                "45:00",
                "--date",
                "2026-01-01",
                "--surface",
                "sand",
            ),
            "surface",
        ),
        (("race", "goal", "-n", "Old", "--date", "2001-01-01", "-d", "10k"), "has passed"),
        (("activities", "show", "nope"), "no activity 'nope'"),
        (("plan", "export"), "--ics FILE and/or --fit DIR"),
    ],
)
def test_bad_input_is_one_clear_line_and_writes_nothing(
    home: Path, args: tuple[str, ...], message: str
) -> None:
    before = stored(home)
    result = run(home, *args)
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert message in result.output
    assert stored(home) == before


def test_race_goal_is_checked_against_fitness_and_weeks_left(home: Path) -> None:
    """A 1:25 half in eight weeks for a runner around VDOT 40 does not fit: the coach says
    so and offers a time the weeks can reach. The same half in three weeks does not fit
    for distance (the long run can't be built in time): the coach offers a shorter race."""
    soon = (TODAY + dt.timedelta(weeks=3)).isoformat()
    short = run(home, "race", "goal", "-n", "Soon Half", "--date", soon, "-d", "half")
    assert "no longer fits" in short.output and "Pick 10K" in short.output
    day = (TODAY + dt.timedelta(weeks=8)).isoformat()
    out = run(
        home, "race", "goal", "-n", "Spring Half", "--date", day, "-d", "half", "-t", "1:25:00"
    )
    assert out.exit_code == 0, out.output
    assert "no longer fits" in out.output and "Aim for" in out.output
    goal = running_profile(stored(home)).goal_race
    assert goal is not None and goal.goal_time_seconds == 5100
    easy = run(home, "race", "goal", "-n", "Parkrun", "--date", day, "-d", "5k")
    assert "fits" in easy.output and "no longer" not in easy.output


def test_predict_shows_times_and_their_trend(home: Path) -> None:
    out = run(home, "predict")
    assert out.exit_code == 0, out.output
    assert "5K:" in out.output and "Marathon:" in out.output
    rows = json.loads(run(home, "predict", "--json").output)
    assert len(rows) == 4 and rows[-1]["predictions"]["10K"] > 0


def test_activities_list_and_show(home: Path) -> None:
    rows = json.loads(run(home, "activities", "--json", "--days", "10").output)
    assert rows and all(r["activity_type"] == "Run" for r in rows)
    assert rows == sorted(rows, key=lambda r: r["start"], reverse=True)
    text = run(home, "activities", "--days", "10").output
    assert rows[0]["activity_id"] in text and "9.00 km" in text and "140 bpm" in text
    shown = json.loads(run(home, "activities", "show", rows[0]["activity_id"], "--json").output)
    assert shown["activity_id"] == rows[0]["activity_id"]


def test_plan_export_ics_and_fit_read_back(home: Path, tmp_path: Path) -> None:
    import fitdecode
    import icalendar

    from momentum.plugins.running.plans import build_plan

    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    with SqliteStorage(home / "momentum.db") as storage:
        athlete = stored(home)
        storage.put_plan(build_plan(athlete, talk_history(), [], monday, 3), expected_version=0)
    ics, fit = tmp_path / "plan.ics", tmp_path / "fit"
    out = run(
        home, "plan", "export", "--ics", str(ics), "--fit", str(fit), "--date", monday.isoformat()
    )
    assert out.exit_code == 0, out.output
    calendar = icalendar.Calendar.from_ical(ics.read_bytes())
    events = list(calendar.walk("VEVENT"))
    assert events and len({str(e["UID"]) for e in events}) == len(events)
    files = sorted(fit.glob("*.fit"))
    assert files
    with SqliteStorage(home / "momentum.db") as storage:
        plan = storage.get_plan(Plan, "adam")
    assert plan is not None
    minutes = {
        f"{s.date.isoformat()}": s.minutes for w in plan.weeks for s in w.sessions if s.kind.is_run
    }
    for path in files:
        steps, sport = [], None
        with fitdecode.FitReader(path) as reader:
            for frame in reader:
                if isinstance(frame, fitdecode.FitDataMessage):
                    if frame.name == "workout":
                        sport = frame.get_value("sport")
                    if frame.name == "workout_step":
                        steps.append(frame.get_value("duration_time"))
        assert sport == "running" and steps
        assert sum(steps) == minutes[path.name[:10]] * 60


def test_the_plan_view_says_where_it_starts_and_whether_the_goal_fits(home: Path) -> None:
    day = (TODAY + dt.timedelta(weeks=3)).isoformat()
    assert run(home, "race", "goal", "-n", "Soon Half", "--date", day, "-d", "half").exit_code == 0
    out = run(home, "plan", "--weeks", "1").output
    assert "Goal check: Soon Half (21.1 km) in 3 weeks no longer fits." in out
    fresh = tmp_home_without_runs(home)
    assert (
        "Starting point: no recent training on record" in run(fresh, "plan", "--weeks", "1").output
    )


def tmp_home_without_runs(home: Path) -> Path:
    """A second coach next to ``home`` whose athlete has no activities."""
    other = home / "empty"
    other.mkdir()
    (other / "momentum.toml").write_text('athlete_id = "adam"\n')
    with SqliteStorage(other / "momentum.db") as storage:
        storage.put_athlete(talk_athlete(race_results=(), goal_race=None))
    return other
