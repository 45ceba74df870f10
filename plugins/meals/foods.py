"""Foods as FoodData Central describes them, and the offline catalogue shipped with the
plugin (``data/foods.json``: 30 SR Legacy foods, built by ``scripts/meals/build_foods.py``
from two extracts of FDC that check each other; every food keeps its FDC id).

Nutrients are per 100 g, read from FDC's own nutrient ids: 1008 energy (kcal), 1003
protein, 1004 total fat, 1005 carbohydrate by difference, 1079 total dietary fibre.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from momentum import InputError

ENERGY, PROTEIN, FAT, CARBS, FIBRE = 1008, 1003, 1004, 1005, 1079
NUTRIENT_NAMES = {
    ENERGY: "energy_kcal",
    PROTEIN: "protein_g",
    FAT: "fat_g",
    CARBS: "carbs_g",
    FIBRE: "fibre_g",
}
"""FDC nutrient id → the name kept in intake observations."""


@dataclass(frozen=True)
class Food:
    """One FDC food: its id, description, category and nutrients per 100 g."""

    fdc_id: int
    description: str
    category: str
    per_100g: Mapping[str, float]
    """``energy_kcal``, ``protein_g``, ``fat_g``, ``carbs_g``, ``fibre_g`` per 100 g."""
    portion_g: float | None = None
    """One household portion in grams, when FDC gives one."""
    data_type: str = ""

    def nutrients(self, grams: float) -> dict[str, float]:
        """The nutrients in ``grams`` of this food."""
        return {name: value * grams / 100.0 for name, value in self.per_100g.items()}


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(where, f"{value!r} is not a number")
    return float(value)


def food_from_fdc(record: Mapping[str, Any]) -> Food:
    """A :class:`Food` from one FDC record, in either of FDC's shapes: a food's details
    (``/v1/food/{fdcId}``, ``/v1/foods``: ``foodNutrients[].nutrient.id`` + ``amount``,
    ``foodCategory.description``, ``foodPortions``) or a search hit (``/v1/foods/search``:
    ``foodNutrients[].nutrientId`` + ``value``, ``foodCategory`` as text)."""
    fdc_id = record.get("fdcId")
    if not isinstance(fdc_id, int) or isinstance(fdc_id, bool):
        raise InputError("FoodData Central record", f"fdcId is {fdc_id!r}, expected an integer")
    where = f"FoodData Central food {fdc_id}"
    description = record.get("description")
    if not isinstance(description, str) or not description:
        raise InputError(where, "no description")
    category = record.get("foodCategory") or ""
    if isinstance(category, Mapping):
        category = category.get("description") or ""
    per_100g = dict.fromkeys(NUTRIENT_NAMES.values(), 0.0)
    for item in record.get("foodNutrients") or ():
        nutrient = item.get("nutrient")
        nid = nutrient.get("id") if isinstance(nutrient, Mapping) else item.get("nutrientId")
        if nid in NUTRIENT_NAMES:
            unit = (nutrient or {}).get("unitName") if isinstance(nutrient, Mapping) else None
            unit = unit or item.get("unitName") or ""
            if nid == ENERGY and str(unit).lower() not in ("kcal", ""):
                continue
            amount = item.get("amount", item.get("value"))
            if amount is not None:
                per_100g[NUTRIENT_NAMES[nid]] = _number(amount, f"{where} nutrient {nid}")
    portion = None
    for item in record.get("foodPortions") or ():
        grams = item.get("gramWeight")
        if isinstance(grams, int | float) and grams > 0:
            portion = float(grams)
            break
    return Food(
        fdc_id=fdc_id,
        description=description,
        category=str(category),
        per_100g=per_100g,
        portion_g=portion,
        data_type=str(record.get("dataType") or ""),
    )


def catalogue_records() -> list[dict[str, Any]]:
    """The shipped foods as FDC food-details records (what ``/v1/food/{fdcId}`` returns)."""
    raw = json.loads(
        resources.files("momentum.plugins.meals").joinpath("data/foods.json").read_text()
    )
    records = []
    for food in raw["foods"]:
        record = {
            "fdcId": food["fdcId"],
            "description": food["description"],
            "dataType": food["dataType"],
            "foodCategory": {"description": food["foodCategory"]},
            "foodNutrients": [
                {
                    "type": "FoodNutrient",
                    "nutrient": {
                        "id": n["id"],
                        "number": n["number"],
                        "name": n["name"],
                        "unitName": n["unitName"].lower() if n["id"] == ENERGY else "g",
                    },
                    "amount": n["amount"],
                }
                for n in food["nutrients"]
            ],
            "foodPortions": [{"amount": 1.0, "gramWeight": food["portion"]["gramWeight"]}]
            if food["portion"]
            else [],
        }
        records.append(record)
    return records


@cache
def catalogue() -> dict[int, Food]:
    """The shipped foods by FDC id."""
    return {food.fdc_id: food for food in map(food_from_fdc, catalogue_records())}


def search(query: str, foods: Iterable[Food] | None = None, limit: int = 8) -> list[Food]:
    """Foods whose description holds every word of ``query`` (a plural ``s`` optional),
    best (fewest extra words) first."""
    words = [w.rstrip("s") for w in query.lower().replace(",", " ").split() if w]
    if not words:
        return []
    found = [
        food
        for food in (catalogue().values() if foods is None else foods)
        if all(word in food.description.lower() for word in words)
    ]
    found.sort(key=lambda f: (len(f.description), f.fdc_id))
    return found[:limit]
