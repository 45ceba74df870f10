"""Context sections: what the coach sees, built by code from one athlete's view.

The talk's layout: the current week with each activity and its zones, a zone breakdown,
the last three weeks, the plan phase and macrocycle, the race countdown, memory and
recent reflections. Words a person or device wrote are fenced as data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from momentum.core.coach.context import Section
from momentum.core.coach.fence import fence, neutralise
from momentum.core.model import Activity, ActivityNote, Message
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.coach.formatting import (
    DAY_NAMES,
    activity_label,
    fmt_hours,
    fmt_minutes,
    fmt_pace,
    minutes_of,
    week_range,
)
from momentum.plugins.running.coach.memory import prompt_lines
from momentum.plugins.running.coach.metrics import status_of
from momentum.plugins.running.coach.render import session_label, zone_minutes, zones_text
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.coach.volume import WeekVolume, week_volume
from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.profile import running_profile

TITLE_LIMIT = 60
REFLECTION_LIMIT = 240
MAX_REFLECTIONS = 5


def describe_activity(view: AthleteView, activity: Activity, *, title: bool = True) -> str:
    """``Wed Feb 18 - 46min Run (treadmill, 8.5% grade) Z2: 31min, Z3: 11min - Core EF: 0.98``."""
    day = view.day_of(activity)
    label = activity_label(activity)
    where: list[str] = []
    if activity.is_run:
        where.append("treadmill" if activity.is_indoor else "outdoor")
        if activity.avg_incline is not None and abs(activity.avg_incline) >= 0.5:
            where.append(f"{activity.avg_incline:.1f}% grade")
        elif activity.elevation_gain_meters >= 10:
            where.append(f"{activity.elevation_gain_meters:.0f}m elev")
        if activity.distance_meters > 0:
            where.append(f"{activity.distance_meters / 1000:.1f} km")
    if activity.intensity:
        where.append(f"felt {activity.intensity}")
    duration = fmt_minutes(minutes_of(activity))
    text = f"{DAY_NAMES[day.weekday()]} {day:%b} {day.day} - {duration} {label}"
    if where:
        text += f" ({', '.join(where)})"
    if any(activity.zone_seconds):
        text += f" {zones_text(zone_minutes([activity]))}"
    if activity.core_ef is not None:
        text += f" - Core EF: {activity.core_ef:.2f}"
    if title and activity.name:
        text += " " + fence("activity title", activity.name, TITLE_LIMIT)
    return text


def current_week(view: AthleteView, day: dt.date, *, priority: int = 10) -> Section:
    """This week's activities, zone breakdown and what's still planned."""
    start = day - dt.timedelta(days=day.weekday())
    done = view.between(start, day)
    volume = week_volume(status_of(view, day, done), view.plan.week_of(day) if view.plan else None)
    lines = [
        f"Week {week_range(start)} | Activities: {volume.sessions_text()} | "
        f"{_aerobic_text(volume)} | {_strength_text(volume)}",
    ]
    runs = [a for a in done if a.is_run]
    if any(any(a.zone_seconds) for a in runs):
        lines.append(f"Zone breakdown (runs): {zones_text(zone_minutes(runs))}")
    lines.extend(f"- {describe_activity(view, a)}" for a in done)
    week = view.plan.week_of(day) if view.plan else None
    for session in week.sessions if week else ():
        if session.date > day and session.kind is not SessionKind.REST:
            lines.append(f"- {DAY_NAMES[session.date.weekday()]} planned: {session_label(session)}")
    if week is not None and week.changes:
        lines.append("Plan changes: " + "; ".join(week.changes[-3:]))
    return Section("Current week", tuple(lines), priority=priority, required=True)


def _aerobic_text(volume: WeekVolume) -> str:
    """``Aerobic: 3:31h of 5:00h planned``: done and planned on the same basis."""
    text = f"Aerobic: {fmt_hours(volume.aerobic_done)}"
    if volume.aerobic_planned > 0:
        text += f" of {fmt_hours(volume.aerobic_planned)} planned"
    return text


def _strength_text(volume: WeekVolume) -> str:
    """``Strength: 1 session, 40min (planned: 1 session, 60min)``."""
    text = f"Strength: {volume.strength.text()}"
    if volume.strength_planned.sessions:
        text += f" (planned: {volume.strength_planned.text()})"
    return text


def recent_weeks(view: AthleteView, day: dt.date, weeks: int = 3, *, priority: int = 40) -> Section:
    """One line per previous week: aerobic time (vs its plan), strength, activities, long
    run, the runs' Z3 share (the same bases as the weekly review)."""
    start = day - dt.timedelta(days=day.weekday())
    lines = []
    for back in range(weeks, 0, -1):
        week_start = start - dt.timedelta(days=7 * back)
        acts = view.week(week_start)
        plan_week = view.plan.week_of(week_start) if view.plan else None
        volume = week_volume(status_of(view, week_start, acts), plan_week)
        runs = [a for a in acts if a.is_run]
        longest = max((minutes_of(a) for a in runs), default=0.0)
        zones = zone_minutes(runs)
        total_zone = sum(zones)
        z3 = f", runs' Z3 {zones[2] / total_zone:.0%}" if total_zone else ""
        lines.append(
            f"Week of {week_range(week_start)}: {_aerobic_text(volume).lower()}, "
            f"{_strength_text(volume).lower()}, activities {volume.sessions_text()}, "
            f"longest run {fmt_minutes(longest)}{z3}"
        )
    return Section("Recent history (last 3 weeks)", tuple(lines), priority=priority, keep="tail")


def plan_and_race(view: AthleteView, day: dt.date, *, priority: int = 20) -> Section:
    """Phase, macrocycle, Minimum Viable Week and race countdown."""
    lines: list[str] = []
    plan = view.plan
    if plan is not None:
        phase = plan.phase_on(day)
        if phase is not None:
            lines.append(
                f"Phase: {phase.name} ({phase.start:%b %d}–{phase.end:%b %d}): {phase.focus}"
            )
        if plan.phases:
            marks = []
            for p in plan.phases:
                mark = "✓ " if p.end < day else "▶ " if p.start <= day <= p.end else ""
                marks.append(f"{mark}{p.name}")
            lines.append("Macrocycle: " + " | ".join(marks))
        lines.append(f"Minimum Viable Week: {plan.mvw.describe()}")
    race = running_profile(view.athlete).goal_race
    if race is not None:
        days = (race.date - day).days
        when = f"{days} days" if days >= 0 else "done"
        line = f"Race: {neutralise(race.name, 80)}, {race.date:%b} {race.date.day} ({when})"
        if race.course_notes:
            line += f"; course: {neutralise(race.course_notes, 120)}"
        lines.append(line)
    return Section("Plan", tuple(lines), priority=priority)


def memory_section(view: AthleteView, *, priority: int = 15) -> Section:
    """The coach's curated memory (fenced: some of it began as the athlete's words)."""
    lines = tuple(fence("coach memory", line, 300) for line in prompt_lines(view.memory))
    return Section("Memory", lines, priority=priority)


def reflections_section(
    view: AthleteView, day: dt.date, days: int = 7, *, priority: int = 30
) -> Section:
    """What the athlete said recently, newest last, fenced."""
    since = day - dt.timedelta(days=days)
    recent = [r for r in view.reflections if view.day_of_instant(r.at) >= since][-MAX_REFLECTIONS:]
    lines = tuple(
        f"- {view.day_of_instant(r.at):%a}: {fence('athlete reflection', r.text, REFLECTION_LIMIT)}"
        for r in recent
    )
    return Section("Recent reflections", lines, priority=priority, keep="tail")


def notes_section(
    notes: Sequence[ActivityNote], activity: Activity, *, priority: int = 12
) -> Section:
    """Notes on one activity (the athlete's words and the record's own notes), fenced."""
    texts = [*activity.notes, *(n.text for n in notes)]
    lines = tuple(f"- {fence('activity note', t, REFLECTION_LIMIT)}" for t in texts[-4:])
    return Section("Notes on this activity", lines, priority=priority)


def activity_detail(view: AthleteView, activity: Activity, *, priority: int = 5) -> Section:
    """One activity in full: the line, EF, decoupling, splits summary."""
    lines = [describe_activity(view, activity)]
    extra = []
    if activity.efficiency_factor is not None:
        extra.append(f"EF {activity.efficiency_factor:.2f}")
    if activity.decoupling_percent is not None:
        extra.append(f"decoupling {activity.decoupling_percent:.1f}%")
    if activity.avg_hr is not None:
        extra.append(f"avg HR {activity.avg_hr:.0f}")
    gap = running_metrics(activity).gap_seconds_per_km
    if gap:
        extra.append(f"GAP {fmt_pace(gap)}")
    if extra:
        lines.append(", ".join(extra))
    if activity.splits:
        parts = []
        for split in activity.splits[:20]:
            pace = fmt_pace(split.gap_seconds_per_km or split.pace_seconds_per_km).replace(
                " min/km", ""
            )
            hr = f"@{split.avg_hr:.0f}" if split.avg_hr else ""
            parts.append(f"{split.index}:{pace}{hr}")
        lines.append("Splits (km:pace@HR): " + " ".join(parts))
    return Section("This activity", tuple(lines), priority=priority, required=True)


def recent_coach_words(
    messages: Sequence[Message], limit: int = 2, *, priority: int = 60
) -> Section:
    """The coach's last few written lines, so it does not repeat itself."""
    mine = [m for m in messages if m.role.value == "coach" and m.text][-limit:]
    lines = tuple(f"- {m.kind.value}: {fence('coach earlier', m.text, 200)}" for m in mine)
    return Section("What you said recently", lines, priority=priority, keep="tail")


def conversation(messages: Sequence[Message], limit: int = 6, *, priority: int = 25) -> Section:
    """The last turns of the chat, fenced by who said them."""
    turns = [m for m in messages if m.kind.value == "chat"][-limit:]
    lines = []
    for m in turns:
        athlete = m.role.value == "athlete"
        source = "athlete chat earlier" if athlete else "coach earlier"
        lines.append(f"- {'athlete' if athlete else 'you'}: {fence(source, m.text, 200)}")
    return Section("Conversation so far", tuple(lines), priority=priority, keep="tail")


def facts_section(facts: dict[str, str]) -> Section:
    """Code-computed facts as ``key: value`` lines (the offline composer reads them too)."""
    # Code-written messages (the safety layer's, the calendar's) may run longer.
    lines = tuple(
        f"{k}: {neutralise(v, 800 if k.endswith('_message') else 300)}"
        for k, v in facts.items()
        if v
    )
    return Section("Facts", lines, priority=0, required=True)
