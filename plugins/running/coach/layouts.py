"""The code-rendered part of each kind of message, shaped by the athlete's state.

Thriving and on-track athletes see the whole picture. A fragile athlete sees only the
gap (no bars, no ticks). A low athlete sees nothing above the words, so the message
opens with the motivation prime.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from momentum.core.coach.state import MotivationState, StateAssessment
from momentum.core.model import Activity
from momentum.plugins.running.coach.formatting import fmt_hours, long_date, week_range
from momentum.plugins.running.coach.metrics import Fitness
from momentum.plugins.running.coach.render import (
    activity_header,
    fitness_line,
    gap_picture,
    load_line,
    mvw_line,
    mvw_ticks,
    week_picture,
    week_tree,
    zone_minutes,
)
from momentum.plugins.running.coach.volume import WeekVolume, change_text
from momentum.plugins.running.model.plan import MinimumViableWeek, Plan
from momentum.plugins.running.plans import WeekStatus

Z3_FLAG = 0.20


def _mvw(plan: Plan | None) -> MinimumViableWeek:
    return plan.mvw if plan is not None else MinimumViableWeek()


def checkin(
    day: dt.date,
    state: StateAssessment,
    status: WeekStatus,
    plan: Plan | None,
    fit: Fitness,
) -> str:
    """Morning check-in: the full week picture, the gap, or nothing (low)."""
    if state.state is MotivationState.LOW:
        return ""
    if state.state is MotivationState.FRAGILE:
        return gap_picture(state.days_since_run, state.recent_days)
    return week_picture(
        status,
        _mvw(plan),
        fitness=fitness_line(fit.change_30d_percent, fit.durability),
        title=f"*{long_date(day)} check-in*\n*Week of {week_range(status.start)}*",
    )


def review(
    activity: Activity,
    status: WeekStatus,
    plan: Plan | None,
    contribution: tuple[float, float] | None,
    momentum: str,
) -> str:
    """Post-activity review: the activity, its load, and the week with "← just now"."""
    lines = activity_header(activity)
    if contribution is not None:
        lines.append(load_line(contribution[0], contribution[1], momentum))
    else:
        lines.append(momentum)
    picture = week_picture(status, _mvw(plan), fitness="", highlight=activity.activity_id)
    return "\n".join(lines) + "\n\n" + picture


def monday_plan(
    day: dt.date, state: StateAssessment, status: WeekStatus, plan: Plan | None, fit: Fitness
) -> str:
    """Monday: the week laid out (just the days when fragile, nothing when low)."""
    if state.state is MotivationState.LOW:
        return ""
    title = f"*Week of {week_range(status.start)}*"
    if state.state is MotivationState.FRAGILE:
        return "\n".join([title, *week_tree(status, _mvw(plan))])
    lines = [
        week_picture(
            status,
            _mvw(plan),
            fitness=fitness_line(fit.change_30d_percent, fit.durability),
            title=title,
        )
    ]
    phase = plan.phase_on(day) if plan is not None else None
    if phase is not None:
        lines.append(f"Phase: {phase.name}: {phase.focus}")
    return "\n".join(lines)


def _zone_shares(activities: Sequence[Activity]) -> str:
    zones = zone_minutes(activities)
    total = sum(zones)
    if total <= 0:
        return ""
    shares = [z / total for z in zones]
    text = (
        f"Zones (runs): Z1 {shares[0]:.0%} · Z2 {shares[1]:.0%} · Z3 {shares[2]:.0%} · "
        f"Z4+ {shares[3] + shares[4]:.0%}"
    )
    if shares[2] > Z3_FLAG:
        text += " ⚠ Z3-heavy"
    return text


def weekly_review(
    week_start: dt.date,
    state: StateAssessment,
    volume: WeekVolume,
    aerobic_last_week: int,
    status: WeekStatus,
    plan: Plan | None,
    fit: Fitness,
    race: str,
) -> str:
    """Weekly review: aerobic time vs last week and vs the plan (like with like: strength
    is never added to it), strength on its own line, zone balance, MVW, fitness, race."""
    title = f"*Week of {week_range(week_start)}: review*"
    aerobic = f"Aerobic: {fmt_hours(volume.aerobic_done)}"
    strength = f"Strength: {volume.strength.text()}"
    if state.state.off_track:
        short = f"{volume.sessions} sessions · {aerobic}"
        if volume.strength.sessions:
            short += f" · {strength}"
        return f"{title}\n{short}"
    sessions = f"Sessions: {volume.sessions_text()}"
    distance = volume.run_distance_text()
    if distance:
        sessions += f" · Distance (runs): {distance}"
    versus = f"{aerobic} · vs last week: {fmt_hours(aerobic_last_week)}"
    change = change_text(volume.aerobic_done, aerobic_last_week)
    if change:
        versus += f" ({change})"
    share = volume.plan_share
    if share is not None:
        versus += f" · vs plan: {fmt_hours(volume.aerobic_planned)} ({share:.0%})"
    if volume.strength_planned.sessions:
        strength += f" (plan: {volume.strength_planned.text()})"
    lines = [title, sessions, versus]
    if volume.strength.sessions or volume.strength_planned.sessions:
        lines.append(strength)
    runs = [a for day in status.days for a in day.activities if a.is_run]
    zones = _zone_shares(runs)
    if zones:
        lines.append(zones)
    lines.append(mvw_line(mvw_ticks(status, _mvw(plan))))
    lines.append(fitness_line(fit.change_30d_percent, fit.durability))
    if race:
        lines.append(f"Race: {race}")
    return "\n".join(lines)


def feedback(activity: Activity) -> str:
    """Session feedback: the activity lines (the words carry the three parts)."""
    lines = activity_header(activity)
    lines[0] = lines[0].replace("Latest activity", "Session feedback")
    return "\n".join(lines)
