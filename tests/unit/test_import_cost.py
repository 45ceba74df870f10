"""What a cold start loads (structural, not timed: the figures are in
``benchmarks/core_import.py``).

``import momentum.core.app`` / ``momentum.core.compose`` and building an app on in-memory ports
load only
what every event needs: no jinja2, no plan engine, no analytics, no coach engine, no intent
patterns, and nothing from an adapter, plugin or SDK. ``logging`` and ``zoneinfo`` wait for
the paths that use them (a failing job, a tick).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

LAZY = (
    "jinja2",
    "momentum.plugins.running.plans",
    "momentum.plugins.running.analytics",
    "momentum.plugins.running.coach.engine",
    "momentum.plugins.running.coach.intent",
    "momentum.core.schedule",
    "logging",
    "zoneinfo",
)
"""Modules a cold start must not pay for before it needs them."""
FOREIGN = ("adapters", "plugins", "boto3", "botocore", "groq", "slack_sdk", "slack_bolt")
"""Nothing core imports at all (the dependency rule)."""

PROBE = """
import json, sys
{body}
print(json.dumps(sorted(sys.modules)))
"""

BUILD = """
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat
from momentum.core.plugins.host import PluginHost
app = build_app(Settings(), storage=InMemoryStorage(), scheduler=InMemoryScheduler(),
                chat=RecordingChat(), plugins=PluginHost())
"""


RUNNING = """
import momentum.plugins.running.plugin as running_plugin
running = PluginHost()
running.register(running_plugin, name="running")
"""
"""The running domain as the one plugin: its engine and offline composer are the coach."""


def _loaded(body: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(body=body)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def _under(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


@pytest.mark.parametrize(
    "body",
    ["import momentum.core.app", "import momentum.core.compose", BUILD],
    ids=["momentum.core.app", "momentum.core.compose", "build_app"],
)
def test_a_cold_start_loads_no_heavy_or_foreign_module(body: str) -> None:
    loaded = _loaded(body)
    assert {
        "momentum.core.app",
        "momentum.core.model",
        "momentum.core.ports.storage",
    } <= loaded  # the probe ran
    assert _under(loaded, LAZY) == []
    assert _under(loaded, FOREIGN) == []


def test_the_lazy_modules_arrive_when_their_path_runs() -> None:
    """The same probe sees them once a tick runs and the running coach writes (so the list
    above is checked against modules that really exist and really get used)."""
    loaded = _loaded(
        BUILD.replace("plugins=PluginHost()", "plugins=running").replace(
            "app = build_app", RUNNING + "app = build_app"
        )
        + """
import datetime as dt
from momentum.core.events import ScheduledTick
from momentum.core.model import AthleteProfile
from momentum.core.ports.model import CompletionRequest, ModelMessage, ToolSpec
from momentum.core.ports.scheduler import RecurringJob
app.storage.put_athlete(AthleteProfile("adam", "Adam", timezone="America/Toronto"))
app.recurring_jobs = lambda: [RecurringJob("checkin", 6)]  # a job due at this tick
app.tick(ScheduledTick(job="*", at=dt.datetime(2026, 3, 3, 11, tzinfo=dt.UTC)))
app.coach
said = "## Facts\\nstate: on_track\\n"
app.model.complete(CompletionRequest((ModelMessage("user", said),), "checkin", "adam"))
app.model.complete(CompletionRequest(
    (ModelMessage("user", said),), "chat", "adam", tools=(ToolSpec("remember", "r"),)))
"""
    )
    arrived = {
        "momentum.core.schedule",
        "zoneinfo",
        "momentum.plugins.running.plans",
        "momentum.plugins.running.analytics",
        "jinja2",
    }
    assert (
        arrived | {"momentum.plugins.running.coach.engine", "momentum.plugins.running.coach.intent"}
        <= loaded
    )
