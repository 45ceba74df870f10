"""A planned session adds up: its parts sum to its minutes, the reps its purpose names are the
reps it holds, and a race's distance, pace and duration agree (issue 19, item 2).

Convention (:mod:`momentum.plugins.running.plans.structure`): warm-up + reps + recoveries +
cool-down =
the session's minutes, exactly (to the second); what the reps leave over goes to the warm-up
and cool-down. A race's stated pace is the one its minutes are run at: ``minutes × 60 ≈
distance × pace`` within half a minute (minutes are whole).
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.plans import sessions as make
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.partial import _shortened
from momentum.plugins.running.plans.structure import (
    COOLDOWN,
    RECOVER,
    WARMUP,
    WORK,
    check_steps,
    steps_of,
)
from momentum.plugins.running.profile import GoalRace
from tests.unit.test_plans_support import talk_athlete, talk_history

DAY = dt.date(2026, 3, 3)
INTENSITIES = Intensities.of(talk_athlete(), DAY)
NO_PACES = Intensities.at_vdot(talk_athlete(), None)
minutes = st.integers(10, 240)
its = st.sampled_from([INTENSITIES, NO_PACES])


def _total(session) -> int:  # type: ignore[no-untyped-def]
    return sum(s.seconds for s in steps_of(session))


def _stated_reps(purpose: str) -> int:
    m = re.search(r"(\d+)×", purpose)
    return int(m.group(1)) if m else 1


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(["tempo", "intervals", "hills", "sharpener"]), st.integers(25, 90), its)
def test_quality_sessions_add_up_and_say_what_they_hold(kind: str, total: int, it) -> None:  # type: ignore[no-untyped-def]
    """Every quality session's parts sum to its minutes, warm-up and cool-down are at least
    ten minutes each (five in a session under 40 minutes), and the purpose names exactly the
    reps the parts hold."""
    session = make.hard(DAY, total, kind, it)
    parts = steps_of(session)
    assert _total(session) == total * 60
    assert check_steps(session) == []
    work = [p for p in parts if p.kind == WORK]
    assert work and parts[0].kind == WARMUP and parts[-1].kind == COOLDOWN
    least = 600 if total >= 40 else 300  # short sessions: half of them warm-up and cool-down
    assert parts[0].seconds >= least and parts[-1].seconds >= least
    assert _stated_reps(session.purpose) == len(work)
    recoveries = [p for p in parts if p.kind == RECOVER]
    assert len(recoveries) == max(0, len(work) - 1)
    stated = re.search(r"(\S+) warm-up and (\S+) min cool-down", session.purpose)
    assert stated is not None


@settings(max_examples=200, deadline=None)
@given(minutes, its, st.booleans(), st.booleans())
def test_steady_sessions_are_one_part_of_their_length(
    total: int, it, optional: bool, recovery: bool
) -> None:  # type: ignore[no-untyped-def]
    """Easy, recovery, long runs and cross-training are one steady part of their minutes."""
    for session in (
        make.easy(DAY, total, it, optional=optional, recovery=recovery),
        make.long_run(DAY, total, it),
        make.cross(DAY, total, it, "a sore calf"),
    ):
        assert _total(session) == total * 60
        assert len(steps_of(session)) == 1


@settings(max_examples=100, deadline=None)
@given(
    st.integers(15, 60), st.sampled_from([(1, 2), (2, 2), (3, 2), (5, 2), (8, 2), (10, 1), (15, 1)])
)
def test_walk_run_sessions_add_up(total: int, step: tuple[int, int]) -> None:
    """A walk-run session's runs, walks and the walking before and after sum to its minutes,
    and every run is the stated run length."""
    session = make.walk_run(DAY, total, step, INTENSITIES)
    parts = steps_of(session)
    assert _total(session) == total * 60
    runs = [p for p in parts if p.kind == "run"]
    assert runs and all(p.seconds == step[0] * 60 for p in runs)
    assert f"×{step[0]} min easy running" in session.purpose or (
        len(runs) == 1 and f"{step[0]} min continuous easy running" in session.purpose
    )


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["tempo", "intervals", "hills"]), st.integers(40, 90), st.integers(25, 39))
def test_a_shortened_quality_session_is_rewritten_from_its_new_parts(
    kind: str, total: int, shorter: int
) -> None:
    """A partial first week shortens a quality session: the purpose then names the reps the
    shorter session holds (the issue's "45-minute session holding 28 minutes")."""
    session = _shortened(make.hard(DAY, total, kind, INTENSITIES), shorter)
    assert _total(session) == shorter * 60
    assert _stated_reps(session.purpose) == len([p for p in steps_of(session) if p.kind == WORK])


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from([5000.0, 10000.0, 21097.5, 30000.0, 42195.0]),
    st.sampled_from(["road", "trail, hilly"]),
    st.one_of(st.none(), st.floats(1200, 6 * 3600)),
)
def test_race_distance_pace_and_duration_agree(
    distance: float, notes: str, goal: float | None
) -> None:
    """In a plan's race week the race session's minutes are its distance at its stated pace
    (a trail allowance slows both), never 267 minutes at a 30K road pace."""
    race_day = dt.date(2026, 3, 21)
    athlete = talk_athlete(goal_race=GoalRace("Race", race_day, distance, goal, course_notes=notes))
    plan = build_plan(athlete, talk_history(), [], dt.date(2026, 3, 16), 1)
    (race,) = [s for w in plan.weeks for s in w.sessions if s.kind is SessionKind.RACE]
    assert race.distance_meters == distance
    if race.pace is not None:
        assert abs(race.minutes * 60 - distance / 1000 * race.pace[0]) <= 30
    assert _total(race) == race.minutes * 60


def test_every_session_of_the_talk_plan_adds_up() -> None:
    """The talk athlete's 12 weeks: every session's parts sum to its minutes."""
    plan = build_plan(talk_athlete(), talk_history(), [], dt.date(2026, 2, 25), 12)
    problems = [p for w in plan.weeks for s in w.sessions for p in check_steps(s)]
    assert problems == []
    assert any(len(steps_of(s)) > 3 for w in plan.weeks for s in w.sessions)
