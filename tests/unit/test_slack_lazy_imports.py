"""The adapters' entry points load without the heavy SDKs: slack_bolt, slack_sdk and
stravalib are imported only inside the functions that talk to Slack or Strava, so every
``momentum`` command (which loads the Strava plugin) and every cold start stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
import momentum.adapters.slack.bolt_app, momentum.adapters.slack.socket_mode
import momentum.adapters.slack.chat
import momentum.adapters.slack.manifest, momentum.adapters.local.commands.slack_cmds
import momentum.plugins.strava.plugin
app = build_app(Settings(), storage=InMemoryStorage(), scheduler=InMemoryScheduler(),
                chat=RecordingChat(), model=ScriptedModel(), plugins=load_plugins())
momentum.adapters.slack.bolt_app.install(app)
print(json.dumps({
    "heavy": sorted(m for m in sys.modules
                    if m.split(".")[0] in ("slack_bolt", "slack_sdk", "stravalib", "requests")),
    "routes": sorted(app.routes),
    "kinds": sorted(app.deferred_handlers),
}))
"""


def test_entry_points_and_install_do_not_import_the_sdks():
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["heavy"] == []
    assert found["routes"] == [
        "/oura/callback",
        "/oura/webhook",
        "/slack/events",
        "/strava/webhook",
    ]
    assert {
        "slack.reply",
        "slack.screen",
        "slack.action",
        "slack.stranger",
        "strava.activity_create",
        "strava.activity_update",
        "strava.activity_delete",
        "strava.deauthorize",
    } <= set(found["kinds"])
