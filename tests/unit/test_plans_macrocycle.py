"""The macrocycle: the talk's phase names, lengths by distance, the momentum block, the MVW."""

from __future__ import annotations

import datetime as dt
import itertools

from momentum.core.model import AthleteProfile
from momentum.plugins.running.plans.macrocycle import (
    BASE,
    BUILD,
    RESET,
    SHARPEN,
    TAPER,
    build_macrocycle,
    kind_of,
    phase_weeks,
    season_of,
)
from momentum.plugins.running.plans.mvw import minimum_viable_week
from momentum.plugins.running.plans.progression import taper_factors
from momentum.plugins.running.plans.rules import Rules, rules_for
from momentum.plugins.running.profile import GoalRace
from tests.unit.test_plans_support import memory_item, talk_athlete


def test_the_talks_macrocycle_from_october() -> None:
    """Built at the start of October for the September race, the phases are the talk's:
    Fall Reset → Winter Engine → Spring Specificity → Summer Sharpen → September Taper."""
    phases = build_macrocycle(talk_athlete(), dt.date(2025, 10, 1))
    assert [p.name for p in phases] == [
        "Fall Reset",
        "Winter Engine",
        "Spring Specificity",
        "Summer Sharpen",
        "September Taper",
    ]
    assert [p.kind for p in phases] == [RESET, BASE, BUILD, SHARPEN, TAPER]
    for earlier, later in itertools.pairwise(phases):
        assert later.start == earlier.end + dt.timedelta(days=1)
        assert later.start.weekday() == 0
    assert phases[0].start == dt.date(2025, 9, 29)
    assert phases[-1].end == dt.date(2026, 9, 19) and phases[-1].volume_factor == 0.6
    assert "trails" in phases[2].focus  # the course notes say technical trails
    assert all(kind_of(p) == p.kind for p in phases)


def test_short_lead_time_keeps_only_the_last_phases() -> None:
    """Six weeks out from a 10K: part of the sharpening block, then a one-week taper."""
    athlete = talk_athlete(goal_race=GoalRace("Spring 10K", dt.date(2026, 4, 12), 10000))
    phases = build_macrocycle(athlete, dt.date(2026, 3, 2))
    assert [p.kind for p in phases] == [SHARPEN, TAPER]
    assert phases[0].start == dt.date(2026, 3, 2) and phases[-1].end == dt.date(2026, 4, 12)
    assert phase_weeks(10000)[TAPER] == 1 and phase_weeks(21097.5)[TAPER] == 2
    assert phase_weeks(42195)[TAPER] == 3


def test_no_goal_race_is_a_momentum_block() -> None:
    """Without a race (or with one in the past) the plan keeps the momentum."""
    athlete = AthleteProfile("x", "X")
    (phase,) = build_macrocycle(athlete, dt.date(2026, 3, 4))
    assert phase.name == "Keep the Momentum" and phase.start == dt.date(2026, 3, 2)
    past = talk_athlete(goal_race=GoalRace("Old", dt.date(2025, 5, 1), 10000))
    assert build_macrocycle(past, dt.date(2026, 3, 4))[0].name == "Keep the Momentum"


def test_seasons_flip_south_of_the_equator() -> None:
    """Astronomical seasons; Sydney's July is winter."""
    assert season_of(dt.date(2026, 1, 15)) == "Winter"
    assert season_of(dt.date(2026, 7, 15)) == "Summer"
    assert season_of(dt.date(2026, 7, 15), "Australia/Sydney") == "Winter"
    assert season_of(dt.date(2026, 10, 15)) == "Fall"


def test_taper_factors_average_sixty_percent() -> None:
    """Taper weeks step down and average 60 % of the peak (Bosquet et al. 2007)."""
    for weeks in (1, 2, 3):
        factors = taper_factors(weeks)
        assert len(factors) == weeks
        assert abs(sum(factors) / weeks - 0.6) < 1e-9
        assert list(factors) == sorted(factors, reverse=True)


def test_minimum_viable_week_scales_with_the_target() -> None:
    """5 h a week gives the talk's floor; a 2 h week gets two short runs."""
    talk = minimum_viable_week(talk_athlete(), Rules())
    assert talk.describe() == "3× 45–60 min Z2 | 1× 90–120 min long run | 1× strength"
    small = minimum_viable_week(talk_athlete(weekly_minutes_target=120), Rules())
    assert (small.easy_runs, small.easy_minutes, small.long_minutes) == (2, (20, 25), (35, 50))
    no_strength = rules_for(talk_athlete(), [memory_item("no_strength")])
    assert minimum_viable_week(talk_athlete(), no_strength).strength_sessions == 0
