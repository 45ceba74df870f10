"""What every cloud's composition root does the same way once it has made its ports: read
a required setting from the environment, then build the app with core's chat choice (the
log as the fallback) and the Blob store attached."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from momentum.core.errors import ConfigError

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.config import Settings
    from momentum.core.plugins.host import PluginHost
    from momentum.core.ports.blob import Blob
    from momentum.core.ports.chat import Chat
    from momentum.core.ports.clock import Clock
    from momentum.core.ports.deferral import Deferral
    from momentum.core.ports.model import Model
    from momentum.core.ports.storage import Storage


def required(env: Mapping[str, str], name: str) -> str:
    """An environment value that must be set, or :class:`ConfigError` naming it."""
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"environment variable {name} is not set")
    return value


def cloud_app(
    settings: Settings,
    env: Mapping[str, str],
    *,
    storage: Storage,
    deferral: Deferral,
    blob: Blob,
    plugins: PluginHost,
    clock: Clock,
    chat: Chat | None = None,
    model: Model | None = None,
) -> App:
    """The coach on a cloud's ports. ``chat`` (else ``MOMENTUM_CHAT``, else the configured
    platform, else the log: :func:`~momentum.core.runtime.chat.cloud_chat`) and ``model``
    replace what the settings would choose; chat routes such as ``/slack/events`` are
    installed by :func:`~momentum.core.compose.build_app` through the chat-platform hook."""
    from momentum.core.compose import build_app
    from momentum.core.runtime.chat import CHAT_ENV, cloud_chat

    app = build_app(
        settings,
        storage=storage,
        scheduler=deferral,
        chat=chat or cloud_chat(settings, plugins.chat_platforms(), env.get(CHAT_ENV, "")),
        model=model,
        clock=clock,
        plugins=plugins,
    )
    app.blob = blob
    return app
