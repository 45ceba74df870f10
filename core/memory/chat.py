"""A Chat that records what was said, for tests and the demo."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

from momentum.core.ports.chat import Chat, ChatMessageRef


@dataclass
class RecordedMessage:
    """One message as the chat holds it now (updates replace ``text``)."""

    channel: str
    message_id: str
    text: str
    blocks: list[dict[str, Any]] | None = None
    history: list[str] = field(default_factory=list)


class RecordingChat(Chat):
    """Keeps every posted message in order; updates rewrite them in place."""

    def __init__(self) -> None:
        self.messages: list[RecordedMessage] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        with self._lock:
            message = RecordedMessage(channel, str(next(self._ids)), text, blocks)
            self.messages.append(message)
        return ChatMessageRef(channel, message.message_id)

    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        with self._lock:
            for message in self.messages:
                if message.message_id == ref.message_id and message.channel == ref.channel:
                    message.history.append(message.text)
                    message.text = text
                    message.blocks = blocks
                    return
        raise KeyError(f"no message {ref.message_id} in {ref.channel}")

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        return self.post(f"dm:{user_id}", text, blocks)
