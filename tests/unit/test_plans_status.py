"""The weekly picture (the talk's tree): per-day status, aerobic minutes, MVW ticks."""

from __future__ import annotations

import datetime as dt

from momentum.plugins.running.model.plan import SessionKind, SessionStatus
from momentum.plugins.running.plans import adjust_session, build_plan, reshuffle, week_status
from momentum.plugins.running.plans.status import DONE, EXTRA, MISSED, PLANNED, REST
from tests.unit.test_plans_support import activity, steady_history, talk_athlete, talk_history

FEB_16 = dt.date(2026, 2, 16)
SUNDAY_22 = dt.date(2026, 2, 22)


def _plan_for_feb_16():  # type: ignore[no-untyped-def]
    history = [a for a in talk_history() if a.start.date() < FEB_16]
    return build_plan(talk_athlete(), history, [], FEB_16)


def test_sunday_feb_22_check_in_picture() -> None:
    """Talk, Sunday Feb 22: "Aerobic: 3:30h / 5:00h", Mon/Wed/Sat done (Sat the long run),
    "MVW: 3 runs ✓✓✓ | Long Run ✓ | Strength ○" before the Sunday strength session."""
    plan = _plan_for_feb_16()
    before_strength = [a for a in talk_history() if a.activity_type == "Run"]
    status = week_status(plan, before_strength, SUNDAY_22)
    assert status.start == FEB_16 and status.phase == "Winter Engine"
    assert status.aerobic_minutes_done == 210  # 1:12 + 46 + 1:32
    assert status.aerobic_minutes_planned == 300
    states = {d.day.weekday(): d.status for d in status.days}
    assert states[0] == DONE and states[2] == DONE and states[5] == DONE
    assert states[4] == REST  # an optional run left undone is not "missed"
    sat = status.days[5]
    assert sat.session is not None and sat.session.kind is SessionKind.LONG
    assert [round(a.moving_time_seconds / 60) for a in sat.activities] == [92]
    assert status.mvw == {"runs": (3, 3), "long_run": (1, 1), "strength": (0, 1)}
    assert not status.mvw_complete
    after = week_status(plan, talk_history(), SUNDAY_22)
    assert after.mvw["strength"] == (1, 1) and after.mvw_complete


def test_statuses_rest_extra_planned() -> None:
    """Nothing planned and nothing done is rest; something done on a rest day is extra;
    today and later are planned."""
    plan = _plan_for_feb_16()
    acts = [activity(dt.date(2026, 2, 19), 30, "Ride")]
    status = week_status(plan, acts, dt.date(2026, 2, 19))
    states = {d.day.weekday(): d.status for d in status.days}
    assert states[3] == EXTRA  # Thursday is a rest day in this plan
    assert states[5] == PLANNED and states[6] == PLANNED
    assert states[0] == MISSED
    assert status.aerobic_minutes_done == 30
    rest_days = [d for d in status.days if d.session is None]
    assert all(d.status in (REST, EXTRA) for d in rest_days)


def test_week_status_without_a_plan() -> None:
    """No plan yet: active days are extra, the rest are rest, the MVW is the default."""
    acts = [
        activity(dt.date(2026, 2, 16), 45),
        activity(dt.date(2026, 2, 17), 40, "WeightTraining"),
    ]
    status = week_status(None, acts, dt.date(2026, 2, 18), timezone="America/Toronto")
    assert [d.status for d in status.days[:3]] == [EXTRA, EXTRA, REST]
    assert status.aerobic_minutes_planned == 0 and status.aerobic_minutes_done == 45
    assert status.mvw["strength"] == (1, 1) and status.mvw["runs"] == (1, 3)


def test_evening_runs_count_on_their_local_day() -> None:
    """A 9 pm Toronto run is the next day in UTC; the plan's timezone puts it on its day."""
    plan = _plan_for_feb_16()
    late = activity(FEB_16, 45, hour=21)
    status = week_status(plan, [late], dt.date(2026, 2, 17))
    assert status.days[0].status == DONE and status.days[1].activities == ()


def test_planned_minutes_count_only_what_the_week_still_holds() -> None:
    """Missed Monday to Thursday: Friday's reshuffle moves Monday's run and Tuesday's
    strength to Friday, drops the optional Friday run and finds no room for Wednesday's
    60 minutes. Planned aerobic minutes are what the week still holds (45 + 120 + 45), not
    the 270 that counted the dropped Wednesday run; Wednesday still shows as missed. A late
    sync of Wednesday's run makes it done and counted again; a session adjusted to rest
    counts nothing."""
    athlete = talk_athlete()
    history = steady_history(dt.date(2026, 1, 26), 4)
    monday, friday = dt.date(2026, 2, 23), dt.date(2026, 2, 27)
    plan = build_plan(athlete, history, [], monday, 2)
    assert week_status(plan, history, monday).aerobic_minutes_planned == 300
    shuffled = reshuffle(plan, athlete, history, [], friday)
    wednesday = [s for s in shuffled.weeks[0].sessions if s.date == dt.date(2026, 2, 25)]
    assert [(s.kind, s.minutes, s.status) for s in wednesday] == [
        (SessionKind.EASY, 60, SessionStatus.DROPPED)
    ]
    status = week_status(shuffled, history, friday)
    assert status.aerobic_minutes_planned == 45 + 120 + 45 == 210
    assert status.days[2].status == MISSED and status.days[2].session == wednesday[0]
    assert reshuffle(shuffled, athlete, history, [], friday) == shuffled  # idempotent

    late = [*history, activity(dt.date(2026, 2, 25), 58)]
    synced = reshuffle(shuffled, athlete, late, [], friday)
    status = week_status(synced, late, friday)
    assert status.days[2].status == DONE
    assert status.aerobic_minutes_planned == 270 and status.aerobic_minutes_done == 58

    rested = adjust_session(shuffled, athlete, dt.date(2026, 3, 1), "skip it, rest day", [])
    assert week_status(rested, history, friday).aerobic_minutes_planned == 165
