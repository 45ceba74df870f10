"""The weekly tree's buttons as plan edits: swapping days (versioned, retried on a
concurrent change) and marking a session done through the coach's log_activity tool."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.slack import plan_edits
from core.errors import InputError, NotFoundError
from core.model import Plan, PlannedSession, PlanWeek, SessionKind
from core.ports.storage import ConflictError

MONDAY = dt.date(2026, 3, 2)


def _d(i: int) -> dt.date:
    return MONDAY + dt.timedelta(days=i)


def plan(*sessions: PlannedSession) -> Plan:
    return Plan(
        athlete_id="adam",
        created=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        weeks=(
            PlanWeek(MONDAY, "base", tuple(sessions)),
            PlanWeek(_d(7), "base", (PlannedSession(_d(8), SessionKind.EASY, 30),)),
        ),
    )


EASY = PlannedSession(_d(1), SessionKind.EASY, 45)
LIFT = PlannedSession(_d(3), SessionKind.STRENGTH, 60)
LONG = PlannedSession(_d(5), SessionKind.LONG, 120)


def test_swap_exchanges_two_sessions_and_keeps_the_week_in_date_order():
    swapped = plan_edits.swap_days(plan(EASY, LIFT, LONG), _d(1), _d(5))
    sessions = swapped.weeks[0].sessions
    assert [(s.date, s.kind) for s in sessions] == [
        (_d(1), SessionKind.LONG),
        (_d(3), SessionKind.STRENGTH),
        (_d(5), SessionKind.EASY),
    ]
    assert swapped.weeks[1] == plan(EASY).weeks[1]


def test_swap_with_an_empty_day_is_a_move():
    moved = plan_edits.swap_days(plan(EASY, LIFT), _d(3), _d(4))
    assert [s.date for s in moved.weeks[0].sessions] == [_d(1), _d(4)]


@pytest.mark.parametrize(
    ("day", "other", "reason"),
    [
        (_d(2), _d(4), "no session planned"),
        (_d(1), _d(8), "different weeks"),
        (_d(1), _d(1), "two different days"),
        (_d(20), _d(1), "not in the plan"),
    ],
)
def test_impossible_swaps_are_refused(day, other, reason):
    with pytest.raises(InputError, match=reason):
        plan_edits.swap_days(plan(EASY, LIFT), day, other)


@given(st.permutations(range(7)), st.integers(0, 6), st.integers(0, 6))
def test_a_swap_keeps_every_session_and_swapping_back_restores_the_plan(order, a, b):
    sessions = [PlannedSession(_d(i), SessionKind.EASY, 30 + 5 * order[i]) for i in range(0, 7, 2)]
    original = plan(*sessions)
    if a == b or not any(s.date == _d(a) for s in sessions):
        return
    swapped = plan_edits.swap_days(original, _d(a), _d(b))
    assert sorted(s.minutes for s in swapped.weeks[0].sessions) == sorted(
        s.minutes for s in sessions
    )
    assert plan_edits.swap_days(swapped, _d(b), _d(a)) == original


def test_apply_reapplies_the_edit_to_a_plan_changed_meanwhile(memory_app):
    storage = memory_app.storage
    storage.put_plan(plan(EASY, LIFT, LONG))
    calls = []

    def edit(current: Plan) -> Plan:
        calls.append(current.version)
        if len(calls) == 1:  # someone else writes between our read and our write
            storage.put_plan(dataclasses.replace(current, goal="changed"))
        return plan_edits.swap_days(current, _d(1), _d(5))

    stored = plan_edits.apply(storage, "adam", edit)
    assert calls == [1, 2]
    assert stored.version == 3 and stored.goal == "changed"
    assert stored.weeks[0].sessions[0].kind is SessionKind.LONG


def test_apply_gives_up_when_the_plan_never_settles(memory_app):
    storage = memory_app.storage
    storage.put_plan(plan(EASY))

    def edit(current: Plan) -> Plan:
        storage.put_plan(current)
        return current

    with pytest.raises(ConflictError):
        plan_edits.apply(storage, "adam", edit)


def test_apply_without_a_plan_says_so(memory_app):
    with pytest.raises(NotFoundError):
        plan_edits.apply(memory_app.storage, "adam", lambda p: p)


def test_button_values_are_checked():
    assert plan_edits.parse_value("done:2026-03-03") == ("done", _d(1), None)
    assert plan_edits.parse_value("swap:2026-03-03:2026-03-05") == ("swap", _d(1), _d(3))
    for bad in ("done", "done:soon", "swap:2026-03-03", "drop:2026-03-03", ""):
        with pytest.raises(InputError):
            plan_edits.parse_value(bad)


def test_done_picks_the_run_over_strength_and_logs_it_once(memory_app):
    run = PlannedSession(_d(0), SessionKind.EASY, 45)
    lift = PlannedSession(_d(0), SessionKind.STRENGTH, 30)
    session = plan_edits.session_on(plan(lift, run), _d(0))
    assert session == run
    first = plan_edits.log_done(memory_app, "adam", session)
    again = plan_edits.log_done(memory_app, "adam", session)
    assert first.startswith("ok: Logged 45min run (easy) on Mon")
    assert again.startswith("ok: Already had")
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    [logged] = memory_app.storage.list_activities("adam", start, start + dt.timedelta(days=2))
    assert logged.moving_time_seconds == 45 * 60 and logged.intensity == "easy"


def test_done_for_a_rest_day_or_too_long_ago_is_explained(memory_app):
    with pytest.raises(InputError, match="no session planned"):
        plan_edits.session_on(plan(EASY), _d(2))
    old = PlannedSession(dt.date(2026, 1, 5), SessionKind.TEMPO, 40)
    with pytest.raises(InputError, match="14 days"):
        plan_edits.log_done(memory_app, "adam", old)
