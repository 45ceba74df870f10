"""Answers from facts: the plan, a pace, the last run and the race goal.

``coaching_question`` gathers the facts (:func:`question_facts` adds the last run, the week,
the paces with the VDOT they come from, the goal check and predictions); with a model, the
model words the answer from them; offline, :func:`answer` does, in plain sentences built
only from those facts. Every value is one line with no ``"; "`` inside, because the tool
result is flattened into ``key: value; key: value`` for the follow-up prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from momentum.plugins.running.coach.formatting import DAY_NAMES, fmt_minutes, minutes_of
from momentum.plugins.running.coach.grammar import clock_text
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.profile import running_profile

PACE_NAMES = (("E", "easy and long runs"), ("M", "marathon pace"), ("T", "threshold"))


def _flat(text: str) -> str:
    return text.replace("; ", ", ").replace("\n", " ")


def _pace(seconds_per_km: float) -> str:
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d}/km"


def _span(pace: tuple[float, float]) -> str:
    fast, slow = pace
    if round(fast) == round(slow):
        return _pace(fast)
    return f"{_pace(fast)[:-3]}–{_pace(slow)}"


def last_run_fact(view: AthleteView) -> str | None:
    """``Sat Mar 07: 8.0 km in 45:10 (5:39/km), avg HR 148, 62% in Z2`` or ``None``."""
    run = view.last_run()
    if run is None:
        return None
    day = view.day_of(run)
    parts = []
    seconds = run.moving_time_seconds or run.elapsed_time_seconds
    if run.distance_meters > 0:
        parts.append(f"{run.distance_meters / 1000:.1f} km in {clock_text(seconds)}")
        parts.append(f"({_pace(seconds / run.distance_meters * 1000)})")
    else:
        parts.append(fmt_minutes(minutes_of(run)))
    text = " ".join(parts)
    if run.avg_hr:
        text += f", avg HR {run.avg_hr:.0f}"
    zones = run.zone_seconds
    total = sum(zones)
    if total > 0:
        top = max(range(5), key=lambda i: zones[i])
        text += f", {zones[top] / total:.0%} in Z{top + 1}"
    name = f" ({run.name})" if run.name else ""
    return f"{DAY_NAMES[day.weekday()]} {day:%b %d}{name}: {text}"


def question_facts(view: AthleteView) -> list[str]:
    """Facts for plan, pace, last-run and race questions (``key: value`` lines)."""
    from momentum.plugins.running.analytics.evidence import best_evidence
    from momentum.plugins.running.analytics.prediction import predictions
    from momentum.plugins.running.analytics.vdot import training_paces
    from momentum.plugins.running.coach.render import session_label
    from momentum.plugins.running.plans.goal_check import check_goal

    facts: list[str] = []
    last = last_run_fact(view)
    if last:
        facts.append(f"last run: {_flat(last)}")
    week = view.plan.week_of(view.day) if view.plan else None
    if week is not None:
        days = [
            f"{DAY_NAMES[s.date.weekday()]} {session_label(s)} ({s.status.value})"
            for s in week.sessions
            if s.kind.value != "rest"
        ]
        facts.append("this week: " + ", ".join(days))
    found = best_evidence(view.athlete, view.activities, view.day)
    if found is not None:
        paces = training_paces(found.vdot)
        shown = [f"{label} {_span(paces[key])}" for key, label in PACE_NAMES]
        facts.append("paces: " + ", ".join(shown))
        facts.append(f"vdot: {_flat(found.describe())}")
        times = predictions(found.vdot)
        facts.append("predicted: " + ", ".join(f"{k} {clock_text(v)}" for k, v in times.items()))
    else:
        facts.append("paces: none yet (no race result and no runs with heart rate)")
    race = running_profile(view.athlete).goal_race
    verdict = check_goal(view.athlete, view.activities, view.day)
    if race is not None and verdict is not None:
        facts.append(f"goal: {_flat(verdict.sentence(race))}")
    return facts


def answer(topic: str, facts: Mapping[str, str]) -> str | None:
    """A plain answer to a plan, pace, last-run or race question from ``facts``; ``None``
    for other topics."""
    today = facts.get("planned today", "rest")
    tomorrow = facts.get("planned tomorrow", "rest")
    if topic == "plan":
        week = facts.get("this week", "")
        text = f"Today: {today}. Tomorrow: {tomorrow}."
        return f"{text} This week: {week}." if week else text
    if topic == "pace":
        paces = facts.get("paces", "")
        if not paces or paces.startswith("none"):
            return (
                "I don't have paces for you yet: no race result and no runs with heart rate. "
                "Run easy by heart rate (Z2) and feel for now, and tell me a race result "
                '("I ran a 10k race in 52:30 on Sunday") to get paces.'
            )
        return f"Your paces: {paces}. They come from {facts.get('vdot', 'your VDOT')}."
    if topic == "last_run":
        last = facts.get("last run")
        if not last:
            return "I don't see a run yet; once one syncs or you log it, I'll go through it."
        return f"Your last run: {last}. Next up: {today if today != 'rest' else tomorrow}."
    if topic == "race":
        goal = facts.get("goal")
        predicted = facts.get("predicted")
        if not goal and not predicted:
            return "No goal race set yet: tell me the race, its date and distance."
        parts = [p for p in (goal, f"Predicted now: {predicted}." if predicted else "") if p]
        return " ".join(parts)
    return None


def fallback(facts: Mapping[str, str]) -> str:
    """The answer when the question is none of the above: the facts that are there, and
    what can be asked."""
    today = facts.get("planned today", "rest")
    last = facts.get("last run")
    text = f"Today's plan: {today}."
    if last:
        text += f" Your last run: {last}."
    return (
        text + " Ask me about the plan, a pace or your last run and I'll answer from your numbers."
    )


def race_facts(view: AthleteView, day: dt.date) -> dict[str, str]:
    """Facts for the weekly review and the Monday plan: the predicted race times and how
    they moved over twelve weeks (:mod:`momentum.plugins.running.analytics.prediction`), and the
    goal
    check (:mod:`momentum.plugins.running.plans.goal_check`), which says plainly when the goal no
    longer fits."""
    from momentum.plugins.running.analytics.prediction import trend, trend_line
    from momentum.plugins.running.plans.goal_check import check_goal

    found: dict[str, str] = {}
    points = trend(view.athlete, view.activities, day)
    latest = points[-1].evidence if points else None
    if latest is not None:
        race = running_profile(view.athlete).goal_race
        meters, label = (
            (race.distance_meters, f"{round(race.distance_meters / 1000, 1):g} km")
            if race is not None and race.date >= day
            else (10000.0, "10K")
        )
        found["prediction"] = f"{label} {clock_text(points[-1].seconds(meters) or 0)}"
        found["vdot_source"] = _flat(latest.describe())
        line = trend_line(points, meters, label)
        if line:
            found["prediction_trend"] = line
    verdict = check_goal(view.athlete, view.activities, day)
    goal = running_profile(view.athlete).goal_race
    if verdict is not None and goal is not None:
        found["goal_check"] = _flat(verdict.sentence(goal))
        found["goal_fits"] = "yes" if verdict.fits else "no"
    return found
