"""Teams loads lazily: the plugin, its settings and the app's build import neither the
Teams SDK nor MSAL nor PyJWT; installing ``/api/messages`` doesn't either (the first
request does). ``chat = "teams"`` picks the Teams chat on every target's chat choice."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from momentum.adapters.teams.chat import TeamsChat
from momentum.adapters.teams.settings import TeamsSettings
from momentum.core.chat_choice import choose_chat
from momentum.core.config import Secret, Settings
from momentum.core.memory import RecordingChat
from momentum.core.plugins.host import load_plugins

pytestmark = pytest.mark.teams
ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
settings = Settings(sections={"teams": {"app_id": "6f1b6a52-0d5e-4c5e-9b8e-5b0c0ffee001"}})
app = build_app(settings, storage=InMemoryStorage(), scheduler=InMemoryScheduler(),
                chat=RecordingChat(), model=ScriptedModel(), plugins=load_plugins())
print(json.dumps({
    "heavy": sorted({m.split(".")[0] for m in sys.modules
                     if m.split(".")[0] in ("microsoft_teams", "msal", "jwt", "httpx")}),
    "routes": sorted(app.routes),
    "kinds": sorted(k for k in app.deferred_handlers if k.startswith("teams.")),
}))
"""


def test_building_an_app_with_teams_imports_no_sdk() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["heavy"] == []
    assert "/api/messages" in found["routes"]
    assert found["kinds"] == ["teams.reply", "teams.stranger", "teams.typing"]


def _settings(**teams: object) -> Settings:
    return Settings(sections={"teams": TeamsSettings(**teams)})  # type: ignore[arg-type]


def test_chat_teams_is_chosen_when_configured_and_falls_back_otherwise() -> None:
    platforms = load_plugins().chat_platforms()
    assert "teams" in [p.name for p in platforms]
    configured = _settings(app_id="app", app_password=Secret("pw"))
    chosen = choose_chat(configured, platforms, RecordingChat, wanted="teams")
    assert isinstance(chosen, TeamsChat)
    # An app id alone can't post: the fallback speaks (and the route still verifies).
    unposted = choose_chat(_settings(app_id="app"), platforms, RecordingChat, wanted="teams")
    assert isinstance(unposted, RecordingChat)
    # Unasked, a fully configured Teams is picked (it can post and verify).
    assert isinstance(choose_chat(configured, platforms, RecordingChat), TeamsChat)
