"""The one list of Momentum's built-in plugins every cloud deploys from: the entry-point
name of each, the module that registers it, what it needs from PyPI, and which of them a
Cloudflare Worker can carry. The Lambda, Cloud Run and Functions bundles
(:mod:`momentum.infra.aws.bundle`) and the Worker package
(:mod:`momentum.adapters.cloudflare.package`) read it, and each cloud's Pulumi program
reads the stack's choice with :func:`chosen_plugins`; nothing else keeps a copy.

Build-time only: nothing deployed imports it (a bundle records its plugins itself: entry
points on Lambda, Cloud Run and Functions, a generated module in the Worker).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

BUILTIN_PLUGINS: dict[str, str] = {
    "running": "momentum.plugins.running.plugin",
    "sleep": "momentum.plugins.sleep.plugin",
    "meals": "momentum.plugins.meals.plugin",
    "files": "momentum.plugins.files.plugin",
    "strava": "momentum.plugins.strava.plugin",
    "oura": "momentum.plugins.oura.plugin",
    "peloton": "momentum.plugins.peloton.plugin",
}
"""Entry-point name → module of the plugins that live in this repository (as in
pyproject's ``[project.entry-points.momentum]``; a test holds the two together)."""

DOMAIN_PLUGINS = ("running", "sleep", "meals")
"""The built-in coaching domains (the others are data sources)."""

PLUGIN_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "running": (),
    "sleep": ("defusedxml>=0.7",),
    "meals": ("httpx>=0.27",),
    "files": ("fitdecode>=0.10", "gpxpy>=1.6"),
    "strava": ("stravalib>=2.0",),
    "oura": ("httpx>=0.27",),
    "peloton": ("httpx>=0.27",),
}
"""Third-party packages each built-in plugin imports (as in pyproject's extras)."""

CHAT_PLUGINS = {
    "slack": "momentum.adapters.slack.plugin",
    "teams": "momentum.adapters.teams.plugin",
}
"""Entry-point name → module of the chat platforms (registered when chosen as ``chat``)."""
MODEL_PLUGINS = {"groq": "momentum.adapters.groq.plugin"}
"""Entry-point name → module of the model providers (registered when chosen as ``model``)."""

DEFAULT_PLUGINS = ("running", "files", "strava")
"""What a stack deploys when its config names no ``plugins``."""

WORKER_PLUGINS = ("running", "sleep", "meals", "strava")
"""The built-in plugins a Cloudflare Worker can carry: their import graphs hold nothing
Pyodide cannot run and they have run on the Worker's logic (the others have not yet)."""
WORKER_DEFAULT_PLUGINS = ("running", "strava")
"""What a Worker carries when the stack names no ``plugins``."""
WORKER_ALWAYS = {"slack": CHAT_PLUGINS["slack"], "groq": MODEL_PLUGINS["groq"]}
"""Registered in every Worker: its chat and model are chosen by settings at run time."""


def check_plugins(names: Iterable[str], offered: Iterable[str], where: str) -> tuple[str, ...]:
    """``names`` in order without repeats; :class:`ValueError` naming the first that
    ``offered`` lacks and listing those it has."""
    allowed = tuple(offered)
    chosen: list[str] = []
    for name in names:
        if name not in allowed:
            raise ValueError(
                f"{where}: unknown plugin {name!r} (built in here: {', '.join(allowed)})"
            )
        if name not in chosen:
            chosen.append(name)
    return tuple(chosen)


def chosen_plugins(
    config: Any,
    default: Iterable[str] = DEFAULT_PLUGINS,
    *,
    offered: Iterable[str] | None = None,
    extra: Mapping[str, str] | None = None,
) -> tuple[str, ...]:
    """The stack's ``momentum:plugins`` (a JSON list), else ``default``: checked against
    ``offered`` (default: every built-in plugin) and ``extra`` (more plugins the stack
    supplies itself); a :class:`ValueError` names a wrong one."""
    listed = config.get_object("plugins")
    if listed is None:
        listed = list(default)
    if not isinstance(listed, list) or not all(isinstance(n, str) for n in listed):
        raise ValueError(f"momentum:plugins must be a list of plugin names, not {listed!r}")
    known = [*(BUILTIN_PLUGINS if offered is None else offered), *(extra or {})]
    return check_plugins(listed, known, "momentum:plugins")
