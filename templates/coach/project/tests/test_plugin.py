"""The example plugin, end to end through momentum.testing's harness."""

from __future__ import annotations

from momentum.testing import PluginHarness

from plugins.stretch import plugin


def test_the_reminder_goes_out_once_at_nine_pm_local() -> None:
    harness = PluginHarness(plugin, now="2026-03-04T02:00:00+00:00")  # 21:00 in Toronto
    harness.add_athlete("ada", timezone="America/Toronto")
    assert harness.tick() == ["stretch:ada:2026-03-03"]
    assert harness.tick() == []  # once per local day
    assert harness.dms("ada") == [plugin.REMINDER]


def test_the_plugin_loads_without_failures() -> None:
    harness = PluginHarness(plugin)
    assert harness.failed_plugins == {}
