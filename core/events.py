"""Events: the one door into core. Adapters turn platform requests into these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class HttpRequest:
    """A neutral HTTP request (like slack-bolt's BoltRequest): adapters convert into it."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str, default: str = "") -> str:
        """A header by case-insensitive name."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return default


@dataclass(frozen=True)
class HttpResponse:
    """A neutral HTTP response."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "text/plain"})

    @classmethod
    def text(cls, status: int, text: str) -> HttpResponse:
        """A plain-text response."""
        return cls(status, text.encode(), {"content-type": "text/plain; charset=utf-8"})

    @classmethod
    def json(cls, status: int, payload: object) -> HttpResponse:
        """A JSON response."""
        import json

        return cls(status, json.dumps(payload).encode(), {"content-type": "application/json"})


@dataclass(frozen=True)
class ScheduledTick:
    """A scheduler fired. ``job`` names a recurring job or is ``"*"`` for "check every job
    that is due now" (the in-process loop and a cloud's every-15-minutes tick both send it).
    ``athlete_id`` narrows it to one athlete (per-athlete cloud schedules)."""

    job: str
    at: dt.datetime
    athlete_id: str | None = None


@dataclass(frozen=True)
class ChatMessageEvent:
    """The athlete wrote to the coach. ``reply_to`` is a "Thinking…" message to update."""

    athlete_id: str
    text: str
    event_id: str
    channel: str = ""
    reply_message_id: str = ""
