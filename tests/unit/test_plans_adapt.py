"""Adapting: weekly refresh (assumption vs reality), midweek reshuffle, one-day adjustment."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.core.errors import InputError, MomentumError, NotFoundError
from momentum.core.model import Equipment, Weekday
from momentum.plugins.running.model.plan import SessionKind, SessionStatus
from momentum.plugins.running.plans import (
    adjust_session,
    build_plan,
    reconcile_plan,
    reshuffle,
    week_status,
    weekly_refresh,
)
from momentum.plugins.running.plans.adjust import Reason, parse_minutes
from momentum.plugins.running.plans.guardrails import (
    aerobic_minutes,
    check_hard_days,
    check_plan,
    check_strength,
)
from tests.unit.test_plans_support import (
    DOMS_MEMORY,
    FEB_23,
    activity,
    athletes,
    declared,
    histories,
    memories,
    steady_history,
    talk_athlete,
    talk_history,
    week_of_runs,
)

SUNDAY = dt.date(2026, 3, 1)


def _plan():  # type: ignore[no-untyped-def]
    return build_plan(talk_athlete(), talk_history(), [], FEB_23)


def _session(plan, day: dt.date, kind: SessionKind):  # type: ignore[no-untyped-def]
    return next(s for w in plan.weeks for s in w.sessions if s.date == day and s.kind is kind)


# -- weekly refresh ---------------------------------------------------------------------------


def test_refresh_assumes_sessions_without_device_data_then_reconciles() -> None:
    """RunGPT's assumption vs reality: the watch last synced Wednesday, so on Sunday night
    Friday–Sunday are assumed done and count toward next week's volume; when Friday's and
    Saturday's runs arrive, they become done and Sunday's recovery run missed."""
    athlete = talk_athlete()
    synced = talk_history() + week_of_runs(FEB_23, {0: 45, 2: 60})
    synced.append(activity(dt.date(2026, 2, 24), 60, "WeightTraining"))
    refreshed = weekly_refresh(_plan(), athlete, synced, [], SUNDAY)
    week = refreshed.weeks[0]
    by_day = {s.date.weekday(): s.status for s in week.sessions if s.kind is not SessionKind.REST}
    assert by_day == {
        0: SessionStatus.DONE,
        1: SessionStatus.DONE,
        2: SessionStatus.DONE,
        4: SessionStatus.ASSUMED,
        5: SessionStatus.ASSUMED,
        6: SessionStatus.ASSUMED,
    }
    assert any("assumed" in c for c in week.changes)
    # Assumed minutes count: next week is a normal full week, not cut back.
    assert aerobic_minutes(refreshed.weeks[1]) == 300
    status = week_status(refreshed, synced, SUNDAY)
    assert [d.assumed for d in status.days if d.day.weekday() in (4, 5)] == [True, True]
    # The data arrives on Monday.
    arrived = [*synced, activity(dt.date(2026, 2, 27), 30), activity(dt.date(2026, 2, 28), 118)]
    later = reconcile_plan(refreshed, arrived, dt.date(2026, 3, 2))
    statuses = {
        s.date.weekday(): s.status
        for s in later.weeks[0].sessions
        if s.kind is not SessionKind.REST
    }
    assert statuses[4] is SessionStatus.DONE and statuses[5] is SessionStatus.DONE
    assert statuses[6] is SessionStatus.MISSED
    assert reconcile_plan(later, arrived, dt.date(2026, 3, 2)) == later  # idempotent


def test_refresh_keeps_structure_and_rolls_the_window() -> None:
    """Regenerated weeks keep the macrocycle, the down-week rhythm and the weekly layout;
    the window rolls forward so there are still eight weeks ahead."""
    athlete = talk_athlete()
    plan = _plan()
    lived = talk_history() + week_of_runs(FEB_23, {0: 45, 2: 60, 4: 30, 5: 120, 6: 45})
    lived.append(activity(dt.date(2026, 2, 24), 60, "WeightTraining"))
    refreshed = weekly_refresh(plan, athlete, lived, [], SUNDAY)
    assert refreshed.phases == plan.phases and refreshed.mvw == plan.mvw
    assert [w.start for w in refreshed.weeks] == [FEB_23 + dt.timedelta(weeks=i) for i in range(9)]
    old = {w.start: w for w in plan.weeks}
    for week in refreshed.weeks[1:]:
        if week.start in old:
            assert week.is_recovery == old[week.start].is_recovery

            def layout(w):  # type: ignore[no-untyped-def]
                return [(s.date.weekday(), s.kind) for s in w.sessions]

            assert layout(week) == layout(old[week.start])
    # A second refresh a week later drops the oldest week and still looks 8 weeks ahead.
    lived += week_of_runs(dt.date(2026, 3, 2), {0: 45, 2: 60, 5: 120, 6: 45})
    again = weekly_refresh(refreshed, athlete, lived, [], SUNDAY + dt.timedelta(weeks=1))
    assert again.weeks[0].start == FEB_23 + dt.timedelta(weeks=1) and len(again.weeks) == 9
    assert [w.is_recovery for w in again.weeks[1:]] == [
        w.is_recovery for w in refreshed.weeks[2:]
    ] + [again.weeks[-1].is_recovery]
    assert check_plan(again, athlete, []) == []


def test_refresh_after_a_thin_week_does_not_jump() -> None:
    """The athlete ran 90 of 300 minutes (data synced daily, so misses are misses): the next
    week grows at most 10 % over the established volume and down weeks still come."""
    athlete = talk_athlete()
    lived = talk_history() + week_of_runs(FEB_23, {0: 45, 6: 45})
    refreshed = weekly_refresh(_plan(), athlete, lived, [], SUNDAY)
    assert [
        s.status
        for s in refreshed.weeks[0].sessions
        if s.date.weekday() == 5 and s.kind is SessionKind.LONG
    ] == [SessionStatus.MISSED]
    from momentum.plugins.running.plans.history import History, established_volume

    established = established_volume(
        History.of(lived, athlete.timezone), SUNDAY + dt.timedelta(days=1)
    )
    assert established is not None
    assert aerobic_minutes(refreshed.weeks[1]) <= 1.1 * established


def test_refresh_on_a_plan_that_no_longer_covers_today_builds_a_new_one() -> None:
    """A stale plan (weeks in the past) is replaced, keeping the stored version number."""
    athlete = talk_athlete()
    stale = dataclasses.replace(_plan(), version=7)
    fresh = weekly_refresh(stale, athlete, talk_history(), [], dt.date(2026, 6, 7))
    assert fresh.version == 7 and fresh.week_of(dt.date(2026, 6, 7)) is not None


# -- midweek reshuffle -------------------------------------------------------------------------


reshuffle_settings = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@reshuffle_settings
@given(st.data())
def test_reshuffle_never_stacks_or_grows_and_leaves_the_past_alone(data: st.DataObject) -> None:
    """Whatever was missed: past days keep their sessions, no hard days get stacked, the
    strength rules hold, unavailable days stay empty and the week never grows."""
    monday = data.draw(
        st.dates(dt.date(2025, 1, 6), dt.date(2027, 6, 28)).map(
            lambda d: d - dt.timedelta(days=d.weekday())
        )
    )
    athlete = data.draw(athletes(monday))
    acts = data.draw(histories(athlete, monday))
    memory = data.draw(memories)
    plan = build_plan(athlete, acts, memory, monday, 3)
    week = plan.weeks[0]
    runs_done = data.draw(st.sets(st.integers(0, 6), max_size=4))
    done = acts + [
        activity(
            monday + dt.timedelta(days=d), 40, tz=athlete.timezone, athlete_id=athlete.athlete_id
        )
        for d in runs_done
    ]
    today = monday + dt.timedelta(days=data.draw(st.integers(0, 6)))
    new = reshuffle(plan, athlete, done, memory, today)
    after = new.weeks[0]
    assert aerobic_minutes(after) <= aerobic_minutes(week)
    for s in after.sessions:
        if s.status is SessionStatus.MOVED:
            assert s.date >= today
    past_before = sorted(
        (s.date, s.kind.value, s.minutes)
        for s in week.sessions
        if s.date < today and s.kind is not SessionKind.REST
    )
    past_after = sorted(
        (s.date, s.kind.value, s.minutes)
        for s in after.sessions
        if s.date < today and s.kind is not SessionKind.REST
    )
    assert set(past_after) <= set(past_before)
    assert check_hard_days(new) == []
    assert check_strength(new, athlete, memory) == []
    blocked = {int(d) for d in athlete.unavailable_days}
    for s in after.sessions:
        if s.kind not in (SessionKind.REST, SessionKind.RACE) and s.status not in (
            SessionStatus.MISSED,
        ):
            assert s.date.weekday() not in blocked
    assert new.weeks[1:] == plan.weeks[1:]


def test_reshuffle_keeps_the_doms_rule_across_the_week_boundary() -> None:
    """A missed Monday long run moved to Saturday pushes Wednesday's run and then the
    strength session along; with the DOMS lesson the strength may not land on Sunday, the
    day before next week's Monday long run (regression: it did)."""
    athlete = talk_athlete(
        goal_race=None,
        race_results=(),
        preferred_days=(Weekday.MON, Weekday.TUE),
        long_run_day=Weekday.MON,
        unavailable_days=(Weekday.TUE,),
        equipment=(Equipment.BODYWEIGHT,),
        weekly_minutes_target=90,
    )
    monday = dt.date(2025, 1, 6)
    athlete = declared(athlete, monday)  # said at init: 72 min a week (else walk-run)
    plan = build_plan(athlete, [], [DOMS_MEMORY], monday, 3)
    assert [s.kind for s in plan.weeks[1].sessions if s.date.weekday() == 0] == [SessionKind.LONG]
    new = reshuffle(plan, athlete, [], [DOMS_MEMORY], monday + dt.timedelta(days=1))
    assert any(s.kind is SessionKind.LONG and s.date.weekday() == 5 for s in new.weeks[0].sessions)
    assert check_strength(new, athlete, [DOMS_MEMORY]) == []
    sunday = monday + dt.timedelta(days=6)
    assert not any(
        s.kind is SessionKind.STRENGTH and s.date == sunday for s in new.weeks[0].sessions
    )


# -- one-day adjustment ------------------------------------------------------------------------


def test_only_twenty_minutes_replaces_that_day_and_nothing_else() -> None:
    """ "I can't do the long run, I only have 20 minutes": Saturday becomes a 20-minute easy
    run; every other day and week is untouched."""
    plan = _plan()
    saturday = dt.date(2026, 2, 28)
    new = adjust_session(plan, talk_athlete(), saturday, "I only have 20 minutes", [])
    (sat,) = [s for s in new.weeks[0].sessions if s.date == saturday]
    assert (sat.kind, sat.minutes) == (SessionKind.EASY, 20)
    assert "20 minutes" in sat.purpose
    assert [s for s in new.weeks[0].sessions if s.date != saturday] == [
        s for s in plan.weeks[0].sessions if s.date != saturday
    ]
    assert new.weeks[1:] == plan.weeks[1:]
    assert new.weeks[0].changes and "Sat" in new.weeks[0].changes[-1]


def test_calf_is_sore_swaps_a_run_for_cross_training_and_spares_the_calf() -> None:
    """ "My calf is sore": Wednesday's run becomes low-impact cross-training (≤ 45 min);
    Tuesday's strength keeps its day but drops calf-loading exercises."""
    athlete = talk_athlete()
    plan = _plan()
    wednesday, tuesday = dt.date(2026, 2, 25), dt.date(2026, 2, 24)
    new = adjust_session(plan, athlete, wednesday, "my calf is sore", [])
    (wed,) = [s for s in new.weeks[0].sessions if s.date == wednesday]
    assert wed.kind is SessionKind.CROSS and wed.minutes <= 45
    strength = adjust_session(plan, athlete, tuesday, "calf is sore", [])
    (tue,) = [s for s in strength.weeks[0].sessions if s.date == tuesday]
    assert tue.kind is SessionKind.STRENGTH and tue.strength is not None
    assert not any({"calf", "achilles"} & set(e.loads) for e in tue.strength.main_set)
    before = _session(plan, tuesday, SessionKind.STRENGTH)
    assert before.strength is not None
    assert any("calf" in e.loads for e in before.strength.main_set)


@pytest.mark.parametrize(
    ("reason", "kind"),
    [
        ("I've got a fever", SessionKind.REST),
        ("sharp pain in my knee and it's swollen", SessionKind.REST),
        ("slept badly, totally drained", SessionKind.EASY),
        ("travelling today", SessionKind.EASY),
    ],
)
def test_other_reasons(reason: str, kind: SessionKind) -> None:
    """Ill or sharp pain → rest; tired → easy recovery run; anything else → short easy run."""
    plan = _plan()
    saturday = dt.date(2026, 2, 28)
    new = adjust_session(plan, talk_athlete(), saturday, reason, [])
    (sat,) = [s for s in new.weeks[0].sessions if s.date == saturday]
    assert sat.kind is kind
    assert sat.minutes <= 45


def test_short_on_time_keeps_a_quality_session_short() -> None:
    """A 45-minute tempo with only 30 minutes left stays a (shorter) tempo."""
    athlete = talk_athlete()
    # Training through June (the talk's February history would be a months-long gap by July).
    plan = build_plan(athlete, steady_history(dt.date(2026, 6, 1), 5), [], dt.date(2026, 7, 6))
    tempo = next(s for w in plan.weeks for s in w.sessions if s.kind.is_hard)
    new = adjust_session(plan, athlete, tempo.date, "only have 30 min", [])
    (after,) = [s for w in new.weeks for s in w.sessions if s.date == tempo.date]
    assert after.kind is tempo.kind and after.minutes == 30


def test_adjust_errors_are_clear() -> None:
    """Rest days, days outside the plan and empty reasons are refused with a message."""
    plan = _plan()
    athlete = talk_athlete()
    with pytest.raises(NotFoundError, match="rest day"):
        adjust_session(plan, athlete, dt.date(2026, 2, 26), "only 20 minutes", [])
    with pytest.raises(NotFoundError, match="2030-01-01"):
        adjust_session(plan, athlete, dt.date(2030, 1, 1), "only 20 minutes", [])
    with pytest.raises(InputError, match="reason"):
        adjust_session(plan, athlete, dt.date(2026, 2, 28), "  ", [])
    assert issubclass(NotFoundError, MomentumError)


def test_reason_parsing() -> None:
    """Minutes and body areas come out of plain words."""
    assert parse_minutes("I only have 20 minutes") == 20
    assert parse_minutes("got 45 min") == 45
    assert parse_minutes("half an hour tops") == 30
    assert parse_minutes("1.5 hours") == 90
    assert parse_minutes("my calf is sore") is None
    reason = Reason.parse("my calf is sore")
    assert reason.pain and {"calf"} <= reason.sore_areas
    assert Reason.parse("shipping a release tonight").sore_areas == frozenset()


adjust_settings = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@adjust_settings
@given(st.data())
def test_adjustment_touches_one_day_only(data: st.DataObject) -> None:
    """For any plan, day and reason, only that date's sessions change, and the replacement
    is never longer than what it replaces."""
    monday = data.draw(
        st.dates(dt.date(2025, 1, 6), dt.date(2027, 6, 28)).map(
            lambda d: d - dt.timedelta(days=d.weekday())
        )
    )
    athlete = data.draw(athletes(monday))
    plan = build_plan(athlete, data.draw(histories(athlete, monday)), [], monday, 2)
    open_days = sorted(
        {
            s.date
            for w in plan.weeks
            for s in w.sessions
            if s.kind not in (SessionKind.REST, SessionKind.RACE)
        }
    )
    if not open_days:
        return
    day = data.draw(st.sampled_from(open_days))
    reason = data.draw(
        st.sampled_from(
            [
                "only 20 minutes",
                "my calf is sore",
                "knee hurts",
                "so tired",
                "sick",
                "only have an hour",
                "busy day",
                "shoulder is sore",
            ]
        )
    )
    new = adjust_session(plan, athlete, day, reason, [])
    for old_week, new_week in zip(plan.weeks, new.weeks, strict=True):
        assert [s for s in old_week.sessions if s.date != day] == [
            s for s in new_week.sessions if s.date != day
        ]
        old_day = sum(s.minutes for s in old_week.sessions if s.date == day)
        new_day = sum(s.minutes for s in new_week.sessions if s.date == day)
        assert new_day <= old_day


def test_reconcile_with_only_recent_activities_keeps_older_done_sessions() -> None:
    """The coach may pass only the last few days of activities: sessions done earlier in the
    week stay done instead of turning into misses."""
    week_runs = week_of_runs(FEB_23, {0: 45, 2: 60, 5: 120})
    everything = reconcile_plan(_plan(), talk_history() + week_runs, dt.date(2026, 2, 28))
    recent = [a for a in week_runs if a.start.date() >= dt.date(2026, 2, 28)]
    again = reconcile_plan(everything, recent, dt.date(2026, 2, 28))
    done = {s.date.weekday() for s in again.weeks[0].sessions if s.status is SessionStatus.DONE}
    assert done == {0, 2, 5}  # Mon and Wed kept, Saturday's run is in the recent data
    assert [a.start.date() for a in recent] == [dt.date(2026, 2, 28)]
