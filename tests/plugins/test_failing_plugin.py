"""A plugin that raises is reported by name, listed as failed by ``momentum plugins``,
and disabled; the coach keeps running with the others."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from momentum import Domain, RecurringJob, hookimpl
from momentum.adapters.local.commands.plugins_cmds import plugin_report
from momentum.plugins.running import plugin as running_plugin
from momentum.testing import PluginHarness


class BrokenSleep:
    """Its domain hook raises (a missing SDK, say)."""

    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        raise ImportError("no module named 'sleepy_sdk'")

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        return [RecurringJob("bedtime", 22)]


def test_the_coach_keeps_running_without_the_broken_plugin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="momentum.plugins"):
        harness = PluginHarness(BrokenSleep(), running_plugin)
        harness.add_athlete("ada")
        assert harness.tick() == ["checkin:ada:2026-03-03"]  # running's job still fires
    assert {job.name for job in harness.app.recurring_jobs()} == {
        "checkin",
        "monday_plan",
        "weekly_refresh",
    }  # and none of the broken plugin's
    assert list(harness.failed_plugins) == ["BrokenSleep"]
    logged = [r.getMessage() for r in caplog.records]
    assert logged == [
        "plugin 'BrokenSleep' disabled: momentum_domains raised ImportError: "
        "no module named 'sleepy_sdk'"
    ]


def test_momentum_plugins_lists_it_as_failed() -> None:
    harness = PluginHarness(BrokenSleep(), running_plugin)
    harness.plugins.check()
    rows = {row["name"]: row for row in plugin_report(harness.plugins)}
    assert rows["BrokenSleep"]["status"] == "failed"
    assert rows["BrokenSleep"]["error"] == (
        "momentum_domains: ImportError: no module named 'sleepy_sdk'"
    )
    assert rows["running"]["status"] == "ok" and rows["running"]["domains"] == ["running"]


def test_a_plugin_that_fails_to_import_is_reported_and_skipped(tmp_path: Any) -> None:
    from momentum.core.plugins.host import PluginHost

    host = PluginHost()
    (tmp_path / "bad_plugin.py").write_text("raise RuntimeError('broken at import')\n")
    dist = tmp_path / "bad_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: bad-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[momentum]\nbad = bad_plugin\n")
    import sys

    sys.path.insert(0, str(tmp_path))
    try:
        host.load_entry_points()
    finally:
        sys.path.remove(str(tmp_path))
    assert host.failed["bad"].where == "import"
    assert host.failed["bad"].error == "RuntimeError: broken at import"
    assert "running" in {p.name for p in host.plugins()}  # the built-ins still loaded
    rows = {row["name"]: row for row in plugin_report(host)}
    assert rows["bad"]["status"] == "failed"


def test_momentum_plugins_shows_what_slack_groq_and_strava_register() -> None:
    from momentum.core.plugins.host import load_plugins

    rows = {row["name"]: row for row in plugin_report(load_plugins())}
    assert rows["slack"]["chat_platforms"] == ["slack"] and rows["slack"]["settings"] == ["[slack]"]
    assert rows["groq"]["model_providers"] == ["groq"]
    assert rows["strava"]["settings"] == ["[strava]"]
