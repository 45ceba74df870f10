"""Messages the coach sent or received, and LLM usage records."""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from momentum.core.model.record import Record


class MessageKind(enum.Enum):
    """Kinds of message; each coach message kind has its own prompt."""

    CHECKIN = "checkin"
    REVIEW = "review"
    MONDAY_PLAN = "monday_plan"
    WEEKLY_REVIEW = "weekly_review"
    FEEDBACK = "feedback"
    CHAT = "chat"


class Role(enum.Enum):
    """Who wrote a message."""

    ATHLETE = "athlete"
    COACH = "coach"


@dataclass(frozen=True, repr=False, eq=False)
class Message(Record):
    """One chat message. ``message_id`` is deterministic for generated messages (e.g.
    ``review:<activity_id>``) so a second delivery finds it instead of paying again."""

    message_id: str
    athlete_id: str
    at: dt.datetime
    kind: MessageKind
    role: Role
    text: str
    rendered: str = ""
    """The code-rendered part (tree, bars, numbers) that precedes the model's words."""
    ref: str = ""
    state: str = ""
    model: str = ""

    @property
    def display(self) -> str:
        """What the athlete reads: the code-rendered part, then the model's words."""
        return "\n\n".join(part for part in (self.rendered, self.text) if part)


@dataclass(frozen=True, repr=False, eq=False)
class LLMUsage(Record):
    """One model call: which model, tokens in and out, latency and cost in USD."""

    usage_id: str
    athlete_id: str
    at: dt.datetime
    provider: str
    model: str
    purpose: str
    tokens_in: int
    tokens_out: int
    latency_ms: float
    cost_usd: float
    ok: bool = True
    error: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class OAuthToken(Record):
    """An OAuth token set for one athlete and provider. ``version`` guards rotation:
    a write succeeds only against the version it read, so a concurrent refresh never
    loses the newer refresh token."""

    athlete_id: str
    provider: str
    access_token: str
    refresh_token: str
    expires_at: dt.datetime
    provider_athlete_id: str = ""
    scope: str = ""
    version: int = 0
