"""Which chat a coach speaks through: the one function every target's bootstrap uses.

Chat platforms register through the ``momentum_chat_platforms`` hook; core never names one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from momentum.core.config import Settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.types import ChatPlatform
from momentum.core.ports.chat import Chat

AUTO = ("", "auto")


def choose_chat(
    settings: Settings,
    platforms: Sequence[ChatPlatform],
    fallback: Callable[[], Chat],
    *,
    wanted: str = "",
    fallback_names: Iterable[str] = ("console", "log"),
) -> Chat:
    """The chat to speak through.

    ``wanted`` (a platform's name, or empty for "choose") comes from the target: the
    ``chat`` key of ``momentum.toml``, ``MOMENTUM_CHAT`` on a cloud, ``--socket-mode``
    locally. A named platform is used when it can post, else the ``fallback`` (the console
    locally, the log on a cloud); a name in ``fallback_names`` picks the fallback; empty
    picks the first platform that can both post and verify incoming requests. Any other
    name is a :class:`ConfigError` listing the choices.
    """
    by_name = {p.name: p for p in platforms}
    fallbacks = tuple(fallback_names)
    wanted = wanted.strip().lower()
    if wanted in by_name:
        platform = by_name[wanted]
        return platform.build_chat(settings) if platform.can_post(settings) else fallback()
    if wanted in fallbacks:
        return fallback()
    if wanted not in AUTO:
        choices = ", ".join(sorted({*by_name, *fallbacks}))
        raise ConfigError(f"chat {wanted!r} is not available (choose one of: {choices})")
    for platform in platforms:
        if platform.can_post(settings) and platform.receives(settings):
            return platform.build_chat(settings)
    return fallback()


def receiving_platforms(settings: Settings, platforms: Iterable[ChatPlatform]) -> list[str]:
    """The names of the platforms whose incoming requests this coach can verify (their
    routes are installed by :func:`momentum.core.compose.build_app`)."""
    return [p.name for p in platforms if p.receives(settings)]
