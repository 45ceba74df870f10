"""The weekly meal plan and its grocery list, built by code.

Each day gets a breakfast, lunch, dinner and snack from :mod:`meals_book`, filtered by the
profile (allergies and intolerances, diet pattern, dislikes, budget, cooking time), rotated
so the week varies, and scaled to the day's energy target. On long-run and hard days (read
from the running plan through the Storage port, when there is one) a starchy side lifts
carbohydrate toward the day's g/kg band. Every plan passes :func:`allergens.guard` before
it is returned.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from momentum import InputError, Plan
from momentum.plugins.meals.allergens import allergens_of, guard
from momentum.plugins.meals.energy import Targets, targets
from momentum.plugins.meals.foods import Food, catalogue
from momentum.plugins.meals.meals_book import BOOK, CARB_SIDES, SLOTS, MealIdea
from momentum.plugins.meals.profile import MealsProfile

BUDGET_TIER = {"low": 1, "medium": 2, "high": 3}
MEAT_CATEGORIES = (
    "poultry products",
    "beef products",
    "pork products",
    "lamb, veal, and game products",
    "sausages and luncheon meats",
)
SCALE_LIMITS = (0.5, 2.0)
"""A meal is never scaled below half or above twice its written portions."""
RUN_NET_MET = 8.8
"""Running at about 10 km/h, net of rest (Compendium 2011, 12050: 9.8 MET gross), for a
planned run with minutes but no distance."""

AISLES = {
    "fruits and fruit juices": "Produce",
    "vegetables and vegetable products": "Produce",
    "dairy and egg products": "Dairy & eggs",
    "finfish and shellfish products": "Fish counter",
    "poultry products": "Meat",
    "beef products": "Meat",
    "pork products": "Meat",
    "cereal grains and pasta": "Grains & bakery",
    "baked products": "Grains & bakery",
    "legumes and legume products": "Pulses & tofu",
    "fats and oils": "Pantry",
    "spices and herbs": "Pantry",
    "snacks": "Pantry",
}


class NoMealFits(InputError):
    """The profile's constraints leave no meal for a slot."""


@dataclass(frozen=True)
class PlannedMeal:
    """One meal of one day: its name, slot and (FDC food, grams per person)."""

    name: str
    slot: str
    items: tuple[tuple[Food, float], ...]

    def totals(self) -> dict[str, float]:
        """The meal's nutrients per person."""
        out: dict[str, float] = defaultdict(float)
        for food, grams in self.items:
            for name, value in food.nutrients(grams).items():
                out[name] += value
        return dict(out)


@dataclass(frozen=True)
class DayPlan:
    """One day's meals and the targets they were scaled to."""

    day: dt.date
    load: str
    targets: Targets
    meals: tuple[PlannedMeal, ...]

    def totals(self) -> dict[str, float]:
        """The day's nutrients per person."""
        out: dict[str, float] = defaultdict(float)
        for meal in self.meals:
            for name, value in meal.totals().items():
                out[name] += value
        return dict(out)

    def foods(self) -> list[Food]:
        """Every food in the day's meals."""
        return [food for meal in self.meals for food, _ in meal.items]


@dataclass(frozen=True)
class GroceryLine:
    """One food to buy for the week, for the whole household."""

    aisle: str
    food: Food
    grams: float

    def text(self) -> str:
        """``"Bananas, raw — 1.7 kg (FDC 173944)"``."""
        amount = f"{self.grams / 1000:.1f} kg" if self.grams >= 1000 else f"{self.grams:.0f} g"
        return f"{self.food.description} — {amount} (FDC {self.food.fdc_id})"


def is_meat(food: Food) -> bool:
    """Poultry, beef, pork, lamb, game and sausages, by FDC category."""
    return food.category.lower() in MEAT_CATEGORIES


def fits_diet(food: Food, diet: str) -> bool:
    """Whether ``food`` belongs to ``diet`` (omnivore, pescatarian, vegetarian, vegan)."""
    if diet == "omnivore":
        return True
    found = allergens_of(food)
    if is_meat(food):
        return False
    if diet == "pescatarian":
        return True
    if found & {"fish", "shellfish"}:
        return False
    if diet == "vegetarian":
        return True
    return not (found & {"milk", "egg"}) and "honey" not in food.description.lower()


def food_allowed(food: Food, profile: MealsProfile) -> bool:
    """The profile's hard and soft rules for one food (allergens, diet, dislikes)."""
    if allergens_of(food) & profile.avoided:
        return False
    if not fits_diet(food, profile.diet):
        return False
    text = food.description.lower()
    return not any(word in text for word in profile.dislikes)


def eligible(profile: MealsProfile, slot: str, book: Sequence[MealIdea] = BOOK) -> list[MealIdea]:
    """The meals of ``slot`` that fit the profile: every food allowed, within the
    cooking time and the budget."""
    foods = catalogue()
    tier = BUDGET_TIER[profile.budget]
    return [
        idea
        for idea in book
        if idea.slot == slot
        and idea.minutes <= profile.cooking_minutes
        and idea.cost <= tier
        and all(food_allowed(foods[fdc_id], profile) for fdc_id, _ in idea.items)
    ]


def _why_none(profile: MealsProfile, slot: str) -> str:
    rules = [f"diet {profile.diet}"]
    if profile.avoided:
        rules.append("avoiding " + ", ".join(sorted(profile.avoided)))
    if profile.dislikes:
        rules.append("disliking " + ", ".join(profile.dislikes))
    rules.append(f"budget {profile.budget}")
    rules.append(f"at most {profile.cooking_minutes} min")
    return f"no {slot} in the meal book fits ({'; '.join(rules)})"


def planned_load(plan: Plan | None, day: dt.date) -> tuple[str, float]:
    """The running plan's load for ``day`` (``rest``/``easy``/``hard``, a long run counts
    as hard) and the planned sessions' run minutes; ``("", 0)`` without a plan."""
    if plan is None:
        return "", 0.0
    week = plan.week_of(day)
    sessions = [s for s in (week.sessions if week else ()) if s.date == day]
    if not sessions:
        return "rest", 0.0
    kinds = {s.kind.value for s in sessions}
    hard = any(s.kind.is_hard for s in sessions) or "long" in kinds
    minutes = sum(s.minutes for s in sessions if s.kind.is_run)
    if hard:
        return "hard", minutes
    return ("easy" if minutes or kinds - {"rest"} else "rest"), minutes


def planned_energy(minutes: float, weight_kg: float) -> float:
    """Net kcal of planned running minutes (see :data:`RUN_NET_MET`)."""
    return RUN_NET_MET * weight_kg * minutes / 60.0


def _scaled(idea: MealIdea, factor: float) -> PlannedMeal:
    foods = catalogue()
    return PlannedMeal(
        idea.name,
        idea.slot,
        tuple((foods[fdc_id], round(grams * factor)) for fdc_id, grams in idea.items),
    )


def _with_carbs(meal: PlannedMeal, food: Food, grams: float) -> PlannedMeal:
    return dataclasses.replace(
        meal,
        name=f"{meal.name}, plus {food.description.split(',')[0].lower()}",
        items=(*meal.items, (food, round(grams))),
    )


def plan_day(profile: MealsProfile, day: dt.date, index: int, day_targets: Targets) -> DayPlan:
    """One day's meals: the ``index``-th eligible meal of each slot (rotating), scaled so
    the day meets its energy target, plus a starchy side on hard days when the meals fall
    short of the carbohydrate target."""
    chosen = []
    for offset, slot in enumerate(SLOTS):
        options = eligible(profile, slot)
        if not options:
            raise NoMealFits("meal plan", _why_none(profile, slot))
        chosen.append(options[(index + offset) % len(options)])
    base = [_scaled(idea, 1.0) for idea in chosen]
    energy = sum(m.totals().get("energy_kcal", 0.0) for m in base)
    carbs = sum(m.totals().get("carbs_g", 0.0) for m in base)
    side = None
    if day_targets.load == "hard":
        side = next(
            (catalogue()[i] for i in CARB_SIDES if food_allowed(catalogue()[i], profile)), None
        )
    low, high = SCALE_LIMITS
    side_g = 0.0
    factor = 1.0
    # The side's energy comes out of the meals' share, so a few rounds settle both the
    # energy target and as much of the carbohydrate gap as 400 g of the side can fill.
    for _ in range(4):
        side_kcal = side.per_100g["energy_kcal"] * side_g / 100 if side else 0.0
        factor = (
            min(high, max(low, (day_targets.energy_kcal - side_kcal) / energy)) if energy else 1.0
        )
        if side is None or side.per_100g["carbs_g"] <= 0:
            break
        gap = day_targets.carbs_g - carbs * factor
        side_g = min(400.0, max(0.0, gap * 100.0 / side.per_100g["carbs_g"]))
    meals = [_scaled(idea, factor) for idea in chosen]
    if side is not None and side_g >= 10:
        dinner = SLOTS.index("dinner")
        meals[dinner] = _with_carbs(meals[dinner], side, side_g)
    plan = DayPlan(day, day_targets.load, day_targets, tuple(meals))
    guard(plan.foods(), profile.avoided, f"meal plan for {day}")
    return plan


def plan_week(
    profile: MealsProfile,
    start: dt.date,
    loads: Iterable[tuple[str, float]] | None = None,
) -> list[DayPlan]:
    """Seven days from ``start``. ``loads`` gives each day's (load, planned run minutes)
    from the running plan; without it every day is planned as the profile's usual day."""
    days = []
    per_day = list(loads) if loads is not None else [("", 0.0)] * 7
    for index in range(7):
        load, minutes = per_day[index] if index < len(per_day) else ("", 0.0)
        extra = planned_energy(minutes, profile.weight_kg)
        day_targets = targets(profile, extra, load)
        days.append(plan_day(profile, start + dt.timedelta(days=index), index, day_targets))
    return days


def suggest(profile: MealsProfile, slot: str, day_targets: Targets, index: int = 0) -> PlannedMeal:
    """One meal for ``slot`` now, scaled to a quarter of the day's energy (allergen-checked)."""
    if slot not in SLOTS:
        raise InputError("meal suggestion", f"slot {slot!r} is not one of {', '.join(SLOTS)}")
    options = eligible(profile, slot)
    if not options:
        raise NoMealFits("meal suggestion", _why_none(profile, slot))
    idea = options[index % len(options)]
    energy = _scaled(idea, 1.0).totals().get("energy_kcal", 0.0)
    low, high = SCALE_LIMITS
    factor = min(high, max(low, day_targets.energy_kcal / 4 / energy)) if energy else 1.0
    meal = _scaled(idea, factor)
    guard([food for food, _ in meal.items], profile.avoided, f"{slot} suggestion")
    return meal


def grocery_list(days: Iterable[DayPlan], household: int) -> dict[str, list[GroceryLine]]:
    """The week's foods summed across meals and days, times the household, by aisle
    (aisles and foods in alphabetical order); quantities rounded up to 10 g."""
    grams: dict[int, float] = defaultdict(float)
    foods: dict[int, Food] = {}
    for day in days:
        for meal in day.meals:
            for food, amount in meal.items:
                grams[food.fdc_id] += amount * household
                foods[food.fdc_id] = food
    aisles: dict[str, list[GroceryLine]] = defaultdict(list)
    for fdc_id, total in grams.items():
        food = foods[fdc_id]
        aisle = AISLES.get(food.category.lower(), "Other")
        aisles[aisle].append(GroceryLine(aisle, food, math.ceil(total / 10) * 10))
    return {
        aisle: sorted(lines, key=lambda line: line.food.description)
        for aisle, lines in sorted(aisles.items())
    }
