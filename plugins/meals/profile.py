"""The athlete's meals profile, kept in ``AthleteProfile.domain_profiles["meals"]``.

Every key is validated here, and a wrong one is refused with an :class:`InputError` that
names it; nothing is stored until the whole profile is valid.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from momentum import AthleteProfile, InputError, NotFoundError, Storage

DOMAIN = "meals"

DIETS = ("omnivore", "pescatarian", "vegetarian", "vegan")
"""Diet patterns, from the least to the most restrictive."""
BUDGETS = ("low", "medium", "high")
ACTIVITY_LEVELS = ("sedentary", "light", "moderate", "active", "very_active")
GOALS = ("maintain", "lose", "gain", "performance")
SEXES = ("female", "male")

ALLERGEN_NAMES = (
    "peanut",
    "tree_nuts",
    "milk",
    "egg",
    "wheat",
    "gluten",
    "soy",
    "fish",
    "shellfish",
    "sesame",
)
"""The allergens and intolerances a profile may declare (the major food allergens of the
US FALCPA/FASTER Acts plus gluten)."""

ALLERGEN_ALIASES = {
    "peanuts": "peanut",
    "groundnut": "peanut",
    "tree_nut": "tree_nuts",
    "tree nuts": "tree_nuts",
    "tree nut": "tree_nuts",
    "nuts": "tree_nuts",
    "dairy": "milk",
    "lactose": "milk",
    "eggs": "egg",
    "coeliac": "gluten",
    "celiac": "gluten",
    "soya": "soy",
    "soybean": "soy",
    "crustacean": "shellfish",
    "crustaceans": "shellfish",
    "mollusc": "shellfish",
    "molluscs": "shellfish",
}
"""Words people use for an allergen, and the name kept."""


@dataclass(frozen=True)
class MealsProfile:
    """What the meals coach knows about one athlete (and their household)."""

    diet: str = "omnivore"
    allergies: tuple[str, ...] = ()
    """Hard constraints: no plan, suggestion or logged food may contain them."""
    intolerances: tuple[str, ...] = ()
    """Also hard constraints (lactose → milk, gluten)."""
    dislikes: tuple[str, ...] = ()
    """Words no planned food's description may contain (``"broccoli"``)."""
    budget: str = "medium"
    cooking_minutes: int = 30
    """The most hands-on minutes a planned meal may take."""
    household: int = 1
    """People eating; the grocery list buys for all of them."""
    sex: str = "female"
    age: int = 35
    height_cm: float = 168.0
    weight_kg: float = 65.0
    activity: str = "light"
    """Daily life outside logged training (training energy is added from activities)."""
    goal: str = "maintain"

    @property
    def avoided(self) -> frozenset[str]:
        """Every allergen this profile must never be served."""
        return frozenset(self.allergies) | frozenset(self.intolerances)

    def to_json(self) -> dict[str, Any]:
        """The JSON-ready dict kept in ``domain_profiles["meals"]``."""
        return {
            field.name: list(value) if isinstance(value, tuple) else value
            for field in dataclasses.fields(self)
            for value in [getattr(self, field.name)]
        }


def _choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    text = str(value).strip().lower().replace("-", "_")
    if text not in allowed:
        raise InputError(
            f"meals profile key {key!r}", f"{value!r} is not one of {', '.join(allowed)}"
        )
    return text


def _number(key: str, value: Any, low: float, high: float, *, whole: bool = False) -> float:
    if isinstance(value, bool):
        raise InputError(f"meals profile key {key!r}", f"{value!r} is not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"meals profile key {key!r}", f"{value!r} is not a number") from None
    if not low <= number <= high:
        raise InputError(f"meals profile key {key!r}", f"{value!r} is outside {low:g}–{high:g}")
    if whole and number != int(number):
        raise InputError(f"meals profile key {key!r}", f"{value!r} is not a whole number")
    return number


def _words(key: str, value: Any) -> tuple[str, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        raise InputError(f"meals profile key {key!r}", f"{value!r} is not a list of words")
    words = []
    for item in items:
        if not isinstance(item, str) or not item.strip():
            raise InputError(f"meals profile key {key!r}", f"{item!r} is not a word")
        words.append(item.strip().lower())
    return tuple(dict.fromkeys(words))


def allergen_name(word: str, key: str = "allergies") -> str:
    """The allergen ``word`` names (``"dairy"`` → ``"milk"``); an unknown word is refused."""
    text = word.strip().lower()
    text = ALLERGEN_ALIASES.get(text, text).replace(" ", "_")
    if text not in ALLERGEN_NAMES:
        raise InputError(
            f"meals profile key {key!r}",
            f"{word!r} is not an allergen this coach can check ({', '.join(ALLERGEN_NAMES)})",
        )
    return text


_FIELDS = {f.name for f in dataclasses.fields(MealsProfile)}


def parse_profile(raw: Mapping[str, Any]) -> MealsProfile:
    """Validate a whole profile (a stored dict or the user's input)."""
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        raise InputError(
            f"meals profile key {unknown[0]!r}",
            f"unknown; known keys: {', '.join(sorted(_FIELDS))}",
        )
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key == "diet":
            values[key] = _choice(key, value, DIETS)
        elif key == "budget":
            values[key] = _choice(key, value, BUDGETS)
        elif key == "activity":
            values[key] = _choice(key, value, ACTIVITY_LEVELS)
        elif key == "goal":
            values[key] = _choice(key, value, GOALS)
        elif key == "sex":
            values[key] = _choice(key, value, SEXES)
        elif key in ("allergies", "intolerances"):
            names = (allergen_name(word, key) for word in _words(key, value))
            values[key] = tuple(dict.fromkeys(names))
        elif key == "dislikes":
            values[key] = _words(key, value)
        elif key == "cooking_minutes":
            values[key] = int(_number(key, value, 5, 240, whole=True))
        elif key == "household":
            values[key] = int(_number(key, value, 1, 12, whole=True))
        elif key == "age":
            values[key] = int(_number(key, value, 18, 100, whole=True))
        elif key == "height_cm":
            values[key] = _number(key, value, 120, 230)
        elif key == "weight_kg":
            values[key] = _number(key, value, 35, 250)
    return MealsProfile(**values)


def meals_profile(athlete: AthleteProfile) -> MealsProfile:
    """The athlete's meals profile (defaults where none is kept)."""
    return parse_profile(athlete.domain_profiles.get(DOMAIN, {}))


def load_profile(storage: Storage, athlete_id: str) -> MealsProfile:
    """The stored athlete's meals profile."""
    athlete = storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    return meals_profile(athlete)


def update_profile(storage: Storage, athlete_id: str, changes: Mapping[str, Any]) -> MealsProfile:
    """Apply ``changes`` to the stored profile, validated as a whole before anything is
    written; the same changes again write nothing new."""
    athlete = storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    current = athlete.domain_profiles.get(DOMAIN, {})
    merged = parse_profile({**current, **changes})
    if merged.to_json() != current:
        profiles = {**athlete.domain_profiles, DOMAIN: merged.to_json()}
        storage.put_athlete(dataclasses.replace(athlete, domain_profiles=profiles))
    return merged
