"""The public API: the names ``momentum`` exports are pinned, each resolves, and importing
the package loads none of them until used (the cold-start figure is in benchmarks)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import momentum

ROOT = Path(__file__).resolve().parents[2]

PUBLIC = [
    "Activity",
    "ActivityNote",
    "App",
    "AthleteProfile",
    "Blob",
    "Brief",
    "Chat",
    "ChatMessageEvent",
    "ChatMessageRef",
    "ChatPlatform",
    "Clock",
    "Completion",
    "CompletionRequest",
    "ConfigError",
    "ConflictError",
    "ConnectAgain",
    "DashboardExtension",
    "DashboardPage",
    "DashboardSection",
    "DataSource",
    "Deferral",
    "DeferredDelivery",
    "DeferredHandler",
    "DeferredJob",
    "Domain",
    "DomainPlan",
    "FileImporter",
    "GoalRace",
    "HeartRateProfile",
    "HttpRequest",
    "HttpResponse",
    "HttpRoute",
    "InputError",
    "InvalidGrant",
    "JobRunner",
    "LLMUsage",
    "MemoryItem",
    "Message",
    "MessageKind",
    "Model",
    "ModelError",
    "ModelMessage",
    "ModelProvider",
    "ModelSettings",
    "MomentumError",
    "NotConnected",
    "NotFoundError",
    "OAuthToken",
    "Observation",
    "Outcome",
    "Plan",
    "PlanWeek",
    "PlannedSession",
    "PluginHost",
    "RaceResult",
    "Readiness",
    "RecurringJob",
    "RedirectListener",
    "Reflection",
    "Role",
    "RunNow",
    "ScheduledTick",
    "Scheduler",
    "Secret",
    "Secrets",
    "Settings",
    "SourceRange",
    "SourceStreams",
    "Storage",
    "Streams",
    "SystemClock",
    "TokenKeeper",
    "TokenProvider",
    "Tool",
    "ToolCall",
    "ToolContext",
    "ToolSpec",
    "UploadCreated",
    "WebhookSource",
    "Weekday",
    "Wording",
    "build_activity",
    "build_app",
    "dispatch",
    "hookimpl",
    "load_plugins",
    "load_settings",
    "merge_streams",
    "register_legacy_keys",
    "store_token",
]


def test_the_exported_names_are_pinned() -> None:
    assert momentum.__all__ == PUBLIC  # a change here is a change to the public API
    assert sorted(momentum._EXPORTS) == PUBLIC


@pytest.mark.parametrize("name", PUBLIC)
def test_every_exported_name_resolves_to_its_definition(name: str) -> None:
    value = getattr(momentum, name)
    assert value is not None
    module = sys.modules[momentum._EXPORTS[name]]
    assert getattr(module, name) is value
    assert name in dir(momentum)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'Nope'"):
        momentum.Nope  # noqa: B018


def test_the_plugin_author_surface_is_there() -> None:
    from momentum.core.events import HttpRequest
    from momentum.core.plugins.host import hookimpl
    from momentum.core.ports.storage import Storage

    assert momentum.hookimpl is hookimpl
    assert momentum.HttpRequest is HttpRequest and momentum.Storage is Storage
    assert {"DataSource", "Domain", "Tool", "RecurringJob", "DeferredHandler"} <= set(PUBLIC)
    assert {"ChatPlatform", "ModelProvider", "InputError", "ConfigError", "build_app"} <= set(
        PUBLIC
    )
    # the shared runtime: the port a plugin defers through, and the one door an adapter calls
    from momentum.core.ports.deferral import Deferral
    from momentum.core.ports.scheduler import Scheduler
    from momentum.core.runtime.dispatch import dispatch

    assert momentum.Deferral is Deferral and momentum.Scheduler is Scheduler
    assert momentum.dispatch is dispatch
    assert {"DeferredJob", "DeferredDelivery", "RunNow", "UploadCreated", "Outcome"} <= set(PUBLIC)


def test_import_momentum_loads_no_internal_module() -> None:
    probe = "import json, sys, momentum; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = set(json.loads(result.stdout))
    assert "momentum" in loaded
    heavy = sorted(m for m in loaded if m.startswith("momentum.") or m in ("typing", "pluggy"))
    assert heavy == []


def test_the_test_kit_exports_resolve() -> None:
    import momentum.testing as kit

    assert {"PluginHarness", "InMemoryStorage", "RecordingChat", "FixedClock"} <= set(kit.__all__)
    assert all(getattr(kit, name) is not None for name in kit.__all__)


def test_the_package_is_typed() -> None:
    assert (ROOT / "momentum" / "py.typed").is_file()
