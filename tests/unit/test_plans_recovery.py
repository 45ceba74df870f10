"""Down weeks: lighter, but never a collapse below the athlete's Minimum Viable Week.

Convention (:mod:`momentum.plugins.running.plans.progression`): a down week comes every 3rd or 4th
week and is
75 % of the preceding build week as planned (common 3:1 loading practice cuts roughly
20–30 % of the build week's volume). It never goes below the MVW's aerobic floor (every MVW
easy run and the long run at their minimum) while the build week is above the floor and the
athlete's established volume is within one 10 % step of it, so the MVW floor may lift it
above 80 % of a build week that is barely above the floor. The cut comes from the long run
and the optional extra runs; the easy runs keep the MVW minimum.

Tolerance: one 5-minute step (``TOL``). Plans speak in 5-minute steps: the down-week target
is rounded down to 5 minutes and laid out in 5-minute sessions.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, assume, given, settings

from momentum.core.model import Activity, AthleteProfile, Equipment
from momentum.plugins.running.model.plan import Plan, PlanWeek, SessionKind
from momentum.plugins.running.plans import build_plan, weekly_refresh
from momentum.plugins.running.plans.guardrails import aerobic_minutes, check_plan, is_taper_week
from momentum.plugins.running.plans.history import History, established_volume, recent_break
from momentum.plugins.running.plans.layout import easy_cap
from momentum.plugins.running.plans.mvw import aerobic_floor
from momentum.plugins.running.plans.progression import MIN_WEEK, Progress, down_week_target
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
    """(build week, down week) pairs: a down week right after a full week of at least
    :data:`MIN_WEEK` minutes (below it the volume rules do not apply, and three quarters of
    a 20-minute week is shorter than the shortest session), taper excluded."""
    return [
        (build, down)
        for build, down in zip(plan.weeks, plan.weeks[1:], strict=False)
        if down.is_recovery
        and not build.is_recovery
        and aerobic_minutes(build) >= MIN_WEEK
        and not is_taper_week(build)
        and not is_taper_week(down)
    ]


def test_down_week_target_convention() -> None:
    """The numbers behind a down week (talk athlete: MVW floor 3×45 + 90 = 225 min)."""
    floor = 225
    # 75 % of the build week: 330 → 247.5.
    assert down_week_target(Progress(last_full=330), floor) == 247.5
    # The MVW floor lifts it (a 260-minute build week: 195 → 225).
    assert down_week_target(Progress(last_full=260), floor) == 225
    # A refresh: sized from the build week as planned (300), not from the 217 minutes the
    # athlete has established, and the floor is within one 10 % step of 217.
    assert down_week_target(Progress(last_full=217, last_build=300), floor) == 225
    # A beginner far below the floor: plain 75 %, capped by the 10 % rule over what he does.
    assert down_week_target(Progress(last_full=120, last_build=200), floor) == pytest.approx(132)
    # The first week back from a break is never raised by the floor.
    assert down_week_target(Progress(last_full=300, return_first=180), floor) == 180


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


# -- The demo's down week (regression) ---------------------------------------------------------

FEB_2 = dt.date(2026, 2, 2)
FEB_23 = dt.date(2026, 2, 23)


def _demo_weeks() -> dict[dt.date, dict[int, float]]:
    """Run minutes by weekday of the demo athlete's weeks (``momentum demo``, seed 2026)."""
    return {
        dt.date(2025, 12, 29): {0: 40, 2: 45, 4: 40, 5: 70},
        dt.date(2026, 1, 5): {0: 45, 2: 45, 3: 45, 5: 75, 6: 30},
        dt.date(2026, 1, 12): {0: 45, 6: 80},
        dt.date(2026, 1, 19): {0: 45, 2: 50, 3: 50, 5: 80, 6: 40},
        dt.date(2026, 1, 26): {0: 48, 2: 50, 5: 85, 6: 30},
        FEB_2: {0: 45, 2: 48, 3: 45, 6: 90},
        dt.date(2026, 2, 9): {2: 40, 5: 95, 6: 40},
        dt.date(2026, 2, 16): {0: 72, 2: 46, 5: 92},
    }


def _demo_strength() -> dict[dt.date, float]:
    """The demo athlete's strength sessions (minutes by day)."""
    return {
        dt.date(2025, 12, 30): 40,
        dt.date(2026, 1, 6): 45,
        dt.date(2026, 1, 13): 40,
        dt.date(2026, 1, 20): 45,
        dt.date(2026, 1, 29): 45,
        dt.date(2026, 2, 3): 40,
        dt.date(2026, 2, 8): 60,
        dt.date(2026, 2, 12): 30,
        dt.date(2026, 2, 17): 40,
        dt.date(2026, 2, 22): 60,
    }


def _demo_history(until: dt.date) -> list[Activity]:
    """The demo athlete's activities before ``until``."""
    acts: list[Activity] = []
    for monday, runs in _demo_weeks().items():
        acts += week_of_runs(monday, runs, hour=7)
    acts += [activity(day, m, "WeightTraining", hour=18) for day, m in _demo_strength().items()]
    return [a for a in acts if a.start.date() < until]


@pytest.mark.parametrize(
    ("sundays", "build_minutes"),
    [
        ((dt.date(2026, 2, 22),), 300),  # as the demo plays it: one refresh, on Feb 22
        ((dt.date(2026, 2, 8), dt.date(2026, 2, 15), dt.date(2026, 2, 22)), 255),  # every Sunday
    ],
)
def test_the_demos_down_week_keeps_the_minimum_viable_week(
    sundays: tuple[dt.date, ...], build_minutes: int
) -> None:
    """Regression (``momentum demo``): the plan made on Feb 2 builds toward 5:00h for
    Feb 16–22; the athlete trains about 5 h a week (runs plus strength: 5:10h that week,
    3:30h of it running) and the plan is refreshed on Sunday night. The down week of Feb 23
    was planned at 2:40h with 25-minute easy runs and a 60-minute long run, below his own
    MVW ("3× 45–60 min Z2 | 1× 90–120 min long run"). It must be a lighter week a coach
    would plan: at least 3:30h and the MVW floor (3×45 + 90), 70–80 % of the build week
    unless the MVW floor lifts it, easy runs at the MVW minimum, the long run trimmed and
    the optional extra dropped. Refreshed every Sunday the build week is sized from what he
    did (4:15h), and the floor keeps the down week at the MVW."""
    athlete = talk_athlete(equipment=(Equipment.TREADMILL, Equipment.DUMBBELLS))
    plan = build_plan(athlete, _demo_history(FEB_2), [], FEB_2)
    for sunday in sundays:
        plan = weekly_refresh(
            plan, athlete, _demo_history(sunday + dt.timedelta(days=1)), [], sunday
        )
    history = History.of(_demo_history(FEB_23), athlete.timezone)
    feb_16 = dt.date(2026, 2, 16)
    runs = sum(_demo_weeks()[feb_16].values())
    assert runs + 40 + 60 == 310  # "Time: 5:11h" in the demo's weekly review
    assert history.aerobic_minutes(feb_16, FEB_23) == runs == 210

    build, down = plan.weeks[0], plan.weeks[1]
    assert (build.start, down.start) == (feb_16, FEB_23)
    assert not build.is_recovery and down.is_recovery
    b, r = aerobic_minutes(build), aerobic_minutes(down)
    floor = aerobic_floor(plan.mvw)
    assert (b, floor) == (build_minutes, 225)
    assert r >= 210 and r >= floor
    assert LOW * b - TOL <= r <= max(HIGH * b, floor) + TOL and r < b
    easy = [s.minutes for s in down.sessions if s.kind is SessionKind.EASY]
    assert len(easy) >= plan.mvw.easy_runs and min(easy) >= plan.mvw.easy_minutes[0] == 45
    assert not any(s.optional for s in down.sessions)
    assert plan.mvw.long_minutes[0] <= _long_run(down) < _long_run(build)
    assert check_plan(plan, athlete, []) == []


def test_an_athlete_on_five_hours_a_week_gets_a_down_week_not_a_collapse() -> None:
    """Eight steady weeks of 5 h running: the fresh plan holds about 5 h for three weeks,
    then a down week of 3:45h (75 %) made of the MVW's three 45-minute runs and a long run
    trimmed from 2 h to 90 minutes, never the week the MVW would call a miss."""
    athlete = talk_athlete()
    history = steady_history(dt.date(2025, 12, 29), 8, 300)
    plan = build_plan(athlete, history, [], FEB_23)
    minutes = [aerobic_minutes(w) for w in plan.weeks[:5]]
    assert [w.is_recovery for w in plan.weeks[:5]] == [False, False, False, True, False]
    assert minutes[:3] == [300, 300, 300]
    assert minutes[3] == 225 >= 210
    easy = [s.minutes for s in plan.weeks[3].sessions if s.kind is SessionKind.EASY]
    assert easy == [45, 45, 45]
    assert _long_run(plan.weeks[3]) == 90 and _long_run(plan.weeks[2]) == 120
    assert minutes[4] == 300  # back to the build volume after the lighter week
    assert check_plan(plan, athlete, [], baseline=300) == []


def test_a_return_from_a_break_still_restarts_below_the_mvw() -> None:
    """The safe return is untouched: after ten days off the first week stays at or under
    75 % of the old volume with short, frequent runs (the MVW floor does not lift it)."""
    athlete = talk_athlete()
    history = steady_history(dt.date(2025, 12, 29), 5, 300)
    history += week_of_runs(dt.date(2026, 2, 2), {0: 45, 2: 45})
    history.append(activity(dt.date(2026, 2, 15), 30))
    plan = build_plan(athlete, history, [], dt.date(2026, 2, 16))
    first = plan.weeks[0]
    assert aerobic_minutes(first) <= 0.75 * 300
    assert not any(s.kind.is_hard for s in first.sessions)
    runs = [s for s in first.sessions if s.kind is SessionKind.EASY]
    assert len(runs) >= 4 and min(s.minutes for s in runs) < 45
