"""Race week across the Monday boundary: the days before a race are its race week, whatever
plan week they fall in.

Plan weeks run Monday to Sunday, so a Monday race sits in the week *after* its lead-in. The
conventions checked here (:mod:`momentum.plugins.running.plans.layout`): the race week has no long
run and one
short sharpener; quality sessions and strength stay at least three days out; the day two
days before is rest; the day before is rest or a short shakeout; nothing after the race.
Regression tests for a plan that put the long run on the Sunday before a Monday race.
"""

from __future__ import annotations

import datetime as dt

import pytest

from momentum.core.model import Weekday
from momentum.plugins.running.model.plan import Plan, PlannedSession, PlanWeek, SessionKind
from momentum.plugins.running.plans import build_plan, reshuffle, weekly_refresh
from momentum.plugins.running.plans.dates import race_week_start
from momentum.plugins.running.plans.guardrails import (
    check_availability,
    check_hard_days,
    check_intensities,
    check_intensity_split,
    check_race_days,
    check_race_week,
    check_strength,
    check_totals,
)
from momentum.plugins.running.plans.macrocycle import TAPER
from momentum.plugins.running.profile import GoalRace
from tests.unit.test_plans_support import DOMS_MEMORY, steady_history, talk_athlete, week_of_runs

MONDAY_RACE = dt.date(2026, 4, 6)
HISTORY_FROM = dt.date(2026, 2, 2)


def _athlete(race_day: dt.date = MONDAY_RACE, long_run_day: Weekday = Weekday.SUN, **kw: object):  # type: ignore[no-untyped-def]
    return talk_athlete(
        goal_race=GoalRace("Easter Monday 10K", race_day, 10000, course_notes="road"),
        long_run_day=long_run_day,
        **kw,
    )


def _on(plan: Plan, day: dt.date) -> list[PlannedSession]:
    return [s for w in plan.weeks for s in w.sessions if s.date == day]


def _week(plan: Plan, start: dt.date) -> PlanWeek:
    return next(w for w in plan.weeks if w.start == start)


def _sound(plan: Plan, athlete, memory=()) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        *check_totals(plan),
        *check_intensity_split(plan),
        *check_hard_days(plan),
        *check_race_days(plan, athlete),
        *check_race_week(plan, athlete),
        *check_strength(plan, athlete, memory),
        *check_availability(plan, athlete, memory),
        *check_intensities(plan, athlete),
    ]


def test_monday_race_with_sunday_long_runs_has_a_race_week_before_it() -> None:
    """The reported bug: a Monday 10K for an athlete whose long run is on Sunday. The week
    before the race is its race week (taper phase, no long run, one sharpener at least
    three days out, rest on Saturday, nothing but rest or a 20-minute shakeout on Sunday);
    the race's own week is the race and recovery."""
    athlete = _athlete()
    memory = [DOMS_MEMORY]
    plan = build_plan(athlete, steady_history(HISTORY_FROM, 6), memory, dt.date(2026, 3, 16), 4)
    assert _sound(plan, athlete, memory) == []
    race_week = _week(plan, dt.date(2026, 3, 30))
    assert race_week_start(MONDAY_RACE) == race_week.start
    assert "Taper" in race_week.phase
    assert not any(s.kind is SessionKind.LONG for s in race_week.sessions)
    quality = [s for s in race_week.sessions if s.kind.is_hard]
    assert len(quality) == 1 and (MONDAY_RACE - quality[0].date).days >= 3
    assert "Sharpener" in quality[0].title
    saturday, sunday = MONDAY_RACE - dt.timedelta(days=2), MONDAY_RACE - dt.timedelta(days=1)
    assert [s.kind for s in _on(plan, saturday)] == [SessionKind.REST]
    eve = _on(plan, sunday)
    assert all(
        s.kind is SessionKind.REST or (s.kind is SessionKind.EASY and s.minutes <= 20) for s in eve
    ), eve
    strength = [s for s in race_week.sessions if s.kind is SessionKind.STRENGTH]
    assert all((MONDAY_RACE - s.date).days >= 3 for s in strength)
    last = plan.weeks[-1]
    assert last.start == MONDAY_RACE
    assert [s.kind for s in last.sessions if s.date == MONDAY_RACE] == [SessionKind.RACE]
    assert all(s.kind is SessionKind.REST for s in last.sessions if s.date > MONDAY_RACE)
    # The last long run is the Sunday eight days out, not the day before the race.
    longs = [s.date for w in plan.weeks for s in w.sessions if s.kind is SessionKind.LONG]
    assert longs and max(longs) == dt.date(2026, 3, 29)


def test_a_monday_race_taper_ends_with_the_race_week_before_it() -> None:
    """A 10K has a one-week taper: for a Monday race that week is the one before the race
    (a taper of the race's own Monday alone would be no taper); the taper phase runs from
    that Monday to race day and the race week is at about 60 % of the peak."""
    athlete = _athlete()
    plan = build_plan(athlete, steady_history(HISTORY_FROM, 6), [], dt.date(2026, 3, 2), 6)
    taper = plan.phases[-1]
    assert taper.kind == TAPER
    assert (taper.start, taper.end) == (dt.date(2026, 3, 30), MONDAY_RACE)
    weeks = {w.start: w for w in plan.weeks}
    race_week = weeks[dt.date(2026, 3, 30)]
    build = [w for w in plan.weeks if "Taper" not in w.phase and not w.is_recovery]
    peak = max(w.planned_minutes - _strength(w) for w in build)
    assert 0.5 <= (race_week.planned_minutes - _strength(race_week)) / peak <= 0.7


def _strength(week: PlanWeek) -> int:
    return sum(s.minutes for s in week.sessions if s.kind is SessionKind.STRENGTH)


@pytest.mark.parametrize("race_weekday", range(7))
@pytest.mark.parametrize("long_run_day", list(Weekday))
def test_every_race_weekday_and_long_run_day(race_weekday: int, long_run_day: Weekday) -> None:
    """Races on every weekday against every long-run day: the guardrails hold, the day
    before the race is rest or a short shakeout, two days before is rest, no long run in
    the last four days and no quality or strength in the last two."""
    race_day = MONDAY_RACE + dt.timedelta(days=race_weekday)
    athlete = _athlete(race_day, long_run_day)
    plan = build_plan(athlete, steady_history(HISTORY_FROM, 6), [], dt.date(2026, 3, 9), 5)
    assert _sound(plan, athlete) == []
    for back in (1, 2):
        for s in _on(plan, race_day - dt.timedelta(days=back)):
            if back == 2:
                assert s.kind is SessionKind.REST, s
            else:
                assert s.kind is SessionKind.REST or (
                    s.kind is SessionKind.EASY and s.minutes <= 20 and s.optional
                ), s
    for s in (s for w in plan.weeks for s in w.sessions):
        if 0 < (race_day - s.date).days < 5:
            assert s.kind is not SessionKind.LONG, s
    race_week = _week(plan, race_week_start(race_day))
    assert not any(s.kind is SessionKind.LONG for s in race_week.sessions)


def _quality_before(plan: Plan, race_day: dt.date) -> list[PlannedSession]:
    return [
        s
        for w in plan.weeks
        for s in w.sessions
        if s.kind.is_hard and s.kind is not SessionKind.RACE and 0 < (race_day - s.date).days <= 7
    ]


@pytest.mark.parametrize("race_weekday", range(7))
@pytest.mark.parametrize("long_run_day", [Weekday.SAT, Weekday.SUN, Weekday.WED])
def test_race_week_has_one_sharpener_whatever_the_race_weekday(
    race_weekday: int, long_run_day: Weekday
) -> None:
    """The reported bug: a Thursday race got a sharpener in the week before and a second one
    on the Monday of its own week. The race's last seven days hold exactly one quality
    session, the sharpener, three to six days out (four when the athlete's days allow),
    in the plan week :func:`race_week_start` names; a Monday–Thursday race's own week has
    none. The same holds after a Sunday refresh in the weeks before."""
    race_day = MONDAY_RACE + dt.timedelta(days=race_weekday)
    athlete = _athlete(race_day, long_run_day)
    history = steady_history(HISTORY_FROM, 5)
    plan = build_plan(athlete, history, [], dt.date(2026, 3, 9), 5)
    assert check_race_week(plan, athlete) == []
    [sharpener] = _quality_before(plan, race_day)
    assert "Sharpener" in sharpener.title
    assert 3 <= (race_day - sharpener.date).days <= 6
    ideal = race_day - dt.timedelta(days=4)  # every day is available to this athlete
    after_long = any(s.kind is SessionKind.LONG for s in _on(plan, ideal - dt.timedelta(days=1)))
    assert sharpener.date == ideal or after_long  # never the day after the long run
    assert race_week_start(race_day) <= sharpener.date
    own = [s for s in _week(plan, MONDAY_RACE).sessions if s.kind.is_hard]
    if race_weekday <= 3:  # Monday–Thursday: the race's own week has the race alone
        assert [s.kind for s in own] == [SessionKind.RACE]
    else:
        assert own == sorted([sharpener, *_on(plan, race_day)], key=lambda s: s.date)
    lived = history + week_of_runs(dt.date(2026, 3, 9), {0: 45, 2: 45, 5: 100})
    refreshed = weekly_refresh(plan, athlete, lived, [], dt.date(2026, 3, 15))
    assert check_race_week(refreshed, athlete) == []
    assert len(_quality_before(refreshed, race_day)) == 1


def test_an_unavailable_ideal_day_moves_the_sharpener_within_race_week() -> None:
    """A Sunday race with Wednesday (four days out) unavailable: the sharpener goes three
    or five days out, still the only quality of the race's last seven days."""
    race_day = dt.date(2026, 4, 12)
    athlete = _athlete(race_day, Weekday.SAT, unavailable_days=(Weekday.WED,))
    plan = build_plan(athlete, steady_history(HISTORY_FROM, 5), [], dt.date(2026, 3, 9), 6)
    [sharpener] = _quality_before(plan, race_day)
    assert (race_day - sharpener.date).days in (3, 5)
    assert check_race_week(plan, athlete) == []


def test_the_race_week_check_catches_two_sharpeners() -> None:
    """The checker is not a rubber stamp: a Thursday race with a sharpener the Friday
    before and another on Monday is reported, across the week boundary."""
    thursday = dt.date(2026, 4, 9)
    before = PlanWeek(
        dt.date(2026, 3, 30),
        "Taper",
        (PlannedSession(dt.date(2026, 4, 3), SessionKind.TEMPO, 30, title="Sharpener 30min"),),
    )
    own = PlanWeek(
        dt.date(2026, 4, 6),
        "Taper",
        (
            PlannedSession(dt.date(2026, 4, 6), SessionKind.TEMPO, 30, title="Sharpener 30min"),
            PlannedSession(thursday, SessionKind.RACE, 45, distance_meters=10_000),
        ),
    )
    plan = Plan("x", dt.datetime(2026, 3, 30, tzinfo=dt.UTC), weeks=(before, own))
    [problem] = check_race_week(plan)
    assert "2 quality sessions in race week" in problem


@pytest.mark.parametrize("days_before", range(8))
def test_a_plan_started_in_the_week_before_a_monday_race(days_before: int) -> None:
    """Built on any day of the race week (Sunday, the day before, included) or on race day:
    a key session from the days already past is never moved onto the last days before the
    race."""
    athlete = _athlete()
    today = MONDAY_RACE - dt.timedelta(days=days_before)
    plan = build_plan(athlete, steady_history(HISTORY_FROM, 8), [], today, 2)
    assert check_hard_days(plan) == []
    assert check_race_days(plan, athlete) == []
    assert check_strength(plan, athlete, []) == []
    assert check_totals(plan) == []


def test_reshuffle_in_the_race_week_keeps_the_last_days_clear() -> None:
    """A missed sharpener in the week before a Monday race is not squeezed into the
    weekend before the race: the two days before stay clear and no hard day is stacked."""
    athlete = _athlete()
    history = steady_history(HISTORY_FROM, 8)
    plan = build_plan(athlete, history, [], dt.date(2026, 3, 30), 2)
    sharpener = next(s for s in plan.weeks[0].sessions if s.kind.is_hard)
    done = history + week_of_runs(dt.date(2026, 3, 30), {0: 40, 1: 40})
    friday = dt.date(2026, 4, 3)
    assert sharpener.date < friday
    new = reshuffle(plan, athlete, done, [], friday)
    assert check_hard_days(new) == []
    assert check_race_days(new, athlete) == []
    for back in (1, 2):
        moved = [
            s
            for s in _on(new, MONDAY_RACE - dt.timedelta(days=back))
            if s.kind is not SessionKind.REST and not s.optional
        ]
        assert moved == []


def test_weekly_refresh_the_sunday_before_a_monday_race() -> None:
    """Refreshed on the Sunday night before the race: the regenerated week is race day and
    recovery, and the week just lived still passes the race-day checks."""
    athlete = _athlete()
    history = steady_history(HISTORY_FROM, 8)
    plan = build_plan(athlete, history, [], dt.date(2026, 3, 30), 2)
    lived = history + week_of_runs(dt.date(2026, 3, 30), {0: 40, 1: 40, 2: 30, 4: 40})
    refreshed = weekly_refresh(plan, athlete, lived, [], MONDAY_RACE - dt.timedelta(days=1))
    assert [w.start for w in refreshed.weeks][:2] == [dt.date(2026, 3, 30), MONDAY_RACE]
    assert check_hard_days(refreshed) == []
    assert check_race_days(refreshed, athlete) == []
    assert [s.kind for s in _on(refreshed, MONDAY_RACE)] == [SessionKind.RACE]


def test_the_week_after_a_sunday_race_does_not_open_with_a_long_run() -> None:
    """Refreshed on the evening of a Sunday race, for an athlete whose long run is on
    Monday: the next week has no long run the day after the race (it would stack a hard
    day on the race), and nothing hard either."""
    sunday = dt.date(2025, 1, 12)
    athlete = talk_athlete(
        goal_race=GoalRace("Sunday 5K", sunday, 5000),
        long_run_day=Weekday.MON,
        weekly_minutes_target=90,
    )
    plan = build_plan(athlete, [], [], dt.date(2025, 1, 6), 1)
    lived = week_of_runs(dt.date(2025, 1, 6), {0: 40, 1: 40, 2: 40, 3: 40, 4: 40})
    refreshed = weekly_refresh(plan, athlete, lived, [], sunday)
    assert [w.start for w in refreshed.weeks] == [dt.date(2025, 1, 6), dt.date(2025, 1, 13)]
    assert check_hard_days(refreshed) == []
    monday = _on(refreshed, sunday + dt.timedelta(days=1))
    assert monday and not any(s.is_key for s in monday)


def test_the_race_day_check_catches_a_bad_eve() -> None:
    """The checker is not a rubber stamp: a long run, a tempo and strength the Sunday before
    a Monday race are reported, even when the race is past the plan's last week."""
    sunday = MONDAY_RACE - dt.timedelta(days=1)
    bad = PlanWeek(
        start=MONDAY_RACE - dt.timedelta(days=7),
        phase="April Taper",
        sessions=(
            PlannedSession(sunday, SessionKind.LONG, 90),
            PlannedSession(sunday, SessionKind.TEMPO, 30),
            PlannedSession(sunday, SessionKind.STRENGTH, 20),
        ),
    )
    plan = Plan("x", dt.datetime(2026, 3, 30, tzinfo=dt.UTC), weeks=(bad,))
    problems = check_race_days(plan, _athlete())
    assert len(problems) == 3 and all(str(sunday) in p for p in problems)
    assert check_race_days(plan) == []  # no race known: nothing to check against
