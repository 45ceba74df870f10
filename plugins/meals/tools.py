"""The meals coach's chat tools: find foods (FDC ids), log a meal by FDC ids and portions,
update the meals profile, and suggest a meal. The model picks; code computes and checks."""

from __future__ import annotations

from typing import Any

from momentum import InputError, Tool, ToolContext, ToolSpec
from momentum.plugins.meals.allergens import allergens_of
from momentum.plugins.meals.intake import Portion, log_portions, portion_grams
from momentum.plugins.meals.lookup import find_food, search_foods
from momentum.plugins.meals.planner import suggest
from momentum.plugins.meals.profile import load_profile, update_profile

MAX_ITEMS = 12


def _today(ctx: ToolContext) -> Any:
    return ctx.app.coach.today(ctx.athlete_id)


def find_foods(ctx: ToolContext, args: dict[str, Any]) -> str:
    """``meals_find_foods``: FDC ids for the words the athlete used."""
    query = str(args.get("query", "")).strip()
    if not query:
        raise InputError("meals_find_foods", "query is empty")
    found = search_foods(ctx.app, query)
    if not found:
        return f"no food found for {query!r}"
    avoided = load_profile(ctx.app.storage, ctx.athlete_id).avoided
    lines = []
    for food in found:
        warn = allergens_of(food) & avoided
        portion = f", portion {food.portion_g:g} g" if food.portion_g else ""
        flag = f" — contains {', '.join(sorted(warn))}: do not log" if warn else ""
        lines.append(
            f"FDC {food.fdc_id}: {food.description} "
            f"({food.per_100g['energy_kcal']:.0f} kcal/100 g{portion}){flag}"
        )
    return "\n".join(lines)


def log_meal(ctx: ToolContext, args: dict[str, Any]) -> str:
    """``meals_log``: log foods by FDC id and grams (or portions); code computes nutrients."""
    items = args.get("items")
    if not isinstance(items, list) or not items:
        raise InputError("meals_log", "items must be a non-empty list of {fdc_id, grams|portions}")
    if len(items) > MAX_ITEMS:
        raise InputError("meals_log", f"at most {MAX_ITEMS} foods per meal")
    portions = []
    for raw in items:
        if not isinstance(raw, dict) or not isinstance(raw.get("fdc_id"), int | str):
            raise InputError("meals_log", f"item {raw!r} has no fdc_id")
        try:
            fdc_id = int(raw["fdc_id"])
        except ValueError:
            raise InputError("meals_log", f"fdc_id {raw['fdc_id']!r} is not a number") from None
        food = find_food(ctx.app, fdc_id)
        portions.append(Portion(food, portion_grams(food, raw)))
    profile = load_profile(ctx.app.storage, ctx.athlete_id)
    day = _today(ctx)
    totals = log_portions(
        ctx.app, ctx.athlete_id, day, portions, profile, meal=str(args.get("meal", ""))
    )
    from momentum.plugins.meals.domain import day_targets

    goal = day_targets(ctx.app, ctx.athlete_id, profile, day)
    eaten = ", ".join(f"{p.food.description} {p.grams:.0f} g" for p in portions)
    return (
        f"ok: logged {eaten}. Today so far: {totals['energy_kcal']:.0f} of "
        f"{goal.energy_kcal:.0f} kcal, protein {totals['protein_g']:.0f} of "
        f"{goal.protein_g:.0f} g, carbohydrate {totals['carbs_g']:.0f} g"
    )


def set_profile(ctx: ToolContext, args: dict[str, Any]) -> str:
    """``meals_profile``: change keys of the meals profile (validated as a whole)."""
    changes = {k: v for k, v in args.items() if v is not None}
    if not changes:
        raise InputError("meals_profile", "no change given")
    profile = update_profile(ctx.app.storage, ctx.athlete_id, changes)
    shown = ", ".join(f"{k}={getattr(profile, k)}" for k in sorted(changes))
    return f"ok: meals profile updated ({shown})"


def suggest_meal(ctx: ToolContext, args: dict[str, Any]) -> str:
    """``meals_suggest``: one meal for a slot, fitted to the profile and today's energy."""
    from momentum.plugins.meals.domain import day_targets

    profile = load_profile(ctx.app.storage, ctx.athlete_id)
    goal = day_targets(ctx.app, ctx.athlete_id, profile, _today(ctx))
    meal = suggest(profile, str(args.get("slot", "dinner")), goal)
    foods = "; ".join(f"{food.description} {grams:.0f} g" for food, grams in meal.items)
    return f"{meal.name}: {foods} ({meal.totals()['energy_kcal']:.0f} kcal)"


_ITEM = {
    "type": "object",
    "properties": {
        "fdc_id": {"type": "integer", "description": "FoodData Central id from meals_find_foods"},
        "grams": {"type": "number", "description": "Grams eaten"},
        "portions": {"type": "number", "description": "Or: number of FDC portions eaten"},
    },
    "required": ["fdc_id"],
}

TOOLS = (
    Tool(
        ToolSpec(
            "meals_find_foods",
            "Find FoodData Central foods (FDC ids) for words the athlete used, one food per call.",
            {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]},
        ),
        find_foods,
        tags=("meals",),
    ),
    Tool(
        ToolSpec(
            "meals_log",
            "Log what the athlete ate: FDC ids from meals_find_foods with grams or portions.",
            {
                "type": "object",
                "properties": {
                    "meal": {"type": "string", "description": "breakfast, lunch, dinner, snack"},
                    "items": {"type": "array", "items": _ITEM},
                },
                "required": ["items"],
            },
        ),
        log_meal,
        tags=("meals",),
    ),
    Tool(
        ToolSpec(
            "meals_profile",
            "Change the athlete's meals profile: diet, allergies, intolerances, dislikes, "
            "budget, cooking_minutes, household, sex, age, height_cm, weight_kg, activity, goal.",
            {
                "type": "object",
                "properties": {
                    "diet": {
                        "type": "string",
                        "enum": ["omnivore", "pescatarian", "vegetarian", "vegan"],
                    },
                    "allergies": {"type": "array", "items": {"type": "string"}},
                    "intolerances": {"type": "array", "items": {"type": "string"}},
                    "dislikes": {"type": "array", "items": {"type": "string"}},
                    "budget": {"type": "string", "enum": ["low", "medium", "high"]},
                    "cooking_minutes": {"type": "integer"},
                    "household": {"type": "integer"},
                    "weight_kg": {"type": "number"},
                    "goal": {"type": "string", "enum": ["maintain", "lose", "gain", "performance"]},
                },
            },
        ),
        set_profile,
        tags=("meals",),
    ),
    Tool(
        ToolSpec(
            "meals_suggest",
            "Suggest one meal that fits the athlete's profile and today's energy.",
            {
                "type": "object",
                "properties": {
                    "slot": {"type": "string", "enum": ["breakfast", "lunch", "dinner", "snack"]}
                },
            },
        ),
        suggest_meal,
        tags=("meals",),
    ),
)
