"""Builds the coach for one Worker isolate from its env (the Cloudflare composition root).

==========================  ==============================================================
binding / variable          meaning
==========================  ==============================================================
``DB``                      the D1 database (Storage)
``BUCKET``                  the R2 bucket (Blob: uploads, spilled queue payloads)
``QUEUE``                   the deferred-work queue's producer (Deferral)
``SLACK_*``, ``STRAVA_*``,  settings; secrets are Worker secrets (secret bindings), plain
``GROQ_API_KEY``, ...       settings are plain-text bindings
==========================  ==============================================================

:func:`build_cloudflare_app` takes the ports ready-made, so the tests build the same app on
wrangler's local D1, R2 and Queue; :func:`ports_from_env` makes them from the bindings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from momentum.adapters.cloudflare.queue_deferral import Producer, QueueDeferral
from momentum.core.app import App
from momentum.core.config import load_settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.blob import Blob
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Model
from momentum.core.ports.storage import Storage
from momentum.core.runtime.compose import cloud_app

BINDINGS = ("DB", "BUCKET", "QUEUE")
BUNDLE_MODULE = "momentum_worker_plugins"
"""The module the packaging writes beside ``worker.py`` (:mod:`.package`): ``PLUGINS``,
name → module of the plugins this Worker registers. A Worker has no installed
distribution metadata, so entry points find nothing there; the stack's choice
(``momentum:plugins``) travels in this module instead. A coach project's own plugins
(``local_plugins``) ship beside them and load from ``MOMENTUM_HOME``."""


def bundle_home() -> Path:
    """The Worker's default ``MOMENTUM_HOME``: the folder holding the ``momentum``
    package, where the packaging puts ``momentum.toml``, ``prompts/`` and the project's
    own plugins."""
    import momentum

    return Path(momentum.__file__).resolve().parent.parent


def bundled_plugins() -> dict[str, str] | None:
    """Name → module of the plugins the packaging chose for this Worker, or ``None``
    outside a packaged Worker (no :data:`BUNDLE_MODULE` on the path)."""
    import importlib

    try:
        bundle = importlib.import_module(BUNDLE_MODULE)
    except ModuleNotFoundError as error:
        if error.name != BUNDLE_MODULE:
            raise
        return None
    plugins: dict[str, str] = dict(bundle.PLUGINS)
    return plugins


def worker_plugins(modules: Mapping[str, str] | None = None) -> PluginHost:
    """A plugin host with ``modules`` (name → module; default: :func:`bundled_plugins`)
    registered by import, not through entry points. One that fails to import is
    disabled and reported, as entry points are. Outside a packaged Worker (CPython, no
    bundle module) the installed entry points are loaded instead."""
    import importlib

    chosen = bundled_plugins() if modules is None else dict(modules)
    if chosen is None:
        return load_plugins()
    host = PluginHost()
    for name, module in chosen.items():
        try:
            host.register(importlib.import_module(module), name=name)
        except Exception as error:
            host.disable(name, "import", error)
    return host


@dataclass(frozen=True)
class Ports:
    """The three platform ports a Worker is built on."""

    storage: Storage
    blob: Blob
    producer: Producer


def env_strings(env: Any, names: Iterable[str] | None = None) -> dict[str, str]:
    """The string values on ``env`` (plain-text and secret bindings; not D1/R2/queue
    objects). ``names`` defaults to every key of ``env`` (``js.Object.keys`` in a Worker)."""
    items: Iterable[tuple[Any, Any]]
    if isinstance(env, Mapping):
        items = env.items()
    else:
        if names is None:
            try:
                import js  # type: ignore[import-not-found]

                names = [str(name) for name in js.Object.keys(env)]
            except ImportError:
                names = [name for name in vars(env) if not name.startswith("_")]
        items = ((name, getattr(env, name, None)) for name in names)
    return {str(k): v for k, v in items if isinstance(v, str)}


def ports_from_env(env: Any) -> Ports:
    """Storage, Blob and the queue producer on the Worker's bindings;
    :class:`ConfigError` naming a missing binding."""
    from momentum.adapters.cloudflare.d1_binding import BindingRunner
    from momentum.adapters.cloudflare.d1_storage import D1Storage
    from momentum.adapters.cloudflare.queue_deferral import BindingProducer
    from momentum.adapters.cloudflare.r2_blob import BindingBucket, R2Blob

    missing = [name for name in BINDINGS if getattr(env, name, None) is None]
    if missing:
        raise ConfigError(f"the Worker has no {', '.join(missing)} binding (see wrangler config)")
    return Ports(
        D1Storage(BindingRunner(env.DB)),
        R2Blob(BindingBucket(env.BUCKET)),
        BindingProducer(env.QUEUE),
    )


def build_cloudflare_app(
    variables: Mapping[str, str],
    ports: Ports,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
) -> App:
    """The coach on D1, R2 and a Queue; ``variables`` are the Worker's string bindings
    (settings and secrets, read like the environment elsewhere). The project's own plugins
    (``local_plugins`` in ``MOMENTUM_HOME``'s ``momentum.toml``) are registered too."""
    clock = clock or SystemClock()
    settings = load_settings(Path(variables.get("MOMENTUM_HOME") or "."), env=dict(variables))
    plugins = plugins or load_plugins()
    local = settings.extra.get("local_plugins") or ()
    if local:
        plugins.load_local(settings.home, local)
    deferral = QueueDeferral(
        ports.producer, ports.blob, ports.storage, jobs=plugins.recurring_jobs(), clock=clock
    )
    return cloud_app(
        settings,
        variables,
        storage=ports.storage,
        deferral=deferral,
        blob=ports.blob,
        plugins=plugins,
        clock=clock,
        chat=chat,
        model=model,
    )
