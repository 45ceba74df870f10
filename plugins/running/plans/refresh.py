"""Weekly refresh (Sunday night): planned vs actual, fitness update, the coming weeks redone.

Conventions (RunGPT's weekly cascade):

* The week is reconciled with the activities; sessions with no device data yet are
  *assumed* done (:mod:`momentum.plugins.running.plans.reconcile`) and reconciled later when data
  arrives.
* Fitness is updated: VDOT from the latest race result (reduced after a break), the volume
  the athlete has established (done plus assumed minutes), the longest recent run and form.
  Build weeks ramp from the established volume (10 % rule); a down week is sized from the
  preceding build week as it was planned
  (:func:`momentum.plugins.running.plans.progression.down_week_target`)
  and kept at the Minimum Viable Week floor, not cut to 75 % of the established volume
  (which once turned a 5:00h build week into a 2:40h down week of 25-minute runs).
* The coming weeks are regenerated with the same structure: the same macrocycle, the same
  down-week rhythm (counted on from the plan's own recovery weeks), the same layout rules.
  The window rolls forward so there are always as many weeks ahead as before.
* A changed goal race rebuilds the macrocycle; memory lessons (e.g. the DOMS tag) apply to
  every regenerated week.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.model.plan import Plan, PlanWeek, SessionKind, SessionStatus
from momentum.plugins.running.plans.builder import (
    build_plan,
    context_for,
    generate_weeks,
    goal_label,
    initial_progress,
)
from momentum.plugins.running.plans.comeback import continue_walk_run
from momentum.plugins.running.plans.dates import ONE_WEEK, monday_of
from momentum.plugins.running.plans.guardrails import aerobic_minutes, is_taper_week
from momentum.plugins.running.plans.history import History, recent_break
from momentum.plugins.running.plans.macrocycle import build_macrocycle, extend_momentum
from momentum.plugins.running.plans.reconcile import reconcile_plan


def _assumed(weeks: Sequence[PlanWeek]) -> tuple[dict[dt.date, float], dict[dt.date, float]]:
    minutes: dict[dt.date, float] = {}
    longs: dict[dt.date, float] = {}
    for week in weeks:
        for s in week.sessions:
            if s.status is not SessionStatus.ASSUMED:
                continue
            if s.kind.is_run or s.kind is SessionKind.CROSS:
                minutes[s.date] = minutes.get(s.date, 0.0) + s.minutes
            if s.kind.is_run:
                longs[s.date] = max(longs.get(s.date, 0.0), float(s.minutes))
    return minutes, longs


def _last_build(weeks: Sequence[PlanWeek]) -> float | None:
    """Planned aerobic minutes of the latest build week (not a down, taper or race week)."""
    for week in reversed(weeks):
        if week.is_recovery or is_taper_week(week):
            continue
        return float(aerobic_minutes(week))
    return None


def _full_weeks_since_down(weeks: Sequence[PlanWeek]) -> int:
    count = 0
    for week in reversed(weeks):
        if week.is_recovery:
            break
        count += 1
    return count


def weekly_refresh(
    plan: Plan,
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
) -> Plan:
    """Reconcile this week and regenerate the weeks after it (see module doc).

    The result starts with this week (reconciled, for the weekly review) followed by the
    regenerated weeks; older weeks are dropped from the rolling window.
    """
    timezone = athlete.timezone or plan.timezone
    this_monday = monday_of(today)
    index = next((i for i, w in enumerate(plan.weeks) if w.start == this_monday), None)
    if index is None:
        fresh = build_plan(athlete, activities, memory, today, max(1, len(plan.weeks) or 8))
        return dataclasses.replace(fresh, version=plan.version)
    # The refresh runs at the end of the day (Sunday 21:00): today counts as lived.
    closing = today + dt.timedelta(days=1)
    plan = reconcile_plan(plan, activities, closing, assume_missing=True, timezone=timezone)
    current = plan.weeks[index]
    ahead = max(1, len(plan.weeks) - index)
    minutes, longs = _assumed(plan.weeks[: index + 1])
    history = History.of(activities, timezone, minutes, longs)
    next_monday = this_monday + ONE_WEEK
    goal = goal_label(athlete, next_monday)
    if goal == plan.goal and plan.phases:
        phases = extend_momentum(plan.phases, next_monday + ahead * ONE_WEEK)
    else:
        phases = build_macrocycle(athlete, next_monday)
    brk = recent_break(history, next_monday)
    ctx = context_for(athlete, memory, next_monday, phases, brk, plan, activities)
    progress = initial_progress(history, activities, athlete, next_monday, brk)
    walk_run, quiet = continue_walk_run(list(plan.weeks[: index + 1]))
    if walk_run is not None or quiet:
        # The plan's own walk-run weeks say where the return stands (the history loaded may
        # not reach back to the gap before them).
        progress.walk_run = walk_run
        progress.no_quality_weeks = max(progress.no_quality_weeks, quiet)
        progress.returning = True
    if brk is None:
        progress.full_weeks_since_down = _full_weeks_since_down(plan.weeks[: index + 1])
        progress.last_build = _last_build(plan.weeks[: index + 1])
    progress.prev_sunday_hard = any(
        s.date == next_monday - dt.timedelta(days=1)
        and (s.kind.is_hard or s.kind is SessionKind.LONG)
        for s in current.sessions
    )
    hints = {w.start: w.is_recovery for w in plan.weeks[index + 1 :]}
    upcoming = generate_weeks(ctx, next_monday, ahead, progress, hints)
    done = sum(
        s.minutes
        for s in current.sessions
        if s.status is SessionStatus.DONE and (s.kind.is_run or s.kind is SessionKind.CROSS)
    )
    assumed = sum(m for d, m in minutes.items() if d >= this_monday)
    planned = sum(
        s.minutes
        for s in current.sessions
        if (s.kind.is_run or s.kind is SessionKind.CROSS) and s.status is not SessionStatus.DROPPED
    )
    note = f"Refreshed {today.isoformat()}: {done} of {planned} aerobic min done"
    if assumed:
        note += f", {assumed:.0f} assumed (no device data yet)"
    current = dataclasses.replace(current, changes=(*current.changes, note))
    return dataclasses.replace(
        plan,
        phases=phases,
        mvw=ctx.mvw,
        weeks=(current, *upcoming),
        vdot=ctx.intensities.vdot,
        goal=goal,
        timezone=timezone,
    )
