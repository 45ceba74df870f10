"""A coach with several domains screens every chat message with every domain's rules,
by code, before any model: running holds the conversation, yet a meals red flag (an
allergic reaction) or a sleep one still gets its safety message."""

from __future__ import annotations

import momentum.plugins.meals.plugin as meals_plugin
import momentum.plugins.running.plugin as running_plugin
import momentum.plugins.sleep.plugin as sleep_plugin
from momentum import Completion, CompletionRequest
from momentum.plugins.meals.allergens import EMERGENCY
from momentum.testing import PluginHarness, ScriptedModel


def refusing_model() -> tuple[ScriptedModel, list[CompletionRequest]]:
    asked: list[CompletionRequest] = []

    def respond(request: CompletionRequest) -> Completion:
        asked.append(request)
        return Completion(text="Keep going, you're doing great.", model="scripted", provider="test")

    return ScriptedModel(respond=respond), asked


def test_a_reaction_in_a_running_and_meals_coach_gets_the_emergency_message() -> None:
    model, asked = refusing_model()
    harness = PluginHarness(running_plugin, meals_plugin, sleep_plugin, model=model)
    harness.add_athlete("ada")
    reply = harness.say("after lunch my throat is swelling and I have trouble breathing")
    assert EMERGENCY in reply.text
    assert asked == []  # decided by code, no model call
    assert any(EMERGENCY in text for text in harness.dms("ada"))


def test_an_ordinary_message_still_reaches_the_running_coach() -> None:
    model, asked = refusing_model()
    harness = PluginHarness(running_plugin, meals_plugin, sleep_plugin, model=model)
    harness.add_athlete("ada")
    reply = harness.say("what is on today?")
    assert EMERGENCY not in reply.text
    assert asked  # the model wrote the words
