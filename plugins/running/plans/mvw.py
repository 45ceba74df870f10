"""The Minimum Viable Week: the floor that keeps momentum when life gets busy.

The talk's floor for a 5 h/week athlete is "3× 45–60 min Z2 | 1× 90–120 min long run |
1× strength". It scales with the athlete's weekly target: each easy run is 15–20 % of it and
the long run 30–40 % (so the floor itself stays about 80 % easy by construction).

The floor never asks for more than a plan can lay out: an easy run is at most the layout's
easy-run cap (:data:`momentum.plugins.running.plans.layout.EASY_CAP`) and the long run at most the
cap for
the goal distance (:func:`momentum.plugins.running.plans.progression.long_cap_for_distance`).
Without
those caps a high weekly target (525 min: a 160-minute "minimum" long run where the plan's
long run stops at 120) set a floor no planned week could reach, and a down week fell "below
the MVW floor" it was never able to hold.
"""

from __future__ import annotations

import datetime as dt

from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.model.plan import MinimumViableWeek
from momentum.plugins.running.plans.dates import floor5, round5
from momentum.plugins.running.plans.layout import EASY_CAP
from momentum.plugins.running.plans.macrocycle import active_race
from momentum.plugins.running.plans.progression import long_cap_for_distance
from momentum.plugins.running.plans.rules import Rules
from momentum.plugins.running.profile import running_profile


def minimum_viable_week(
    athlete: AthleteProfile, rules: Rules, today: dt.date | None = None
) -> MinimumViableWeek:
    """The athlete's Minimum Viable Week from their weekly target and memory rules; the long
    run's cap follows the goal race still ahead on ``today`` (any goal race when ``None``)."""
    target = max(60, athlete.weekly_minutes_target)
    race = active_race(athlete, today) if today is not None else running_profile(athlete).goal_race
    if race is not None and race.distance_meters <= 0:
        race = None
    long_cap = floor5(long_cap_for_distance(race.distance_meters if race else None))
    easy = (
        min(EASY_CAP, max(20, round5(target * 0.15))),
        min(EASY_CAP, max(25, round5(target * 0.20))),
    )
    long = (
        min(long_cap, max(30, round5(target * 0.30))),
        min(long_cap, max(40, round5(target * 0.40))),
    )
    return MinimumViableWeek(
        easy_runs=3 if target >= 150 else 2,
        easy_minutes=easy,
        long_runs=1,
        long_minutes=long,
        strength_sessions=0 if rules.no_strength else 1,
    )


def aerobic_floor(mvw: MinimumViableWeek) -> int:
    """Aerobic minutes of the Minimum Viable Week at its lower bounds: every easy run and long
    run at its minimum (the talk's 3×45 + 90 = 225 min, 3:45h). Down weeks do not go below
    it while the athlete's volume is at or near it
    (:func:`momentum.plugins.running.plans.progression.down_week_target`), and weeks of at least
    this volume
    keep the MVW's easy-run minimum."""
    return mvw.easy_runs * mvw.easy_minutes[0] + mvw.long_runs * mvw.long_minutes[0]
