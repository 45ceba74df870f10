"""A plan started midweek: its first week holds d/7 of the week's volume on its d days from
the start, keeps 80/20 over those days, and is not the week the next one ramps from
(:mod:`momentum.plugins.running.plans.partial`). The property tests over every start weekday live
with the
other guardrails (tests/unit/test_plans_guardrails.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.plans.guardrails import (
    aerobic_minutes,
    check_intensity_split,
    check_plan,
    check_ramp,
    hard_minutes,
)
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.partial import (
    aerobic_from,
    days_left,
    fit_first_week,
    hard_from,
)
from tests.unit.test_plans_support import DOMS_MEMORY, steady_history, talk_athlete

MONDAY = dt.date(2026, 3, 2)
HISTORY = steady_history(dt.date(2026, 1, 26), 5)
"""Five steady weeks of 300 minutes, up to Sunday 1 March 2026."""


def _from_start(week: PlanWeek, start: dt.date) -> int:
    """Re-derived: run and cross-training minutes from ``start`` on, the race excluded."""
    return sum(
        s.minutes
        for s in week.sessions
        if s.date >= start
        and (s.kind.is_run or s.kind is SessionKind.CROSS)
        and s.kind is not SessionKind.RACE
    )


@pytest.mark.parametrize("weekday", range(7))
def test_every_start_weekday_gets_its_share_of_the_week(weekday: int) -> None:
    """The talk's athlete (5 h a week established) starting on each weekday: the days from
    the start hold at most d/7 of the Monday plan's first-week volume, 80/20 holds over
    them, every guardrail holds with the established volume as baseline, and the second
    week is the same as for a Monday start (the partial week does not reset the ramp)."""
    athlete = talk_athlete()
    start = MONDAY + dt.timedelta(days=weekday)
    full = build_plan(athlete, HISTORY, [DOMS_MEMORY], MONDAY, 3)
    plan = build_plan(athlete, HISTORY, [DOMS_MEMORY], start, 3)
    days = 7 - weekday
    assert days_left(MONDAY, start) == days
    target = aerobic_minutes(full.weeks[0])
    assert _from_start(plan.weeks[0], start) <= target * days / 7
    hard = hard_from(plan.weeks[0].sessions, start)
    assert hard <= 0.2 * aerobic_from(plan.weeks[0].sessions, start)
    assert check_plan(plan, athlete, [DOMS_MEMORY], baseline=300) == []
    assert aerobic_minutes(plan.weeks[1]) == aerobic_minutes(full.weeks[1])
    if weekday == 0:
        assert plan == full


def test_a_saturday_start_eases_in_instead_of_a_full_weekend() -> None:
    """Started on Saturday, the long-run day: two days of seven, so the week's 90-minute
    long run becomes a shorter one and Sunday's recovery run goes; the athlete is told why
    in the week's changes."""
    athlete = talk_athlete()
    saturday = dt.date(2026, 3, 7)
    plan = build_plan(athlete, HISTORY, [], saturday, 2)
    week = plan.weeks[0]
    budget = _from_start(week, saturday)
    full = build_plan(athlete, HISTORY, [], MONDAY, 2).weeks[0]
    assert budget <= aerobic_minutes(full) * 2 / 7
    [long_run] = [s for s in week.sessions if s.kind is SessionKind.LONG]
    assert long_run.date == saturday and 30 <= long_run.minutes < 90
    assert long_run.title == f"Long Run ({long_run.minutes}min)"
    assert [s.kind for s in week.sessions if s.date == saturday + dt.timedelta(days=1)] == [
        SessionKind.REST
    ]
    assert any("pro-rated to 2 of 7 days" in c for c in week.changes)
    assert check_ramp(plan, 300) == []


def _week(*sessions: PlannedSession) -> PlanWeek:
    return PlanWeek(MONDAY, "Build", sessions)


def _day(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


def _plan(week: PlanWeek, start: dt.date) -> Plan:
    return Plan("x", dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC), weeks=(week,))


IT = Intensities.of(talk_athlete(), MONDAY)


def test_fitting_keeps_key_sessions_first_and_never_touches_what_was_done() -> None:
    """Thursday start, four days, target 210: budget 120. Done today's 60 minutes count
    first; the long run keeps its place (shortened to what is left), the tempo does not fit
    whole and becomes an easy run only if 20 minutes remain, the optional run goes."""
    done = PlannedSession(_day(3), SessionKind.EASY, 60, status=SessionStatus.DONE)
    tempo = PlannedSession(_day(4), SessionKind.TEMPO, 40, title="Tempo 40min")
    long_run = PlannedSession(_day(5), SessionKind.LONG, 90, title="Long Run (90min)")
    extra = PlannedSession(_day(6), SessionKind.EASY, 30, title="30min Z1 Run", optional=True)
    before = PlannedSession(_day(1), SessionKind.EASY, 45, status=SessionStatus.DONE)
    fitted = fit_first_week(_week(before, done, tempo, long_run, extra), _day(3), 210, IT)
    kinds = {s.date: (s.kind, s.minutes) for s in fitted.sessions}
    assert kinds[_day(1)] == (SessionKind.EASY, 45)  # before the start: history
    assert kinds[_day(3)] == (SessionKind.EASY, 60)  # done today: kept whole
    assert kinds[_day(5)] == (SessionKind.LONG, 60)  # 120 - 60 done
    assert kinds[_day(4)] == (SessionKind.REST, 0) and kinds[_day(6)] == (SessionKind.REST, 0)
    assert aerobic_from(fitted.sessions, _day(3)) == 120
    assert len(fitted.changes) == 3


def test_quality_over_a_fifth_of_the_days_left_becomes_easy() -> None:
    """Friday start: a tempo moved in from Wednesday and the long run fit the budget, but
    45 of 135 minutes is over 20 %: the tempo becomes an easy run of the same length."""
    tempo = PlannedSession(_day(4), SessionKind.TEMPO, 45, title="Tempo 45min")
    long_run = PlannedSession(_day(5), SessionKind.LONG, 90, title="Long Run (90min)")
    fitted = fit_first_week(_week(tempo, long_run), _day(4), 400, IT)
    [easy] = [s for s in fitted.sessions if s.date == _day(4)]
    assert (easy.kind, easy.minutes) == (SessionKind.EASY, 45)
    assert easy.pace == IT.pace("easy")
    assert hard_minutes(fitted) == 0
    assert check_intensity_split(_plan(fitted, _day(4))) == []
    assert check_intensity_split(_plan(_week(tempo, long_run), _day(4))) != []


def test_a_full_week_or_a_week_that_fits_is_left_alone() -> None:
    week = _week(PlannedSession(_day(5), SessionKind.LONG, 90, title="Long Run (90min)"))
    assert fit_first_week(week, MONDAY, 100, IT) is week
    assert fit_first_week(week, _day(7), 100, IT) is week
    assert fit_first_week(week, _day(2), 300, IT) is week


def test_the_ramp_check_pro_rates_a_partial_first_week() -> None:
    """The checker is not a rubber stamp: 120 minutes on the last two days of a week whose
    established volume is 200 is more than 2/7 of 220; the same minutes over the full week
    pass, and the next week is measured against the baseline, not the partial week."""
    long_run = PlannedSession(_day(5), SessionKind.LONG, 120)
    partial = _plan(_week(long_run), _day(5))
    [problem] = check_ramp(partial, baseline=200)
    assert "pro-rated to 2 days" in problem
    assert check_ramp(_plan(_week(long_run), MONDAY), baseline=200) == []
    small = _week(PlannedSession(_day(6), SessionKind.EASY, 30))
    nxt = PlanWeek(_day(7), "Build", (PlannedSession(_day(12), SessionKind.LONG, 215),))
    two = dataclasses.replace(_plan(small, _day(6)), weeks=(small, nxt))
    assert check_ramp(two, baseline=200) == []  # 215 <= 1.1 * 200, not 1.1 * 30


def test_the_ramp_check_judges_a_partial_first_taper_week_too() -> None:
    """Taper weeks are exempt from the ramp (they shrink from the plan's peak), but a partial
    first week ramps from what the athlete has done: a 20-minute run on the one day left
    of a taper week is more than 1/7 of max(1.1 x 40, 60) for an athlete at 40 minutes a
    week (hypothesis's race-eve case, :mod:`tests.unit.test_plans_guardrails`)."""
    taper = PlanWeek(MONDAY, "March Taper", (PlannedSession(_day(6), SessionKind.EASY, 20),))
    [problem] = check_ramp(_plan(taper, _day(6)), baseline=40)
    assert "pro-rated to 1 days" in problem
    assert check_ramp(_plan(taper, _day(6)), baseline=300) == []
    assert check_ramp(_plan(taper, MONDAY), baseline=0) == []  # a full taper week is exempt
