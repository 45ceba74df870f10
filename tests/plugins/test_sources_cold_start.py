"""Loading the Oura and Peloton plugins costs a cold start little: building the app
(routes, jobs, settings) imports neither plugin's client (nor, through them, httpx)."""

from __future__ import annotations

import json
import subprocess
import sys

SCRIPT = """
import json, sys
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.testing import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.plugins.host import load_plugins
app = build_app(Settings(), storage=InMemoryStorage(), scheduler=InMemoryScheduler(),
                chat=RecordingChat(), model=ScriptedModel(), plugins=load_plugins())
jobs = sorted(j.name for j in app.recurring_jobs())
print(json.dumps({
    "heavy": sorted(m for m in sys.modules
                    if m.startswith(("momentum.plugins.oura.", "momentum.plugins.peloton."))
                    and m.rsplit(".", 1)[-1] in ("client", "api", "sync", "poll", "merge")),
    "routes": sorted(r for r in app.routes if r.startswith("/oura")),
    "kinds": sorted(k for k in app.deferred_handlers if k.startswith("oura")),
    "jobs": [j for j in jobs if j.startswith(("oura", "peloton"))],
}))
"""


def test_building_the_app_imports_no_http_client() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["heavy"] == []
    assert found["routes"] == ["/oura/callback", "/oura/webhook"]
    assert found["kinds"] == ["oura.fetch_changed"]
    assert found["jobs"] == ["oura_subscriptions"] + [
        f"peloton_poll_{h:02d}" for h in (7, 12, 17, 21)
    ]
