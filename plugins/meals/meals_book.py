"""The meals the planner chooses from: each a list of (FDC id, grams per person) from the
shipped catalogue, its hands-on minutes and a cost tier (1 cheap … 3 dear: fish and
shellfish are dear, pulses, grains and eggs cheap). Grams are scaled to each day's
energy target by the planner; the foods' allergens are never declared here but computed
from FDC's descriptions by :mod:`momentum.plugins.meals.allergens`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MealIdea:
    """One meal: its name, slot, ingredients (FDC id, grams per person), hands-on minutes
    and cost tier (1–3)."""

    name: str
    slot: str
    items: tuple[tuple[int, float], ...]
    minutes: int
    cost: int


SLOTS = ("breakfast", "lunch", "dinner", "snack")

BOOK: tuple[MealIdea, ...] = (
    # breakfasts
    MealIdea(
        "Greek yogurt, blackberries and cinnamon",
        "breakfast",
        ((171304, 200), (173946, 100), (171320, 2)),
        5,
        2,
    ),
    MealIdea(
        "Scrambled eggs on toast with tomato",
        "breakfast",
        ((171287, 100), (167532, 56), (170457, 100), (171413, 5)),
        15,
        1,
    ),
    MealIdea(
        "Tofu scramble with green pepper on toast",
        "breakfast",
        ((173763, 150), (170427, 80), (167532, 56), (171413, 5)),
        15,
        1,
    ),
    MealIdea(
        "Buckwheat porridge with banana and apricots",
        "breakfast",
        ((170286, 60), (173944, 118), (173941, 30), (171320, 2)),
        20,
        1,
    ),
    MealIdea(
        "Yogurt with banana and dried apricots",
        "breakfast",
        ((171284, 200), (173944, 118), (173941, 20)),
        5,
        1,
    ),
    # lunches
    MealIdea(
        "Bulgur salad with tomato, pepper and parsley",
        "lunch",
        ((170287, 200), (170457, 150), (170427, 100), (170416, 15), (171413, 10)),
        20,
        1,
    ),
    MealIdea(
        "Baked potato with Greek yogurt and broccoli",
        "lunch",
        ((170434, 300), (171304, 150), (170379, 150)),
        15,
        2,
    ),
    MealIdea(
        "Barley bowl with tofu and pak choi",
        "lunch",
        ((170285, 200), (173763, 150), (170390, 150), (171413, 10)),
        25,
        1,
    ),
    MealIdea(
        "Buckwheat with roast carrots and squash",
        "lunch",
        ((170286, 70), (170393, 150), (170487, 150), (170499, 20), (171413, 10)),
        30,
        1,
    ),
    MealIdea(
        "Egg and potato salad with parsley",
        "lunch",
        ((171287, 100), (170434, 250), (170416, 10), (170457, 100), (171413, 10)),
        20,
        1,
    ),
    # dinners
    MealIdea(
        "Salmon with baked potatoes and Brussels sprouts",
        "dinner",
        ((173715, 150), (170434, 250), (170383, 150), (171413, 10)),
        35,
        3,
    ),
    MealIdea(
        "Trout with barley and carrots",
        "dinner",
        ((173717, 150), (170285, 200), (170393, 150), (171413, 10)),
        30,
        3,
    ),
    MealIdea(
        "Pollock with bulgur and summer squash",
        "dinner",
        ((173725, 150), (170287, 200), (170487, 200), (171413, 10)),
        25,
        2,
    ),
    MealIdea(
        "Turkey, pepper and shallot barley skillet",
        "dinner",
        ((172850, 150), (170285, 200), (170427, 100), (170499, 30), (171413, 10)),
        30,
        2,
    ),
    MealIdea(
        "Lean turkey with baked potato and broccoli",
        "dinner",
        ((172847, 150), (170434, 250), (170379, 150), (171413, 5)),
        25,
        2,
    ),
    MealIdea(
        "Tofu, buckwheat and pak choi stir-fry",
        "dinner",
        ((173763, 200), (170286, 70), (170390, 200), (170393, 100), (171413, 10)),
        25,
        1,
    ),
    MealIdea(
        "Conch with bulgur and tomatoes",
        "dinner",
        ((173720, 150), (170287, 200), (170457, 150), (171413, 10)),
        30,
        3,
    ),
    # snacks
    MealIdea("A banana", "snack", ((173944, 118),), 0, 1),
    MealIdea("Sesame rice cakes with banana", "snack", ((167557, 18), (173944, 118)), 2, 1),
    MealIdea("Carrot sticks with yogurt", "snack", ((170393, 100), (171284, 150)), 5, 1),
    MealIdea("Dried apricots", "snack", ((173941, 40),), 0, 1),
    MealIdea("Blackberries with Greek yogurt", "snack", ((173946, 100), (171304, 150)), 2, 2),
)

CARB_SIDES: tuple[int, ...] = (170434, 170285, 170287, 170286, 167532, 173944, 173941)
"""Starchy foods added on long-run and hard days, first eligible first."""
