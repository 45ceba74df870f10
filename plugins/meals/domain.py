"""The meals domain's part of each message of the coach loop (check-in, weekly plan,
weekly review), its safety screen and its offline simulation."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from momentum import Brief, Domain, Plan
from momentum.plugins.meals.allergens import screen
from momentum.plugins.meals.energy import Targets, day_activities, targets, training_energy
from momentum.plugins.meals.intake import intake_days, intake_on
from momentum.plugins.meals.planner import (
    DayPlan,
    grocery_list,
    plan_day,
    plan_week,
    planned_energy,
    planned_load,
)
from momentum.plugins.meals.profile import DOMAIN, MealsProfile, load_profile

if TYPE_CHECKING:
    from momentum import App

TITLE = "Meals"


def _zone(app: App, athlete_id: str) -> str:
    athlete = app.storage.get_athlete(athlete_id)
    return athlete.timezone if athlete else "UTC"


def day_targets(app: App, athlete_id: str, profile: MealsProfile, day: dt.date) -> Targets:
    """The day's targets: the profile, the day's logged training (or, before it happens,
    the running plan's session) and the plan's load (long run and hard days: more carbs)."""
    load, minutes = planned_load(app.storage.get_plan(Plan, athlete_id), day)
    done = training_energy(
        day_activities(app.storage, athlete_id, day, _zone(app, athlete_id)), profile.weight_kg
    )
    extra = done if done > 0 else planned_energy(minutes, profile.weight_kg)
    return targets(profile, extra, load)


def _week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def day_plan(app: App, athlete_id: str, profile: MealsProfile, day: dt.date) -> DayPlan:
    """The meals planned for ``day`` (its place in the week picks the rotation)."""
    return plan_day(
        profile, day, (day - _week_start(day)).days, day_targets(app, athlete_id, profile, day)
    )


def uses_meals(app: App, athlete_id: str) -> bool:
    """Whether the athlete keeps a meals profile: a coach with other domains sends no meal
    plan to an athlete who never set one up."""
    athlete = app.storage.get_athlete(athlete_id)
    return athlete is not None and DOMAIN in athlete.domain_profiles


def checkin(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """Today's targets and what is planned, with one easy next step."""
    if not uses_meals(app, athlete_id):
        return None
    profile = load_profile(app.storage, athlete_id)
    plan = day_plan(app, athlete_id, profile, day)
    goal = plan.targets
    yesterday = intake_on(app, athlete_id, day - dt.timedelta(days=1))
    facts = {
        "energy_target": f"{goal.energy_kcal:.0f} kcal today ({goal.load} day)",
        "protein_target": f"{goal.protein_g:.0f} g protein",
        "carbs_target": f"{goal.carbs_g:.0f} g carbohydrate",
    }
    if goal.training_kcal:
        facts["training_energy"] = f"{goal.training_kcal:.0f} kcal of training counted"
    if yesterday is not None:
        facts["yesterday"] = (
            f"{(yesterday.values.get('energy_kcal') or 0):.0f} kcal logged yesterday"
        )
    lines = [
        f"Today: {goal.energy_kcal:.0f} kcal · protein {goal.protein_g:.0f} g · "
        f"carbohydrate {goal.carbs_g:.0f} g ({goal.load} day)"
    ]
    lines += [f"{meal.slot.title()}: {meal.name}" for meal in plan.meals]
    breakfast = plan.meals[0]
    return Brief(
        domain=DOMAIN,
        title=TITLE,
        facts=facts,
        lines=tuple(lines),
        next_step=f"Have {breakfast.name.lower()} for breakfast and log it in a line.",
        missed_days=_missed_days(app, athlete_id, day),
    )


def _missed_days(app: App, athlete_id: str, day: dt.date) -> int:
    """Days in a row before today with nothing logged (at most 7)."""
    missed = 0
    for back in range(1, 8):
        if intake_on(app, athlete_id, day - dt.timedelta(days=back)) is not None:
            break
        missed += 1
    return missed


def weekly_plan(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """The week's meals (from ``day``'s Monday) and the household's grocery list."""
    if not uses_meals(app, athlete_id):
        return None
    profile = load_profile(app.storage, athlete_id)
    start = _week_start(day)
    running = app.storage.get_plan(Plan, athlete_id)
    loads = [planned_load(running, start + dt.timedelta(days=i)) for i in range(7)]
    days = plan_week(profile, start, loads if running is not None else None)
    lines: list[str] = []
    for plan in days:
        names = " · ".join(meal.name for meal in plan.meals)
        kcal = plan.targets.energy_kcal
        lines.append(f"{plan.day:%a %d %b} ({kcal:.0f} kcal, {plan.load} day): {names}")
    lines.append(f"Grocery list for {profile.household}:")
    for aisle, items in grocery_list(days, profile.household).items():
        lines.append(f"{aisle}:")
        lines += [f"  - {item.text()}" for item in items]
    hard = sum(1 for plan in days if plan.load == "hard")
    facts = {
        "week": f"7 days of meals for {profile.household}, {profile.diet}",
        "avoiding": ", ".join(sorted(profile.avoided)) or "nothing",
    }
    if hard:
        facts["carb_days"] = f"{hard} long-run or hard days get extra carbohydrate"
    return Brief(
        domain=DOMAIN,
        title=TITLE,
        facts=facts,
        lines=tuple(lines),
        next_step="Do the shop from the list, aisle by aisle.",
    )


def weekly_review(app: App, athlete_id: str, day: dt.date) -> Brief | None:
    """The week up to ``day``: logged intake against each day's targets."""
    if not uses_meals(app, athlete_id):
        return None
    profile = load_profile(app.storage, athlete_id)
    start = day - dt.timedelta(days=6)
    logged = {obs.day: obs for obs in intake_days(app, athlete_id, start, day)}
    lines = []
    energy_ratio, protein_ratio = [], []
    for i in range(7):
        current = start + dt.timedelta(days=i)
        goal = day_targets(app, athlete_id, profile, current)
        obs = logged.get(current)
        if obs is None:
            lines.append(f"{current:%a %d %b}: nothing logged (target {goal.energy_kcal:.0f} kcal)")
            continue
        kcal = obs.values.get("energy_kcal") or 0.0
        protein = obs.values.get("protein_g") or 0.0
        energy_ratio.append(kcal / goal.energy_kcal)
        protein_ratio.append(protein / goal.protein_g)
        lines.append(
            f"{current:%a %d %b}: {kcal:.0f} of {goal.energy_kcal:.0f} kcal, "
            f"protein {protein:.0f} of {goal.protein_g:.0f} g"
        )
    facts = {"days_logged": f"{len(logged)} of 7 days logged"}
    step = "Log one meal a day this week, even a quick line."
    if energy_ratio:
        mean_energy = sum(energy_ratio) / len(energy_ratio)
        mean_protein = sum(protein_ratio) / len(protein_ratio)
        facts["energy"] = f"{mean_energy:.0%} of the energy target on logged days"
        facts["protein"] = f"{mean_protein:.0%} of the protein target on logged days"
        if mean_protein < 0.9:
            step = "Add a protein food (yogurt, eggs, tofu, fish) to one meal a day."
        elif mean_energy < 0.85:
            step = "Add a snack on training days: you ate well under your energy target."
        else:
            step = "Keep the same rhythm next week."
    return Brief(domain=DOMAIN, title=TITLE, facts=facts, lines=tuple(lines), next_step=step)


def screen_text(text: str) -> str | None:
    """Allergic-reaction red flags in chat → emergency services (code, offline)."""
    return screen(text)


def simulate(app: App, athlete_id: str, start: dt.date, end: dt.date) -> None:
    """A deterministic person who follows most of the plan: eats each planned meal on six
    days of seven, skips the snack on odd days, logs it all as intake observations. The
    same dates give the same records; running it twice changes nothing."""
    from momentum.plugins.meals.simulation import simulate_person

    simulate_person(app, athlete_id, start, end)


def domain() -> Domain:
    """The meals domain as core sees it."""
    return Domain(
        name=DOMAIN,
        description="Meal planning: energy and protein targets, a weekly plan and grocery "
        "list, food logging by chat with USDA FoodData Central nutrients, allergens as hard "
        "constraints.",
        checkin=checkin,
        weekly_plan=weekly_plan,
        weekly_review=weekly_review,
        screen=screen_text,
        simulate=simulate,
    )
