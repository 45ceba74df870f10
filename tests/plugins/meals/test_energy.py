"""Energy, protein and carbohydrate targets against their references.

* Mifflin et al. 1990 publish REE = 9.99·kg + 6.25·cm − 4.92·years + 166·sex − 161
  (sex 1 for men, 0 for women); the plugin uses the conventional rounded form
  10 / 6.25 / 5 / +5 / −161. Worked examples are checked against the published
  coefficients within 0.5 % (the rounding), and over the whole adult range within 10 kcal.
* Running's net cost, ~1 kcal·kg⁻¹·km⁻¹ (Margaria et al. 1963: 0.9–1.0).
* Protein within the ISSN 2017 (1.4–2.0 g/kg) or ACSM 2016 (1.2–2.0 g/kg) bands, and the
  0.8 g/kg RDA when sedentary; carbohydrate within ACSM 2016's bands.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum import Activity
from momentum.plugins.meals.energy import (
    activity_energy,
    mifflin_st_jeor,
    targets,
    training_energy,
)
from momentum.plugins.meals.profile import MealsProfile


def published(sex: str, kg: float, cm: float, years: int) -> float:
    """Mifflin et al. 1990, Am J Clin Nutr 51:241, with the paper's own coefficients."""
    return 9.99 * kg + 6.25 * cm - 4.92 * years + 166 * (sex == "male") - 161


@pytest.mark.parametrize(
    ("sex", "kg", "cm", "years", "expected"),
    [
        ("male", 80, 180, 30, 1780.0),  # 800 + 1125 − 150 + 5
        ("female", 60, 165, 30, 1320.25),  # 600 + 1031.25 − 150 − 161
        ("female", 55, 160, 45, 1164.0),  # 550 + 1000 − 225 − 161
        ("male", 95, 190, 60, 1842.5),  # 950 + 1187.5 − 300 + 5
    ],
)
def test_mifflin_worked_examples(
    sex: str, kg: float, cm: float, years: int, expected: float
) -> None:
    got = mifflin_st_jeor(sex, kg, cm, years)
    assert got == pytest.approx(expected, abs=0.01)
    assert got == pytest.approx(published(sex, kg, cm, years), rel=0.005)


@given(
    sex=st.sampled_from(["male", "female"]),
    kg=st.floats(35, 200),
    cm=st.floats(140, 210),
    years=st.integers(18, 90),
)
def test_rounded_form_stays_within_10_kcal_of_the_published_coefficients(
    sex: str, kg: float, cm: float, years: int
) -> None:
    assert abs(mifflin_st_jeor(sex, kg, cm, years) - published(sex, kg, cm, years)) <= 10.0


def run(km: float, minutes: float = 0.0, kind: str = "Run") -> Activity:
    return Activity(
        activity_id="a",
        athlete_id="ada",
        activity_type=kind,
        start=dt.datetime(2026, 3, 3, 7, tzinfo=dt.UTC),
        distance_meters=km * 1000,
        moving_time_seconds=minutes * 60,
    )


def test_running_costs_about_one_kcal_per_kg_per_km() -> None:
    """60 kg × 10 km: 540–600 kcal by Margaria's 0.9–1.0 kcal/kg/km."""
    assert 540 <= activity_energy(run(10), 60) <= 600
    assert activity_energy(run(21.1), 70) == pytest.approx(1477, abs=1)


def test_other_training_uses_net_compendium_mets() -> None:
    """An hour of moderate cycling at 70 kg: (8.0 − 1) MET × 70 kg × 1 h = 490 kcal."""
    assert activity_energy(run(0, 60, "Ride"), 70) == pytest.approx(490)
    assert training_energy([run(10), run(0, 60, "Ride")], 70) == pytest.approx(1190)


def test_daily_targets_for_a_worked_profile() -> None:
    """Woman, 60 kg, 165 cm, 30 y, light activity, 10 km run, performance goal:
    1320.25 × 1.375 + 600 = 2415 kcal; protein 1.6 g/kg = 96 g; hard day 7 g/kg = 420 g."""
    profile = MealsProfile(sex="female", weight_kg=60, height_cm=165, age=30, goal="performance")
    goal = targets(profile, activity_energy(run(10), 60), "hard")
    assert goal.energy_kcal == pytest.approx(2415.3, abs=0.5)
    assert goal.protein_g == pytest.approx(96.0)
    assert 1.4 * 60 <= goal.protein_g <= 2.0 * 60  # ISSN 2017
    assert 6 * 60 <= goal.carbs_g <= 10 * 60  # ACSM 2016, high load
    sedentary = MealsProfile(activity="sedentary", weight_kg=70)
    assert targets(sedentary).protein_g == pytest.approx(0.8 * 70)  # RDA
    assert 3 * 70 <= targets(sedentary).carbs_g <= 5 * 70


profiles = st.builds(
    MealsProfile,
    sex=st.sampled_from(["male", "female"]),
    age=st.integers(18, 90),
    height_cm=st.floats(140, 210),
    weight_kg=st.floats(40, 150),
    activity=st.sampled_from(["sedentary", "light", "moderate", "active", "very_active"]),
    goal=st.sampled_from(["maintain", "lose", "gain", "performance"]),
)


@given(profile=profiles, more=st.floats(0.5, 40), training=st.floats(0, 2000))
def test_targets_never_fall_as_weight_rises(
    profile: MealsProfile, more: float, training: float
) -> None:
    import dataclasses

    heavier = dataclasses.replace(profile, weight_kg=profile.weight_kg + more)
    a, b = targets(profile, training), targets(heavier, training)
    assert b.energy_kcal > a.energy_kcal
    assert b.protein_g >= a.protein_g
    assert b.carbs_g >= a.carbs_g


@given(profile=profiles, training=st.floats(0, 3000), extra=st.floats(1, 1000))
def test_more_training_means_more_energy_and_positive_targets(
    profile: MealsProfile, training: float, extra: float
) -> None:
    a, b = targets(profile, training), targets(profile, training + extra)
    assert b.energy_kcal > a.energy_kcal > 0
    assert a.protein_g > 0 and a.carbs_g > 0
    rest, easy, hard = (
        targets(profile, training, load).carbs_g for load in ("rest", "easy", "hard")
    )
    assert rest < easy < hard


@given(km=st.floats(0.1, 60), kg=st.floats(35, 150), extra=st.floats(0.1, 20))
def test_run_energy_grows_with_distance_and_weight(km: float, kg: float, extra: float) -> None:
    assert activity_energy(run(km + extra), kg) > activity_energy(run(km), kg)
    assert activity_energy(run(km), kg + extra) > activity_energy(run(km), kg)
