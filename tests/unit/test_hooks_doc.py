"""docs/hooks.md is generated from the hookspecs and kept current; every hook has a
docstring and a short example."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from momentum.core.plugins.docs import hooks, render, split_doc

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "docs" / "hooks.md"


@pytest.mark.parametrize("hook", hooks(), ids=lambda h: h.__name__)
def test_every_hook_has_a_description_and_an_example(hook: object) -> None:
    text, example = split_doc(hook)  # type: ignore[arg-type]
    assert len(text) >= 40, "describe what the hook is for"
    assert "@hookimpl" in example, "show an implementation in an Example:: block"
    compile(example, f"<example of {hook.__name__}>", "exec")  # type: ignore[attr-defined]


def test_the_reference_covers_every_hook() -> None:
    names = [hook.__name__ for hook in hooks()]
    assert {"momentum_chat_platforms", "momentum_model_providers", "momentum_settings"} <= set(
        names
    )
    rendered = render()
    assert all(f"## `{name}`" in rendered for name in names)


def test_docs_hooks_md_is_current() -> None:
    fix = "regenerate it: python -m momentum.core.plugins.docs > docs/hooks.md"
    assert REFERENCE.read_text(encoding="utf-8") == render(), f"docs/hooks.md is stale; {fix}"


def test_the_module_prints_the_reference() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "momentum.core.plugins.docs"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == render()
