"""The composition root: builds an :class:`~momentum.core.app.App` from configuration.

Adapters pass the port implementations for their platform; what they leave out comes
from configuration. The model chain is Groq (when a key is set) then its fallbacks, and
last the offline composer, so a coach always answers.
"""

from __future__ import annotations

import importlib
from typing import Any

from momentum.core.app import App
from momentum.core.config import Settings
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock, SystemClock
from momentum.core.ports.model import Model
from momentum.core.ports.scheduler import Scheduler
from momentum.core.ports.storage import Storage

MODEL_PROVIDERS = {"groq": "momentum.adapters.groq.model:GroqModel"}
"""Model providers by settings name, as ``module:Class`` paths imported only when used."""


def resolve(path: str) -> Any:
    """Import ``module:attribute`` lazily (keeps heavy SDKs out of cold starts)."""
    module_name, _, attribute = path.partition(":")
    return getattr(importlib.import_module(module_name), attribute)


def build_model(settings: Settings, storage: Storage, clock: Clock) -> Model:
    """The model chain from settings: provider models by priority, offline composer last."""
    from momentum.core.coach.fallback import FallbackModel
    from momentum.core.coach.offline import OfflineComposer

    models: list[Model] = []
    if settings.model.api_key:
        provider = resolve(MODEL_PROVIDERS[settings.model.provider])
        for name in (settings.model.model, *settings.model.fallbacks):
            model: Model = provider.from_settings(settings.model, model=name)
            models.append(model)
    models.append(OfflineComposer())
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
    """Wire one coach. Anything not passed is built from ``settings``."""
    clock = clock or SystemClock()
    plugins = plugins or load_plugins()
    model = model or build_model(settings, storage, clock)
    return App(
        storage=storage,
        scheduler=scheduler,
        chat=chat,
        model=model,
        clock=clock,
        plugins=plugins,
        settings=settings,
    )
