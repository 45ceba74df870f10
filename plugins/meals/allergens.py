"""Allergens as hard constraints, decided by code.

A food's allergens come from its FDC description, matched against an explicit synonym list
(whole words, so "eggplant" is not egg and "butternut" is not milk), and from its FDC food
category when the description names none (a fish-and-shellfish food that names neither
counts as both): the check errs toward refusing a food.

Every plan, suggestion and logged food passes :func:`guard`; :func:`screen` reads chat
text for the signs of a severe allergic reaction before any model sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from momentum import InputError
from momentum.plugins.meals.foods import Food

SYNONYMS: dict[str, tuple[str, ...]] = {
    "peanut": ("peanut", "peanuts", "groundnut", "groundnuts", "arachis"),
    "tree_nuts": (
        "almond",
        "almonds",
        "cashew",
        "cashews",
        "walnut",
        "walnuts",
        "pecan",
        "pecans",
        "hazelnut",
        "hazelnuts",
        "filbert",
        "filberts",
        "pistachio",
        "pistachios",
        "macadamia",
        "macadamias",
        "brazilnut",
        "brazilnuts",
        "brazil nut",
        "brazil nuts",
        "pine nut",
        "pine nuts",
        "pinyon",
        "praline",
        "marzipan",
        "nutella",
        "nuts",
    ),
    "milk": (
        "milk",
        "milkfat",
        "buttermilk",
        "cheese",
        "cheeses",
        "yogurt",
        "yoghurt",
        "butter",
        "cream",
        "whey",
        "casein",
        "caseinate",
        "kefir",
        "ghee",
        "lactose",
        "curd",
        "curds",
        "custard",
        "ice cream",
        "ricotta",
        "mozzarella",
        "cheddar",
        "parmesan",
        "paneer",
    ),
    "egg": (
        "egg",
        "eggs",
        "yolk",
        "yolks",
        "albumen",
        "mayonnaise",
        "meringue",
        "omelet",
        "omelette",
    ),
    "wheat": (
        "wheat",
        "bulgur",
        "couscous",
        "semolina",
        "spelt",
        "farina",
        "durum",
        "einkorn",
        "emmer",
        "kamut",
        "seitan",
        "bread",
        "breads",
        "bagel",
        "bagels",
        "pasta",
        "noodles",
        "crackers",
        "cracker",
        "flour",
        "biscuit",
        "biscuits",
        "croissant",
        "croissants",
        "tortilla",
        "tortillas",
        "muffin",
        "muffins",
        "pancake",
        "pancakes",
        "waffle",
        "waffles",
        "cake",
        "cookies",
        "pie",
        "pastry",
        "pretzels",
        "breadcrumbs",
    ),
    "soy": (
        "soy",
        "soya",
        "soybean",
        "soybeans",
        "soymilk",
        "tofu",
        "edamame",
        "tempeh",
        "miso",
        "natto",
    ),
    "fish": (
        "fish",
        "salmon",
        "trout",
        "tuna",
        "cod",
        "pollock",
        "halibut",
        "sardine",
        "sardines",
        "anchovy",
        "anchovies",
        "tilapia",
        "mackerel",
        "haddock",
        "herring",
        "catfish",
        "whiting",
        "sole",
        "flounder",
        "bass",
        "perch",
        "pike",
        "carp",
        "snapper",
        "swordfish",
    ),
    "shellfish": (
        "shellfish",
        "shrimp",
        "prawn",
        "prawns",
        "crab",
        "lobster",
        "crayfish",
        "crawfish",
        "mollusks",
        "mollusk",
        "molluscs",
        "clam",
        "clams",
        "mussel",
        "mussels",
        "oyster",
        "oysters",
        "scallop",
        "scallops",
        "squid",
        "calamari",
        "octopus",
        "conch",
        "abalone",
        "crustaceans",
        "whelk",
        "snail",
        "snails",
    ),
    "sesame": ("sesame", "tahini", "halva", "halvah", "gomasio", "benne"),
}
"""Words in a food's description that mean it carries the allergen."""

SYNONYMS["gluten"] = SYNONYMS["wheat"] + (
    "barley",
    "rye",
    "malt",
    "triticale",
    "oat",
    "oats",
    "oatmeal",
)
# Oats count for gluten: most are contaminated with wheat unless certified gluten-free.

NOT_ALLERGENS: dict[str, tuple[str, ...]] = {
    "milk": (
        "peanut butter",
        "almond butter",
        "cashew butter",
        "cocoa butter",
        "apple butter",
        "nut butter",
        "soymilk",
        "soy milk",
        "almond milk",
        "oat milk",
        "rice milk",
        "coconut milk",
        "coconut cream",
        "cream of tartar",
        "shea butter",
    ),
    "egg": ("eggplant", "eggplants"),
    "tree_nuts": ("nutmeg", "butternut", "coconut", "peanuts", "peanut", "doughnuts"),
    "fish": ("shellfish",),
}
"""Phrases removed before matching an allergen, because they do not carry it."""

CATEGORY_FALLBACK: dict[str, tuple[str, ...]] = {
    "finfish and shellfish products": ("fish", "shellfish"),
    "dairy and egg products": ("milk", "egg"),
    "nut and seed products": ("peanut", "tree_nuts", "sesame"),
    "legumes and legume products": (),
    "baked products": ("wheat", "gluten", "milk", "egg"),
    "cereal grains and pasta": (),
}
"""Allergens assumed for a category when the description names none of them."""

_PATTERNS = {
    name: re.compile(
        r"\b(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b"
    )
    for name, words in SYNONYMS.items()
}


def allergens_in_text(text: str) -> frozenset[str]:
    """The allergens the words of ``text`` name (any food description or ingredient)."""
    lowered = " " + text.lower() + " "
    found = set()
    for name, pattern in _PATTERNS.items():
        cleaned = lowered
        for phrase in NOT_ALLERGENS.get(name, ()):
            cleaned = cleaned.replace(phrase, " ")
        if pattern.search(cleaned):
            found.add(name)
    return frozenset(found)


def allergens_of(food: Food) -> frozenset[str]:
    """The allergens of one FDC food: its description's, else its category's."""
    found = set(allergens_in_text(food.description))
    fallback = CATEGORY_FALLBACK.get(food.category.lower(), ())
    if fallback and not found & set(fallback):
        found.update(fallback)
    if "wheat" in found:
        found.add("gluten")
    return frozenset(found)


class AllergenFound(InputError):
    """A food carries an allergen the athlete declared."""


def guard(foods: Iterable[Food], avoided: frozenset[str], what: str) -> None:
    """Refuse ``what`` (a plan, a suggestion, a logged meal) if any food carries a
    declared allergen, naming the food, its FDC id and the allergen."""
    for food in foods:
        hit = allergens_of(food) & avoided
        if hit:
            raise AllergenFound(
                what,
                f"{food.description} (FDC {food.fdc_id}) contains {', '.join(sorted(hit))}, "
                "which you avoid",
            )


REACTION_SIGNS = (
    r"throat (?:is |feels |getting |)(?:swelling|swollen|tight|closing)",
    r"swollen (?:throat|tongue|lips?)",
    r"(?:tongue|lips?|face) (?:is |are |)(?:swelling|swollen)",
    r"(?:trouble|difficulty|hard|struggling|can'?t|cannot) (?:to )?breath(?:e|ing)",
    r"short(?:ness)? of breath",
    r"wheez(?:e|ing)",
    r"anaphyla",
    r"epi-?pen",
    r"(?:hives|rash) (?:all over|everywhere)",
    r"(?:feel(?:ing)? )?(?:faint|dizzy) after (?:eating|a meal|food)",
)
_REACTION = re.compile("|".join(REACTION_SIGNS))

EMERGENCY = (
    "This sounds like it could be a severe allergic reaction. Call your local emergency "
    "number now (911, 112, 999). If you have an adrenaline auto-injector (EpiPen), use it "
    "as you were shown. Don't wait to see whether it passes."
)


def screen(text: str) -> str | None:
    """The emergency message when ``text`` describes signs of anaphylaxis (throat or
    tongue swelling, trouble breathing, wheezing), decided by code; else ``None``."""
    return EMERGENCY if _REACTION.search(text.lower()) else None
