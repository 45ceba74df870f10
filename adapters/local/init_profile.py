"""The ``momentum init`` profile questions, and the athlete profile built from the answers.

:func:`collect_answers` takes each answer from its flag, else asks for it (or, with
``--yes``, takes its default); the parsers live in :mod:`momentum.adapters.local.profile_answers`.
:func:`build_profile` then checks the answers as a whole (heart rates in order, days that
do not clash, goal details only with a goal race). :func:`config_text` is the fresh
``momentum.toml`` written next to the profile.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import typer

from momentum.adapters.local.profile_answers import (
    DAY_NAMES,
    days_text,
    distance_text,
    duration_text,
    int_in,
    parse_day,
    parse_days,
    parse_distance,
    parse_duration,
    parse_equipment,
    parse_injuries,
    parse_name,
    parse_race_date,
    parse_style,
    parse_timezone,
)
from momentum.core.model import AthleteProfile, CoachingStyle, Equipment, HeartRateProfile, Weekday
from momentum.plugins.running.profile import (
    CurrentTraining,
    GoalRace,
    running_profile,
    with_running_profile,
)


@dataclass(frozen=True)
class Question:
    """One profile question: its flag's value, prompt, default and parser."""

    key: str
    prompt: str
    default: str
    parse: Callable[[str], Any]


def _questions(today: dt.date, base: AthleteProfile) -> list[Question]:
    hr = base.heart_rate
    running = running_profile(base)
    now, goal = running.current_training, running.goal_race
    return [
        Question("name", "Your name", base.name, parse_name),
        Question("timezone", "Timezone (IANA name)", base.timezone, parse_timezone),
        Question("max_hr", "Maximum heart rate (bpm)", str(hr.max_hr), int_in(120, 230, "max HR")),
        Question(
            "resting_hr",
            "Resting heart rate (bpm)",
            str(hr.resting_hr),
            int_in(30, 110, "rest HR"),
        ),
        Question(
            "threshold_hr",
            "Lactate-threshold heart rate (bpm)",
            str(hr.threshold_hr),
            int_in(90, 220, "threshold HR"),
        ),
        Question(
            "goal_race",
            "Goal race name (empty for none)",
            goal.name if goal else "",
            str.strip,
        ),
        Question(
            "goal_date",
            "Goal race date (YYYY-MM-DD)",
            (goal.date if goal else today + dt.timedelta(weeks=16)).isoformat(),
            lambda v: parse_race_date(v, today),
        ),
        Question(
            "goal_distance",
            "Goal race distance (e.g. 10K, half, marathon, 30K)",
            distance_text(goal.distance_meters) if goal else "10K",
            parse_distance,
        ),
        Question(
            "goal_time",
            "Goal time (H:MM:SS, empty for none)",
            duration_text(goal.goal_time_seconds) if goal else "",
            parse_duration,
        ),
        Question(
            "preferred_days",
            "Preferred training days",
            days_text(base.preferred_days),
            lambda v: parse_days(v, "preferred day"),
        ),
        Question(
            "long_run_day",
            "Long-run day",
            DAY_NAMES[running.long_run_day],
            lambda v: parse_day(v, "long-run day"),
        ),
        Question(
            "unavailable_days",
            "Days you can't train",
            days_text(base.unavailable_days),
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
            int_in(30, 1500, "weekly minutes"),
        ),
        Question(
            "current_minutes",
            "Minutes you run in a typical week now (0 if you don't run yet)",
            str(now.weekly_minutes) if now else "0",
            int_in(0, 1500, "current weekly minutes"),
        ),
        Question(
            "current_runs",
            "Runs in a typical week now",
            str(now.runs_per_week) if now else "3",
            int_in(0, 14, "runs a week"),
        ),
        Question(
            "longest_run",
            "Longest run in the last month (minutes)",
            str(now.longest_run_minutes) if now else "30",
            int_in(0, 600, "longest run"),
        ),
    ]


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
        nothing_now = not answers.get("current_minutes")
        later = question.key in ("current_runs", "longest_run")
        if later and nothing_now and given.get(question.key) is None:
            answers[question.key] = 0  # runs nothing now: walk-run, nothing more to ask
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
    answers: dict[str, Any], base: AthleteProfile, today: dt.date | None = None
) -> tuple[AthleteProfile, list[str]]:
    """The profile from parsed answers, checked as a whole; returns notes to show. What the
    athlete runs now (``current_*``) becomes their :class:`CurrentTraining` as of ``today``:
    a new athlete's plan starts there (:mod:`momentum.plugins.running.plans.comeback`)."""
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
        raise ValueError(f"{days_text(tuple(clash))} cannot be both preferred and unavailable")
    if long_run in unavailable:
        raise ValueError(f"long-run day {DAY_NAMES[long_run]} is one of your unavailable days")
    if long_run not in preferred:
        preferred = tuple(sorted({*preferred, long_run}))
        notes.append(f"added the long-run day ({DAY_NAMES[long_run]}) to your preferred days")
    if not preferred:
        raise ValueError("choose at least one preferred training day")
    before = running_profile(base).goal_race
    goal = None
    if answers.get("goal_race"):
        goal = GoalRace(
            name=answers["goal_race"],
            date=answers["goal_date"],
            distance_meters=answers["goal_distance"],
            goal_time_seconds=answers.get("goal_time"),
            course_notes=before.course_notes if before else "",
        )
    elif any(answers.get(k) is not None for k in ("goal_date", "goal_distance", "goal_time")):
        raise ValueError("goal date, distance and time need a goal race name (--goal-race)")
    profile = with_running_profile(
        dataclasses.replace(
            base,
            name=answers["name"],
            timezone=answers["timezone"],
            heart_rate=HeartRateProfile(top, rest, threshold, base.heart_rate.zone_model),
            preferred_days=preferred,
            unavailable_days=unavailable,
            equipment=answers["equipment"],
            injuries=answers["injuries"],
            coaching_style=answers["style"],
            weekly_minutes_target=answers["weekly_minutes"],
        ),
        goal_race=goal,
        long_run_day=long_run,
    )
    if "current_minutes" in answers:
        profile = with_running_profile(
            profile,
            current_training=CurrentTraining(
                as_of=today or dt.date.today(),
                weekly_minutes=answers["current_minutes"],
                runs_per_week=answers.get("current_runs", 0),
                longest_run_minutes=answers.get("longest_run", 0),
            ),
        )
        if answers["current_minutes"] < 60:
            notes.append("you run little or nothing now: the plan starts with walk-run")
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
