"""Motivation state: thriving, on track, fragile (2–4 missed days), low (5+)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.coach.state import (
    MotivationState,
    StateThresholds,
    assess_state,
    is_training_day,
)
from tests.unit.test_coach_support import plan_for

MONDAY = dt.date(2026, 2, 23)
WEDNESDAY = MONDAY + dt.timedelta(days=2)


def days(*offsets: int) -> list[dt.date]:
    return [WEDNESDAY - dt.timedelta(days=o) for o in offsets]


def test_talk_wednesday_is_fragile() -> None:
    # Last run Sunday, nothing Mon/Tue (both planned): the talk's Wednesday message.
    plan = plan_for("adam", MONDAY - dt.timedelta(days=7))
    found = assess_state(WEDNESDAY, days(3, 4, 6), days(3, 4, 6), plan)
    assert found.state is MotivationState.FRAGILE
    assert found.missed_days == 2
    assert found.days_since_run == 3


def test_planned_rest_days_are_not_missed() -> None:
    plan = plan_for("adam", MONDAY - dt.timedelta(days=7))
    # Last activity Tuesday; Wednesday is a planned rest day; Thursday check-in.
    thursday = MONDAY + dt.timedelta(days=3)
    found = assess_state(thursday, [MONDAY + dt.timedelta(days=1)], [], plan)
    assert found.missed_days == 0
    assert found.state is not MotivationState.FRAGILE


def test_five_missed_days_is_low() -> None:
    found = assess_state(WEDNESDAY, days(6, 7, 8), days(6, 7, 8), None)
    assert found.missed_days == 5
    assert found.state is MotivationState.LOW


def test_consistent_week_is_thriving() -> None:
    plan = plan_for("adam", MONDAY - dt.timedelta(days=14))
    sunday = MONDAY + dt.timedelta(days=6)
    active = [MONDAY + dt.timedelta(days=i) for i in (0, 1, 3, 5, 6)]
    found = assess_state(sunday, active, active, plan)
    assert found.state is MotivationState.THRIVING
    assert found.adherence == 1.0


def test_behind_but_not_missing_is_on_track() -> None:
    plan = plan_for("adam", MONDAY - dt.timedelta(days=14))
    saturday = MONDAY + dt.timedelta(days=5)
    found = assess_state(saturday, [MONDAY + dt.timedelta(days=4)], [], plan)
    assert found.missed_days == 0
    assert found.state is MotivationState.ON_TRACK


def test_thresholds_are_configurable() -> None:
    strict = StateThresholds(fragile=1, low=3)
    found = assess_state(WEDNESDAY, days(2), days(2), None, strict)
    assert found.missed_days == 1
    assert found.state is MotivationState.FRAGILE
    assert assess_state(WEDNESDAY, days(4), days(4), None, strict).state is MotivationState.LOW


def test_bad_thresholds_are_refused() -> None:
    with pytest.raises(ValueError, match="fragile_missed_days"):
        StateThresholds(fragile=5, low=3)


def test_no_history_is_low_unless_new() -> None:
    assert assess_state(WEDNESDAY, [], [], None).state is MotivationState.LOW
    assert assess_state(WEDNESDAY, [], [], None, new_athlete=True).state is (
        MotivationState.ON_TRACK
    )


def test_optional_sessions_are_not_training_days() -> None:
    plan = plan_for("adam", MONDAY)
    assert not is_training_day(plan, MONDAY + dt.timedelta(days=4))  # optional Friday
    assert is_training_day(plan, MONDAY)
    assert is_training_day(plan, MONDAY + dt.timedelta(days=60))  # beyond the plan


RANK = {
    MotivationState.THRIVING: 0,
    MotivationState.ON_TRACK: 1,
    MotivationState.FRAGILE: 2,
    MotivationState.LOW: 3,
}


@given(gap=st.integers(min_value=1, max_value=30), extra=st.integers(min_value=1, max_value=10))
def test_a_longer_gap_never_looks_better(gap: int, extra: int) -> None:
    day = dt.date(2026, 3, 10)
    shorter = assess_state(day, [day - dt.timedelta(days=gap)], [], None)
    longer = assess_state(day, [day - dt.timedelta(days=gap + extra)], [], None)
    assert RANK[longer.state] >= RANK[shorter.state]
    assert longer.missed_days >= shorter.missed_days


class _EveryOtherDay:
    """Another domain's plan: core's state asks it which days counted, knowing nothing
    else about it (``TrainingDays``)."""

    def training_day(self, day: dt.date) -> bool | None:
        if day < MONDAY:
            return None  # not covered: core assumes training was expected
        return (day - MONDAY).days % 2 == 0


def test_the_state_counts_only_the_days_the_domains_plan_expected() -> None:
    # Last active Monday, judged on Saturday: of Tue-Fri the plan expected Wed and Fri.
    saturday = MONDAY + dt.timedelta(days=5)
    found = assess_state(saturday, [MONDAY], [MONDAY], _EveryOtherDay())
    assert found.missed_days == 2
    assert found.state is MotivationState.FRAGILE
    # Sun (not covered: 5/7) + Mon, Wed, Fri expected, Tue and Thu not: round(3.71) = 4.
    assert found.planned_days_7d == 4
