"""The code-rendered part of each message: the week tree, bars, ticks and numbers.

These are the pictures from the talk: ``✓`` done, ``○`` planned, ``—`` rest; the aerobic
bar ``Aerobic: 2:48h / 5:00h``; the Minimum Viable Week ticks ``MVW: 3 runs ✓✓○ | Long
Run ○ | Strength ○``; and ``Fitness: ↑ +5% (30d) | Durability: building``. When the athlete
is fragile the picture shrinks to the gap (``⚠ Last run: 3 days ago``) and a row of dots.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.coach.sanitize import strip_links, strip_mentions
from momentum.core.model import Activity
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.coach.formatting import (
    DAY_NAMES,
    activity_label,
    ago,
    fmt_hours,
    fmt_km,
    fmt_minutes,
    fmt_pace,
    fmt_signed_percent,
    is_strength,
    minutes_of,
    week_range,
)
from momentum.plugins.running.model.plan import MinimumViableWeek, PlannedSession, SessionKind
from momentum.plugins.running.plans import DayStatus, WeekStatus

DONE, PLANNED, REST, SKIPPED = "✓", "○", "—", "·"
BAR_CELLS = 10
LONG_RUN_SHARE = 0.9
"""A run counts as the long run if it reaches this share of the MVW's shortest long run."""


def display_name(text: str, limit: int = 60) -> str:
    """An untrusted title made safe to show in chat (no pings, no links, one line)."""
    one_line = " ".join(strip_links(strip_mentions(text)).split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def bar(done: float, planned: float, cells: int = BAR_CELLS) -> str:
    """``███░░░░░░░`` for ``done`` of ``planned`` (full when over)."""
    if planned <= 0:
        return ""
    filled = max(0, min(cells, round(cells * done / planned)))
    return "█" * filled + "░" * (cells - filled)


def session_label(session: PlannedSession) -> str:
    """``45min Z2 Run``, ``Long Run (90min)``, ``Strength (60min)`` … (the plan's own title
    when it has one)."""
    minutes = f"{session.minutes}min"
    kind = session.kind
    if session.title and kind is not SessionKind.RACE:
        label = display_name(session.title)
    elif kind is SessionKind.EASY:
        label = f"{minutes} {session.zone or 'Z2'} Run"
    elif kind is SessionKind.LONG:
        label = f"Long Run ({minutes})"
    elif kind is SessionKind.STRENGTH:
        label = f"Strength ({minutes})"
    elif kind is SessionKind.TEMPO:
        label = f"{minutes} Tempo Run"
    elif kind is SessionKind.INTERVALS:
        label = f"{minutes} Intervals"
    elif kind is SessionKind.CROSS:
        label = f"{minutes} Cross-training"
    elif kind is SessionKind.RACE:
        label = display_name(session.title) or "Race"
    else:
        label = "Rest"
    if session.optional and "optional" not in label.lower():
        return f"{label} (optional)"
    return label


def activity_summary(activity: Activity, *, long_run: bool = False) -> str:
    """``48min Run - EF: 1.02`` (EF is Core EF when known)."""
    label = activity_label(activity)
    if long_run and label == "Run":
        label = "Long Run"
    text = f"{fmt_minutes(minutes_of(activity))} {label}"
    ef = activity.core_ef if activity.core_ef is not None else activity.efficiency_factor
    if ef is not None and activity.is_run:
        text += f" - EF: {ef:.2f}"
    return text


def _day_line(day: DayStatus, highlight: str | None, mvw: MinimumViableWeek) -> str:
    name = DAY_NAMES[day.day.weekday()]
    if day.activities:
        long_session = day.session is not None and day.session.kind is SessionKind.LONG
        parts = [
            activity_summary(a, long_run=long_session or _is_long(a, mvw)) for a in day.activities
        ]
        line = f"{DONE} {name} - " + " + ".join(parts)
        if day.status == "extra":
            line += " (extra)"
        if highlight and any(a.activity_id == highlight for a in day.activities):
            line += " ← just now"
        return line
    planned = [s for s in (day.sessions or (day.session,)) if s is not None]
    planned = [s for s in planned if s.kind is not SessionKind.REST]
    if not planned or day.status == "rest":
        return f"{REST} {name}"
    label = " + ".join(session_label(s) for s in planned)
    if day.status == "missed":
        return f"{SKIPPED} {name} - {label} (skipped)"
    return f"{PLANNED} {name} - {label}"


def _is_long(activity: Activity, mvw: MinimumViableWeek) -> bool:
    return activity.is_run and minutes_of(activity) >= LONG_RUN_SHARE * mvw.long_minutes[0]


def week_tree(
    status: WeekStatus,
    mvw: MinimumViableWeek,
    *,
    highlight: str | None = None,
) -> list[str]:
    """The week as a tree, one line per day, Monday first."""
    days = sorted(status.days, key=lambda d: d.day)
    lines = []
    for index, day in enumerate(days):
        branch = "└─" if index == len(days) - 1 else "├─"
        lines.append(f"{branch} {_day_line(day, highlight, mvw)}")
    return lines


def aerobic_line(status: WeekStatus) -> str:
    """``Aerobic: 2:48h / 5:00h ██████░░░░``."""
    done, planned = status.aerobic_minutes_done, status.aerobic_minutes_planned
    if planned <= 0:
        return f"Aerobic: {fmt_hours(done)}"
    text = f"Aerobic: {fmt_hours(done)} / {fmt_hours(planned)}"
    drawn = bar(done, planned)
    return f"{text} {drawn}" if drawn else text


@dataclass(frozen=True)
class MvwTicks:
    """Minimum Viable Week progress: (done, target) for runs, long run and strength."""

    runs: tuple[int, int]
    long_run: tuple[int, int]
    strength: tuple[int, int]

    @property
    def complete(self) -> bool:
        """Every part of the floor is met."""
        return all(done >= target for done, target in (self.runs, self.long_run, self.strength))


def mvw_ticks(status: WeekStatus, mvw: MinimumViableWeek) -> MvwTicks:
    """Ticks from the week status (``runs``/``long_run``/``strength`` keys), or counted
    from the week's activities when the status does not carry them."""
    found: dict[str, tuple[int, int]] = {}
    for key, value in status.mvw.items():
        k = key.lower()
        if "long" in k:
            found["long_run"] = value
        elif "strength" in k:
            found["strength"] = value
        elif "run" in k:
            found["runs"] = value
    if len(found) == 3:
        return MvwTicks(found["runs"], found["long_run"], found["strength"])
    activities = [a for d in status.days for a in d.activities]
    long_runs = [a for a in activities if _is_long(a, mvw)]
    runs = [a for a in activities if a.is_run]
    strength = [a for a in activities if is_strength(a)]
    return MvwTicks(
        (len(runs), mvw.easy_runs),
        (len(long_runs), mvw.long_runs),
        (len(strength), mvw.strength_sessions),
    )


def _ticks(done: int, target: int) -> str:
    return DONE * min(done, target) + PLANNED * max(0, target - done)


def mvw_line(ticks: MvwTicks) -> str:
    """``MVW: 3 runs ✓✓○ | Long Run ○ | Strength ○``."""
    runs_done, runs_target = ticks.runs
    return (
        f"MVW: {runs_target} runs {_ticks(runs_done, runs_target)} | "
        f"Long Run {_ticks(*ticks.long_run)} | Strength {_ticks(*ticks.strength)}"
    )


def fitness_line(change_30d_percent: float | None, durability: str) -> str:
    """``Fitness: ↑ +5% (30d) | Durability: building``."""
    if change_30d_percent is None:
        fitness = "Fitness: building a baseline"
    else:
        arrow = "↑" if change_30d_percent >= 1 else "↓" if change_30d_percent <= -1 else "→"
        fitness = f"Fitness: {arrow} {fmt_signed_percent(change_30d_percent)} (30d)"
    return f"{fitness} | Durability: {durability or 'unknown'}"


def week_picture(
    status: WeekStatus,
    mvw: MinimumViableWeek,
    *,
    fitness: str,
    highlight: str | None = None,
    title: str | None = None,
) -> str:
    """The full weekly picture: title, aerobic bar, tree, MVW ticks, fitness line."""
    lines = [
        title or f"*Week of {week_range(status.start)}*",
        aerobic_line(status),
        *week_tree(status, mvw, highlight=highlight),
        mvw_line(mvw_ticks(status, mvw)),
    ]
    if fitness:
        lines.append(fitness)
    return "\n".join(lines)


def dots(recent_days: Sequence[bool]) -> str:
    """``●○○●○○○``: active days, oldest first."""
    return "".join("●" if active else "○" for active in recent_days)


def gap_picture(days_since_run: int | None, recent_days: Sequence[bool]) -> str:
    """The fragile picture: the gap and the last seven days, no bars."""
    active = sum(1 for d in recent_days if d)
    return (
        f"⚠ Last run: {ago(days_since_run)}\n"
        f"Last 7 days: {active}/{len(recent_days)} {dots(recent_days)}"
    )


def zone_minutes(activities: Sequence[Activity]) -> list[float]:
    """Minutes in Z1–Z5 summed over ``activities``."""
    totals = [0.0] * 5
    for activity in activities:
        for i, seconds in enumerate(activity.zone_seconds):
            totals[i] += seconds / 60.0
    return totals


def zones_text(minutes: Sequence[float]) -> str:
    """``Z1: 4min, Z2: 31min, Z3: 11min`` (zones with at least a minute)."""
    parts = [f"Z{i + 1}: {fmt_minutes(m)}" for i, m in enumerate(minutes) if m >= 1]
    return ", ".join(parts) if parts else "no heart-rate zones"


def activity_header(activity: Activity) -> list[str]:
    """The review's activity lines: name, distance · duration · pace (GAP) · grade, Core
    EF, heart-rate zones."""
    where = " (treadmill)" if activity.is_indoor and activity.is_run else ""
    name = display_name(activity.name) or activity_label(activity)
    lines = [f"*Latest activity: {name}*{where}"]
    parts = []
    if activity.distance_meters > 0:
        parts.append(f"Distance: {fmt_km(activity.distance_meters)}")
    parts.append(f"Duration: {fmt_minutes(minutes_of(activity))}")
    moving = activity.moving_time_seconds or activity.elapsed_time_seconds
    if activity.is_run and activity.distance_meters > 0 and moving > 0:
        pace = f"Pace: {fmt_pace(moving / (activity.distance_meters / 1000))}"
        gap = running_metrics(activity).gap_seconds_per_km
        if gap:
            pace += f" (GAP: {fmt_pace(gap)})"
        parts.append(pace)
    if activity.avg_incline is not None and abs(activity.avg_incline) >= 0.5:
        parts.append(f"Grade: {activity.avg_incline:.1f}%")
    elif activity.elevation_gain_meters >= 10:
        parts.append(f"Elevation: {activity.elevation_gain_meters:.0f} m")
    if activity.intensity:
        parts.append(f"Intensity: {activity.intensity}")
    lines.append(" · ".join(parts))
    if activity.core_ef is not None:
        steady = (
            f" ({fmt_minutes(activity.core_ef_seconds / 60)} steady-state)"
            if activity.core_ef_seconds
            else ""
        )
        lines.append(f"Core EF: {activity.core_ef:.2f}{steady}")
    if any(activity.zone_seconds):
        lines.append(f"HR Zones: {zones_text(zone_minutes([activity]))}")
    return lines


def load_line(fitness_delta: float, fatigue_delta: float, momentum: str) -> str:
    """``Load: +5.2 fitness · +2.9 fatigue | Momentum: ↑ vs last week``."""
    return f"Load: {fitness_delta:+.1f} fitness · {fatigue_delta:+.1f} fatigue | {momentum}"


def momentum_text(this_week_minutes: float, last_week_minutes: float) -> str:
    """Momentum against the same point of last week: ``Momentum: ↑ 2:38h vs 1:58h aerobic
    at this point last week``. Both figures are aerobic minutes (runs and cross-training,
    the ``Aerobic:`` bar's convention); strength is never counted in them."""
    if last_week_minutes <= 0 and this_week_minutes <= 0:
        return "Momentum: fresh start"
    if last_week_minutes <= 0:
        return "Momentum: ↑ vs last week"
    change = (this_week_minutes - last_week_minutes) / last_week_minutes * 100
    arrow = "↑" if change >= 5 else "↓" if change <= -5 else "→"
    return (
        f"Momentum: {arrow} {fmt_hours(this_week_minutes)} vs "
        f"{fmt_hours(last_week_minutes)} aerobic at this point last week"
    )


def day_name(day: dt.date) -> str:
    """``Mon`` … ``Sun``."""
    return DAY_NAMES[day.weekday()]
