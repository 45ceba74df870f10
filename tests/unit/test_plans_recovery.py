"""Down weeks: lighter, but never a collapse below the athlete's Minimum Viable Week.

Convention (:mod:`core.plans.progression`): a down week comes every 3rd or 4th week and is
75 % of the preceding build week as planned (common 3:1 loading practice cuts roughly
20–30 % of the build week's volume). It never goes below the MVW's aerobic floor (every MVW
easy run and the long run at their minimum) while the athlete's volume is above it, so the
MVW floor may lift it above 80 % of a build week that is barely above the floor. The cut
comes from the long run and the optional extra runs; the easy runs keep the MVW minimum.

Tolerance: one 5-minute step (``TOL``). Plans speak in 5-minute steps: the down-week target
is rounded down to 5 minutes and laid out in 5-minute sessions.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, assume, given, settings

from core.model import Activity, AthleteProfile, Plan, PlanWeek, SessionKind, Weekday
from core.plans import build_plan, weekly_refresh
from core.plans.guardrails import aerobic_minutes, check_plan, is_taper_week
from core.plans.history import History, established_volume, recent_break
from core.plans.layout import easy_cap
from core.plans.mvw import aerobic_floor
from tests.unit.test_plans_guardrails import scenarios
from tests.unit.test_plans_support import (
    activity,
    steady_history,
    talk_athlete,
    week_of_runs,
)

TOL = 5
"""Minutes: one rounding step (see module doc)."""
LOW, HIGH = 0.70, 0.80
"""A down week is 70–80 % of the build week before it (75 % planned)."""


def _down_weeks(plan: Plan) -> list[tuple[PlanWeek, PlanWeek]]:
    """(build week, down week) pairs: a down week right after a full week, taper excluded."""
    return [
        (build, down)
        for build, down in zip(plan.weeks, plan.weeks[1:], strict=False)
        if down.is_recovery
        and not build.is_recovery
        and not is_taper_week(build)
        and not is_taper_week(down)
    ]


def _mvw_runs(week: PlanWeek) -> list[int]:
    """Minutes of the week's non-optional easy runs and cross-training (quality sessions
    swapped for easy by the 80/20 rule are not easy runs the plan chose)."""
    return [
        s.minutes
        for s in week.sessions
        if s.kind in (SessionKind.EASY, SessionKind.CROSS)
        and not s.optional
        and "80/20" not in s.purpose
    ]


def _long_run(week: PlanWeek) -> int:
    return max((s.minutes for s in week.sessions if s.kind is SessionKind.LONG), default=0)


def _assert_a_sound_down_week(plan: Plan, build: PlanWeek, down: PlanWeek) -> None:
    """The down-week convention for one (build, down) pair (module doc)."""
    b, r = aerobic_minutes(build), aerobic_minutes(down)
    floor = aerobic_floor(plan.mvw)
    assert r < b, f"{down.start}: down week {r} is not lighter than {b}"
    assert r >= LOW * b - TOL, f"{down.start}: {r} is below 70% of {b}"
    assert r <= max(HIGH * b, floor) + TOL, f"{down.start}: {r} is above 80% of {b}"
    if b > floor:
        assert r >= floor - TOL, f"{down.start}: {r} is below the MVW floor {floor}"
        e_min = plan.mvw.easy_minutes[0]
        shortest = min(e_min, easy_cap(_long_run(down)))
        assert all(m >= shortest for m in _mvw_runs(down)), (
            f"{down.start}: easy runs {_mvw_runs(down)} below the MVW minimum {e_min}"
        )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_a_down_week_is_70_to_80_percent_of_the_build_week_and_keeps_the_mvw(case) -> None:  # type: ignore[no-untyped-def]
    """Over random athletes, every down week is 70–80 % of the build week before it (±5 min),
    or exactly the MVW floor when the floor lifts it; for athletes whose volume is above the
    MVW floor it never goes below the floor and its easy runs keep the MVW minimum (or the
    week's easy-run cap, when the long run itself is shorter). A return from a break keeps
    its own, lower, protocol for the first weeks, so those athletes are only held to the
    70–80 % rule."""
    athlete, acts, memory, today, _ = case
    plan = build_plan(athlete, acts, memory, today, 12)
    history = History.of(acts, athlete.timezone)
    returning = recent_break(history, today) is not None
    established = established_volume(history, today)
    floor = aerobic_floor(plan.mvw)
    for build, down in _down_weeks(plan):
        if returning or established is None or established <= floor:
            b, r = aerobic_minutes(build), aerobic_minutes(down)
            assert LOW * b - TOL <= r <= max(HIGH * b, floor) + TOL and r < b
        else:
            _assert_a_sound_down_week(plan, build, down)


def _activities_for(week: PlanWeek, athlete: AthleteProfile) -> list[Activity]:
    """Exactly what the week planned, done (runs, cross-training as rides, strength)."""
    kinds = {SessionKind.CROSS: "Ride", SessionKind.STRENGTH: "WeightTraining"}
    return [
        activity(
            s.date,
            s.minutes,
            kinds.get(s.kind, "Run"),
            tz=athlete.timezone,
            athlete_id=athlete.athlete_id,
        )
        for s in week.sessions
        if s.minutes > 0
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_after_weekly_refreshes_a_down_week_follows_the_planned_build_week(case) -> None:  # type: ignore[no-untyped-def]
    """An athlete who does exactly what was planned for three weeks, refreshed every Sunday
    night: the down week that follows is sized from the build week as planned, so it keeps
    the same 70–80 % / MVW-floor convention as a fresh plan."""
    athlete, acts, memory, today, _ = case
    plan = build_plan(athlete, acts, memory, today, 8)
    lived = list(acts)
    for refresh in range(3):
        # The week being lived: the plan's first, then the one after each refreshed week.
        index = 0 if refresh == 0 else 1
        assume(len(plan.weeks) > index + 1)
        week = plan.weeks[index]
        lived += _activities_for(week, athlete)
        plan = weekly_refresh(plan, athlete, lived, memory, week.start + dt.timedelta(days=6))
    assume(len(plan.weeks) > 1)
    assume(recent_break(History.of(lived, athlete.timezone), plan.weeks[1].start) is None)
    floor = aerobic_floor(plan.mvw)
    for build, down in _down_weeks(plan):
        b, r = aerobic_minutes(build), aerobic_minutes(down)
        assert LOW * b - TOL <= r <= max(HIGH * b, floor) + TOL and r < b
