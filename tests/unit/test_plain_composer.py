"""Core's plain composer: a loop message gets one line in the athlete's tone (the sections
carry the numbers); anything else gets its facts said plainly."""

from __future__ import annotations

import pytest

from momentum.core.coach.plain import OPENERS, PlainComposer
from momentum.core.ports.model import CompletionRequest, ModelMessage


def ask(purpose: str, facts: str) -> str:
    request = CompletionRequest(
        (ModelMessage("user", f"# {purpose}\n\n## Facts\n{facts}\n"),), purpose, "ada"
    )
    return PlainComposer().complete(request).text


@pytest.mark.parametrize("state", ["thriving", "on_track", "fragile", "low"])
@pytest.mark.parametrize("purpose", ["checkin", "monday_plan", "weekly_review"])
def test_a_loop_message_gets_one_line_in_its_tone_and_no_facts(purpose: str, state: str) -> None:
    text = ask(purpose, f"state: {state}\nsleep_debt: 3.5 h")
    assert text == OPENERS[(purpose, state)]
    assert "3.5 h" not in text


def test_a_low_athlete_is_not_asked_to_catch_up() -> None:
    assert "no catching up" in ask("checkin", "state: low")


def test_a_chat_answer_says_its_facts() -> None:
    assert ask("chat", "state: thriving\nsleep_debt: 3.5 h") == "Sleep debt: 3.5 h."
