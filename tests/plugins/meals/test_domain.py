"""The meals domain on core's contract: check-in (targets, what is planned, one next step),
weekly plan (plan + grocery list), weekly review (intake vs targets), screen, and a
deterministic, idempotent simulation; registered through the ``momentum`` entry point."""

from __future__ import annotations

import datetime as dt

import momentum.plugins.meals.plugin as meals_plugin
from momentum import Activity, Brief
from momentum.plugins.meals.allergens import EMERGENCY
from momentum.plugins.meals.domain import checkin, weekly_review
from momentum.plugins.meals.intake import day_log, intake_days
from momentum.plugins.meals.profile import load_profile
from momentum.testing import PluginHarness

START, END = dt.date(2026, 2, 16), dt.date(2026, 3, 1)


def simulated() -> PluginHarness:
    h = PluginHarness(meals_plugin)
    h.add_athlete("ada")
    domain = h.app.plugins.domains()[0]
    assert domain.simulate is not None
    domain.simulate(h.app, "ada", START, END)
    return h


def test_simulation_is_deterministic_and_idempotent() -> None:
    a, b = simulated(), simulated()
    days_a = intake_days(a.app, "ada", START, END)
    days_b = intake_days(b.app, "ada", START, END)
    assert days_a == days_b
    assert len(days_a) == 12  # every seventh day is skipped: 14 − 2
    domain = a.app.plugins.domains()[0]
    assert domain.simulate is not None
    domain.simulate(a.app, "ada", START, END)
    assert intake_days(a.app, "ada", START, END) == days_a
    assert len(day_log(a.storage, "ada", START)) == len(day_log(b.storage, "ada", START))
    profile = load_profile(a.storage, "ada")
    assert profile.diet == "pescatarian" and profile.avoided == {"peanut", "sesame"}


def test_checkin_brief_holds_targets_meals_and_one_next_step() -> None:
    h = simulated()
    brief = checkin(h.app, "ada", dt.date(2026, 3, 2))
    assert isinstance(brief, Brief) and brief.domain == "meals" and brief.title == "Meals"
    assert brief.facts["energy_target"].endswith("kcal today (rest day)")
    assert "yesterday" not in brief.facts  # the simulated person skipped Sunday
    assert [line.split(":")[0] for line in brief.lines[1:]] == [
        "Breakfast",
        "Lunch",
        "Dinner",
        "Snack",
    ]
    assert brief.next_step.startswith("Have ") and brief.next_step.endswith("log it in a line.")
    assert brief.missed_days == 1
    assert brief.alert == ""


def test_training_logged_today_raises_the_targets() -> None:
    h = simulated()
    before = checkin(h.app, "ada", dt.date(2026, 3, 2))
    h.storage.put_activity(
        Activity(
            activity_id="run1",
            athlete_id="ada",
            activity_type="Run",
            start=dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC),
            distance_meters=12000,
            moving_time_seconds=3600,
        )
    )
    after = checkin(h.app, "ada", dt.date(2026, 3, 2))
    assert before is not None and after is not None
    assert (
        after.facts["training_energy"] == "720 kcal of training counted"
    )  # 1 kcal × 60 kg × 12 km
    assert "hard day" in after.facts["energy_target"]


def test_weekly_review_compares_intake_with_targets() -> None:
    h = simulated()
    brief = weekly_review(h.app, "ada", END)
    assert brief is not None
    assert brief.facts["days_logged"] == "6 of 7 days logged"
    assert brief.lines[-1].startswith("Sun 01 Mar: nothing logged")
    share = int(brief.facts["energy"].split("%")[0])
    assert 85 <= share <= 115
    assert brief.next_step


def test_screen_flags_reactions_through_the_domain() -> None:
    domain = PluginHarness(meals_plugin).app.plugins.domains()[0]
    assert domain.screen is not None
    assert domain.screen("my throat is swelling after lunch") == EMERGENCY
    assert domain.screen("oatmeal with a banana and coffee") is None


def test_installed_entry_point_loads_the_meals_domain() -> None:
    h = PluginHarness(builtins=True)
    assert "meals" in {d.name for d in h.app.plugins.domains()}
    assert "meals" not in h.failed_plugins
