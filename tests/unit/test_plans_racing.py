"""After a race: no quality session for one easy day per mile raced (at least 2, at most 14
days; :mod:`momentum.plugins.running.plans.racing`), whether the race was the plan's goal race, a
race in the
plan or a race result the athlete logged, and whoever touches the plan (a fresh build, the
Sunday refresh, a midweek reshuffle)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans import build_plan, reshuffle, weekly_refresh
from momentum.plugins.running.plans.guardrails import check_hard_days, check_plan, check_post_race
from momentum.plugins.running.plans.racing import recovery_days
from momentum.plugins.running.profile import (
    GoalRace,
    RaceResult,
    running_athlete,
    running_profile,
    with_running_profile,
)
from tests.unit.test_plans_guardrails import any_day, scenarios
from tests.unit.test_plans_support import (
    DISTANCES,
    activity,
    steady_history,
    talk_athlete,
    week_of_runs,
)

SATURDAY_10K = dt.date(2026, 4, 11)
HISTORY = steady_history(dt.date(2026, 2, 2), 5)
"""Five steady 5-hour weeks up to Sunday 8 March 2026."""
TO_MARCH_29 = steady_history(dt.date(2026, 2, 2), 8)


def _quality_days(plan: Plan) -> list[dt.date]:
    """Days of quality sessions still on (missed and dropped ones left out)."""
    return sorted(
        s.date
        for w in plan.weeks
        for s in w.sessions
        if s.kind in (SessionKind.TEMPO, SessionKind.INTERVALS)
        and s.status not in (SessionStatus.MISSED, SessionStatus.DROPPED)
    )


def _window(distance_m: float) -> int:
    """Re-derived: one day per mile (1609.344 m), nearest whole day, 2 to 14 days."""
    return min(14, max(2, math.floor(distance_m / 1609.344 + 0.5)))


@pytest.mark.parametrize(
    ("distance_m", "days"),
    [(1609, 2), (3000, 2), (5000, 3), (10_000, 6), (15_000, 9), (21_097.5, 13), (42_195, 14)],
)
def test_one_easy_day_per_mile_raced_capped_at_two_weeks(distance_m: float, days: int) -> None:
    """The convention's table: a mile or 3K still gets two days, 5K three, 10K six, the half
    thirteen, the marathon (26 by the rule) two weeks."""
    assert recovery_days(distance_m) == days == _window(distance_m)


def test_the_sunday_refresh_after_a_saturday_10k_keeps_the_week_easy() -> None:
    """The reported bug: the refresh after a race laid a tempo two or three days later.
    After a Saturday 10K the next week has no quality up to Friday (six days); the week after
    has its quality again."""
    athlete = talk_athlete(goal_race=GoalRace("Spring 10K", SATURDAY_10K, 10_000))
    plan = build_plan(athlete, TO_MARCH_29, [], dt.date(2026, 3, 30), 4)
    lived = TO_MARCH_29 + week_of_runs(dt.date(2026, 3, 30), {0: 40, 2: 40, 4: 40, 5: 90})
    lived += week_of_runs(dt.date(2026, 4, 6), {0: 30, 1: 30, 3: 20})
    after = weekly_refresh(plan, athlete, lived, [], SATURDAY_10K + dt.timedelta(days=1))
    assert check_post_race(after, athlete) == [] and check_plan(after, athlete) == []
    assert not [d for d in _quality_days(after) if SATURDAY_10K < d <= dt.date(2026, 4, 17)]
    lived += week_of_runs(dt.date(2026, 4, 13), {0: 45, 2: 60, 4: 30, 5: 120, 6: 45})
    later = weekly_refresh(after, athlete, lived, [], dt.date(2026, 4, 19))
    assert check_post_race(later, athlete) == []
    assert [d for d in _quality_days(later) if d >= dt.date(2026, 4, 20)]


def test_a_half_marathon_result_keeps_quality_away_for_thirteen_days() -> None:
    """A half raced last Saturday and logged as a result: a plan built on Monday has its
    first quality session no earlier than 14 days after the race."""
    raced = dt.date(2026, 3, 7)
    athlete = talk_athlete(
        goal_race=None, race_results=(RaceResult(raced, 21_097.5, 6000, "City Half"),)
    )
    plan = build_plan(athlete, HISTORY, [], dt.date(2026, 3, 9), 3)
    quality = _quality_days(plan)
    assert quality and min(quality) > raced + dt.timedelta(days=13)
    assert check_post_race(plan, athlete) == []


def test_a_missed_tempo_is_not_moved_into_the_recovery_window() -> None:
    """A 5K raced the day before the week's quality session (logged after the plan was
    made) and the quality session missed: the next day's reshuffle does not move it into
    the three easy days after the race; it goes later or is dropped."""
    base = talk_athlete(goal_race=None)
    monday = dt.date(2026, 3, 9)
    plan = build_plan(base, HISTORY, [], monday, 2)
    quality = [s for s in plan.weeks[0].sessions if s.kind.is_hard]
    assert quality, "the week has a quality session to miss"
    tempo = quality[0]
    raced = with_running_profile(
        base, race_results=(RaceResult(tempo.date - dt.timedelta(days=1), 5000, 1200, "5K"),)
    )
    today = tempo.date + dt.timedelta(days=1)
    done = [*HISTORY, activity(tempo.date - dt.timedelta(days=1), 20)]
    new = reshuffle(plan, raced, done, [], today)
    window = recovery_days(5000)
    for d in _quality_days(new):
        assert not 0 < (d - (tempo.date - dt.timedelta(days=1))).days <= window, d
    assert check_post_race(new, raced) == [] and check_hard_days(new) == []
    assert any(tempo.title in c for c in new.weeks[0].changes)  # moved on or dropped


def test_the_check_catches_quality_too_soon_after_a_race() -> None:
    """The checker is not a rubber stamp: intervals two days after a 10K in the plan are
    reported; after a marathon result, a tempo on day 14 is, on day 15 it is not."""
    monday = dt.date(2026, 3, 2)
    week = PlanWeek(
        monday,
        "x",
        (
            PlannedSession(monday, SessionKind.RACE, 45, distance_meters=10_000),
            PlannedSession(monday + dt.timedelta(days=2), SessionKind.INTERVALS, 45),
        ),
    )
    plan = Plan("x", dt.datetime(2026, 3, 2, tzinfo=dt.UTC), weeks=(week,))
    [problem] = check_post_race(plan)
    assert "2 day(s) after the 10 km race" in problem and "no quality for 6 days" in problem
    marathoner = running_athlete(
        "x", "X", race_results=(RaceResult(monday - dt.timedelta(days=14), 42_195, 12_000),)
    )
    tempo = PlanWeek(monday, "x", (PlannedSession(monday, SessionKind.TEMPO, 40),))
    assert check_post_race(dataclasses.replace(plan, weeks=(tempo,)), marathoner)
    moved = PlanWeek(
        monday,
        "x",
        (PlannedSession(monday + dt.timedelta(days=1), SessionKind.TEMPO, 40),),
    )
    assert check_post_race(dataclasses.replace(plan, weeks=(moved,)), marathoner) == []


@st.composite
def just_raced(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """A random scenario whose athlete raced 1–16 days before the plan starts."""
    athlete, acts, memory, today, weeks = draw(scenarios(any_day))
    ago = draw(st.integers(1, 16))
    result = RaceResult(today - dt.timedelta(days=ago), draw(st.sampled_from(DISTANCES)), 3600)
    athlete = with_running_profile(
        athlete, race_results=(*running_profile(athlete).race_results, result)
    )
    return athlete, acts, memory, today, weeks


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(just_raced())
@example(
    (
        talk_athlete(race_results=(RaceResult(dt.date(2026, 3, 7), 10_000, 2600),)),
        HISTORY,
        [],
        dt.date(2026, 3, 9),
        3,
    )
)
def test_no_quality_in_any_recovery_window_of_a_fresh_plan(case) -> None:  # type: ignore[no-untyped-def]
    """Whatever the athlete, start day and race: no tempo or intervals within one day per
    mile (2..14) after any race they ran or will run, re-derived from the results here."""
    athlete, acts, memory, today, weeks = case
    plan = build_plan(athlete, acts, memory, today, weeks)
    assert check_post_race(plan, athlete) == []
    races = [(r.date, r.distance_meters) for r in running_profile(athlete).race_results]
    if running_profile(athlete).goal_race is not None:
        races.append(
            (
                running_profile(athlete).goal_race.date,
                running_profile(athlete).goal_race.distance_meters,
            )
        )
    for day in _quality_days(plan):
        for raced, distance in races:
            assert not 0 < (day - raced).days <= _window(distance), (day, raced, distance)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(any_day), st.sets(st.integers(0, 6), max_size=5))
def test_refreshes_through_a_goal_race_keep_the_recovery(case, ran: set[int]) -> None:  # type: ignore[no-untyped-def]
    """Three Sunday refreshes in a row (races are common in the drawn window): the
    regenerated weeks never put quality inside the goal race's recovery window."""
    athlete, acts, memory, today, weeks = case
    plan = build_plan(athlete, acts, memory, today, weeks)
    lived = list(acts)
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(3):
        start = monday + dt.timedelta(weeks=week)
        lived += [
            activity(start + dt.timedelta(days=d), 40, tz=athlete.timezone, athlete_id="rnd")
            for d in ran
            if start + dt.timedelta(days=d) >= today
        ]
        plan = weekly_refresh(plan, athlete, lived, memory, start + dt.timedelta(days=6))
        assert check_post_race(plan, athlete) == []
        assert check_hard_days(plan) == []
