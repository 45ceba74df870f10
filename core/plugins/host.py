"""Loads plugins from the ``momentum`` entry-point group and answers questions about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pluggy

from momentum.core.plugins import hookspecs
from momentum.core.plugins.types import DataSource, Domain, FileImporter, Tool
from momentum.core.ports.scheduler import RecurringJob

ENTRY_POINT_GROUP = "momentum"
hookimpl = pluggy.HookimplMarker("momentum")


@dataclass(frozen=True)
class LoadedPlugin:
    """One registered plugin: its name, where it came from and which hooks it implements."""

    name: str
    module: str
    distribution: str
    hooks: tuple[str, ...]


class PluginHost:
    """A pluggy manager with typed helpers for each hook."""

    def __init__(self) -> None:
        self.pm = pluggy.PluginManager("momentum")
        self.pm.add_hookspecs(hookspecs)

    def register(self, plugin: object, name: str | None = None) -> None:
        """Register a plugin object or module directly (tests, embedded use)."""
        self.pm.register(plugin, name=name)

    def load_entry_points(self) -> int:
        """Load every plugin in the ``momentum`` entry-point group; returns how many."""
        return self.pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)

    def plugins(self) -> list[LoadedPlugin]:
        """What is loaded, for ``momentum plugins``."""
        dists = {id(p): d for p, d in self.pm.list_plugin_distinfo()}
        loaded = []
        for name, plugin in self.pm.list_name_plugin():
            if plugin is None:
                continue
            dist = dists.get(id(plugin))
            dist_name = f"{dist.project_name} {dist.version}" if dist else "(registered)"
            hooks = tuple(sorted(h.name for h in self.pm.get_hookcallers(plugin) or []))
            module = getattr(plugin, "__name__", type(plugin).__name__)
            loaded.append(LoadedPlugin(name, module, dist_name, hooks))
        return sorted(loaded, key=lambda p: p.name)

    def data_sources(self) -> list[DataSource]:
        """Every data source from every plugin."""
        return [s for group in self.pm.hook.momentum_data_sources() for s in group]

    def file_importers(self) -> list[FileImporter]:
        """Every file importer from every plugin."""
        return [s for group in self.pm.hook.momentum_file_importers() for s in group]

    def domains(self) -> list[Domain]:
        """Every coaching domain."""
        return [d for group in self.pm.hook.momentum_domains() for d in group]

    def tools(self) -> list[Tool]:
        """Every tool the model may call."""
        return [t for group in self.pm.hook.momentum_tools() for t in group]

    def recurring_jobs(self) -> list[RecurringJob]:
        """Jobs from domains and plugins, de-duplicated by name (first wins)."""
        jobs: dict[str, RecurringJob] = {}
        for domain in self.domains():
            for job in domain.recurring_jobs:
                jobs.setdefault(job.name, job)
        for group in self.pm.hook.momentum_scheduled_jobs():
            for job in group:
                jobs.setdefault(job.name, job)
        return list(jobs.values())

    def deferred_handlers(self) -> dict[str, Any]:
        """``{kind: handler}`` for deferred jobs."""
        handlers: dict[str, Any] = {}
        for group in self.pm.hook.momentum_deferred_handlers():
            handlers.update(group)
        return handlers


def load_plugins(*, entry_points: bool = True, extra: list[object] | None = None) -> PluginHost:
    """A host with the ``momentum`` entry points (built-in and third-party) loaded."""
    host = PluginHost()
    for plugin in extra or []:
        host.register(plugin)
    if entry_points:
        host.load_entry_points()
    return host
