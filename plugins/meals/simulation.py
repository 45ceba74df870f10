"""A deterministic, offline person for ``momentum demo --domain meals``."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from momentum import NotFoundError
from momentum.plugins.meals.intake import Portion, log_portions
from momentum.plugins.meals.profile import DOMAIN, load_profile

if TYPE_CHECKING:
    from momentum import App

DEMO_PROFILE = {
    "diet": "pescatarian",
    "allergies": ["peanut", "sesame"],
    "dislikes": ["conch"],
    "budget": "high",
    "cooking_minutes": 35,
    "household": 2,
    "sex": "female",
    "age": 34,
    "height_cm": 168,
    "weight_kg": 60,
    "activity": "light",
    "goal": "performance",
}
"""The simulated person, used when the athlete has no meals profile yet."""


def simulate_person(app: App, athlete_id: str, start: dt.date, end: dt.date) -> None:
    """Log each planned meal from ``start`` to ``end``: every seventh day (counted from
    ``start``) nothing is logged, the snack is skipped on odd days, and portions vary by a
    fixed pattern (90–110 %)."""
    from momentum.plugins.meals.domain import day_plan

    athlete = app.storage.get_athlete(athlete_id)
    if athlete is None:
        raise NotFoundError(f"no athlete {athlete_id!r}")
    if DOMAIN not in athlete.domain_profiles:
        profiles = {**athlete.domain_profiles, DOMAIN: DEMO_PROFILE}
        app.storage.put_athlete(dataclasses.replace(athlete, domain_profiles=profiles))
    profile = load_profile(app.storage, athlete_id)
    day, index = start, 0
    while day <= end:
        if index % 7 != 6:
            plan = day_plan(app, athlete_id, profile, day)
            for number, meal in enumerate(plan.meals):
                if meal.slot == "snack" and index % 2:
                    continue
                share = (0.9, 1.0, 1.1, 1.0)[(index + number) % 4]
                portions = [Portion(food, max(1.0, grams * share)) for food, grams in meal.items]
                log_portions(app, athlete_id, day, portions, profile, meal=meal.slot)
        day += dt.timedelta(days=1)
        index += 1
