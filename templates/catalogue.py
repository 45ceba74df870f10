"""What ``momentum new`` can offer, learned from the installed code rather than a list kept
here: domains and data sources from the registered plugins (``momentum`` entry points),
chat platforms from the chat-platform hook (plus the console), and clouds from the Pulumi
programs :mod:`momentum.infra.cloud` can run (plus ``local``). A data source is offered
when a plugin of the same name provides it. A cloud package may declare
``STACK_CONFIG`` (the provider's stack keys and defaults, such as ``aws:region``) for the
generated ``Pulumi.dev.yaml``.

When a new cloud, chat platform or plugin lands and registers itself, it appears here
without an edit to the generator.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata

from momentum.core.errors import InputError

LOCAL_CLOUD = "local"
"""Runs on one machine (``momentum serve``); no Pulumi project."""
CONSOLE_CHAT = "console"
"""The terminal; always available."""
DISTRIBUTION = "momentum-coach"


@dataclass(frozen=True)
class Catalogue:
    """The choices a new coach can be made of, each in a stable order."""

    clouds: tuple[str, ...]
    chats: tuple[str, ...]
    sources: tuple[str, ...]
    domains: tuple[str, ...]
    stack_config: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per cloud, provider config keys and their defaults for ``Pulumi.dev.yaml``."""
    extras: frozenset[str] = frozenset()
    """The extras Momentum's distribution offers (``aws``, ``slack``, ...)."""
    deployable: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per cloud, the plugins its deployment bundle can carry (a cloud package's
    ``BUNDLED_PLUGINS``, else the shared bundle builder's ``BUILTIN_PLUGINS``)."""

    def check(self, kind: str, chosen: Iterable[str]) -> None:
        """Raise :class:`InputError` naming each choice of ``kind`` (``cloud``, ``chat``,
        ``source``, ``domain``) that is not available, and listing those that are."""
        offered: tuple[str, ...] = getattr(self, _PLURAL[kind])
        for choice in chosen:
            if choice not in offered:
                raise InputError(
                    f"--{kind}",
                    f"{choice!r} is not available yet; available: {', '.join(offered)}",
                )

    def check_deployable(self, cloud: str, plugins: Iterable[str]) -> None:
        """Raise :class:`InputError` for a plugin ``cloud``'s bundle cannot carry yet."""
        if cloud not in self.deployable:
            return
        carried = self.deployable[cloud]
        for plugin in plugins:
            if plugin not in carried:
                kind = "domain" if plugin in self.domains else "source"
                offered = [p for p in getattr(self, _PLURAL[kind]) if p in carried]
                raise InputError(
                    f"--{kind}",
                    f"{plugin!r} cannot be deployed to {cloud} yet (it runs with --cloud local); "
                    f"deployable to {cloud}: {', '.join(offered) or 'none yet'}",
                )

    def requirement_extras(self, cloud: str, chat: str, sources: Iterable[str]) -> list[str]:
        """The extras of Momentum a project with these choices depends on: each choice that
        is an extra, the cloud's Pulumi extra (``infra-<cloud>``, or ``infra`` for AWS,
        the first), and the default model provider (``groq``)."""
        wanted: list[str] = []
        for name in (cloud, chat, *sources, "groq"):
            if name in self.extras:
                wanted.append(name)
        if cloud != LOCAL_CLOUD:
            infra = f"infra-{cloud}" if f"infra-{cloud}" in self.extras else "infra"
            if infra in self.extras:
                wanted.append(infra)
        return sorted(set(wanted))


_PLURAL = {"cloud": "clouds", "chat": "chats", "source": "sources", "domain": "domains"}


def load_catalogue() -> Catalogue:
    """The catalogue of what is installed and built right now."""
    from momentum.core.plugins.host import load_plugins

    host = load_plugins()
    domains = tuple(sorted({d.name for d in host.domains()}))
    # A source is offered under the name of the plugin that provides it (a plugin may
    # register helper sources too, such as an OAuth callback route).
    plugin_names = {p.name for p in host.plugins()}
    sources = tuple(sorted({s.name for s in host.data_sources()} & plugin_names))
    chats = (CONSOLE_CHAT, *sorted({p.name for p in host.chat_platforms()} - {CONSOLE_CHAT}))
    clouds, stacks = _clouds()
    return Catalogue(
        deployable={cloud: _bundled(cloud) for cloud in clouds},
        clouds=(LOCAL_CLOUD, *clouds),
        chats=chats,
        sources=sources,
        domains=domains,
        stack_config=stacks,
        extras=_extras(),
    )


def _clouds() -> tuple[tuple[str, ...], dict[str, dict[str, str]]]:
    try:
        from momentum.infra.cloud import CLOUDS
    except ImportError:  # an install without the infra package: local only
        return (), {}
    stacks: dict[str, dict[str, str]] = {}
    for cloud in CLOUDS:
        package = importlib.import_module(f"momentum.infra.{cloud}")
        stacks[cloud] = dict(getattr(package, "STACK_CONFIG", {}))
    return tuple(CLOUDS), stacks


def _bundled(cloud: str) -> tuple[str, ...]:
    package = importlib.import_module(f"momentum.infra.{cloud}")
    bundled = getattr(package, "BUNDLED_PLUGINS", None)
    if bundled is None:
        from momentum.infra.aws.bundle import BUILTIN_PLUGINS

        bundled = BUILTIN_PLUGINS
    return tuple(sorted(bundled))


def _extras() -> frozenset[str]:
    try:
        return frozenset(metadata.metadata(DISTRIBUTION).get_all("Provides-Extra") or [])
    except metadata.PackageNotFoundError:
        return frozenset()
