"""Console chat: the coach's messages printed as the athlete would see them in chat.

Each message is a panel headed by who it is from and where it went (a DM or a channel).
Text is printed as written, never interpreted as rich markup, so the coach's code-rendered
trees and bars keep their shape and a stray ``[`` can't break the output. ``update``
prints the new version of a message (a console cannot rewrite what scrolled past), marked
as an edit of the original, the way a chat client shows "(edited)".
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group
from rich.panel import Panel
from rich.text import Text

from momentum.adapters.local.mrkdwn import mrkdwn_text
from momentum.core.ports.chat import Chat, ChatMessageRef


@dataclass
class ConsoleMessage:
    """A message as last printed."""

    channel: str
    message_id: str
    text: str
    edits: int = 0


def blocks_text(blocks: list[dict[str, Any]] | None) -> str:
    """The readable text in Slack-style blocks (section/context/header text fields)."""
    lines: list[str] = []
    for block in blocks or []:
        text = block.get("text")
        if isinstance(text, dict) and isinstance(text.get("text"), str):
            lines.append(text["text"])
        for element in block.get("elements") or block.get("fields") or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                lines.append(element["text"])
    return "\n".join(lines)


class ConsoleChat(Chat):
    """A :class:`~momentum.core.ports.chat.Chat` that prints to a rich console.

    ``console`` defaults to stdout; pass ``Console(file=..., width=...)`` to capture it.
    ``coach_name`` heads every panel.
    """

    def __init__(self, console: Console | None = None, *, coach_name: str = "Coach") -> None:
        self.console = console or Console(highlight=False)
        self.coach_name = coach_name
        self.messages: dict[tuple[str, str], ConsoleMessage] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Print a new message and return where it lives."""
        body = text or blocks_text(blocks)
        with self._lock:
            message = ConsoleMessage(channel, str(next(self._ids)), body)
            self.messages[(channel, message.message_id)] = message
            self._print(message)
        return ChatMessageRef(channel, message.message_id)

    def update(
        self, ref: ChatMessageRef, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> None:
        """Reprint a message with its new text. Unknown refs are a ``KeyError``."""
        with self._lock:
            message = self.messages.get((ref.channel, ref.message_id))
            if message is None:
                raise KeyError(f"no message {ref.message_id} in {ref.channel}")
            message.text = text or blocks_text(blocks)
            message.edits += 1
            self._print(message)

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """A direct message to ``user_id`` (the channel is ``dm:<user_id>``)."""
        return self.post(f"dm:{user_id or 'you'}", text, blocks)

    def _print(self, message: ConsoleMessage) -> None:
        where = (
            f"direct message to {message.channel[3:]}"
            if message.channel.startswith("dm:")
            else f"#{message.channel.lstrip('#')}"
        )
        title = Text.assemble((self.coach_name, "bold cyan"), (f"  → {where}", "dim"))
        parts: list[Text] = [mrkdwn_text(message.text)]
        if message.edits:
            parts.append(Text("(edited)", style="dim italic"))
        self.console.print(
            Panel(
                Group(*parts),
                title=title,
                title_align="left",
                border_style="cyan" if not message.edits else "yellow",
                expand=False,
                padding=(0, 1),
            )
        )
