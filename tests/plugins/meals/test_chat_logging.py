"""Logging by chat ("oatmeal with a banana and coffee"): the scripted model calls the
meals tools through the real coach loop, code computes the nutrients from FDC and keeps
the day's intake as an observation (source ``meals``, kind ``intake``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

import momentum.plugins.meals.plugin as meals_plugin
from momentum import Completion, CompletionRequest, ToolCall
from momentum.plugins.meals.intake import day_log, intake_on
from momentum.plugins.meals.profile import load_profile, update_profile
from momentum.testing import PluginHarness, ScriptedModel

TODAY = dt.date(2026, 3, 3)  # the harness's clock: Tuesday 06:00 in Toronto


def scripted(calls: list[list[ToolCall]]) -> ScriptedModel:
    """A model that answers each chat turn with the next list of tool calls, and words the
    follow-up with the tools' results (so a test can read what the tools said)."""

    def respond(request: CompletionRequest) -> Completion:
        if request.purpose == "chat" and calls:
            return Completion(
                text="", model="script", provider="test", tool_calls=tuple(calls.pop(0))
            )
        return Completion(
            text=request.messages[-1].content[-1500:], model="script", provider="test"
        )

    return ScriptedModel(respond=respond)


def harness(calls: list[list[ToolCall]]) -> PluginHarness:
    h = PluginHarness(meals_plugin, model=scripted(calls))
    h.add_athlete("ada")
    update_profile(h.storage, "ada", {"allergies": ["egg"], "weight_kg": 60})
    return h


def find(query: str) -> ToolCall:
    return ToolCall("meals_find_foods", {"query": query}, call_id=f"f-{query}")


def log(items: list[dict[str, Any]], meal: str = "breakfast") -> ToolCall:
    return ToolCall("meals_log", {"meal": meal, "items": items}, call_id=f"l-{meal}")


def test_the_model_finds_foods_then_logs_them_and_code_computes_the_nutrients() -> None:
    h = harness(
        [
            [find("banana"), find("greek yogurt")],
            [log([{"fdc_id": 173944, "grams": 118}, {"fdc_id": 171304, "grams": 150}])],
        ]
    )
    first = h.say("greek yogurt with a banana and coffee", event_id="e1")
    assert "FDC 173944: Bananas, raw" in first.text
    assert "FDC 171304: Yogurt, Greek, plain, whole milk" in first.text
    assert intake_on(h.app, "ada", TODAY) is None  # finding logs nothing

    second = h.say("yes, one banana and 150 g of the yogurt", event_id="e2")
    assert "ok: logged Bananas, raw 118 g, Yogurt, Greek, plain, whole milk 150 g" in second.text
    kept = intake_on(h.app, "ada", TODAY)
    assert kept is not None and (kept.source, kept.kind) == ("meals", "intake")
    # 118 g banana (89 kcal/100 g) + 150 g Greek yogurt (97 kcal/100 g) = 105.0 + 145.5
    assert kept.values["energy_kcal"] == pytest.approx(250.5, abs=0.1)
    assert kept.values["protein_g"] == pytest.approx(1.09 * 1.18 + 9.0 * 1.5, abs=0.1)
    assert kept.values["carbs_g"] == pytest.approx(22.84 * 1.18 + 3.98 * 1.5, abs=0.1)
    assert [row.fdc_id for row in day_log(h.storage, "ada", TODAY)] == [173944, 171304]


def test_the_same_meal_logged_twice_counts_once() -> None:
    call = log([{"fdc_id": 173944, "portions": 1}], meal="snack")
    h = harness([[call], [call]])
    h.say("a banana", event_id="a")
    h.say("a banana (again, my phone resent it)", event_id="b")
    kept = intake_on(h.app, "ada", TODAY)
    assert kept is not None
    assert kept.values["energy_kcal"] == pytest.approx(89 * 2.25, abs=0.1)  # one FDC portion, 225 g
    assert len(day_log(h.storage, "ada", TODAY)) == 1


def test_a_declared_allergen_is_refused_and_nothing_is_written() -> None:
    h = harness([[log([{"fdc_id": 173944, "grams": 100}, {"fdc_id": 171287, "grams": 100}])]])
    reply = h.say("scrambled eggs and a banana", event_id="x")
    assert "Egg, whole, raw, fresh (FDC 171287) contains egg" in reply.text
    assert intake_on(h.app, "ada", TODAY) is None
    assert day_log(h.storage, "ada", TODAY) == []


@pytest.mark.parametrize(
    ("items", "error"),
    [
        ([{"fdc_id": 173944, "grams": -5}], "is not between 0 and 3000 g"),
        ([{"fdc_id": 173944}], "give grams or portions"),
        ([{"fdc_id": 999999999, "grams": 10}], "no FDC_API_KEY is set"),
        ([{"grams": 10}], "has no fdc_id"),
    ],
)
def test_bad_arguments_get_a_clear_error(items: list[dict[str, Any]], error: str) -> None:
    h = harness([[log(items)]])
    assert error in h.say("lunch", event_id="bad").text
    assert intake_on(h.app, "ada", TODAY) is None


def test_the_profile_tool_updates_the_profile_and_the_suggestion_respects_it() -> None:
    calls: list[list[ToolCall]] = [
        [ToolCall("meals_profile", {"diet": "vegan", "household": 2, "allergies": ["soy", "egg"]})],
        [ToolCall("meals_suggest", {"slot": "dinner"})],
    ]
    h = harness(calls)
    assert (
        "ok: meals profile updated"
        in h.say("I'm vegan now, and soy disagrees with me", event_id="p").text
    )
    profile = load_profile(h.storage, "ada")
    assert profile.diet == "vegan" and profile.avoided == {"soy", "egg"}
    text = h.say("what's for dinner?", event_id="s").text
    assert "no dinner in the meal book fits" in text or "kcal" in text
    assert "Tofu" not in text


def test_the_plugin_registers_its_domain_and_tools() -> None:
    h = PluginHarness(meals_plugin)
    assert h.failed_plugins == {}
    assert [d.name for d in h.app.plugins.domains()] == ["meals"]
    names: Callable[[], set[str]] = lambda: {t.spec.name for t in h.app.plugins.tools()}  # noqa: E731
    assert names() == {"meals_find_foods", "meals_log", "meals_profile", "meals_suggest"}


def test_a_food_outside_the_catalogue_is_fetched_from_fdc_with_the_key_from_secrets() -> None:
    """Logged by FDC id through the API (the key from the Secrets port), fetched once."""
    from tests.fakes.fake_fdc import API_KEY, FakeFdc

    fake = FakeFdc().start()
    try:
        oats = [{"fdc_id": 173904, "portions": 0.5}]
        h = PluginHarness(
            meals_plugin,
            model=scripted([[log(oats)], [log(oats, meal="lunch")]]),
            settings={"meals": {"fdc_url": fake.url}},
            secrets={"FDC_API_KEY": API_KEY},
        )
        h.add_athlete("ada")
        assert "ok: logged Cereals, oats" in h.say("half a cup of oats", event_id="o1").text
        h.say("and again at lunch", event_id="o2")
        kept = intake_on(h.app, "ada", TODAY)
        assert kept is not None
        assert kept.values["energy_kcal"] == pytest.approx(379 * 0.405 * 2, abs=0.2)
        assert fake.calls == ["GET /v1/food/173904"]
        strict = PluginHarness(
            meals_plugin,
            model=scripted([[log(oats)]]),
            settings={"meals": {"fdc_url": fake.url}},
            secrets={"FDC_API_KEY": API_KEY},
        )
        strict.add_athlete("ada")
        update_profile(strict.storage, "ada", {"intolerances": ["gluten"]})
        refused = strict.say("oats", event_id="o3").text
        assert (
            "Cereals, oats, regular and quick, not fortified, dry (FDC 173904) contains gluten"
            in refused
        )
        assert intake_on(strict.app, "ada", TODAY) is None
    finally:
        fake.stop()
