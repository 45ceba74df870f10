"""``momentum init``, ``momentum serve`` and ``momentum plugins``.

``init`` asks the profile questions (each answer can also be a flag; ``--yes`` takes the
defaults), writes ``momentum.toml`` and stores the athlete profile. ``serve`` runs the
coach as a long-lived process. ``plugins`` shows what the loaded plugins provide.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from adapters.local.cli import fail, home_of
from core.config import CONFIG_FILE, load_settings
from core.errors import MomentumError
from core.model import (
    AthleteProfile,
    CoachingStyle,
    Equipment,
    GoalRace,
    HeartRateProfile,
    Weekday,
)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
FULL_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NAMED_DISTANCES = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": 21097.5,
    "half marathon": 21097.5,
    "marathon": 42195.0,
}
_ATHLETE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


# -- answers: parse and check one value each; a ValueError message names what was wrong ---------


def parse_timezone(value: str) -> str:
    """An IANA timezone name such as ``America/Toronto``."""
    name = value.strip()
    try:
        if not name or name.startswith(("/", ".")):
            raise ValueError(name)
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r} (use an IANA name such as America/Toronto)"
        ) from None
    return name


def parse_day(value: str, what: str = "day") -> Weekday:
    """One weekday: ``mon`` / ``Monday`` / ``0`` (Monday) … ``sun`` / ``6``."""
    text = value.strip().lower()
    if text.isdigit() and int(text) < 7:
        return Weekday(int(text))
    if len(text) >= 3:
        for number, full_name in enumerate(FULL_DAY_NAMES):
            if full_name.startswith(text):
                return Weekday(number)
    raise ValueError(f"unknown {what} {value!r} (use mon, tue, wed, thu, fri, sat or sun)")


def parse_days(value: str, what: str = "day") -> tuple[Weekday, ...]:
    """Comma-separated weekdays, or ``none`` for no days."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return ()
    days = {parse_day(part, what) for part in re.split(r"[,\s]+", text) if part}
    return tuple(sorted(days))


def parse_distance(value: str) -> float:
    """A race distance in metres from ``30K``, ``30 km``, ``21097m``, ``13.1mi``, ``half``,
    ``marathon``; a bare number is kilometres."""
    text = value.strip().lower()
    if text in NAMED_DISTANCES:
        return NAMED_DISTANCES[text]
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(k|km|m|mi|miles?)?", text)
    if match is None:
        raise ValueError(f"unknown distance {value!r} (use e.g. 10K, 21.1km, 13.1mi, marathon)")
    number, unit = float(match.group(1)), match.group(2) or "km"
    metres = number * {"k": 1000.0, "km": 1000.0, "m": 1.0}.get(unit, 1609.344)
    if not 100 <= metres <= 500_000:
        raise ValueError(f"distance {value!r} is out of range (100 m to 500 km)")
    return metres


def parse_race_date(value: str, today: dt.date) -> dt.date:
    """A goal race date (``YYYY-MM-DD``) that is not in the past."""
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"goal date {value!r} is not a date (use YYYY-MM-DD)") from None
    if day < today:
        raise ValueError(f"goal date {day.isoformat()} is in the past")
    return day


def parse_duration(value: str) -> float | None:
    """A goal time as ``H:MM:SS`` or ``MM:SS`` in seconds; empty or ``none`` for no goal."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return None
    parts = text.split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"goal time {value!r} is not a duration (use H:MM:SS)")
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    if seconds <= 0:
        raise ValueError(f"goal time {value!r} must be more than zero")
    return float(seconds)


def _choice(value: str, what: str, choices: list[str]) -> str:
    text = re.sub(r"[\s-]+", "_", value.strip().lower())
    if text not in choices:
        raise ValueError(f"unknown {what} {value!r} (choose from {', '.join(choices)})")
    return text


def parse_equipment(value: str) -> tuple[Equipment, ...]:
    """Comma-separated equipment; ``none`` means bodyweight only."""
    text = value.strip().lower()
    if text in ("", "none", "-"):
        return (Equipment.BODYWEIGHT,)
    choices = [e.value for e in Equipment]
    found = {
        Equipment(_choice(part, "equipment", choices)) for part in text.split(",") if part.strip()
    }
    return tuple(e for e in Equipment if e in found)


def parse_style(value: str) -> CoachingStyle:
    """``encouraging``, ``analytical`` or ``tough_love``."""
    return CoachingStyle(_choice(value, "coaching style", [s.value for s in CoachingStyle]))


def parse_injuries(value: str) -> tuple[str, ...]:
    """Injuries or niggles separated by commas or semicolons; ``none`` for none."""
    text = value.strip()
    if text.lower() in ("", "none", "-"):
        return ()
    return tuple(part.strip() for part in re.split(r"[;,]", text) if part.strip())


def _int_in(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            number = int(value.strip())
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a whole number") from None
        if not low <= number <= high:
            raise ValueError(f"{what} {number} is out of range ({low}–{high})")
        return number

    return parse


def parse_name(value: str) -> str:
    """The athlete's name (not empty)."""
    name = value.strip()
    if not name:
        raise ValueError("name must not be empty")
    return name


def parse_athlete_id(value: str) -> str:
    """A short id: letters, digits, ``_ . -``."""
    if not _ATHLETE_ID.match(value):
        raise ValueError(f"athlete id {value!r} must be letters, digits, '_', '.' or '-'")
    return value


def local_timezone_name() -> str:
    """This machine's IANA timezone name, or ``UTC`` when it can't be told."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        try:
            return parse_timezone(name)
        except ValueError:
            continue
    return "UTC"


def _days_text(days: tuple[Weekday, ...]) -> str:
    return ",".join(DAY_NAMES[d] for d in days) or "none"


# -- the questions ------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One profile question: its flag's value, prompt, default and parser."""

    key: str
    prompt: str
    default: str
    parse: Callable[[str], Any]


def _questions(today: dt.date, base: AthleteProfile) -> list[Question]:
    hr = base.heart_rate
    return [
        Question("name", "Your name", base.name, parse_name),
        Question("timezone", "Timezone (IANA name)", base.timezone, parse_timezone),
        Question("max_hr", "Maximum heart rate (bpm)", str(hr.max_hr), _int_in(120, 230, "max HR")),
        Question(
            "resting_hr",
            "Resting heart rate (bpm)",
            str(hr.resting_hr),
            _int_in(30, 110, "rest HR"),
        ),
        Question(
            "threshold_hr",
            "Lactate-threshold heart rate (bpm)",
            str(hr.threshold_hr),
            _int_in(90, 220, "threshold HR"),
        ),
        Question(
            "goal_race",
            "Goal race name (empty for none)",
            base.goal_race.name if base.goal_race else "",
            str.strip,
        ),
        Question(
            "goal_date",
            "Goal race date (YYYY-MM-DD)",
            (base.goal_race.date if base.goal_race else today + dt.timedelta(weeks=16)).isoformat(),
            lambda v: parse_race_date(v, today),
        ),
        Question(
            "goal_distance",
            "Goal race distance (e.g. 10K, half, marathon, 30K)",
            _distance_text(base.goal_race.distance_meters) if base.goal_race else "10K",
            parse_distance,
        ),
        Question(
            "goal_time",
            "Goal time (H:MM:SS, empty for none)",
            _duration_text(base.goal_race.goal_time_seconds) if base.goal_race else "",
            parse_duration,
        ),
        Question(
            "preferred_days",
            "Preferred training days",
            _days_text(base.preferred_days),
            lambda v: parse_days(v, "preferred day"),
        ),
        Question(
            "long_run_day",
            "Long-run day",
            DAY_NAMES[base.long_run_day],
            lambda v: parse_day(v, "long-run day"),
        ),
        Question(
            "unavailable_days",
            "Days you can't train",
            _days_text(base.unavailable_days),
            lambda v: parse_days(v, "unavailable day"),
        ),
        Question(
            "equipment",
            f"Strength equipment ({', '.join(e.value for e in Equipment)})",
            ",".join(e.value for e in base.equipment),
            parse_equipment,
        ),
        Question(
            "injuries",
            "Injuries or niggles (comma-separated, empty for none)",
            ", ".join(base.injuries),
            parse_injuries,
        ),
        Question(
            "style",
            f"Coaching style ({', '.join(s.value for s in CoachingStyle)})",
            base.coaching_style.value,
            parse_style,
        ),
        Question(
            "weekly_minutes",
            "Weekly training minutes to aim for",
            str(base.weekly_minutes_target),
            _int_in(30, 1500, "weekly minutes"),
        ),
    ]


def _distance_text(metres: float) -> str:
    for name, value in NAMED_DISTANCES.items():
        if value == metres and " " not in name:
            return name
    return f"{metres / 1000:g}K"


def _duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    total = round(seconds)
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def _ask(question: Question) -> Any:
    """Prompt until the answer parses (click re-asks on BadParameter)."""

    def convert(text: str) -> Any:
        try:
            return question.parse(text)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return typer.prompt(question.prompt, default=question.default, value_proc=convert)


def collect_answers(
    given: dict[str, str | None], today: dt.date, base: AthleteProfile, *, interactive: bool
) -> dict[str, Any]:
    """Parse flags, ask the rest (or take defaults), skipping goal details without a goal."""
    answers: dict[str, Any] = {}
    for question in _questions(today, base):
        if question.key.startswith("goal_") and question.key != "goal_race":
            has_goal = bool(answers.get("goal_race"))
            if not has_goal and given.get(question.key) is None:
                continue
        raw = given.get(question.key)
        if raw is not None:
            answers[question.key] = question.parse(raw)
        elif interactive:
            answers[question.key] = _ask(question)
        else:
            answers[question.key] = question.parse(question.default)
    return answers


def build_profile(
    answers: dict[str, Any], base: AthleteProfile
) -> tuple[AthleteProfile, list[str]]:
    """The profile from parsed answers, checked as a whole; returns notes to show."""
    notes: list[str] = []
    rest, threshold, top = answers["resting_hr"], answers["threshold_hr"], answers["max_hr"]
    if not rest < threshold < top:
        raise ValueError(
            f"heart rates must satisfy resting < threshold < max (got {rest} < {threshold} < {top})"
        )
    preferred: tuple[Weekday, ...] = answers["preferred_days"]
    unavailable: tuple[Weekday, ...] = answers["unavailable_days"]
    long_run: Weekday = answers["long_run_day"]
    clash = sorted(set(preferred) & set(unavailable))
    if clash:
        raise ValueError(f"{_days_text(tuple(clash))} cannot be both preferred and unavailable")
    if long_run in unavailable:
        raise ValueError(f"long-run day {DAY_NAMES[long_run]} is one of your unavailable days")
    if long_run not in preferred:
        preferred = tuple(sorted({*preferred, long_run}))
        notes.append(f"added the long-run day ({DAY_NAMES[long_run]}) to your preferred days")
    if not preferred:
        raise ValueError("choose at least one preferred training day")
    goal = None
    if answers.get("goal_race"):
        goal = GoalRace(
            name=answers["goal_race"],
            date=answers["goal_date"],
            distance_meters=answers["goal_distance"],
            goal_time_seconds=answers.get("goal_time"),
            course_notes=base.goal_race.course_notes if base.goal_race else "",
        )
    elif any(answers.get(k) is not None for k in ("goal_date", "goal_distance", "goal_time")):
        raise ValueError("goal date, distance and time need a goal race name (--goal-race)")
    profile = dataclasses.replace(
        base,
        name=answers["name"],
        timezone=answers["timezone"],
        heart_rate=HeartRateProfile(top, rest, threshold, base.heart_rate.zone_model),
        goal_race=goal,
        preferred_days=preferred,
        long_run_day=long_run,
        unavailable_days=unavailable,
        equipment=answers["equipment"],
        injuries=answers["injuries"],
        coaching_style=answers["style"],
        weekly_minutes_target=answers["weekly_minutes"],
    )
    return profile, notes


def config_text(athlete_id: str) -> str:
    """A fresh ``momentum.toml``."""
    return (
        "# Momentum coach settings. Environment variables override this file, and secrets\n"
        "# (GROQ_API_KEY, SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_APP_TOKEN,\n"
        "# STRAVA_CLIENT_SECRET) belong in the environment, not here.\n"
        f'athlete_id = "{athlete_id}"\n'
        'chat = "console"\n'
        "\n"
        "# [model]\n"
        '# provider = "groq"\n'
        '# model = "openai/gpt-oss-120b"\n'
    )


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# -- plugins --------------------------------------------------------------------------------

_CONTRIBUTION_HOOKS = {
    "data_sources": "momentum_data_sources",
    "file_importers": "momentum_file_importers",
    "domains": "momentum_domains",
    "tools": "momentum_tools",
    "jobs": "momentum_scheduled_jobs",
}


def describe_weekdays(days: tuple[int, ...]) -> str:
    """``daily``, a run like ``Tue–Sun``, or a list like ``Mon, Thu``."""
    names = [DAY_NAMES[d].title() for d in sorted(set(days))]
    ordered = sorted(set(days))
    if len(ordered) == 7:
        return "daily"
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{names[0]}–{names[-1]}"
    return ", ".join(names)


def _job_text(job: Any) -> str:
    return f"{job.name} {describe_weekdays(job.weekdays)} {job.hour:02d}:{job.minute:02d}"


def plugin_report(host: Any) -> list[dict[str, Any]]:
    """What each loaded plugin provides, hook by hook. A hook that fails is reported as
    ``error: …`` in its place so one broken plugin does not hide the others."""
    rows = []
    for loaded in host.plugins():
        plugin = host.pm.get_plugin(loaded.name)
        row: dict[str, Any] = {
            "name": loaded.name,
            "module": loaded.module,
            "distribution": loaded.distribution,
            "hooks": [h.removeprefix("momentum_") for h in loaded.hooks],
        }
        for key, hook_name in _CONTRIBUTION_HOOKS.items():
            row[key] = []
            for impl in getattr(host.pm.hook, hook_name).get_hookimpls():
                if impl.plugin is not plugin:
                    continue
                try:
                    provided = list(impl.function() or [])
                except Exception as exc:
                    row[key].append(f"error: {type(exc).__name__}: {exc}")
                    continue
                row[key].extend(_names(key, provided))
        for domain_job in _domain_jobs(host, plugin):
            row["jobs"].append(domain_job)
        rows.append(row)
    return rows


def _names(key: str, provided: list[Any]) -> list[str]:
    if key == "tools":
        return [tool.spec.name for tool in provided]
    if key == "jobs":
        return [_job_text(job) for job in provided]
    if key == "file_importers":
        return [f"{imp.name} ({' '.join(imp.extensions)})" for imp in provided]
    return [item.name for item in provided]


def _domain_jobs(host: Any, plugin: object) -> list[str]:
    jobs: list[str] = []
    for impl in host.pm.hook.momentum_domains.get_hookimpls():
        if impl.plugin is not plugin:
            continue
        try:
            domains = impl.function() or []
        except Exception:
            continue  # already reported under domains
        jobs.extend(_job_text(job) for domain in domains for job in domain.recurring_jobs)
    return jobs


def _cell(items: list[str]) -> str:
    return "\n".join(items) if items else "–"


_PROVIDES = (
    ("data sources", "data_sources"),
    ("file importers", "file_importers"),
    ("domains", "domains"),
    ("tools", "tools"),
    ("jobs", "jobs"),
)


def _provides(row: dict[str, Any]) -> Text:
    """One labelled line per kind of contribution, e.g. ``tools: log_activity, …``."""
    text = Text()
    for label, key in _PROVIDES:
        if not row[key]:
            continue
        if text:
            text.append("\n")
        text.append(f"{label}: ", style="bold")
        text.append(", ".join(row[key]), style="red" if "error:" in str(row[key]) else "")
    return text if text else Text("–")


# -- commands -------------------------------------------------------------------------------


def register(cli: typer.Typer) -> None:
    """Add ``init``, ``serve`` and ``plugins`` to the root CLI."""
    cli.command("init")(init)
    cli.command("serve")(serve)
    cli.command("plugins")(plugins)


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
    athlete_id: str | None = typer.Option(
        None, "--athlete-id", help="Id for this athlete (default: from momentum.toml, or 'me')."
    ),
    chat_user_id: str | None = typer.Option(
        None, "--chat-user-id", help="Your chat user id (e.g. a Slack user id) for DMs."
    ),
    yes: bool = typer.Option(
        False, "--yes", "-y", "--non-interactive", help="Ask nothing: take defaults for the rest."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the profile of an existing coach."),
) -> None:
    """Create a local coach: ask the profile questions, write momentum.toml, store the profile.

    Every question has a default and can be answered with its flag instead.
    """
    from adapters.local.bootstrap import database_path
    from adapters.local.sqlite_storage import SqliteStorage

    home = home_of(ctx)
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
        profile, notes = build_profile(answers, base)
        if chat_user_id is not None:
            profile = dataclasses.replace(profile, chat_user_id=chat_user_id.strip())
        # Only now, with every answer checked, does anything touch the disk.
        home.mkdir(parents=True, exist_ok=True)
        if not config_path.exists():
            _write_atomically(config_path, config_text(chosen_id))
        with SqliteStorage(database_path(home)) as storage:
            storage.put_athlete(profile)
    except (ValueError, MomentumError) as exc:
        raise fail(str(exc)) from None
    except typer.Abort:
        raise fail("init cancelled: no answer given (use --yes to take the defaults)") from None

    for note in notes:
        console.print(f"note: {note}")
    console.print(_profile_table(profile, home))
    console.print(
        "Next: [bold]momentum import PATH[/] to bring in activities, "
        "[bold]momentum checkin[/] for today's check-in, [bold]momentum serve[/] to run the "
        "coach."
    )


def _existing_profile(db: Path, athlete_id: str) -> AthleteProfile | None:
    """The stored profile, without creating a database that is not there yet."""
    from adapters.local.sqlite_storage import SqliteStorage

    if not db.exists():
        return None
    with SqliteStorage(db) as storage:
        return storage.get_athlete(athlete_id)


def _profile_table(profile: AthleteProfile, home: Path) -> Table:
    table = Table(title=f"Coach created in {home}", show_header=False, title_justify="left")
    table.add_column(style="bold")
    table.add_column()
    hr = profile.heart_rate
    goal = profile.goal_race
    rows = [
        ("athlete", f"{profile.name} ({profile.athlete_id})"),
        ("timezone", profile.timezone),
        ("heart rate", f"max {hr.max_hr} · resting {hr.resting_hr} · threshold {hr.threshold_hr}"),
        (
            "goal race",
            f"{goal.name}, {goal.date.isoformat()}, {goal.distance_meters / 1000:g} km"
            + (f", {_duration_text(goal.goal_time_seconds)}" if goal.goal_time_seconds else "")
            if goal
            else "none",
        ),
        ("training days", _days_text(profile.preferred_days)),
        ("long run", DAY_NAMES[profile.long_run_day]),
        ("unavailable", _days_text(profile.unavailable_days)),
        ("equipment", ", ".join(e.value for e in profile.equipment)),
        ("injuries", ", ".join(profile.injuries) or "none"),
        ("style", profile.coaching_style.value),
        ("weekly minutes", str(profile.weekly_minutes_target)),
    ]
    for key, value in rows:
        table.add_row(key, value)
    return table


def serve(
    ctx: typer.Context,
    port: int = typer.Option(8080, help="HTTP port for webhooks (0 picks a free one)."),
    host: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 for every interface)."),
    socket_mode: bool = typer.Option(
        False, "--socket-mode", help="Talk to Slack over Socket Mode (needs SLACK_APP_TOKEN)."
    ),
    tick_seconds: float = typer.Option(
        30.0, "--tick-seconds", help="How often the scheduler checks for due jobs.", min=1.0
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every request and tick."),
) -> None:
    """Run the coach as a long-lived process: scheduled jobs, webhooks and chat.

    Stops cleanly on Ctrl-C or SIGTERM.
    """
    from adapters.local.bootstrap import close_app, open_app
    from adapters.local.scheduler import LocalScheduler
    from adapters.local.server import chat_for
    from adapters.local.server import serve as run_server

    _configure_logging(logging.DEBUG if verbose else logging.INFO)
    console = Console(highlight=False)
    home = home_of(ctx)
    try:
        chat = chat_for(load_settings(home), socket_mode=socket_mode)
        app = open_app(home, chat=chat)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    try:
        if isinstance(app.scheduler, LocalScheduler):
            app.scheduler.interval = tick_seconds
        run_server(
            app,
            host=host,
            port=port,
            socket_mode=socket_mode,
            announce=lambda line: console.print(line, markup=False),
        )
    except MomentumError as exc:
        raise fail(str(exc)) from None
    finally:
        close_app(app, timeout=5)


def _configure_logging(level: int) -> None:
    from rich.logging import RichHandler

    handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("momentum")
    root.handlers = [handler]
    root.setLevel(level)
    root.propagate = False
    if level > logging.DEBUG:
        logging.getLogger("momentum.http").setLevel(logging.WARNING)


def plugins(
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """List the loaded plugins and what each provides."""
    from core.plugins.host import load_plugins

    try:
        host = load_plugins()
    except Exception as exc:  # a plugin that fails to import names itself in the message
        raise fail(f"could not load plugins: {type(exc).__name__}: {exc}") from None
    rows = plugin_report(host)
    if as_json:
        typer.echo(json.dumps(rows, indent=2))
        return
    table = Table(title=f"{len(rows)} plugin(s) loaded", title_justify="left", show_lines=True)
    table.add_column("plugin", no_wrap=True)
    table.add_column("hooks", no_wrap=True)
    table.add_column("provides")
    for row in rows:
        table.add_row(
            Text.assemble((row["name"], "bold"), "\n", (row["distribution"], "dim")),
            _cell(row["hooks"]),
            _provides(row),
        )
    Console(highlight=False).print(table)
