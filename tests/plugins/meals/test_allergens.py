"""Allergens are hard constraints: the synonym list and categories, the guard, the chat
screen, and a property test that no generated plan or suggestion ever holds a declared
allergen."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.plugins.meals.allergens import (
    EMERGENCY,
    AllergenFound,
    allergens_in_text,
    allergens_of,
    guard,
    screen,
)
from momentum.plugins.meals.energy import targets
from momentum.plugins.meals.foods import Food, catalogue
from momentum.plugins.meals.planner import NoMealFits, plan_week, suggest
from momentum.plugins.meals.profile import ALLERGEN_NAMES, MealsProfile


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Peanut butter, smooth style, without salt", {"peanut"}),
        ("Nuts, almonds, blanched", {"tree_nuts"}),
        ("Eggplant, raw", set()),
        ("Squash, winter, butternut, raw", set()),
        ("Spices, nutmeg, ground", set()),
        ("Soymilk, original and vanilla, unfortified", {"soy"}),
        ("Cheese, cheddar", {"milk"}),
        ("Bread, white wheat", {"wheat", "gluten"}),
        ("Barley, pearled, cooked", {"gluten"}),
        ("Mollusks, conch, baked or broiled", {"shellfish"}),
        ("Fish, salmon, coho, farmed, raw", {"fish"}),
        ("Snacks, rice cakes, brown rice, sesame seed", {"sesame"}),
        ("Crustaceans, shrimp, cooked", {"shellfish"}),
        ("Egg, whole, raw, fresh", {"egg"}),
        ("Hummus, commercial (tahini)", {"sesame"}),
    ],
)
def test_descriptions_name_their_allergens(text: str, expected: set[str]) -> None:
    found = set(allergens_in_text(text))
    if "wheat" in found:
        found.add("gluten")
    assert found == expected


def test_every_catalogue_food_is_classified_from_fdc_data() -> None:
    foods = catalogue()
    assert len(foods) == 30
    assert allergens_of(foods[171287]) == {"egg"}
    assert allergens_of(foods[171304]) == {"milk"}
    assert allergens_of(foods[173763]) == {"soy"}
    assert allergens_of(foods[173944]) == frozenset()
    # A fish-and-shellfish food naming neither counts as both (the check errs toward refusing).
    vague = Food(1, "Roe, mixed species, raw", "Finfish and Shellfish Products", {})
    assert allergens_of(vague) == {"fish", "shellfish"}


def test_guard_names_the_food_its_fdc_id_and_the_allergen() -> None:
    with pytest.raises(AllergenFound) as caught:
        guard([catalogue()[173944], catalogue()[171287]], frozenset({"egg"}), "logged meal")
    assert "Egg, whole, raw, fresh (FDC 171287) contains egg" in str(caught.value)
    assert "logged meal" in str(caught.value)
    guard([catalogue()[173944]], frozenset({"egg", "milk"}), "logged meal")


@pytest.mark.parametrize(
    "text",
    [
        "my throat is swelling after the shrimp",
        "Throat feels tight and I have trouble breathing",
        "lips swollen, wheezing",
        "I can't breathe properly after lunch",
        "should I use my epipen?",
    ],
)
def test_reaction_red_flags_send_to_emergency_services(text: str) -> None:
    assert screen(text) == EMERGENCY
    assert "emergency" in EMERGENCY.lower()


@pytest.mark.parametrize(
    "text", ["oatmeal with a banana and coffee", "I breathed easy on the run", "swallowed a bug"]
)
def test_ordinary_messages_pass_the_screen(text: str) -> None:
    assert screen(text) is None


profiles = st.builds(
    MealsProfile,
    diet=st.sampled_from(["omnivore", "pescatarian", "vegetarian", "vegan"]),
    allergies=st.lists(st.sampled_from(ALLERGEN_NAMES), max_size=4, unique=True).map(tuple),
    intolerances=st.lists(st.sampled_from(["milk", "gluten", "soy"]), max_size=2, unique=True).map(
        tuple
    ),
    dislikes=st.lists(st.sampled_from(["broccoli", "salmon", "tofu", "potato"]), max_size=2).map(
        tuple
    ),
    budget=st.sampled_from(["low", "medium", "high"]),
    cooking_minutes=st.integers(5, 60),
    household=st.integers(1, 6),
    weight_kg=st.floats(45, 120),
)
loads = st.lists(
    st.tuples(st.sampled_from(["rest", "easy", "hard", ""]), st.floats(0, 180)),
    min_size=7,
    max_size=7,
)


@settings(max_examples=150, deadline=None)
@given(
    profile=profiles, week=loads, slot=st.sampled_from(["breakfast", "lunch", "dinner", "snack"])
)
def test_no_plan_or_suggestion_ever_contains_a_declared_allergen(
    profile: MealsProfile, week: list[tuple[str, float]], slot: str
) -> None:
    try:
        days = plan_week(profile, dt.date(2026, 3, 2), week)
    except NoMealFits as exc:
        assert "no " in str(exc) and "fits" in str(exc)
    else:
        for day in days:
            for food in day.foods():
                assert not allergens_of(food) & profile.avoided, (food.description, profile)
                assert not any(word in food.description.lower() for word in profile.dislikes)
    try:
        meal = suggest(profile, slot, targets(profile))
    except NoMealFits:
        return
    for food, grams in meal.items:
        assert grams > 0
        assert not allergens_of(food) & profile.avoided
