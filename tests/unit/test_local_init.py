"""`momentum init`: profile questions with defaults, flags for every answer, one-line errors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from momentum.adapters.local import cli as root
from momentum.adapters.local.commands import init_cmds
from momentum.adapters.local.commands.plugins_cmds import describe_weekdays
from momentum.adapters.local.profile_answers import (
    days_text,
    parse_days,
    parse_distance,
    parse_duration,
    parse_timezone,
)
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.config import load_settings
from momentum.core.model import AthleteProfile, CoachingStyle, Equipment, Weekday
from momentum.plugins.running.profile import running_profile


def make_cli() -> typer.Typer:
    """The root callback (for --home) with only this module's commands."""
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    init_cmds.register(app)
    return app


Invoke = Callable[..., Result]


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch) -> Invoke:
    """``run(home, *args, input=...)`` runs ``momentum --home HOME init ARGS``."""
    monkeypatch.setenv("TZ", "America/Toronto")
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)
    runner = CliRunner()
    app = make_cli()

    def invoke(home: Path, *args: str, input: str | None = None) -> Result:
        return runner.invoke(app, ["--home", str(home), "init", *args], input=input)

    return invoke


def stored(home: Path, athlete_id: str = "me") -> AthleteProfile:
    with SqliteStorage(home / "momentum.db") as storage:
        profile = storage.get_athlete(athlete_id)
    assert profile is not None
    return profile


NEXT_YEAR = dt.date.today().year + 1


def test_every_answer_as_a_flag(run: Invoke, tmp_path: Path) -> None:
    result = run(
        tmp_path,
        "--yes",
        "--name", "Adam",
        "--timezone", "America/Toronto",
        "--max-hr", "182",
        "--resting-hr", "52",
        "--threshold-hr", "162",
        "--goal-race", "Monster of Mazinaw 30K Trail",
        "--goal-date", f"{NEXT_YEAR}-09-19",
        "--goal-distance", "30K",
        "--goal-time", "3:45:00",
        "--preferred-days", "mon,wed,fri,sat,sun",
        "--long-run-day", "saturday",
        "--unavailable-days", "thu",
        "--equipment", "bodyweight,kettlebells",
        "--injuries", "left achilles; right knee",
        "--style", "tough love",
        "--weekly-minutes", "360",
        "--chat-user-id", "U123ADAM",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    profile = stored(tmp_path)
    assert profile.name == "Adam" and profile.timezone == "America/Toronto"
    assert (profile.heart_rate.max_hr, profile.heart_rate.resting_hr) == (182, 52)
    assert profile.heart_rate.threshold_hr == 162
    assert running_profile(profile).goal_race is not None
    assert running_profile(profile).goal_race.name == "Monster of Mazinaw 30K Trail"
    assert running_profile(profile).goal_race.date == dt.date(NEXT_YEAR, 9, 19)
    assert running_profile(profile).goal_race.distance_meters == 30000
    assert running_profile(profile).goal_race.goal_time_seconds == 3 * 3600 + 45 * 60
    assert profile.preferred_days == (0, 2, 4, 5, 6)
    assert running_profile(profile).long_run_day is Weekday.SAT
    assert profile.unavailable_days == (Weekday.THU,)
    assert profile.equipment == (Equipment.BODYWEIGHT, Equipment.KETTLEBELLS)
    assert profile.injuries == ("left achilles", "right knee")
    assert profile.coaching_style is CoachingStyle.TOUGH_LOVE
    assert profile.weekly_minutes_target == 360
    assert profile.chat_user_id == "U123ADAM"
    assert profile.created is not None and profile.created.tzinfo is not None
    assert load_settings(tmp_path, env={}).athlete_id == "me"
    assert "Coach created" in result.stdout and "Monster of Mazinaw" in result.stdout


def test_yes_takes_sensible_defaults(run: Invoke, tmp_path: Path) -> None:
    result = run(tmp_path / "new-home", "--yes")
    assert result.exit_code == 0, result.output
    profile = stored(tmp_path / "new-home")
    assert profile.timezone == "America/Toronto"  # this machine's zone (TZ)
    assert running_profile(profile).goal_race is None
    assert profile.heart_rate.resting_hr < profile.heart_rate.threshold_hr
    assert profile.heart_rate.threshold_hr < profile.heart_rate.max_hr
    assert running_profile(profile).long_run_day in profile.preferred_days
    assert profile.weekly_minutes_target > 0


def test_questions_are_asked_with_defaults_and_bad_answers_re_asked(
    run: Invoke,
    tmp_path: Path,
) -> None:
    answers = [
        "Mia",  # name
        "Mars/Olympus",  # timezone: rejected, asked again
        "Europe/Paris",
        "",  # max HR: default
        "",  # resting HR: default
        "",  # threshold HR: default
        "Paris Half",  # goal race
        f"{NEXT_YEAR}-04-05",  # date
        "half",  # distance
        "",  # goal time: none
        "tue, thu, sun",  # preferred days
        "sun",  # long run
        "",  # unavailable: none
        "dumbbells",  # equipment
        "",  # injuries
        "analytical",  # style
        "abc",  # weekly minutes: rejected
        "240",
        "90",  # runs 90 minutes a week now
        "3",  # in three runs
        "40",  # longest run lately
    ]
    result = run(tmp_path, input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    assert "unknown timezone 'Mars/Olympus'" in result.output
    assert "weekly minutes 'abc' is not a whole number" in result.output
    assert "Maximum heart rate (bpm) [185]" in result.output  # defaults are shown
    profile = stored(tmp_path)
    assert profile.name == "Mia" and profile.timezone == "Europe/Paris"
    assert (
        running_profile(profile).goal_race is not None
        and running_profile(profile).goal_race.distance_meters == 21097.5
    )
    assert running_profile(profile).goal_race.goal_time_seconds is None
    assert profile.preferred_days == (Weekday.TUE, Weekday.THU, Weekday.SUN)
    assert profile.equipment == (Equipment.DUMBBELLS,)
    assert profile.coaching_style is CoachingStyle.ANALYTICAL
    assert profile.weekly_minutes_target == 240
    now = running_profile(profile).current_training
    assert now is not None and (now.weekly_minutes, now.runs_per_week) == (90, 3)
    assert now.longest_run_minutes == 40


def test_flags_skip_their_questions_and_no_goal_skips_the_goal_details(
    run: Invoke,
    tmp_path: Path,
) -> None:
    result = run(
        tmp_path,
        "--name", "Bea",
        "--timezone", "UTC",
        "--goal-race", "",
        input="\n" * 20,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Your name" not in result.output and "Timezone" not in result.output
    assert "Goal race date" not in result.output
    assert stored(tmp_path).name == "Bea"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--timezone", "Mars/Olympus"], "unknown timezone 'Mars/Olympus'"),
        (["--max-hr", "abc"], "max HR 'abc' is not a whole number"),
        (["--max-hr", "300"], "max HR 300 is out of range"),
        (["--goal-race", "X", "--goal-distance", "far"], "unknown distance 'far'"),
        (["--goal-race", "X", "--goal-date", "2020-01-01"], "goal date 2020-01-01 is in the past"),
        (["--goal-race", "X", "--goal-date", "soon"], "goal date 'soon' is not a date"),
        (["--goal-race", "X", "--goal-time", "fast"], "goal time 'fast' is not a duration"),
        (["--goal-distance", "10K"], "need a goal race name"),
        (["--long-run-day", "funday"], "unknown long-run day 'funday'"),
        (["--preferred-days", "mon,someday"], "unknown preferred day 'someday'"),
        (["--equipment", "jetpack"], "unknown equipment 'jetpack'"),
        (["--style", "mean"], "unknown coaching style 'mean'"),
        (["--resting-hr", "100", "--threshold-hr", "95"], "resting < threshold < max"),
        (["--preferred-days", "mon,thu", "--unavailable-days", "thu"], "thu cannot be both"),
        (["--long-run-day", "sun", "--unavailable-days", "sun"], "long-run day sun is one of"),
        (["--athlete-id", "no spaces please"], "athlete id 'no spaces please'"),
    ],
)
def test_bad_values_fail_with_one_line_and_write_nothing(
    run: Invoke,
    tmp_path: Path,
    flags: list[str],
    message: str,
) -> None:
    home = tmp_path / "home"
    result = run(home, "--yes", *flags)
    assert result.exit_code == 1
    assert message in result.stderr
    assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output
    assert not home.exists()  # nothing half-written


def test_an_existing_coach_needs_force(run: Invoke, tmp_path: Path) -> None:
    assert run(tmp_path, "--yes", "--name", "Adam").exit_code == 0
    first = stored(tmp_path)
    again = run(tmp_path, "--yes", "--name", "Imposter")
    assert again.exit_code == 1 and "use --force" in again.stderr
    assert stored(tmp_path).name == "Adam"

    forced = run(tmp_path, "--yes", "--force", "--weekly-minutes", "420")
    assert forced.exit_code == 0, forced.output
    updated = stored(tmp_path)
    assert updated.weekly_minutes_target == 420
    assert updated.name == "Adam"  # unchanged answers keep their stored values
    assert updated.created == first.created


def test_no_answer_on_stdin_is_a_clear_error(run: Invoke, tmp_path: Path) -> None:
    result = run(tmp_path, input="")
    assert result.exit_code == 1
    assert "use --yes to take the defaults" in result.stderr


def test_config_for_another_athlete_is_not_overwritten(
    run: Invoke,
    tmp_path: Path,
) -> None:
    (tmp_path / "momentum.toml").write_text('athlete_id = "zed"\n')
    result = run(tmp_path, "--yes", "--athlete-id", "amy")
    assert result.exit_code == 1 and "is for athlete 'zed'" in result.stderr
    assert run(tmp_path, "--yes").exit_code == 0
    assert stored(tmp_path, "zed").athlete_id == "zed"
    assert (tmp_path / "momentum.toml").read_text() == 'athlete_id = "zed"\n'


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("10K", 10000),
        ("21.1 km", 21100),
        ("half", 21097.5),
        ("Marathon", 42195),
        ("1500m", 1500),
        ("13.1mi", 13.1 * 1609.344),
        ("30", 30000),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


def test_parse_duration_and_timezone() -> None:
    assert parse_duration("1:12:23") == 4343
    assert parse_duration("45:00") == 2700
    assert parse_duration("") is None
    assert parse_timezone(" Asia/Kolkata ") == "Asia/Kolkata"
    for bad in ("", "../etc/passwd", "/etc/localtime", "Not/AZone"):
        with pytest.raises(ValueError, match="unknown timezone"):
            parse_timezone(bad)


@given(st.sets(st.sampled_from(list(Weekday))))
def test_days_text_round_trips(days: set[Weekday]) -> None:
    ordered = tuple(sorted(days))
    assert parse_days(days_text(ordered)) == ordered


def test_describe_weekdays() -> None:
    assert describe_weekdays((0, 1, 2, 3, 4, 5, 6)) == "daily"
    assert describe_weekdays((1, 2, 3, 4, 5, 6)) == "Tue–Sun"
    assert describe_weekdays((0,)) == "Mon"
    assert describe_weekdays((0, 3)) == "Mon, Thu"
