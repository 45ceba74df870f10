"""The race goal re-checked against current fitness and the weeks left, and said plainly in
the weekly review (issue 19, items 1 and 8). Convention:
:mod:`momentum.plugins.running.plans.goal_check`
(about one VDOT point per four weeks, at most six; the long run built by 15 minutes a week
with a lighter week in four, ready two weeks out)."""

from __future__ import annotations

import datetime as dt

from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.analytics.vdot import race_time
from momentum.plugins.running.plans.goal_check import check_goal
from momentum.plugins.running.profile import GoalRace, RaceResult, with_running_profile
from tests.unit.test_coach_support import at, offline_app, talk_history
from tests.unit.test_plans_support import activity, talk_athlete

MON = dt.date(2026, 3, 2)


def _runner(goal: GoalRace, vdot: float = 40.0):  # type: ignore[no-untyped-def]
    result = RaceResult(MON - dt.timedelta(days=7), 10000, race_time(vdot, 10000), "10K")
    return talk_athlete(goal_race=goal, race_results=(result,))


def _runs(longest: float) -> list:  # type: ignore[type-arg]
    return [
        activity(MON - dt.timedelta(days=d), longest if d == 2 else 40) for d in range(2, 20, 2)
    ]


def test_a_reachable_goal_fits() -> None:
    goal = GoalRace("Summer 10K", MON + dt.timedelta(weeks=12), 10000, race_time(42, 10000))
    verdict = check_goal(_runner(goal), _runs(70), MON)
    assert verdict is not None and verdict.fits
    assert verdict.reachable_vdot is not None and 42.5 <= verdict.reachable_vdot <= 43.5
    assert "fits" in verdict.sentence(goal)


def test_a_goal_time_too_fast_for_the_weeks_left_offers_a_time() -> None:
    """VDOT 40 with 8 weeks: about 42 reachable; a 1:30 half (VDOT ~51) does not fit."""
    goal = GoalRace("Spring Half", MON + dt.timedelta(weeks=8), 21097.5, 90 * 60)
    verdict = check_goal(_runner(goal), _runs(80), MON)
    assert verdict is not None and not verdict.fits
    said = verdict.sentence(goal)
    assert "no longer fits" in said and "Aim for 1:4" in said and "VDOT" in said


def test_a_marathon_in_six_weeks_from_a_45_minute_long_run_offers_a_shorter_race() -> None:
    goal = GoalRace("City Marathon", MON + dt.timedelta(weeks=6), 42195)
    verdict = check_goal(_runner(goal), _runs(45), MON)
    assert verdict is not None and not verdict.fits
    assert verdict.long_run_needed == 150
    assert "Pick 10K" in verdict.sentence(goal) or "Pick half marathon" in verdict.sentence(goal)


def test_no_goal_race_no_check() -> None:
    assert check_goal(talk_athlete(goal_race=None), [], MON) is None


def test_the_weekly_review_says_it_with_the_prediction_and_its_trend(athlete) -> None:  # type: ignore[no-untyped-def]
    goal = GoalRace("Spring Half", MON + dt.timedelta(weeks=8), 21097.5, 85 * 60)
    profile = with_running_profile(athlete, goal_race=goal)
    app = offline_app(profile, FixedClock(at(MON, 19)))
    talk_history(app.storage, "adam", MON - dt.timedelta(days=90), MON - dt.timedelta(days=1))
    message = app.coach.weekly_review("adam", MON - dt.timedelta(days=7))
    assert "no longer fits" in message.text
    assert "Predicted: 21.1 km" in message.text
