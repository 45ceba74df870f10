"""The day's intake: code sums FDC nutrients linearly (grams × per-100 g), a meal logged
again replaces itself, and nothing is written when a food carries a declared allergen."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.plugins.meals.allergens import AllergenFound, allergens_of
from momentum.plugins.meals.foods import catalogue
from momentum.plugins.meals.intake import Portion, day_log, intake_on, log_portions
from momentum.plugins.meals.profile import MealsProfile
from momentum.testing import PluginHarness

DAY = dt.date(2026, 3, 3)
IDS = sorted(catalogue())

meals = st.lists(
    st.tuples(st.sampled_from(IDS), st.floats(1, 500)),
    min_size=1,
    max_size=5,
    unique_by=lambda x: x[0],
)


@settings(max_examples=60, deadline=None)
@given(day_meals=st.lists(meals, min_size=1, max_size=4), repeat=st.booleans())
def test_totals_are_the_sum_of_the_logged_foods(
    day_meals: list[list[tuple[int, float]]], repeat: bool
) -> None:
    h = PluginHarness()
    h.add_athlete("ada")
    profile = MealsProfile()
    for number, meal in enumerate(day_meals):
        portions = [Portion(catalogue()[i], grams) for i, grams in meal]
        log_portions(h.app, "ada", DAY, portions, profile, meal=f"meal {number}")
        if repeat:
            log_portions(h.app, "ada", DAY, portions, profile, meal=f"meal {number}")
    kept = intake_on(h.app, "ada", DAY)
    assert kept is not None
    for name in ("energy_kcal", "protein_g", "fat_g", "carbs_g", "fibre_g"):
        expected = sum(
            catalogue()[i].per_100g[name] * grams / 100 for meal in day_meals for i, grams in meal
        )
        assert kept.values[name] == pytest.approx(
            expected, abs=0.06 + 0.005 * len(day_log(h.storage, "ada", DAY))
        )
    assert len(day_log(h.storage, "ada", DAY)) == sum(len(m) for m in day_meals)


@settings(max_examples=60, deadline=None)
@given(
    meal=meals,
    avoided=st.sets(st.sampled_from(["milk", "egg", "fish", "wheat", "soy", "sesame"]), min_size=1),
)
def test_a_meal_with_a_declared_allergen_writes_nothing(
    meal: list[tuple[int, float]], avoided: set[str]
) -> None:
    h = PluginHarness()
    h.add_athlete("ada")
    profile = MealsProfile(allergies=tuple(sorted(avoided)))
    portions = [Portion(catalogue()[i], grams) for i, grams in meal]
    if any(allergens_of(p.food) & avoided for p in portions):
        with pytest.raises(AllergenFound):
            log_portions(h.app, "ada", DAY, portions, profile)
        assert intake_on(h.app, "ada", DAY) is None and day_log(h.storage, "ada", DAY) == []
    else:
        log_portions(h.app, "ada", DAY, portions, profile)
        assert intake_on(h.app, "ada", DAY) is not None
