"""Midweek reshuffle: the placement guardrails and 80/20 hold whatever days are missed.

Conventions under test (:mod:`momentum.plugins.running.plans.reshuffle`): missed key sessions move
(the long
run
first), hard days are never stacked, what no longer fits is dropped, and the reshuffled week
stays about 80/20 easy to hard by time: over the whole week as it now stands (from its
Monday, or from the plan's start day in a partial first week, to Sunday; sessions done,
assumed, planned or moved, and skipped optional runs; dropped ones not counted; the race
excluded; the week holding the race exempt), tempo and interval minutes are at most 20 %
of run and cross-training minutes. When they are not, quality sessions still to run become
easy runs of the same length, the latest first, never the long run. Quality already run is
history: the only week allowed over 20 % is one whose every quality minute was already run.
The 80/20 share is re-derived here from the sessions, not only read from the checker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from momentum.core.model import Activity, AthleteProfile, Equipment, Weekday
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans import adjust_session, build_plan, reshuffle
from momentum.plugins.running.plans.guardrails import (
    check_availability,
    check_hard_days,
    check_intensities,
    check_intensity_split,
    check_post_race,
    check_race_days,
    check_race_week,
    check_strength,
    check_totals,
)
from momentum.plugins.running.plans.partial import is_partial
from tests.unit.test_plans_guardrails import (
    MONDAY_RACE,
    NEW_YEARS_DAY_START,
    SATURDAY_START,
    any_day,
    scenarios,
)
from tests.unit.test_plans_support import activity, declared, steady_history, talk_athlete

MONDAY = dt.date(2026, 3, 2)
SMALL_WEEK = (
    talk_athlete(goal_race=None, weekly_minutes_target=150),
    steady_history(dt.date(2026, 1, 26), 5, weekly=150),
    [],
    MONDAY,
    2,
)
"""150 min a week, Saturday long runs, no race: Mon 20 easy, Wed 30 tempo, Thu strength,
Fri 20 easy, Sat 60 long, Sun 20 recovery (tempo 30 of 150 aerobic minutes, 20 %)."""
HARD_TAIL = (
    declared(
        talk_athlete(
            goal_race=None,
            race_results=(),
            preferred_days=(Weekday.MON, Weekday.TUE),
            long_run_day=Weekday.MON,
            equipment=(Equipment.BODYWEIGHT,),
            weekly_minutes_target=143,
        ),
        dt.date(2025, 1, 6),
    ),
    [],
    [],
    dt.date(2025, 1, 6),
    1,
)
"""Mon 50 long, Tue 50 easy, Wed 25 tempo, Thu strength: 25 of 125 minutes (20 %) for the
week, but from Tuesday on 25 of 75 and from Wednesday on all of it is quality."""
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAILY = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])

LIVED = (SessionStatus.DONE, SessionStatus.ASSUMED)
OPEN = (SessionStatus.PLANNED, SessionStatus.MOVED)
_DOES = {SessionKind.STRENGTH: "WeightTraining", SessionKind.CROSS: "Ride"}
missed_days = st.sets(st.integers(0, 13), max_size=10)
"""Day offsets from the plan's start the athlete does nothing on (the first two weeks)."""


def _did(day: dt.date, kind: SessionKind, minutes: int, athlete: AthleteProfile) -> Activity:
    """The activity that fulfils a session of ``kind`` on ``day``."""
    return activity(
        day,
        max(minutes, 20),
        _DOES.get(kind, "Run"),
        tz=athlete.timezone,
        athlete_id=athlete.athlete_id,
    )


def _lived(
    plan: Plan, athlete: AthleteProfile, start: dt.date, today: dt.date, missed: set[dt.date]
) -> list[Activity]:
    """What the athlete did from ``start`` to yesterday: every session planned on each day
    not missed."""
    return [
        _did(s.date, s.kind, s.minutes, athlete)
        for w in plan.weeks
        for s in w.sessions
        if start <= s.date < today and s.kind is not SessionKind.REST and s.date not in missed
    ]


def _judged(plan: Plan, week: PlanWeek) -> list[PlannedSession]:
    start = plan.created.date()
    first = start if is_partial(week.start, start) else week.start
    return [s for s in week.sessions if s.date >= first and s.status is not SessionStatus.DROPPED]


def assert_80_20(plan: Plan, today: dt.date) -> None:
    """The week of ``today`` is 80/20 by time, or every quality minute in it was already
    run (history cannot be downgraded); re-derived, then by the guardrail."""
    week = plan.week_of(today)
    assert week is not None
    if any(s.kind is SessionKind.RACE for s in week.sessions):
        return
    counted = _judged(plan, week)
    quality = [s for s in counted if s.kind in (SessionKind.TEMPO, SessionKind.INTERVALS)]
    hard = sum(s.minutes for s in quality)
    aerobic = sum(
        s.minutes
        for s in counted
        if s.kind in (SessionKind.EASY, SessionKind.LONG, SessionKind.CROSS) or s in quality
    )
    if all(s.status in LIVED for s in quality) and hard > 0.2 * aerobic:
        return  # the excess was already run
    assert hard <= 0.2 * aerobic + 1e-9, (hard, aerobic, week.changes)
    assert check_intensity_split(dataclasses.replace(plan, weeks=(week,))) == []


def _still_to_run(plan: Plan) -> Plan:
    """The plan without the sessions already lived (a moved long run, once done, is just
    a done session on another weekday; the long-run-day rule is about what is planned)."""
    return dataclasses.replace(
        plan,
        weeks=tuple(
            dataclasses.replace(w, sessions=tuple(s for s in w.sessions if s.status not in LIVED))
            for w in plan.weeks
        ),
    )


def assert_placement(plan: Plan, athlete: AthleteProfile, memory: list[MemoryItem]) -> None:
    """Every placement guardrail of :func:`momentum.plugins.running.plans.check_plan` (the volume
    ramp is not
    placement: a reshuffle only ever takes minutes away)."""
    assert check_hard_days(plan) == []
    assert check_race_days(plan, athlete) == []
    assert check_race_week(plan, athlete) == []
    assert check_post_race(plan, athlete) == []
    assert check_strength(plan, athlete, memory) == []
    assert check_availability(_still_to_run(plan), athlete, memory) == []
    assert check_totals(plan) == []
    assert check_intensities(plan, athlete) == []


def _long_run_kept(before: PlanWeek, after: PlanWeek) -> None:
    """Each long run of ``before`` is still a long run of its length (moved or not), unless
    a change note says it was dropped: 80/20 never downgrades it."""
    for s in before.sessions:
        if s.kind is SessionKind.LONG:
            assert any(
                a.kind is SessionKind.LONG and a.minutes == s.minutes for a in after.sessions
            ) or any("Long Run" in c and "dropped" in c for c in after.changes)


@SETTINGS
@given(scenarios(any_day), st.integers(0, 13), missed_days)
@example(MONDAY_RACE, 4, {0, 2})
@example(NEW_YEARS_DAY_START, 5, {0, 1, 2})
@example(SATURDAY_START, 6, {0, 1})
@example(SMALL_WEEK, 3, {0, 2})
def test_one_reshuffle_after_missed_days_keeps_placement_and_80_20(  # type: ignore[no-untyped-def]
    case, offset: int, missed: set[int]
) -> None:
    """Any athlete and plan (any start weekday), any days missed, reshuffled on any day of
    the plan's first two weeks: every placement guardrail holds, the week is 80/20 (or
    its excess is quality already run), the week never grows, and a long run still to run
    is never downgraded (it moves or, with no day left, is dropped)."""
    athlete, acts, memory, start, weeks = case
    plan = build_plan(athlete, acts, memory, start, weeks)
    today = start + dt.timedelta(days=offset)
    before = plan.week_of(today)
    if before is None:
        return
    gone = {start + dt.timedelta(days=d) for d in missed}
    new = reshuffle(plan, athlete, acts + _lived(plan, athlete, start, today, gone), memory, today)
    assert_placement(new, athlete, memory)
    assert_80_20(new, today)
    after = new.week_of(today)
    assert after is not None
    assert after.planned_minutes <= before.planned_minutes
    _long_run_kept(before, after)


@DAILY
@given(scenarios(any_day), missed_days)
@example(MONDAY_RACE, {0, 1, 2, 4})
@example(SATURDAY_START, {1, 2, 3})
@example(SMALL_WEEK, {0, 2, 6})
def test_daily_reshuffles_through_two_weeks_keep_placement_and_80_20(  # type: ignore[no-untyped-def]
    case, missed: set[int]
) -> None:
    """The coach's loop: every morning the plan is reshuffled against what was done, then
    the athlete does that day's open sessions unless the day is missed. After every
    reshuffle, all placement guardrails hold and the week is 80/20 (or its excess is
    quality already run)."""
    athlete, acts, memory, start, weeks = case
    plan = build_plan(athlete, acts, memory, start, weeks)
    lived: list[Activity] = list(acts)
    for offset in range(14):
        today = start + dt.timedelta(days=offset)
        if plan.week_of(today) is None:
            break
        plan = reshuffle(plan, athlete, lived, memory, today)
        assert_placement(plan, athlete, memory)
        assert_80_20(plan, today)
        if offset in missed:
            continue
        week = plan.week_of(today)
        assert week is not None
        lived += [
            _did(s.date, s.kind, s.minutes, athlete)
            for s in week.sessions
            if s.date == today and s.kind is not SessionKind.REST and s.status in OPEN
        ]


@DAILY
@given(scenarios(any_day), st.integers(0, 13))
@example(HARD_TAIL, 1)
@example(HARD_TAIL, 2)
def test_a_week_with_nothing_missed_keeps_its_quality(case, offset: int) -> None:  # type: ignore[no-untyped-def]
    """Judged over the whole week, a sound week stays sound when it is lived as planned:
    no quality session is downgraded, even on days when what is left of the week is mostly
    quality (easy running done early). Only a run dropped to keep a day free can tip it."""
    athlete, acts, memory, start, weeks = case
    plan = build_plan(athlete, acts, memory, start, weeks)
    today = start + dt.timedelta(days=offset)
    if plan.week_of(today) is None:
        return
    new = reshuffle(plan, athlete, acts + _lived(plan, athlete, start, today, set()), memory, today)
    before, after = plan.week_of(today), new.week_of(today)
    assert before is not None and after is not None
    notes = [c for c in after.changes if c not in before.changes]
    if any("80/20" in c for c in notes):
        assert any("dropped" in c for c in notes)
    else:
        assert [s.kind for s in after.sessions if s.kind.is_hard] == [
            s.kind for s in before.sessions if s.kind.is_hard
        ]


# -- worked examples -----------------------------------------------------------------------------


def _small_week_case() -> tuple[AthleteProfile, list[Activity], Plan]:
    athlete, history, memory, monday, weeks = SMALL_WEEK
    return athlete, history, build_plan(athlete, history, memory, monday, weeks)


def test_a_sound_week_is_judged_whole_not_by_what_is_left_of_it() -> None:
    """Monday's long run and Tuesday's easy run done: from Wednesday on the week is all
    quality, but the week as a whole is 80/20, so Wednesday's tempo stays a tempo."""
    athlete, acts, memory, monday, weeks = HARD_TAIL
    plan = build_plan(athlete, acts, memory, monday, weeks)
    assert _by_kind(plan.weeks[0]) == [
        ("Mon", "long", 50),
        ("Tue", "easy", 50),
        ("Wed", "tempo", 25),
        ("Thu", "strength", 45),
    ]
    wednesday = monday + dt.timedelta(days=2)
    new = reshuffle(
        plan, athlete, _lived(plan, athlete, monday, wednesday, set()), memory, wednesday
    )
    assert _by_kind(new.weeks[0]) == _by_kind(plan.weeks[0])
    assert new.weeks[0].changes == ()
    assert_80_20(new, wednesday)


def _by_kind(week: PlanWeek) -> list[tuple[str, str, int]]:
    return [
        (f"{s.date:%a}", s.kind.value, s.minutes)
        for s in week.sessions
        if s.kind is not SessionKind.REST and s.status is not SessionStatus.DROPPED
    ]


def test_missed_days_that_leave_the_week_hard_heavy_downgrade_the_quality_not_the_long_run() -> (
    None
):
    """Monday's easy run and Wednesday's tempo missed, reshuffled on Thursday: the tempo
    moves to Thursday, Monday's run has no room and Sunday's is dropped to keep a day free.
    That week would be 30 quality minutes of 110 (27 %): the moved tempo becomes a 30-minute
    easy run instead, and Saturday's long run keeps its day and length."""
    athlete, history, plan = _small_week_case()
    assert _by_kind(plan.weeks[0]) == [
        ("Mon", "easy", 20),
        ("Wed", "tempo", 30),
        ("Thu", "strength", 45),
        ("Fri", "easy", 20),
        ("Sat", "long", 60),
        ("Sun", "easy", 20),
    ]
    thursday = MONDAY + dt.timedelta(days=3)
    lived = _lived(plan, athlete, MONDAY, thursday, {MONDAY, MONDAY + dt.timedelta(days=2)})
    new = reshuffle(plan, athlete, history + lived, [], thursday)
    week = new.weeks[0]
    assert _by_kind(week) == [
        ("Thu", "easy", 30),
        ("Fri", "easy", 20),
        ("Fri", "strength", 45),
        ("Sat", "long", 60),
    ]
    assert "Thu Tempo 30min → easy run: keep the week 80/20" in week.changes
    assert week.changes.index("Wed Tempo 30min missed, moved → Thu") < len(week.changes) - 1
    assert not any(s.kind.is_hard for s in week.sessions)
    assert check_intensity_split(dataclasses.replace(new, weeks=(week,))) == []
    assert_placement(new, athlete, [])
    assert new.weeks[1] == plan.weeks[1]


def test_quality_already_run_stays_history() -> None:
    """Wednesday's tempo done, then Monday, Friday and Saturday missed, reshuffled on
    Sunday: the long run moves to Sunday and the easy runs are gone. 30 quality minutes of
    90 is over 20 %, but the tempo was run: nothing is left to downgrade, and the done
    session is not rewritten."""
    athlete, history, plan = _small_week_case()
    sunday = MONDAY + dt.timedelta(days=6)
    gone = {MONDAY + dt.timedelta(days=d) for d in (0, 4, 5)}
    new = reshuffle(
        plan, athlete, history + _lived(plan, athlete, MONDAY, sunday, gone), [], sunday
    )
    week = new.weeks[0]
    (tempo,) = [s for s in week.sessions if s.kind is SessionKind.TEMPO]
    assert tempo.status is SessionStatus.DONE and tempo.minutes == 30
    assert ("Sun", "long", 60) in _by_kind(week)
    assert check_intensity_split(dataclasses.replace(new, weeks=(week,)))
    assert not any("80/20" in c for c in week.changes)
    assert_80_20(new, sunday)


def test_a_one_day_adjustment_changes_its_day_and_the_reshuffle_after_it_restores_80_20() -> None:
    """Saturday's long run cut to 20 minutes on Monday ("only 20 minutes"): the adjustment
    touches Saturday only, which leaves the week at 30 quality minutes of 110. The
    reshuffle the coach runs after every adjustment turns Wednesday's tempo into an easy
    run; the 20-minute Saturday stays as the athlete asked."""
    athlete, history, plan = _small_week_case()
    saturday = MONDAY + dt.timedelta(days=5)
    adjusted = adjust_session(plan, athlete, saturday, "only 20 minutes", [])
    assert check_intensity_split(dataclasses.replace(adjusted, weeks=adjusted.weeks[:1]))
    new = reshuffle(adjusted, athlete, history, [], MONDAY)
    week = new.weeks[0]
    assert ("Sat", "easy", 20) in _by_kind(week)
    assert ("Wed", "easy", 30) in _by_kind(week)
    assert "Wed Tempo 30min → easy run: keep the week 80/20" in week.changes
    assert_80_20(new, MONDAY)
    assert_placement(new, athlete, [])


ADJUST_REASONS = ("only 20 minutes", "my calf is sore", "so tired", "sick", "busy day")


@DAILY
@given(scenarios(), st.integers(0, 6), st.sampled_from(ADJUST_REASONS))
def test_adjust_then_reshuffle_keeps_placement_and_80_20(  # type: ignore[no-untyped-def]
    case, offset: int, reason: str
) -> None:
    """Any plan, any day of its first week adjusted for any reason on Monday, then the
    coach's reshuffle: the placement guardrails hold and the week is 80/20."""
    athlete, acts, memory, monday, weeks = case
    plan = build_plan(athlete, acts, memory, monday, weeks)
    day = monday + dt.timedelta(days=offset)
    todays = [s for s in plan.weeks[0].sessions if s.date == day]
    if not any(s.kind not in (SessionKind.REST, SessionKind.RACE) for s in todays) or any(
        s.kind is SessionKind.RACE for s in todays
    ):
        return
    adjusted = adjust_session(plan, athlete, day, reason, memory)
    new = reshuffle(adjusted, athlete, acts, memory, monday)
    assert_placement(new, athlete, memory)
    assert_80_20(new, monday)
