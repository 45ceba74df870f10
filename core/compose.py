"""The composition root: builds an :class:`~momentum.core.app.App` from configuration.

Adapters pass the port implementations for their platform; what they leave out comes
from configuration and the plugins. The model chain is ``[model] provider``'s models (the
provider registers through the ``momentum_model_providers`` hook) for ``model`` then each
of ``fallbacks``, and last the offline composer, so a coach always answers. The chat
platforms that can verify incoming requests get their routes installed here, once for
every target.
"""

from __future__ import annotations

import dataclasses
import importlib
from typing import Any

from momentum.core.app import App
from momentum.core.config import ModelSettings, Settings, check_sections
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.plugins.types import ModelProvider
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Model
from momentum.core.ports.scheduler import Scheduler
from momentum.core.ports.storage import Storage


def resolve(path: str) -> Any:
    """Import ``module:attribute`` lazily (keeps heavy SDKs out of cold starts)."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def provider_settings(settings: Settings, provider: ModelProvider) -> ModelSettings:
    """``[model]`` with the provider's own environment variables (and secrets) applied:
    ``GROQ_API_KEY`` for Groq's ``api_key``."""
    from momentum.core.settings_schema import convert

    hints = {f.name: f.type for f in dataclasses.fields(ModelSettings)}
    changes: dict[str, Any] = {}
    for name, variable in provider.env.items():
        if name not in hints:
            raise ConfigError(f"model provider {provider.name!r}: no [model] field {name!r}")
        value = settings.env.get(variable) or (
            settings.secrets.get(variable) if settings.secrets is not None else None
        )
        if value:
            wanted = getattr(ModelSettings(), name)
            changes[name] = convert(value, type(wanted), where=variable, strict=False)
    return dataclasses.replace(settings.model, **changes)


def build_model(
    settings: Settings, storage: Storage, clock: Clock, plugins: PluginHost | None = None
) -> Model:
    """The model chain from settings: provider models by priority, then the first domain's
    offline composer (core's plain composer when no domain has one)."""
    from momentum.core.coach.fallback import FallbackModel
    from momentum.core.coach.plain import PlainComposer

    models: list[Model] = []
    host = plugins or load_plugins()
    providers = host.model_providers()
    wanted = settings.model.provider
    provider = providers.get(wanted) if wanted else next(iter(providers.values()), None)
    if provider is None and settings.model.api_key:  # without a key: offline, as before
        known = ", ".join(sorted({*providers, "offline"}))
        raise ConfigError(
            f"{settings.source}: [model] provider: no model provider "
            f"{wanted!r} is installed (known: {known})"
        )
    if provider is not None:
        chosen = provider_settings(settings, provider)
        if chosen.api_key or not provider.needs_key:
            for name in (chosen.model, *chosen.fallbacks):
                models.append(provider.build(chosen, name))
    composers = [d.composer for d in host.domains() if d.composer is not None]
    models.append(composers[0]() if composers else PlainComposer())
    return FallbackModel(models, storage=storage, clock=clock)


def build_app(
    settings: Settings,
    *,
    storage: Storage,
    scheduler: Scheduler,
    chat: Chat,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
) -> App:
    """Wire one coach. Anything not passed is built from ``settings`` and the plugins.

    The plugins' settings sections are validated first (a :class:`ConfigError` names the
    file, the key, the expected type and the value received). Plugins not passed are the
    installed ones plus the project's own (``local_plugins`` in ``momentum.toml``).
    """
    clock = clock or SystemClock()
    if plugins is None:
        plugins = load_plugins()
        plugins.load_local(settings.home, settings.extra.get("local_plugins") or ())
    settings = check_sections(settings, plugins.settings_schemas(), tolerated=plugins.failed)
    model = model or build_model(settings, storage, clock, plugins)
    app = App(
        storage=storage,
        scheduler=scheduler,
        chat=chat,
        model=model,
        clock=clock,
        plugins=plugins,
        settings=settings,
    )
    install_chat_platforms(app)
    return app


def install_chat_platforms(app: App) -> list[str]:
    """Install the routes and deferred handlers of every chat platform whose incoming
    requests ``app`` can verify (Slack's ``/slack/events`` once a signing secret is set).
    Returns their names."""
    installed = []
    for platform in app.plugins.chat_platforms():
        if platform.receives(app.settings):
            platform.install(app)
            installed.append(platform.name)
    return installed
