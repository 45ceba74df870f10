"""Momentum: build personal AI coaches that run in your own cloud account.

This package is the public API. Plugin authors and generated coaches import only from
``momentum`` (and ``momentum.testing`` in their tests); everything else is internal and may
change. Names are loaded on first use (PEP 562), so ``import momentum`` stays cheap on a
cold start.
"""

from __future__ import annotations

__version__ = "0.1.0"

# Not ``typing.TYPE_CHECKING``: importing typing alone would cost more than the rest of
# this module (mypy and IDEs treat this constant the same way).
TYPE_CHECKING = False

if TYPE_CHECKING:
    from typing import Any

    from momentum.core.app import App, DeferredHandler, HttpRoute
    from momentum.core.compose import build_app
    from momentum.core.config import ModelSettings, Secret, Settings, load_settings
    from momentum.core.dashboard.registry import (
        DashboardExtension,
        DashboardPage,
        DashboardSection,
    )
    from momentum.core.errors import ConfigError, InputError, MomentumError, NotFoundError
    from momentum.core.events import ChatMessageEvent, HttpRequest, HttpResponse, ScheduledTick
    from momentum.core.model import (
        Activity,
        ActivityNote,
        AthleteProfile,
        DomainPlan,
        HeartRateProfile,
        LLMUsage,
        MemoryItem,
        Message,
        MessageKind,
        OAuthToken,
        Reflection,
        Role,
        SourceRange,
        Streams,
        Weekday,
    )
    from momentum.core.model.serde import register_legacy_keys
    from momentum.core.oauth_redirect import RedirectListener
    from momentum.core.oauth_tokens import (
        ConnectAgain,
        InvalidGrant,
        NotConnected,
        TokenKeeper,
        TokenProvider,
        store_token,
    )
    from momentum.core.observations import Observation
    from momentum.core.plugins.host import PluginHost, hookimpl, load_plugins
    from momentum.core.plugins.types import (
        Brief,
        ChatPlatform,
        DataSource,
        Domain,
        FileImporter,
        ModelProvider,
        Readiness,
        Tool,
        ToolContext,
        WebhookSource,
        Wording,
    )
    from momentum.core.ports.blob import Blob
    from momentum.core.ports.chat import Chat, ChatMessageRef
    from momentum.core.ports.clock import Clock, SystemClock
    from momentum.core.ports.deferral import Deferral
    from momentum.core.ports.model import (
        Completion,
        CompletionRequest,
        Model,
        ModelError,
        ModelMessage,
        ToolCall,
        ToolSpec,
    )
    from momentum.core.ports.scheduler import DeferredJob, JobRunner, RecurringJob, Scheduler
    from momentum.core.ports.secrets import Secrets
    from momentum.core.ports.storage import ConflictError, Storage
    from momentum.core.runtime.dispatch import dispatch
    from momentum.core.runtime.events import DeferredDelivery, Outcome, RunNow, UploadCreated
    from momentum.plugins.running.analytics.merge import SourceStreams, merge_streams
    from momentum.plugins.running.analytics.record import build_activity
    from momentum.plugins.running.model.plan import Plan, PlannedSession, PlanWeek
    from momentum.plugins.running.profile import GoalRace, RaceResult

_EXPORTS: dict[str, str] = {
    # building and running a coach
    "App": "momentum.core.app",
    "build_app": "momentum.core.compose",
    "Settings": "momentum.core.config",
    "ModelSettings": "momentum.core.config",
    "Secret": "momentum.core.config",
    "load_settings": "momentum.core.config",
    # errors
    "MomentumError": "momentum.core.errors",
    "InputError": "momentum.core.errors",
    "ConfigError": "momentum.core.errors",
    "NotFoundError": "momentum.core.errors",
    # events: the one door into core
    "HttpRequest": "momentum.core.events",
    "HttpResponse": "momentum.core.events",
    "ScheduledTick": "momentum.core.events",
    "ChatMessageEvent": "momentum.core.events",
    "DeferredDelivery": "momentum.core.runtime.events",
    "RunNow": "momentum.core.runtime.events",
    "UploadCreated": "momentum.core.runtime.events",
    "Outcome": "momentum.core.runtime.events",
    "dispatch": "momentum.core.runtime.dispatch",
    # records
    "Activity": "momentum.core.model",
    "ActivityNote": "momentum.core.model",
    "AthleteProfile": "momentum.core.model",
    "GoalRace": "momentum.plugins.running.profile",
    "HeartRateProfile": "momentum.core.model",
    "LLMUsage": "momentum.core.model",
    "MemoryItem": "momentum.core.model",
    "Message": "momentum.core.model",
    "MessageKind": "momentum.core.model",
    "Role": "momentum.core.model",
    "OAuthToken": "momentum.core.model",
    "Plan": "momentum.plugins.running.model.plan",
    "PlanWeek": "momentum.plugins.running.model.plan",
    "PlannedSession": "momentum.plugins.running.model.plan",
    "RaceResult": "momentum.plugins.running.profile",
    "Reflection": "momentum.core.model",
    "DomainPlan": "momentum.core.model",
    "SourceRange": "momentum.core.model",
    "Streams": "momentum.core.model",
    # building activity records from a source's streams
    "build_activity": "momentum.plugins.running.analytics.record",
    "merge_streams": "momentum.plugins.running.analytics.merge",
    "SourceStreams": "momentum.plugins.running.analytics.merge",
    "Weekday": "momentum.core.model",
    "register_legacy_keys": "momentum.core.model.serde",
    # plugins
    "hookimpl": "momentum.core.plugins.host",
    "PluginHost": "momentum.core.plugins.host",
    "load_plugins": "momentum.core.plugins.host",
    "Brief": "momentum.core.plugins.types",
    "Wording": "momentum.core.plugins.types",
    "ChatPlatform": "momentum.core.plugins.types",
    "Observation": "momentum.core.observations",
    "DashboardExtension": "momentum.core.dashboard.registry",
    "DashboardPage": "momentum.core.dashboard.registry",
    "DashboardSection": "momentum.core.dashboard.registry",
    "DataSource": "momentum.core.plugins.types",
    "Domain": "momentum.core.plugins.types",
    "FileImporter": "momentum.core.plugins.types",
    "ModelProvider": "momentum.core.plugins.types",
    "Readiness": "momentum.core.plugins.types",
    "Tool": "momentum.core.plugins.types",
    "ToolContext": "momentum.core.plugins.types",
    "WebhookSource": "momentum.core.plugins.types",
    "DeferredHandler": "momentum.core.app",
    "HttpRoute": "momentum.core.app",
    "DeferredJob": "momentum.core.ports.scheduler",
    "JobRunner": "momentum.core.ports.scheduler",
    "RecurringJob": "momentum.core.ports.scheduler",
    # ports
    "Blob": "momentum.core.ports.blob",
    "Chat": "momentum.core.ports.chat",
    "ChatMessageRef": "momentum.core.ports.chat",
    "Clock": "momentum.core.ports.clock",
    "SystemClock": "momentum.core.ports.clock",
    "Completion": "momentum.core.ports.model",
    "CompletionRequest": "momentum.core.ports.model",
    "Model": "momentum.core.ports.model",
    "ModelError": "momentum.core.ports.model",
    "ModelMessage": "momentum.core.ports.model",
    "ToolCall": "momentum.core.ports.model",
    "ToolSpec": "momentum.core.ports.model",
    "Scheduler": "momentum.core.ports.scheduler",
    "Deferral": "momentum.core.ports.deferral",
    "Secrets": "momentum.core.ports.secrets",
    "ConflictError": "momentum.core.ports.storage",
    "Storage": "momentum.core.ports.storage",
    "ConnectAgain": "momentum.core.oauth_tokens",
    "RedirectListener": "momentum.core.oauth_redirect",
    "InvalidGrant": "momentum.core.oauth_tokens",
    "NotConnected": "momentum.core.oauth_tokens",
    "TokenKeeper": "momentum.core.oauth_tokens",
    "TokenProvider": "momentum.core.oauth_tokens",
    "store_token": "momentum.core.oauth_tokens",
}
"""Each public name and the internal module that defines it."""

__all__ = [
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


def __getattr__(name: str) -> Any:
    """Import a public name's module the first time the name is used (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'momentum' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
