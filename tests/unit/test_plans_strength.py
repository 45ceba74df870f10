"""Strength & conditioning: equipment tiers, injuries, loading by phase."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum.core.model import Equipment
from momentum.plugins.running.model.plan import SessionKind
from momentum.plugins.running.plans import build_plan
from momentum.plugins.running.plans.injuries import AREAS, affects_running, areas_of
from momentum.plugins.running.plans.macrocycle import BASE, BUILD, RESET, SHARPEN, TAPER
from momentum.plugins.running.plans.strength import (
    ACTIVATION,
    HEAVY,
    LIGHT,
    MODERATE,
    TIERS,
    build_workout,
    level_for,
    tier_of,
    tier_rank,
)
from tests.unit.test_plans_support import steady_history, talk_athlete, talk_history

levels = st.sampled_from([HEAVY, MODERATE, LIGHT, ACTIVATION])
kits = st.sets(st.sampled_from(list(Equipment)), max_size=3).map(tuple)
injured = st.sets(st.sampled_from(AREAS), max_size=4).map(frozenset)


@given(levels, kits, injured, st.booleans())
def test_workouts_fit_kit_and_spare_injuries(
    level: str, kit: tuple[Equipment, ...], hurt: frozenset[str], recovery: bool
) -> None:
    """Every exercise is within the athlete's tier and loads no injured area; there is always
    a warm-up, a non-empty main set with sets and reps, and a cool-down."""
    workout = build_workout(level, kit, hurt, recovery=recovery)
    tier = tier_rank(tier_of(kit).value)
    assert workout.warm_up and workout.main_set and workout.cool_down
    assert workout.intensity == level
    for ex in workout.main_set:
        assert tier_rank(ex.equipment) <= tier
        assert not set(ex.loads) & hurt
        assert ex.sets >= 1 and ex.reps and ex.notes


def test_tiers_nest_and_the_treadmill_is_not_a_tier() -> None:
    """Bodyweight ⊂ bands ⊂ dumbbells ⊂ kettlebells ⊂ full gym; no kit means bodyweight."""
    assert tier_of(()) is Equipment.BODYWEIGHT
    assert tier_of((Equipment.TREADMILL,)) is Equipment.BODYWEIGHT
    assert tier_of((Equipment.BANDS, Equipment.FULL_GYM)) is Equipment.FULL_GYM
    gym = {e.name for e in build_workout(HEAVY, (Equipment.FULL_GYM,)).main_set}
    home = {e.name for e in build_workout(HEAVY, (Equipment.BODYWEIGHT,)).main_set}
    assert "Back squat" in gym and "Back squat" not in home
    assert all(e.equipment == "bodyweight" for e in build_workout(HEAVY, ()).main_set)
    assert [t.value for t in TIERS][-1] == "full_gym"


def test_loading_scales_with_phase() -> None:
    """Heavy in reset and base, moderate in the build, light when sharpening and tapering,
    activation in race week; recovery weeks drop a level from heavy and a set."""
    assert level_for(RESET, race_week=False, recovery=False) == HEAVY
    assert level_for(BASE, race_week=False, recovery=False) == HEAVY
    assert level_for(BASE, race_week=False, recovery=True) == MODERATE
    assert level_for(BUILD, race_week=False, recovery=False) == MODERATE
    assert level_for(SHARPEN, race_week=False, recovery=False) == LIGHT
    assert level_for(TAPER, race_week=False, recovery=False) == LIGHT
    assert level_for(TAPER, race_week=True, recovery=False) == ACTIVATION
    kit = (Equipment.DUMBBELLS,)
    heavy, light = build_workout(HEAVY, kit), build_workout(LIGHT, kit)
    assert max(e.sets for e in heavy.main_set) > max(e.sets for e in light.main_set)
    assert len(heavy.main_set) > len(build_workout(ACTIVATION, kit).main_set)
    assert max(e.sets for e in build_workout(HEAVY, kit, recovery=True).main_set) == 3


def test_short_on_time_trims_the_main_set() -> None:
    """ "Only 20 minutes" keeps the first exercises and caps the sets."""
    full = build_workout(HEAVY, (Equipment.DUMBBELLS,))
    short = build_workout(HEAVY, (Equipment.DUMBBELLS,), minutes=20)
    assert 1 <= len(short.main_set) < len(full.main_set)
    assert [e.name for e in short.main_set] == [e.name for e in full.main_set][
        : len(short.main_set)
    ]
    assert all(e.sets <= 2 for e in short.main_set)


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("left calf strain", {"calf", "achilles"}),
        ("Achilles tendinopathy", {"achilles", "calf"}),
        ("IT band syndrome", {"knee"}),
        ("plantar fasciitis", {"foot"}),
        ("lower back", {"back"}),
        ("shipping code", set()),
    ],
)
def test_injury_words_map_to_areas(text: str, areas: set[str]) -> None:
    """Injury words map to the body areas exercises declare."""
    assert areas_of(text) == areas


def test_strength_in_plans_follows_the_phase() -> None:
    """In the talk's macrocycle the strength sessions are heavy in Winter Engine, light in
    Summer Sharpen and activation-only (or absent) in race week."""
    athlete = talk_athlete(equipment=(Equipment.KETTLEBELLS,), injuries=("achilles",))
    early = build_plan(athlete, talk_history(), [], dt.date(2026, 2, 23), 2)
    # Training through July (February's history alone would be a months-long gap by then).
    late = build_plan(
        athlete, steady_history(dt.date(2026, 6, 22), 5), [], dt.date(2026, 7, 27), 10
    )

    def levels_of(plan):  # type: ignore[no-untyped-def]
        return {
            s.strength.intensity
            for w in plan.weeks
            for s in w.sessions
            if s.kind is SessionKind.STRENGTH and s.strength is not None
        }

    assert levels_of(early) == {HEAVY}
    sharpen = [w for w in late.weeks if "Sharpen" in w.phase and not w.is_recovery]
    assert {s.strength.intensity for w in sharpen for s in w.sessions if s.strength} == {LIGHT}
    race_week = late.weeks[-1]
    assert any(s.kind is SessionKind.RACE for s in race_week.sessions)
    assert {s.strength.intensity for s in race_week.sessions if s.strength} <= {ACTIVATION}
    for w in late.weeks:
        for s in w.sessions:
            if s.strength:
                assert not any({"achilles", "calf"} & set(e.loads) for e in s.strength.main_set)
    assert affects_running(frozenset({"achilles"}))
