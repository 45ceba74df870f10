"""A Chat that writes to the log, for a coach deployed before a chat platform is set up: the
check-ins appear in the platform's logs (CloudWatch, Cloud Logging, ...) instead of a DM."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from momentum.core.dashboard.links import redact_links
from momentum.core.ports.chat import Chat, ChatMessageRef

if TYPE_CHECKING:
    from momentum.core.config import Settings
    from momentum.core.plugins.types import ChatPlatform

CHAT_ENV = "MOMENTUM_CHAT"
"""A cloud function's setting naming its chat platform (or ``log``)."""

log = logging.getLogger("momentum.chat")


class LoggingChat(Chat):
    """Logs each message at INFO with its channel and a sequence id; a dashboard link's
    token is left out (it would let anyone reading the log open the athlete's pages)."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def _next(self) -> str:
        with self._lock:
            return str(next(self._ids))

    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Log a message to ``channel``."""
        ref = ChatMessageRef(channel, self._next())
        log.info("chat post %s/%s:\n%s", channel, ref.message_id, redact_links(text))
        return ref

    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Log the new text of an earlier message."""
        log.info("chat update %s/%s:\n%s", ref.channel, ref.message_id, redact_links(text))

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Log a direct message."""
        return self.post(f"dm:{user_id}", text, blocks)


def cloud_chat(settings: Settings, platforms: Sequence[ChatPlatform], wanted: str = "") -> Chat:
    """The chat a cloud function speaks through: core's one choice
    (:func:`momentum.core.chat_choice.choose_chat`) with the log as the fallback, since a
    cloud has no console. ``wanted`` is ``MOMENTUM_CHAT`` (else ``chat`` in the settings)."""
    from momentum.core.chat_choice import choose_chat

    return choose_chat(settings, platforms, LoggingChat, wanted=wanted or settings.chat)
