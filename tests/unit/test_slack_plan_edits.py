"""The weekly tree's buttons as plan edits: swapping days (the plan engine decides; the
adapter stores it versioned, retried on a concurrent change) and marking a session done
through the coach's log_activity tool."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from momentum.adapters.slack import plan_edits
from momentum.core.errors import InputError, NotFoundError
from momentum.core.ports.storage import ConflictError
from momentum.plugins.running.model.plan import Plan, PlannedSession, PlanWeek, SessionKind
from momentum.plugins.running.plans import swap_sessions
from tests.unit.test_plans_support import DOMS_MEMORY, talk_athlete

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
TEMPO = PlannedSession(_d(2), SessionKind.TEMPO, 40)
# The swap rules themselves are the plan engine's: tests/unit/test_plans_swap.py.


def _swap(day: dt.date, other: dt.date):  # type: ignore[no-untyped-def]
    def edit(current: Plan) -> Plan:
        return swap_sessions(current, talk_athlete(goal_race=None), day, other)

    return edit


def test_swap_button_asks_the_plan_engine_and_stores_the_result(memory_app, athlete):
    """The adapter only loads the athlete's memory and local date and stores what the plan
    engine returns: Thursday's strength moves to Wednesday (Tue 3 Mar is today)."""
    memory_app.storage.put_athlete(athlete)
    memory_app.storage.put_plan(plan(EASY, LIFT, LONG))
    stored = plan_edits.swap_days(memory_app, athlete, _d(3), _d(2))
    assert stored.version == 2
    assert [(s.date, s.kind) for s in stored.weeks[0].sessions] == [
        (_d(1), SessionKind.EASY),
        (_d(2), SessionKind.STRENGTH),
        (_d(5), SessionKind.LONG),
    ]
    assert memory_app.storage.get_plan(Plan, "adam") == stored


def test_swap_button_refusals_carry_the_engines_reason_and_store_nothing(memory_app, athlete):
    """Memory reaches the engine (the DOMS lesson forbids strength the day before the long
    run) and so does the athlete's local date (Monday is past); the plan stays as it was."""
    memory_app.storage.put_athlete(athlete)
    memory_app.storage.put_plan(plan(EASY, LIFT, LONG))
    memory_app.storage.put_memory(DOMS_MEMORY)
    with pytest.raises(InputError, match="DOMS"):
        plan_edits.swap_days(memory_app, athlete, _d(3), _d(4))
    with pytest.raises(InputError, match="Mon 2 Mar is already past"):
        plan_edits.swap_days(memory_app, athlete, _d(1), _d(0))
    memory_app.storage.put_plan(plan(EASY, TEMPO, LONG))
    with pytest.raises(InputError, match="the day after the long run"):
        plan_edits.swap_days(memory_app, athlete, _d(2), _d(6))
    stored = memory_app.storage.get_plan(Plan, "adam")
    assert stored is not None and stored.version == 2 and stored.weeks[0].changes == ()


def test_apply_reapplies_the_edit_to_a_plan_changed_meanwhile(memory_app):
    storage = memory_app.storage
    storage.put_plan(plan(EASY, LIFT, LONG))
    calls = []

    def edit(current: Plan) -> Plan:
        calls.append(current.version)
        if len(calls) == 1:  # someone else writes between our read and our write
            storage.put_plan(dataclasses.replace(current, goal="changed"))
        return _swap(_d(1), _d(5))(current)

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
