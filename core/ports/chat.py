"""The Chat port: how the coach speaks, and updates what it said."""

from __future__ import annotations

import abc
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ChatMessageRef:
    """Where a posted message lives, so it can be updated ("Thinking…" → the answer)."""

    channel: str
    message_id: str


class Chat(abc.ABC):
    """A chat platform: console, Slack, Teams."""

    @abc.abstractmethod
    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Post ``text`` (with optional rich blocks) to a channel or conversation."""

    @abc.abstractmethod
    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Replace the text of a message posted earlier."""

    @abc.abstractmethod
    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Send a direct message to one user. Athlete data only ever goes by DM."""
