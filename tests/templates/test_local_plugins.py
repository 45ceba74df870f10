"""A coach project's own plugins: ``local_plugins`` in ``momentum.toml`` names modules
under the project's folder, and ``build_app`` loads them beside the installed plugins
(one that fails to import is disabled and reported; the coach still starts)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from momentum import build_app, load_settings
from momentum.testing import InMemoryScheduler, InMemoryStorage, RecordingChat

PLUGIN = """
from momentum import RecurringJob, hookimpl


def nap(app, athlete_id, local_date):
    pass


@hookimpl
def momentum_scheduled_jobs():
    return [RecurringJob("nap_reminder", hour=13, run=nap)]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    package = tmp_path / "coachplugins" / "nap"
    package.mkdir(parents=True)
    (tmp_path / "coachplugins" / "__init__.py").write_text("")
    (package / "__init__.py").write_text("")
    (package / "plugin.py").write_text(PLUGIN)
    (package / "broken.py").write_text("import no_such_module_here\n")
    (tmp_path / "momentum.toml").write_text(
        'local_plugins = ["coachplugins.nap.plugin", "coachplugins.nap.broken"]\n'
    )
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("coachplugins")]:
        del sys.modules[name]
    sys.path[:] = [p for p in sys.path if p != str(tmp_path.resolve())]


def test_build_app_loads_the_projects_plugins_and_disables_a_broken_one(project: Path) -> None:
    settings = load_settings(project, env={})
    assert settings.extra["local_plugins"] == ["coachplugins.nap.plugin", "coachplugins.nap.broken"]
    app = build_app(
        settings, storage=InMemoryStorage(), scheduler=InMemoryScheduler(), chat=RecordingChat()
    )
    assert "nap_reminder" in {job.name for job in app.plugins.recurring_jobs()}
    assert "checkin" in {job.name for job in app.plugins.recurring_jobs()}  # built-ins too
    failed = app.plugins.failed["coachplugins.nap.broken"]
    assert failed.where == "import" and "no_such_module_here" in failed.error
    loaded = {p.name: p.distribution for p in app.plugins.plugins()}
    assert loaded["coachplugins.nap.plugin"] == "(local)"


def test_local_plugins_must_be_a_list_of_names(tmp_path: Path) -> None:
    (tmp_path / "momentum.toml").write_text('local_plugins = "coachplugins.nap.plugin"\n')
    from momentum import ConfigError

    with pytest.raises(ConfigError, match="local_plugins"):
        load_settings(tmp_path, env={})
