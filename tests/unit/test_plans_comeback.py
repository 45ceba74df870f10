"""Plans from the athlete's real load: layoffs and the return, and beginners (issue 19, item 1).

The coach's scenarios, then the guardrails as properties over generated histories with
gaps. Conventions: :mod:`momentum.plugins.running.plans.comeback` (Daniels' return-to-training
table,
walk-run for months off), :mod:`momentum.plugins.running.plans.progression` (10 % rule, a lighter
week
every 3–4, long run ≤ 30 % of the week while returning).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.plans import build_plan, weekly_refresh
from momentum.plugins.running.plans.comeback import (
    REBUILD,
    REDUCED,
    WALK_RUN,
    is_walk_run_week,
    latest_gap,
    stage_for,
    starting_point,
)
from momentum.plugins.running.plans.guardrails import (
    aerobic_minutes,
    check_intensity_split,
    check_ramp,
    hard_minutes,
)
from momentum.plugins.running.plans.history import History, established_volume
from momentum.plugins.running.plans.structure import steps_of
from momentum.plugins.running.profile import (
    CurrentTraining,
    running_athlete,
    running_profile,
    with_running_profile,
)
from tests.unit.test_plans_support import activity, athletes, talk_athlete

TODAY = dt.date(2026, 3, 2)  # a Monday
VIEW_DAYS = 91
"""The coach's view loads 91 days of activities."""


def history(last_day: dt.date, weeks: int = 8, weekly: float = 300) -> list[Activity]:
    """``weeks`` steady weeks ending on ``last_day``: Mon/Wed/Fri 20 %, Saturday long 40 %."""
    acts = []
    start = last_day - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    for offset in range((last_day - start).days + 1):
        day = start + dt.timedelta(days=offset)
        share = {0: 0.2, 2: 0.2, 4: 0.2, 5: 0.4}.get(day.weekday())
        if share:
            acts.append(activity(day, weekly * share))
    return acts


def visible(acts: list[Activity], today: dt.date = TODAY) -> list[Activity]:
    first = today - dt.timedelta(days=VIEW_DAYS)
    return [a for a in acts if first <= a.start.date() < today]


def longest(week) -> int:  # type: ignore[no-untyped-def]
    return max((s.minutes for s in week.sessions if s.kind.is_run), default=0)


def runner(**changes: object) -> AthleteProfile:
    """The talk's runner without a race (so nothing but the return shapes the weeks)."""
    base = talk_athlete(
        goal_race=None, race_results=(), created=dt.datetime(2025, 1, 5, tzinfo=dt.UTC)
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def test_stages_follow_the_gap_length() -> None:
    assert [stage_for(d) for d in (3, 6, 10, 27, 28, 59, 60, 270)] == [
        None,
        "short",
        REDUCED,
        REDUCED,
        REBUILD,
        REBUILD,
        WALK_RUN,
        WALK_RUN,
    ]


def test_27_days_off_the_return_is_reduced_and_easy() -> None:
    """A 300-minute runner back after 27 days: the first week is 60 % (180 min) with a long
    run of at most 30 % of it, no quality for two weeks, then no more than 10 % a week, and
    the long run grows by at most 15 minutes a week."""
    acts = history(TODAY - dt.timedelta(days=28))
    plan = build_plan(runner(), visible(acts), [], TODAY, 4)
    first, second, third = plan.weeks[:3]
    assert aerobic_minutes(first) <= 0.6 * 300
    assert longest(first) <= 0.3 * aerobic_minutes(first) + 5
    assert hard_minutes(first) == 0 and hard_minutes(second) == 0
    assert aerobic_minutes(second) <= 1.1 * aerobic_minutes(first) + 0.5
    assert aerobic_minutes(third) <= 1.1 * aerobic_minutes(second) + 0.5
    longs = [longest(w) for w in plan.weeks]
    assert all(b - a <= 15 for a, b in itertools.pairwise(longs))
    assert longs[0] < 120  # never the old 120-minute long run


def test_six_weeks_off_rebuilds_from_a_third_without_quality() -> None:
    """Six weeks off: 40 % of the old volume, a long run of an hour at most, no quality for
    four weeks."""
    acts = history(TODAY - dt.timedelta(days=43))
    start = starting_point(runner(), History.of(visible(acts), "America/Toronto"), TODAY)
    assert start.stage == REBUILD and start.no_quality_weeks == 4
    plan = build_plan(runner(), visible(acts), [], TODAY, 5)
    assert aerobic_minutes(plan.weeks[0]) <= 0.4 * 300 + 5
    assert all(longest(w) <= 60 for w in plan.weeks[:2])
    assert all(hard_minutes(w) == 0 for w in plan.weeks[:4])


def _walk_run_plan(acts: list[Activity], athlete: AthleteProfile, weeks: int = 12):  # type: ignore[no-untyped-def]
    return build_plan(athlete, visible(acts), [], TODAY, weeks)


def test_six_and_nine_months_off_start_with_walk_run() -> None:
    """Months off: walk-run three times a week from one minute of running, building to
    continuous running, with one light strength session on another day; no quality and no
    long run while it lasts; 60 minutes the first week, then at most 10 % more, a lighter
    week every fourth."""
    for months in (6, 9):
        acts = history(TODAY - dt.timedelta(days=30 * months))
        plan = _walk_run_plan(acts, runner())
        first = plan.weeks[0]
        assert is_walk_run_week(first)
        walks = [s for s in first.sessions if s.kind is SessionKind.EASY]
        assert len(walks) == 3 and all("1 min run / 2 min walk" in s.title for s in walks)
        (strength,) = [s for s in first.sessions if s.kind is SessionKind.STRENGTH]
        assert strength.strength is not None and strength.strength.intensity == "light"
        assert strength.date not in {s.date for s in walks}
        assert aerobic_minutes(first) <= 60
        walk_weeks = [w for w in plan.weeks if is_walk_run_week(w)]
        assert len(walk_weeks) >= 8
        assert all(hard_minutes(w) == 0 for w in plan.weeks)
        assert not any(s.kind is SessionKind.LONG for w in walk_weeks for s in w.sessions)
        assert check_ramp(plan, 0) == []
        runs = [
            max(p.seconds for p in steps_of(s) if p.kind == "run")
            for w in walk_weeks
            if not w.is_recovery
            for s in w.sessions
            if s.title.startswith("Walk-run")
        ]
        assert runs == sorted(runs)  # the run share only grows


def test_the_walk_run_progression_continues_through_weekly_refreshes() -> None:
    """Sunday refreshes after each walk-run week done: the next week moves on a step (the
    history no longer shows the months-long gap, the plan does)."""
    acts = history(TODAY - dt.timedelta(days=200))
    athlete = runner()
    plan = build_plan(athlete, visible(acts), [], TODAY, 6)
    lived: list[Activity] = []
    titles = []
    for week_index in range(3):
        week = plan.weeks[0] if week_index == 0 else plan.weeks[1]
        titles.append(next(s.title for s in week.sessions if s.title.startswith("Walk-run")))
        lived += [activity(s.date, s.minutes) for s in week.sessions if s.kind.is_run]
        sunday = week.start + dt.timedelta(days=6)
        plan = weekly_refresh(plan, athlete, visible(acts + lived, sunday), [], sunday)
    assert [t.split("(")[1] for t in titles] == [
        "1 min run / 2 min walk)",
        "2 min run / 2 min walk)",
        "3 min run / 2 min walk)",
    ]
    assert is_walk_run_week(plan.weeks[1])


def test_a_beginner_who_accepts_the_defaults_gets_walk_run_not_300_minutes() -> None:
    new = AthleteProfile(
        athlete_id="new", name="New", created=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    )
    plan = build_plan(new, [], [], TODAY, 3)
    assert is_walk_run_week(plan.weeks[0])
    assert aerobic_minutes(plan.weeks[0]) <= 60
    assert max(longest(w) for w in plan.weeks) <= 30


def test_a_beginner_starts_from_what_they_said_they_run() -> None:
    """90 minutes a week in three runs, a 35-minute longest run: the plan starts there, and
    the long run grows from 35 minutes."""
    said = CurrentTraining(TODAY - dt.timedelta(days=2), 90, 3, 35)
    new = running_athlete(athlete_id="new", name="New", current_training=said)
    plan = build_plan(new, [], [], TODAY, 3)
    assert not is_walk_run_week(plan.weeks[0])
    assert 80 <= aerobic_minutes(plan.weeks[0]) <= 100
    assert longest(plan.weeks[0]) <= 50
    nothing = with_running_profile(new, current_training=CurrentTraining(TODAY, 0, 0, 0))
    assert is_walk_run_week(build_plan(nothing, [], [], TODAY, 1).weeks[0])


# -- properties over generated histories with gaps ----------------------------------------------


@st.composite
def gapped(draw: st.DrawFn):  # type: ignore[no-untyped-def]
    """An athlete, 2–10 weeks of training at 60–600 min, then a gap of 0–300 days."""
    today = TODAY
    athlete = draw(athletes(today))
    athlete = dataclasses.replace(athlete, created=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    gap = draw(st.integers(0, 300))
    weeks = draw(st.integers(2, 10))
    weekly = draw(st.integers(60, 600))
    acts = [
        dataclasses.replace(a, athlete_id=athlete.athlete_id)
        for a in history(today - dt.timedelta(days=gap + 1), weeks, weekly)
    ]
    return athlete, visible(acts), draw(st.integers(3, 12))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(gapped())
def test_returns_keep_the_guardrails(case) -> None:  # type: ignore[no-untyped-def]
    """Over any history and gap: 80/20, at most 10 % a week over the recent weeks (the
    established volume, or the volume before a short gap), a lighter week every 3–4 weeks,
    no quality in the first week back after 10+ days, and the long run within 30 % of the
    week while returning."""
    athlete, acts, weeks = case
    plan = build_plan(athlete, acts, [], TODAY, weeks)
    history = History.of(acts, athlete.timezone)
    start = starting_point(athlete, history, TODAY)
    assert check_intensity_split(plan) == []
    base = established_volume(history, TODAY) or 0.0
    gap = latest_gap(history, TODAY)
    if gap is not None:
        base = max(base, established_volume(history, gap.first_day_off) or 0.0)
    assert check_ramp(plan, base) == []
    if start.stage in (REDUCED, REBUILD, WALK_RUN):
        first = plan.weeks[0]
        quality = [s for s in first.sessions if s.kind.is_hard and s.kind is not SessionKind.RACE]
        assert quality == []
        if aerobic_minutes(first) >= 60:
            long_runs = [s.minutes for s in first.sessions if s.kind is SessionKind.LONG]
            assert all(m <= 0.3 * aerobic_minutes(first) + 5 for m in long_runs)
    if start.stage == WALK_RUN:
        assert (
            is_walk_run_week(plan.weeks[0])
            or any(s.kind is SessionKind.RACE for s in plan.weeks[0].sessions)
            or running_profile(athlete).goal_race is not None
        )
