"""The demo's chat: records what the coach sends, then shows it as the athlete sees it.

:class:`TranscriptChat` is a real :class:`~momentum.core.ports.chat.Chat` (a
:class:`~momentum.core.memory.RecordingChat` that also notes the clock time of each post), so the
coach delivers through the same port it uses with Slack. After each moment of the demo,
:class:`TranscriptRenderer` prints the new messages as chat bubbles: who sent it and
when, then the message as written (never read as markup, so trees and bars keep their
shape). "Thinking…" placeholders that were later updated show only their final text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from rich.align import Align
from rich.console import Console, Group
from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from momentum.adapters.local.mrkdwn import mrkdwn_text
from momentum.core.memory.chat import RecordingChat
from momentum.core.model.journal import MemoryItem
from momentum.core.model.message import Message
from momentum.core.ports.chat import ChatMessageRef
from momentum.core.ports.clock import Clock

COACH = "Momentum"
ATHLETE_WIDTH = 64
"""The athlete's bubbles wrap at this width, on the right, like a chat client."""


class TranscriptChat(RecordingChat):
    """A recording chat that remembers when (by ``clock``) each message was posted."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.posted_at: dict[str, dt.datetime] = {}

    def post(
        self, channel: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        """Record the message and the time it was posted."""
        ref = super().post(channel, text, blocks)
        self.posted_at[ref.message_id] = self.clock.now()
        return ref


@dataclass(frozen=True)
class Bubble:
    """One chat message to show: who, when, what, and an optional footnote."""

    sender: str
    at: dt.datetime
    text: str
    note: str = ""
    from_coach: bool = True


def chat_time(at: dt.datetime, tz: ZoneInfo) -> str:
    """The talk's Slack stamp: ``Feb 19th at 6:31 AM`` in the athlete's time zone."""
    local = at.astimezone(tz)
    day = local.day
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    hour = local.hour % 12 or 12
    return f"{local:%b} {day}{suffix} at {hour}:{local:%M} {'AM' if local.hour < 12 else 'PM'}"


class TranscriptRenderer:
    """Prints the demo: moment headings, chat bubbles and the coach's memory."""

    def __init__(self, console: Console, chat: TranscriptChat, tz: ZoneInfo, athlete: str):
        self.console = console
        self.chat = chat
        self.tz = tz
        self.athlete = athlete
        self._shown = 0

    def moment(self, at: dt.datetime, title: str, caption: str = "") -> None:
        """A heading for one moment of the walk through time."""
        local = at.astimezone(self.tz)
        label = f"{local:%a %d %b %Y · %H:%M} · {title}"
        self.console.print()
        self.console.print(Rule(Text(label, style="bold"), style="magenta", align="left"))
        if caption:
            self.console.print(Text(caption, style="dim italic"))

    def athlete_says(self, at: dt.datetime, text: str) -> None:
        """The athlete's own chat message, on the right."""
        self.bubble(Bubble(self.athlete, at, text, from_coach=False))

    def new_messages(self, fallback: Message | None = None) -> int:
        """Show what the coach posted since the last call; if it posted nothing (the
        message already existed from an earlier run), show ``fallback`` from storage."""
        fresh = self.chat.messages[self._shown :]
        self._shown = len(self.chat.messages)
        for message in fresh:
            at = self.chat.posted_at.get(message.message_id, self.chat.clock.now())
            self.bubble(Bubble(COACH, at, message.text))
        if not fresh and fallback is not None:
            note = "already delivered on an earlier run; read back from storage"
            self.bubble(Bubble(COACH, fallback.at, fallback.display, note=note))
            return 1
        return len(fresh)

    def bubble(self, bubble: Bubble) -> None:
        """One message as a chat client shows it."""
        stamp = chat_time(bubble.at, self.tz)
        if bubble.from_coach:
            title = Text.assemble(
                (bubble.sender, "bold cyan"), (" APP", "dim reverse"), (f"  {stamp}", "dim")
            )
        else:
            title = Text.assemble((bubble.sender, "bold green"), (f"  {stamp}", "dim"))
        parts: list[Text] = [mrkdwn_text(bubble.text)]
        if bubble.note:
            parts.append(Text(f"({bubble.note})", style="dim italic"))
        width = None
        if not bubble.from_coach:
            longest = max(len(line) for line in bubble.text.splitlines() or [""])
            width = min(self.console.width, ATHLETE_WIDTH, max(len(title) + 6, longest + 4))
        panel = Panel(
            Group(*parts),
            title=title,
            title_align="left",
            border_style="cyan" if bubble.from_coach else "green",
            expand=False,
            padding=(0, 1),
            width=width,
        )
        self.console.print(panel if bubble.from_coach else Align.right(panel))

    def tool_effects(self, lines: list[str]) -> None:
        """What the coach's tool calls stored, one dim line each."""
        for line in lines:
            self.console.print(Padding(Text(f"↳ {line}", style="yellow"), (0, 0, 0, 2)))

    def state(self, state: str) -> None:
        """The motivation state the coach judged, when the message carries one."""
        if state:
            self.console.print(Text(f"  state: {state.replace('_', ' ')}", style="dim"))

    def memory(self, items: list[MemoryItem], section: str) -> None:
        """The coach's curated memory for one section, as the talk shows it."""
        chosen = [i for i in items if i.active and i.section.value == section]
        if not chosen:
            self.console.print(Text(f"(nothing under {section} yet)", style="dim"))
            return
        lines = Text(f"## {section}", style="bold")
        for item in chosen:
            lines.append(f"\n- {item.text}", style="not bold")
        self.console.print(
            Panel(
                lines,
                title="Momentum (store)",
                title_align="left",
                border_style="yellow",
                expand=False,
            )
        )
