"""Swapping two days of a plan week (the weekly tree's "swap" button) in the plan engine:
sessions are exchanged, the week stays whole, and a swap that would break a guardrail
(stacked hard days, strength before the long run with the DOMS lesson, the race's lead-in,
post-race recovery) is refused with a reason naming the rule."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from momentum.core.errors import InputError, MomentumError
from momentum.core.model import Weekday
from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans import build_plan, swap_sessions
from momentum.plugins.running.plans.guardrails import (
    check_hard_days,
    check_post_race,
    check_race_days,
    check_race_week,
    check_strength,
)
from momentum.plugins.running.profile import GoalRace, RaceResult, with_running_profile
from tests.unit.test_plans_support import (
    DOMS_MEMORY,
    athletes,
    histories,
    memories,
    talk_athlete,
)

MONDAY = dt.date(2026, 3, 2)
ATHLETE = talk_athlete(goal_race=None)


def _d(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


def plan(*sessions: PlannedSession) -> Plan:
    return Plan(
        athlete_id="adam",
        created=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        weeks=(
            PlanWeek(MONDAY, "base", tuple(sessions), changes=("kept",)),
            PlanWeek(_d(7), "base", (PlannedSession(_d(8), SessionKind.EASY, 30),)),
        ),
    )


EASY = PlannedSession(_d(1), SessionKind.EASY, 45)
LIFT = PlannedSession(_d(3), SessionKind.STRENGTH, 60)
LONG = PlannedSession(_d(5), SessionKind.LONG, 120)
TEMPO = PlannedSession(_d(2), SessionKind.TEMPO, 40)


def _shape(p: Plan) -> list[tuple[dt.date, SessionKind, int]]:
    return [(s.date, s.kind, s.minutes) for w in p.weeks for s in w.sessions]


def test_swap_exchanges_two_sessions_and_keeps_the_week_in_date_order() -> None:
    swapped = swap_sessions(plan(EASY, LIFT, LONG), ATHLETE, _d(1), _d(5))
    sessions = swapped.weeks[0].sessions
    assert [(s.date, s.kind) for s in sessions] == [
        (_d(1), SessionKind.LONG),
        (_d(3), SessionKind.STRENGTH),
        (_d(5), SessionKind.EASY),
    ]
    assert all(s.status is SessionStatus.MOVED for s in sessions if s.date in (_d(1), _d(5)))
    assert sessions[1].status is SessionStatus.PLANNED  # untouched
    assert swapped.weeks[0].changes == ("kept", "Swapped Tue and Sat")
    assert swapped.weeks[1] == plan(EASY).weeks[1]


def test_swap_with_an_empty_day_is_a_move() -> None:
    moved = swap_sessions(plan(EASY, LIFT), ATHLETE, _d(3), _d(4))
    assert [s.date for s in moved.weeks[0].sessions] == [_d(1), _d(4)]


@pytest.mark.parametrize(
    ("day", "other", "reason"),
    [
        (_d(2), _d(4), "no session planned on Wed 4 Mar or Fri 6 Mar"),
        (_d(1), _d(8), "in different weeks"),
        (_d(1), _d(1), "two different days"),
        (_d(20), _d(1), "Sun 22 Mar is not in the plan"),
        (_d(1), _d(20), "Sun 22 Mar is not in the plan"),
    ],
)
def test_impossible_swaps_are_refused(day: dt.date, other: dt.date, reason: str) -> None:
    with pytest.raises(InputError, match=reason) as caught:
        swap_sessions(plan(EASY, LIFT), ATHLETE, day, other)
    assert caught.value.source == "swap"
    assert isinstance(caught.value, MomentumError)


def test_lived_sessions_the_race_the_past_and_unavailable_days_stay_put() -> None:
    done = dataclasses.replace(EASY, status=SessionStatus.DONE, activity_id="a1")
    with pytest.raises(InputError, match="Tue 3 Mar's easy session is already done"):
        swap_sessions(plan(done, LIFT), ATHLETE, _d(1), _d(2))
    race = PlannedSession(_d(6), SessionKind.RACE, 50, distance_meters=10_000)
    with pytest.raises(InputError, match="race day stays put"):
        swap_sessions(plan(EASY, race), ATHLETE, _d(6), _d(4))
    with pytest.raises(InputError, match="Mon 2 Mar is already past"):
        swap_sessions(plan(EASY, LIFT), ATHLETE, _d(1), _d(0), today=_d(1))
    # A missed session may come forward to today; nothing goes back into the past.
    ok = swap_sessions(plan(EASY, LIFT), ATHLETE, _d(1), _d(4), today=_d(1))
    assert [s.date for s in ok.weeks[0].sessions] == [_d(3), _d(4)]
    busy = dataclasses.replace(ATHLETE, unavailable_days=(Weekday.FRI,))
    with pytest.raises(InputError, match="Fri is one of your unavailable days"):
        swap_sessions(plan(EASY, LIFT), busy, _d(1), _d(4))


def test_a_swap_that_stacks_hard_days_is_refused() -> None:
    """Tempo to Sunday would follow Saturday's long run; tempo to Friday would precede it."""
    week = plan(EASY, TEMPO, LONG)
    with pytest.raises(InputError, match="hard session the day after the long run"):
        swap_sessions(week, ATHLETE, _d(2), _d(6))
    with pytest.raises(InputError, match="followed by another hard day"):
        swap_sessions(week, ATHLETE, _d(2), _d(4))
    fine = swap_sessions(week, ATHLETE, _d(2), _d(3))  # Thursday: one easy day either side
    assert [s.kind for s in fine.weeks[0].sessions if s.date == _d(3)] == [SessionKind.TEMPO]


def test_strength_rules_hold_through_a_swap() -> None:
    """With the DOMS lesson in memory, strength cannot move to the day before the long run;
    without it the same swap is fine. Swapping the long run onto the strength day's
    neighbour is judged the same way."""
    week = plan(EASY, LIFT, LONG)
    with pytest.raises(InputError, match="strength the day before the long run"):
        swap_sessions(week, ATHLETE, _d(3), _d(4), [DOMS_MEMORY])
    assert swap_sessions(week, ATHLETE, _d(3), _d(4), [])
    with pytest.raises(InputError, match="DOMS"):
        swap_sessions(week, ATHLETE, _d(5), _d(4), [DOMS_MEMORY])


def test_no_quality_into_a_race_lead_in_or_its_recovery() -> None:
    """A 10K on Sunday: the tempo cannot move to Friday (two days out); after a 10K raced
    last Saturday (a race result), quality waits six days."""
    race = PlannedSession(_d(6), SessionKind.RACE, 50, distance_meters=10_000)
    racer = with_running_profile(ATHLETE, goal_race=GoalRace("10K", _d(6), 10_000))
    with pytest.raises(InputError, match="day\\(s\\) before the race"):
        swap_sessions(plan(EASY, TEMPO, race), racer, _d(2), _d(4))
    raced = with_running_profile(
        ATHLETE, race_results=(RaceResult(_d(-2), 10_000, 2700, "Saturday 10K"),)
    )
    late = dataclasses.replace(TEMPO, date=_d(5))
    with pytest.raises(InputError, match="after the 10 km race"):
        swap_sessions(plan(EASY, late), raced, _d(5), _d(2))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_swap_keeps_every_session_and_every_guardrail_or_is_refused(
    data: st.DataObject,
) -> None:
    """Any two days of a built plan: either the swap is refused with a reason, or it keeps
    every session (only the two days exchanged), every guardrail the plan kept, and
    swapping back puts every session back on its day."""
    monday = data.draw(
        st.dates(dt.date(2025, 1, 6), dt.date(2027, 6, 28)).map(
            lambda d: d - dt.timedelta(days=d.weekday())
        )
    )
    athlete = data.draw(athletes(monday))
    memory = data.draw(memories)
    built = build_plan(athlete, data.draw(histories(athlete, monday)), memory, monday, 2)
    busy = sorted({s.date for s in built.weeks[0].sessions if s.kind is not SessionKind.REST})
    a = data.draw(st.sampled_from(busy)) if busy else monday
    b = monday + dt.timedelta(days=(a.weekday() + data.draw(st.integers(1, 6))) % 7)
    try:
        swapped = swap_sessions(built, athlete, a, b, memory)
    except InputError as exc:
        assert exc.reason and exc.source == "swap"
        event("refused: breaks a guardrail" if "guardrail" in exc.reason else "refused")
        return
    event("swapped")
    assert check_hard_days(swapped) == []
    assert check_race_days(swapped, athlete) == []
    assert check_race_week(swapped, athlete) == []
    assert check_post_race(swapped, athlete) == []
    assert check_strength(swapped, athlete, memory) == []
    by_day: dict[dt.date, set[SessionKind]] = {}
    for w in swapped.weeks:
        for s in w.sessions:
            by_day.setdefault(s.date, set()).add(s.kind)
    for day, kinds in by_day.items():  # re-derived: hard/easy around every quality day
        if kinds & {SessionKind.TEMPO, SessionKind.INTERVALS}:
            for n in (day - dt.timedelta(days=1), day + dt.timedelta(days=1)):
                assert not by_day.get(n, set()) & {
                    SessionKind.LONG,
                    SessionKind.TEMPO,
                    SessionKind.INTERVALS,
                    SessionKind.RACE,
                }
    swap = {a: b, b: a}
    before = sorted(
        (swap.get(s.date, s.date), s.kind.value, s.minutes) for s in built.weeks[0].sessions
    )
    after = sorted((s.date, s.kind.value, s.minutes) for s in swapped.weeks[0].sessions)
    assert after == before
    assert swapped.weeks[1:] == built.weeks[1:]
    assert _shape(swap_sessions(swapped, athlete, b, a, memory)) == _shape(built)
