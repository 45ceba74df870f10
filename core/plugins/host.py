"""Loads plugins from the ``momentum`` entry-point group and answers questions about them.

A plugin that fails, at import or in any hook, is reported by name (logged once, listed by
``momentum plugins`` as failed) and disabled; the coach keeps running with the others.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from momentum.core.plugins import hookspecs
from momentum.core.plugins.types import (
    ChatPlatform,
    DataSource,
    Domain,
    FileImporter,
    ModelProvider,
    Readiness,
    Tool,
)
from momentum.core.ports.scheduler import RecurringJob

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

ENTRY_POINT_GROUP = "momentum"
hookimpl = pluggy.HookimplMarker("momentum")
LOGGER = "momentum.plugins"
CONTRIBUTION_HOOKS = (
    "momentum_settings",
    "momentum_data_sources",
    "momentum_file_importers",
    "momentum_domains",
    "momentum_tools",
    "momentum_scheduled_jobs",
    "momentum_deferred_handlers",
    "momentum_chat_platforms",
    "momentum_model_providers",
)
"""The hooks that hand core objects (``momentum_cli`` is called by the CLI alone)."""


@dataclass(frozen=True)
class LoadedPlugin:
    """One registered plugin: its name, where it came from and which hooks it implements."""

    name: str
    module: str
    distribution: str
    hooks: tuple[str, ...]


@dataclass(frozen=True)
class FailedPlugin:
    """A plugin that was disabled: its name, where it failed and why."""

    name: str
    where: str
    """``import`` or the hook that raised (``momentum_domains``)."""
    error: str


class PluginHost:
    """A pluggy manager with typed helpers for each hook."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("momentum")
        self.pm.add_hookspecs(hookspecs)
        self.failed: dict[str, FailedPlugin] = {}
        self._distributions: dict[str, str] = {}
        self._lock = threading.Lock()  # ticks and deferred work call hooks from threads

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin object or module directly (tests, embedded use)."""
        self.pm.register(plugin, name=name)

    def load_entry_points(self) -> int:
        """Load every plugin in the ``momentum`` entry-point group; returns how many loaded.
        One that fails to import is disabled and reported, the others still load."""
        from importlib.metadata import entry_points

        count = 0
        for point in entry_points(group=ENTRY_POINT_GROUP):
            if self.pm.get_plugin(point.name) is not None or point.name in self.failed:
                continue
            try:
                plugin = point.load()
            except Exception as exc:
                self.disable(point.name, "import", exc)
                continue
            self.pm.register(plugin, name=point.name)
            self._distributions[point.name] = _distribution(point)
            count += 1
        return count

    def load_local(self, home: Path, modules: Iterable[str]) -> int:
        """Load a coach project's own plugins: ``modules`` are dotted names under ``home``
        (``plugins.stretch.plugin`` is ``home/plugins/stretch/plugin.py``), as listed by
        ``local_plugins`` in ``momentum.toml``. ``home`` goes on ``sys.path`` so a plugin
        can import its siblings; one that fails to import is disabled and reported."""
        import importlib
        import sys

        root = str(Path(home).resolve())
        if root not in sys.path:
            sys.path.insert(0, root)
        count = 0
        for dotted in modules:
            if self.pm.get_plugin(dotted) is not None or dotted in self.failed:
                continue
            try:
                plugin = importlib.import_module(dotted)
            except Exception as exc:
                self.disable(dotted, "import", exc)
                continue
            self.pm.register(plugin, name=dotted)
            self._distributions[dotted] = "(local)"
            count += 1
        return count

    def disable(self, name: str, where: str, exc: BaseException) -> None:
        """Report plugin ``name`` as failed (logged once) and unregister it."""
        import logging

        with self._lock:
            if name in self.failed:
                return
            self.failed[name] = FailedPlugin(name, where, f"{type(exc).__name__}: {exc}")
            if self.pm.get_plugin(name) is not None:
                self.pm.unregister(name=name)
        logging.getLogger(LOGGER).error(
            "plugin %r disabled: %s raised %s: %s", name, where, type(exc).__name__, exc
        )

    def call(self, hook: str, **kwargs: Any) -> list[Any]:
        """Every enabled plugin's answer to ``hook`` (in pluggy's call order); a plugin
        whose implementation raises is disabled and left out."""
        results = []
        for impl in reversed(getattr(self.pm.hook, hook).get_hookimpls()):
            try:
                value = impl.function(*[kwargs[arg] for arg in impl.argnames])
            except Exception as exc:
                self.disable(impl.plugin_name, hook, exc)
                continue
            if value is not None:
                results.append(value)
        return results

    def check(self) -> dict[str, FailedPlugin]:
        """Ask every contribution hook once, so a plugin that raises is disabled (and
        reported) now rather than when the coach first needs it; returns the failures."""
        for hook in CONTRIBUTION_HOOKS:
            self.call(hook)
        return dict(self.failed)

    def plugins(self) -> list[LoadedPlugin]:
        """What is loaded, for ``momentum plugins``."""
        loaded = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist_name = self._distributions.get(name, "(registered)")
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or []))
            module = getattr(plugin, "__name__", type(plugin).__name__)
            loaded.append(LoadedPlugin(name, module, dist_name, hooks))
        return sorted(loaded, key=lambda p: p.name)

    def _flat(self, hook: str) -> list[Any]:
        return [item for group in self.call(hook) for item in group]

    def data_sources(self) -> list[DataSource]:
        """Every data source from every plugin."""
        return self._flat("momentum_data_sources")

    def file_importers(self) -> list[FileImporter]:
        """Every file importer from every plugin."""
        return self._flat("momentum_file_importers")

    def domains(self) -> list[Domain]:
        """Every coaching domain."""
        return self._flat("momentum_domains")

    def tools(self) -> list[Tool]:
        """Every tool the model may call."""
        return self._flat("momentum_tools")

    def chat_platforms(self) -> list[ChatPlatform]:
        """Every chat platform, by name (first wins)."""
        found: dict[str, ChatPlatform] = {}
        for platform in self._flat("momentum_chat_platforms"):
            found.setdefault(platform.name, platform)
        return list(found.values())

    def model_providers(self) -> dict[str, ModelProvider]:
        """Every model provider, by name (first wins)."""
        found: dict[str, ModelProvider] = {}
        for provider in self._flat("momentum_model_providers"):
            found.setdefault(provider.name, provider)
        return found

    def settings_schemas(self) -> dict[str, type[Any]]:
        """``{section: schema}`` from every plugin's ``momentum_settings``."""
        schemas: dict[str, type[Any]] = {}
        for group in self.call("momentum_settings"):
            for name, schema in group.items():
                schemas.setdefault(name, schema)
        return schemas

    def recurring_jobs(self) -> list[RecurringJob]:
        """Jobs from domains and plugins, de-duplicated by name (first wins), and the coach
        loop's jobs for the steps the domains provide (:mod:`momentum.core.coach.jobs`)."""
        from momentum.core.coach.jobs import STEP_JOBS

        jobs: dict[str, RecurringJob] = {}
        for domain in self.domains():
            for job in domain.recurring_jobs:
                jobs.setdefault(job.name, job)
            for step, job in STEP_JOBS.items():
                if getattr(domain, step) is not None:
                    jobs.setdefault(job.name, job)
        for job in self._flat("momentum_scheduled_jobs"):
            jobs.setdefault(job.name, job)
        return list(jobs.values())

    def readiness(self, app: Any, athlete_id: str, day: Any) -> list[Readiness]:
        """Every plugin's readiness for ``athlete_id`` on ``day`` (none without a source)."""
        return self.call("momentum_readiness", app=app, athlete_id=athlete_id, day=day)

    def activity_stored(self, app: Any, activity: Any) -> None:
        """Tell every plugin that a data source stored ``activity``
        (``momentum_activity_stored``). One that raises is logged and kept enabled: the
        activity is stored either way, and the plugin's own next run can catch up."""
        import logging

        hook = self.pm.hook.momentum_activity_stored
        for impl in reversed(hook.get_hookimpls()):
            try:
                impl.function(*[{"app": app, "activity": activity}[a] for a in impl.argnames])
            except Exception:
                logging.getLogger(LOGGER).exception(
                    "plugin %r: momentum_activity_stored failed for activity %s",
                    impl.plugin_name,
                    getattr(activity, "activity_id", "?"),
                )

    def deferred_handlers(self) -> dict[str, Any]:
        """``{kind: handler}`` for deferred jobs."""
        handlers: dict[str, Any] = {}
        for group in self.call("momentum_deferred_handlers"):
            handlers.update(group)
        return handlers


def _distribution(point: EntryPoint) -> str:
    dist = getattr(point, "dist", None)
    if dist is None:
        return "(entry point)"
    return f"{dist.metadata['Name']} {dist.version}"


def load_plugins(*, entry_points: bool = True, extra: list[object] | None = None) -> PluginHost:
    """A host with the ``momentum`` entry points (built-in and third-party) loaded."""
    host = PluginHost()
    for plugin in extra or []:
        host.register(plugin)
    if entry_points:
        host.load_entry_points()
    return host
