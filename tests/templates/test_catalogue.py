"""The generator learns its choices from the installed code: a cloud that
``momentum.infra.cloud`` lists, or a plugin that registers a domain or a data source,
becomes a choice without an edit to the generator."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest
import yaml

from momentum import Domain, hookimpl
from momentum.core.plugins import host as plugin_host
from momentum.templates.catalogue import load_catalogue
from momentum.templates.coach import CoachChoices, new_coach


def test_what_is_built_today_is_offered() -> None:
    catalogue = load_catalogue()
    assert {"local", "aws", "azure"} <= set(catalogue.clouds)
    assert catalogue.clouds[0] == "local" and catalogue.chats[0] == "console"
    assert "slack" in catalogue.chats
    assert {"files", "strava"} <= set(catalogue.sources)
    assert "running" in catalogue.domains
    assert catalogue.stack_config["aws"] == {"aws:region": "us-east-1"}


def test_a_new_cloud_and_a_new_domain_appear_without_editing_the_generator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cloud = types.ModuleType("momentum.infra.testcloud")
    cloud.STACK_CONFIG = {"testcloud:zone": "zone-1"}  # type: ignore[attr-defined]
    cloud.BUNDLED_PLUGINS = ("files", "sleep")  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "momentum.infra.testcloud", cloud)
    from momentum.infra import cloud as clouds

    monkeypatch.setattr(clouds, "CLOUDS", (*clouds.CLOUDS, "testcloud"))

    class Sleep:
        @hookimpl
        def momentum_domains(self) -> list[Domain]:
            return [Domain(name="sleep", description="a sleep coach")]

    real = plugin_host.load_plugins
    monkeypatch.setattr(plugin_host, "load_plugins", lambda **kw: real(**kw, extra=[Sleep()]))

    catalogue = load_catalogue()
    assert "testcloud" in catalogue.clouds and "sleep" in catalogue.domains
    assert catalogue.deployable["testcloud"] == ("files", "sleep")

    project = tmp_path / "p"
    new_coach(project, CoachChoices(name="p-coach", cloud="testcloud", domain="sleep"))
    stack = yaml.safe_load((project / "Pulumi.dev.yaml").read_text())["config"]
    assert stack["momentum:cloud"] == "testcloud" and stack["testcloud:zone"] == "zone-1"
    assert "sleep coach" in (project / "README.md").read_text()
