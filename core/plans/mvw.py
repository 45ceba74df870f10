"""The Minimum Viable Week: the floor that keeps momentum when life gets busy.

The talk's floor for a 5 h/week athlete is "3× 45–60 min Z2 | 1× 90–120 min long run |
1× strength". It scales with the athlete's weekly target: each easy run is 15–20 % of it and
the long run 30–40 % (so the floor itself stays about 80 % easy by construction).
"""

from __future__ import annotations

from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.plan import MinimumViableWeek
from momentum.core.plans.dates import round5
from momentum.core.plans.rules import Rules


def minimum_viable_week(athlete: AthleteProfile, rules: Rules) -> MinimumViableWeek:
    """The athlete's Minimum Viable Week from their weekly target and memory rules."""
    target = max(60, athlete.weekly_minutes_target)
    easy = (max(20, round5(target * 0.15)), max(25, round5(target * 0.20)))
    long = (max(30, round5(target * 0.30)), max(40, round5(target * 0.40)))
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
    (:func:`momentum.core.plans.progression.down_week_target`), and weeks of at least this volume
    keep the MVW's easy-run minimum."""
    return mvw.easy_runs * mvw.easy_minutes[0] + mvw.long_runs * mvw.long_minutes[0]
