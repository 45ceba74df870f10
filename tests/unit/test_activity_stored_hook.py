"""``momentum_activity_stored``: every plugin hears that a source stored an activity; one
that raises is logged and stays enabled (the activity is stored either way)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from momentum import Activity, hookimpl
from momentum.core.plugins.host import PluginHost

RIDE = Activity(
    activity_id="1",
    athlete_id="ada",
    activity_type="Ride",
    start=dt.datetime(2026, 3, 3, 12, tzinfo=dt.UTC),
    source="strava",
)


class Listener:
    def __init__(self) -> None:
        self.heard: list[str] = []

    @hookimpl
    def momentum_activity_stored(self, app: Any, activity: Activity) -> None:
        self.heard.append(activity.activity_id)


class Broken:
    @hookimpl
    def momentum_activity_stored(self, activity: Activity) -> None:
        raise RuntimeError("storage hiccup")


def test_every_plugin_hears_and_one_that_raises_is_logged_not_disabled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    host = PluginHost()
    listener = Listener()
    host.register(Broken(), name="broken")
    host.register(listener, name="listener")
    host.activity_stored(object(), RIDE)
    host.activity_stored(object(), RIDE)
    assert listener.heard == ["1", "1"]
    assert host.failed == {}
    assert "plugin 'broken': momentum_activity_stored failed for activity 1" in caplog.text
    assert "storage hiccup" in caplog.text
