"""Energy, protein and carbohydrate targets, computed by code from the profile and the
day's training.

References:

* Mifflin MD, St Jeor ST, Hill LA, Scott BJ, Daugherty SA, Koh YO. "A new predictive
  equation for resting energy expenditure in healthy individuals." Am J Clin Nutr
  1990;51(2):241–247: REE = 10·kg + 6.25·cm − 5·years + 5 (men) or − 161 (women).
* The activity factors 1.2 / 1.375 / 1.55 / 1.725 / 1.9 (sedentary … very active) are the
  ones conventionally paired with Mifflin–St Jeor (McArdle, Katch & Katch, *Exercise
  Physiology*); here they describe daily life *outside* logged training.
* Running's net energy cost ≈ 1 kcal per kg per km, nearly independent of speed: Margaria
  R, Cerretelli P, Aghemo P, Sassi G. "Energy cost of running." J Appl Physiol
  1963;18:367–370 (the 0.9–1.0 kcal·kg⁻¹·km⁻¹ figure).
* Other training: net MET-hours (MET − 1, since rest is already counted) from Ainsworth BE
  et al. "2011 Compendium of Physical Activities." Med Sci Sports Exerc 2011;43(8):1575–1581.
* Protein: 0.8 g/kg for sedentary adults (IOM Dietary Reference Intakes, 2005);
  1.4–2.0 g/kg for exercising people (Jäger R et al., ISSN position stand: protein and
  exercise, J Int Soc Sports Nutr 2017;14:20); 1.2–2.0 g/kg (Thomas DT, Erdman KA, Burke LM,
  ACSM/AND/DC joint position statement, Med Sci Sports Exerc 2016;48(3):543–568), toward the
  top in an energy deficit.
* Carbohydrate by training load (Thomas et al. 2016 as above): light 3–5 g/kg, moderate
  (about an hour a day) 5–7 g/kg, high (1–3 h a day of moderate to hard work) 6–10 g/kg.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from momentum import Activity
from momentum.plugins.meals.profile import MealsProfile

if TYPE_CHECKING:
    from momentum import Storage

ACTIVITY_FACTORS = {
    "sedentary": 1.2,
    "light": 1.375,
    "moderate": 1.55,
    "active": 1.725,
    "very_active": 1.9,
}
"""Multipliers of resting energy for daily life (see the module's references)."""

RUN_KCAL_PER_KG_KM = 1.0
"""Net energy cost of running (Margaria et al. 1963)."""

GOAL_ENERGY = {"maintain": 1.0, "performance": 1.0, "lose": 0.85, "gain": 1.10}
"""A moderate deficit (−15 %) or surplus (+10 %) by goal."""

PROTEIN_G_PER_KG = {"maintain": 1.4, "performance": 1.6, "lose": 1.8, "gain": 1.8}
"""Protein by goal for people who train (ISSN 2017: 1.4–2.0 g/kg; ACSM 2016: 1.2–2.0)."""
SEDENTARY_PROTEIN_G_PER_KG = 0.8
"""The adult RDA (IOM 2005), for a sedentary profile that does not train."""

CARB_G_PER_KG = {"rest": 3.0, "easy": 5.0, "hard": 7.0}
"""Carbohydrate by the day's load (ACSM 2016 bands: light 3–5, moderate 5–7, high 6–10)."""

NET_MET = {
    "ride": 7.0,  # cycling, general, moderate (Compendium 01015: 8.0 MET gross)
    "swim": 5.0,  # swimming laps, moderate (18310: 6.0)
    "walk": 2.5,  # walking 3.5 mph (17200: 3.5)
    "hike": 5.0,  # hiking cross country (17080: 6.0)
    "strength": 2.5,  # resistance training, moderate (02054: 3.5)
    "workout": 4.0,  # general conditioning (02040: 5.0)
}
"""Net METs (gross − 1) for non-running activity types, from the 2011 Compendium."""


def mifflin_st_jeor(sex: str, weight_kg: float, height_cm: float, age: int) -> float:
    """Resting energy expenditure in kcal/day (Mifflin et al. 1990)."""
    base = 10.0 * weight_kg + 6.25 * height_cm - 5.0 * age
    return base + (5.0 if sex == "male" else -161.0)


def activity_energy(activity: Activity, weight_kg: float) -> float:
    """Net kcal of one training session: 1 kcal/kg/km for a run with a distance, else net
    MET × kg × hours by its type (unknown types count as general conditioning)."""
    if activity.is_run and activity.distance_meters > 0:
        return RUN_KCAL_PER_KG_KM * weight_kg * activity.distance_meters / 1000.0
    kind = activity.activity_type.lower()
    met = next((m for key, m in NET_MET.items() if key in kind), NET_MET["workout"])
    hours = (activity.moving_time_seconds or activity.elapsed_time_seconds) / 3600.0
    return met * weight_kg * hours


def training_energy(activities: Iterable[Activity], weight_kg: float) -> float:
    """The day's training energy, kcal (deleted activities excluded)."""
    return sum(activity_energy(a, weight_kg) for a in activities if not a.is_deleted)


def day_activities(storage: Storage, athlete_id: str, day: dt.date, zone: str) -> list[Activity]:
    """The athlete's activities that started on ``day`` in their time zone."""
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(zone)
    start = dt.datetime.combine(day, dt.time(), tz)
    return storage.list_activities(athlete_id, start, start + dt.timedelta(days=1))


@dataclass(frozen=True)
class Targets:
    """One day's targets: energy (kcal) and protein and carbohydrate (g)."""

    resting_kcal: float
    training_kcal: float
    energy_kcal: float
    protein_g: float
    carbs_g: float
    load: str
    """``rest``, ``easy`` or ``hard``: the carbohydrate band."""


def targets(profile: MealsProfile, training_kcal: float = 0.0, load: str = "") -> Targets:
    """The day's targets. ``load`` (rest/easy/hard) sets the carbohydrate band; without it
    the training energy decides (none: rest, under 600 kcal: easy, else hard)."""
    resting = mifflin_st_jeor(profile.sex, profile.weight_kg, profile.height_cm, profile.age)
    daily = resting * ACTIVITY_FACTORS[profile.activity] + training_kcal
    energy = daily * GOAL_ENERGY[profile.goal]
    trains = training_kcal > 0 or profile.activity != "sedentary" or load in ("easy", "hard")
    per_kg = PROTEIN_G_PER_KG[profile.goal] if trains else SEDENTARY_PROTEIN_G_PER_KG
    if not load:
        load = "rest" if training_kcal <= 0 else "easy" if training_kcal < 600 else "hard"
    return Targets(
        resting_kcal=resting,
        training_kcal=training_kcal,
        energy_kcal=energy,
        protein_g=per_kg * profile.weight_kg,
        carbs_g=CARB_G_PER_KG[load] * profile.weight_kg,
        load=load,
    )
