"""The coach's momentum.toml loads and validates against the installed plugins."""

from __future__ import annotations

from pathlib import Path

from momentum import build_app, load_plugins, load_settings
from momentum.testing import InMemoryScheduler, InMemoryStorage, PluginHarness, RecordingChat

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


def test_the_coach_loads_this_projects_own_plugins() -> None:
    settings = load_settings(ROOT, env={})
    app = build_app(
        settings, storage=InMemoryStorage(), scheduler=InMemoryScheduler(), chat=RecordingChat()
    )
    assert app.plugins.failed == {}
    assert "stretch" in {job.name for job in app.plugins.recurring_jobs()}
