"""Fixtures for the generator's tests: a private template cache per test, and a working
copy of the bundled templates a test may edit (a "v2")."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from momentum.templates.template_repo import TEMPLATES_DIR


@pytest.fixture(autouse=True)
def template_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test publishes templates into its own cache."""
    cache = tmp_path / "template-cache"
    monkeypatch.setenv("MOMENTUM_TEMPLATE_CACHE", str(cache))
    monkeypatch.delenv("MOMENTUM_TEMPLATES", raising=False)
    return cache


@pytest.fixture
def templates_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled templates, in use through ``MOMENTUM_TEMPLATES``."""
    copy = tmp_path / "templates"
    shutil.copytree(TEMPLATES_DIR / "coach", copy / "coach")
    shutil.copytree(TEMPLATES_DIR / "plugin", copy / "plugin")
    monkeypatch.setenv("MOMENTUM_TEMPLATES", str(copy))
    return copy
