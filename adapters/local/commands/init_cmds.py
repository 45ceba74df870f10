"""``momentum init``: create a local coach.

It asks the profile questions (each answer can also be a flag; ``--yes`` takes the
defaults), writes ``momentum.toml`` and stores the athlete profile. The questions and
their parsers live in :mod:`momentum.adapters.local.init_profile` and
:mod:`momentum.adapters.local.profile_answers`; the optional last one, sex (for the heart-rate
load's weighting, :mod:`momentum.plugins.running.analytics.trimp`), is asked here with the default
"skip".
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from momentum.adapters.local.cli import fail, home_of
from momentum.adapters.local.init_profile import build_profile, collect_answers, config_text
from momentum.adapters.local.profile_answers import (
    DAY_NAMES,
    days_text,
    duration_text,
    local_timezone_name,
    parse_athlete_id,
)
from momentum.core.config import CONFIG_FILE, load_settings
from momentum.core.errors import MomentumError
from momentum.core.model import AthleteProfile
from momentum.core.ports.storage import Storage
from momentum.plugins.running.analytics.trimp import parse_sex
from momentum.plugins.running.profile import running_profile


def register(cli: typer.Typer) -> None:
    """Add ``init`` to the root CLI."""
    cli.command("init")(init)


def init(
    ctx: typer.Context,
    name: str | None = typer.Option(None, help="Your name."),
    timezone: str | None = typer.Option(
        None, help="IANA timezone, e.g. America/Toronto (default: this machine's)."
    ),
    max_hr: str | None = typer.Option(None, "--max-hr", help="Maximum heart rate, bpm."),
    resting_hr: str | None = typer.Option(None, "--resting-hr", help="Resting heart rate, bpm."),
    threshold_hr: str | None = typer.Option(
        None, "--threshold-hr", help="Lactate-threshold heart rate, bpm."
    ),
    goal_race: str | None = typer.Option(None, "--goal-race", help="Goal race name ('' for none)."),
    goal_date: str | None = typer.Option(None, "--goal-date", help="Goal race date, YYYY-MM-DD."),
    goal_distance: str | None = typer.Option(
        None, "--goal-distance", help="Goal race distance: 10K, 21.1km, 13.1mi, marathon…"
    ),
    goal_time: str | None = typer.Option(None, "--goal-time", help="Goal time, H:MM:SS."),
    preferred_days: str | None = typer.Option(
        None, "--preferred-days", help="Training days, e.g. mon,wed,fri,sat."
    ),
    long_run_day: str | None = typer.Option(None, "--long-run-day", help="Long-run day, e.g. sat."),
    unavailable_days: str | None = typer.Option(
        None, "--unavailable-days", help="Days you can't train, e.g. thu ('none' for none)."
    ),
    equipment: str | None = typer.Option(
        None, help="Strength equipment, e.g. bodyweight,dumbbells ('none' for bodyweight)."
    ),
    injuries: str | None = typer.Option(None, help="Injuries or niggles, comma-separated."),
    style: str | None = typer.Option(
        None, help="Coaching style: encouraging, analytical, tough_love."
    ),
    weekly_minutes: str | None = typer.Option(
        None, "--weekly-minutes", help="Weekly training minutes to aim for."
    ),
    current_minutes: str | None = typer.Option(
        None, "--current-minutes", help="Minutes you run in a typical week now (0: none yet)."
    ),
    current_runs: str | None = typer.Option(
        None, "--current-runs", help="Runs in a typical week now."
    ),
    longest_run: str | None = typer.Option(
        None, "--longest-run", help="Longest run in the last month, minutes."
    ),
    athlete_id: str | None = typer.Option(
        None, "--athlete-id", help="Id for this athlete (default: from momentum.toml, or 'me')."
    ),
    chat_user_id: str | None = typer.Option(
        None, "--chat-user-id", help="Your chat user id (e.g. a Slack user id) for DMs."
    ),
    sex: str | None = typer.Option(
        None,
        help="female, male or skip: picks the heart-rate load's weighting (Banister TRIMP).",
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", "--non-interactive", help="Ask nothing: take defaults for the rest."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the profile of an existing coach."),
) -> None:
    """Create a local coach: ask the profile questions, write momentum.toml, store the profile.

    Every question has a default and can be answered with its flag instead.
    """
    from momentum.adapters.local.bootstrap import database_path
    from momentum.adapters.local.sqlite_storage import SqliteStorage

    home = home_of(ctx, must_exist=False)
    console = Console(highlight=False)
    given = {
        "name": name,
        "timezone": timezone,
        "max_hr": max_hr,
        "resting_hr": resting_hr,
        "threshold_hr": threshold_hr,
        "goal_race": goal_race,
        "goal_date": goal_date,
        "goal_distance": goal_distance,
        "goal_time": goal_time,
        "preferred_days": preferred_days,
        "long_run_day": long_run_day,
        "unavailable_days": unavailable_days,
        "equipment": equipment,
        "injuries": injuries,
        "style": style,
        "weekly_minutes": weekly_minutes,
        "current_minutes": current_minutes,
        "current_runs": current_runs,
        "longest_run": longest_run,
    }
    try:
        settings = load_settings(home)
        chosen_id = parse_athlete_id(athlete_id or settings.athlete_id)
        config_path = home / CONFIG_FILE
        if config_path.exists() and athlete_id and athlete_id != settings.athlete_id:
            raise ValueError(
                f"{config_path} is for athlete {settings.athlete_id!r}, not {athlete_id!r}"
            )
        existing = _existing_profile(database_path(home), chosen_id)
        if existing is not None and not force:
            raise ValueError(
                f"a coach for {chosen_id!r} already lives in {home} "
                "(use --force to replace its profile)"
            )
        now = dt.datetime.now(dt.UTC)
        base = existing or AthleteProfile(
            athlete_id=chosen_id, name="Athlete", timezone=local_timezone_name(), created=now
        )
        if not yes:
            console.print(
                f"Setting up your coach in [bold]{escape(str(home))}[/] (Enter keeps a default)."
            )
        today = now.astimezone(ZoneInfo(base.timezone)).date()
        answers = collect_answers(given, today, base, interactive=not yes)
        chosen_sex = _sex_answer(sex, base.sex, interactive=not yes)
        profile, notes = build_profile(answers, base, today)
        profile = dataclasses.replace(profile, sex=chosen_sex)
        if chat_user_id is not None:
            profile = dataclasses.replace(profile, chat_user_id=chat_user_id.strip())
        # Only now, with every answer checked, does anything touch the disk.
        home.mkdir(parents=True, exist_ok=True)
        if not config_path.exists():
            _write_atomically(config_path, config_text(chosen_id))
        from momentum.adapters.local.dashboard import ensure_signing_key

        ensure_signing_key(home)  # signs the dashboard links a served coach sends
        recomputed = None
        with SqliteStorage(database_path(home)) as storage:
            storage.put_athlete(profile)
            if existing is not None:
                recomputed = _recompute_if_needed(storage, existing, profile)
    except (ValueError, MomentumError) as exc:
        raise fail(str(exc)) from None
    except typer.Abort:
        raise fail("init cancelled: no answer given (use --yes to take the defaults)") from None

    for note in notes:
        console.print(f"note: {note}")
    if recomputed is not None:
        console.print(f"Heart-rate profile changed: {recomputed}")
    console.print(_profile_table(profile, home))
    console.print(
        "Next: [bold]momentum import PATH[/] to bring in activities, "
        "[bold]momentum checkin[/] for today's check-in, [bold]momentum serve[/] to run the "
        "coach."
    )


SEX_PROMPT = "Sex, for heart-rate training load (female, male or skip)"


def _sex_answer(flag: str | None, current: str | None, *, interactive: bool) -> str | None:
    """The ``--sex`` flag, else the answer to the question (default: the stored value or
    "skip"). It is optional and asked last, so the end of piped input keeps the default:
    answers scripted before the question existed still work."""
    if flag is not None:
        return parse_sex(flag)
    default = current or "skip"
    if not interactive:
        return parse_sex(default)

    def convert(text: str) -> str | None:
        try:
            return parse_sex(text)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    try:
        answer: str | None = typer.prompt(SEX_PROMPT, default=default, value_proc=convert)
    except typer.Abort as exc:
        # click turns both Ctrl-C and end of input into Abort; only the latter is "no answer".
        if isinstance(exc.__context__, EOFError):
            return parse_sex(default)
        raise
    return answer


def _recompute_if_needed(
    storage: Storage, before: AthleteProfile, after: AthleteProfile
) -> str | None:
    """Rebuild stored activities when a replaced profile changes what their zones and load
    are computed from; the one-line summary, or None when nothing needed it."""
    from momentum.plugins.running.coach.recompute import numbers_change, recompute_activities

    if not numbers_change(before, after):
        return None
    report = recompute_activities(storage, after.athlete_id)
    return report.summary() if report.recomputed or report.skipped else None


def _existing_profile(db: Path, athlete_id: str) -> AthleteProfile | None:
    """The stored profile, without creating a database that is not there yet."""
    from momentum.adapters.local.sqlite_storage import SqliteStorage

    if not db.exists():
        return None
    with SqliteStorage(db) as storage:
        return storage.get_athlete(athlete_id)


def _profile_table(profile: AthleteProfile, home: Path) -> Table:
    table = Table(title=f"Coach created in {home}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    hr = profile.heart_rate
    goal = running_profile(profile).goal_race
    rows = [
        ("athlete", f"{profile.name} ({profile.athlete_id})"),
        ("timezone", profile.timezone),
        ("heart rate", f"max {hr.max_hr} · resting {hr.resting_hr} · threshold {hr.threshold_hr}"),
        (
            "goal race",
            f"{goal.name}, {goal.date.isoformat()}, {goal.distance_meters / 1000:g} km"
            + (f", {duration_text(goal.goal_time_seconds)}" if goal.goal_time_seconds else "")
            if goal
            else "none",
        ),
        ("training days", days_text(profile.preferred_days)),
        ("long run", DAY_NAMES[running_profile(profile).long_run_day]),
        ("unavailable", days_text(profile.unavailable_days)),
        ("equipment", ", ".join(e.value for e in profile.equipment)),
        ("injuries", ", ".join(profile.injuries) or "none"),
        ("style", profile.coaching_style.value),
        ("weekly minutes", str(profile.weekly_minutes_target)),
        ("sex", profile.sex or "not given (men's TRIMP weighting)"),
    ]
    for key, value in rows:
        table.add_row(key, value)
    return table


def _write_atomically(path: Path, text: str) -> None:
    from momentum.adapters.local.private import create_private_file

    tmp = path.with_name(f".{path.name}.tmp")
    create_private_file(tmp)  # settings may hold secrets: owner only, from the start
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
