"""Prompt templates: a search path of overrides, and every template renders in every state."""

from __future__ import annotations

from pathlib import Path

import pytest

from momentum.core.coach.fence import DATA_RULE
from momentum.core.config import Settings
from momentum.plugins.running.coach.prompts import BUILTIN_DIR, Prompts, search_path

STATES = ("thriving", "on_track", "fragile", "low")
COMMON = {"athlete": "Adam", "style": "encouraging", "data_rule": DATA_RULE}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("style", ("encouraging", "analytical", "tough_love"))
def test_system_prompt_is_persona_principles_and_examples(state: str, style: str) -> None:
    text = Prompts().render(
        "system.j2", **{**COMMON, "style": style}, state=state, state_label=state.replace("_", " ")
    )
    assert text.startswith("You are Adam's running coach")
    assert "Principles:" in text and "Never shame" in text
    assert f"Today they are {state.replace('_', ' ')}" in text
    assert 'e.g. "' in text  # an example, not a rule list
    assert DATA_RULE in text


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(
    "name", ["checkin.j2", "review.j2", "monday_plan.j2", "weekly_review.j2", "feedback.j2"]
)
def test_task_templates_render(state: str, name: str) -> None:
    text = Prompts().render(
        name,
        **COMMON,
        state=state,
        state_label=state,
        context="## Facts\nstate: x",
        weekday="Tuesday",
        today_session="45min Z2 Run",
        activity_kind="run",
    )
    assert text.startswith("## Facts") and "## Task" in text


@pytest.mark.parametrize(
    "purpose", ["checkin", "review", "monday_plan", "weekly_review", "feedback", "chat"]
)
@pytest.mark.parametrize("state", STATES)
def test_offline_templates_render_with_no_facts(purpose: str, state: str) -> None:
    text = Prompts().render(
        f"offline/{purpose}.j2",
        f={"state": state},
        pick=lambda *o: o[0],
        confirmations=[],
        answer="",
    )
    assert text.strip()


def test_search_path_puts_overrides_first(tmp_path: Path) -> None:
    (tmp_path / "prompts").mkdir()
    extra = tmp_path / "more"
    extra.mkdir()
    settings = Settings(home=tmp_path, extra={"prompts": {"dirs": ["more"]}})
    assert search_path(settings) == [tmp_path / "prompts", extra, BUILTIN_DIR]
    assert search_path(Settings(home=tmp_path / "missing")) == [BUILTIN_DIR]


def test_one_file_overrides_only_itself(tmp_path: Path) -> None:
    (tmp_path / "principles.j2").write_text("- Only one principle: keep showing up.")
    prompts = Prompts([tmp_path, BUILTIN_DIR])
    assert prompts.source_of("principles.j2") == tmp_path / "principles.j2"
    assert prompts.source_of("persona.j2") == BUILTIN_DIR / "persona.j2"
    text = prompts.render("system.j2", **COMMON, state="low", state_label="low")
    assert "keep showing up" in text and "Be concise" not in text and "motivation prime" in text
    assert "examples/fragile.j2" in prompts.names()


def test_core_import_does_not_load_jinja() -> None:
    import subprocess
    import sys

    code = (
        "import sys, momentum.core.app, momentum.plugins.running.coach.engine; "
        "print('jinja2' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
