"""What the Peloton plugin costs on a serverless Worker's path: the tick for athletes
without Peloton and another source storing an activity (the fold hook) import neither
httpx nor the plugin's client, and start no thread (Pyodide can't)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.peloton

SCRIPT = """
import datetime as dt, json, sys, threading
from momentum import Activity
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.events import ScheduledTick
from momentum.core.plugins.host import load_plugins
from momentum.testing import (FixedClock, InMemoryScheduler, InMemoryStorage, RecordingChat,
                              ScriptedModel, sample_athlete)
now = dt.datetime(2026, 3, 3, 12, 0, tzinfo=dt.UTC)  # 07:00 in Toronto: a poll hour
storage, scheduler = InMemoryStorage(), InMemoryScheduler()
app = build_app(Settings(), storage=storage, scheduler=scheduler, chat=RecordingChat(),
                model=ScriptedModel(), clock=FixedClock(now), plugins=load_plugins())
storage.put_athlete(sample_athlete("ada"))
runs = app.tick(ScheduledTick("*", now))
ride = Activity(activity_id="1", athlete_id="ada", activity_type="Ride",
                start=now - dt.timedelta(hours=1), source="strava",
                moving_time_seconds=1200.0, elapsed_time_seconds=1200.0,
                source_ids={"strava": "1"})
storage.put_activity(ride)
app.plugins.activity_stored(app, ride)
print(json.dumps({
    "httpx": "httpx" in sys.modules,
    "peloton": sorted(m for m in sys.modules if m.startswith("momentum.plugins.peloton.")),
    "queued": [r.job.name for r in runs],
    "threads": threading.active_count(),
    "failed": sorted(app.plugins.failed),
}))
"""


def test_the_tick_and_the_fold_hook_import_no_http_client_and_start_no_thread() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["failed"] == []
    assert found["httpx"] is False
    assert found["peloton"] == [
        "momentum.plugins.peloton.connection",
        "momentum.plugins.peloton.merge",
        "momentum.plugins.peloton.plugin",
        "momentum.plugins.peloton.records",
        "momentum.plugins.peloton.settings",
    ]
    assert not [name for name in found["queued"] if name.startswith("peloton")]
    assert found["threads"] == 1
