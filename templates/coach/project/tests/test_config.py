"""The coach's momentum.toml loads and validates against the installed plugins."""

from __future__ import annotations

from pathlib import Path

from momentum import load_plugins, load_settings
from momentum.testing import PluginHarness

ROOT = Path(__file__).resolve().parents[1]


def test_settings_load_and_every_section_validates() -> None:
    settings = load_settings(ROOT, env={})
    assert settings.athlete_id
    assert settings.source.endswith("momentum.toml")
    host = load_plugins()
    unclaimed = set(settings.sections) - set(host.settings_schemas())
    assert not unclaimed, f"sections no installed plugin reads: {sorted(unclaimed)}"
    harness = PluginHarness(builtins=True, settings=settings)  # build_app validates all
    assert harness.app.settings.athlete_id == settings.athlete_id
