"""prompts/ really overrides the coach's built-in prompts: the model is sent this project's
persona, rendered."""

from __future__ import annotations

from pathlib import Path

from momentum import load_settings
from momentum.testing import PluginHarness

ROOT = Path(__file__).resolve().parents[1]


def _first_line_of_persona() -> str:
    text = (ROOT / "prompts" / "persona.j2").read_text(encoding="utf-8")
    body = text.split("#}", 1)[-1].strip()
    return body.split("{{ athlete }}", 1)[1].split(".")[0]


def test_the_persona_override_reaches_the_model() -> None:
    harness = PluginHarness(builtins=True, settings=load_settings(ROOT, env={}))
    harness.add_athlete("ada")
    harness.say("how should I train this week?", "ada")
    sent = "\n".join(
        str(message.content) for request in harness.model.requests for message in request.messages
    )
    assert _first_line_of_persona() in sent
    assert "{{" not in sent and "{%" not in sent  # rendered, not pasted
