"""The Model port: a chat completion with tools that reports tokens, cost and latency."""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any


class ModelError(Exception):
    """A model call failed. ``retryable`` says whether a fallback should be tried."""

    def __init__(self, message: str, *, retryable: bool = True, status: int | None = None):
        super().__init__(message)
        self.retryable = retryable
        self.status = status


@dataclass(frozen=True)
class ModelMessage:
    """One message in the conversation sent to the model."""

    role: str
    """``system``, ``user``, ``assistant`` or ``tool``."""
    content: str
    tool_call_id: str = ""
    name: str = ""


@dataclass(frozen=True)
class ToolSpec:
    """A function the model may call, with a JSON-schema ``parameters`` object."""

    name: str
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ToolCall:
    """A function call chosen by the model."""

    name: str
    arguments: dict[str, Any]
    call_id: str = ""


@dataclass(frozen=True)
class CompletionRequest:
    """What to ask the model. ``purpose`` (``checkin``, ``review``, ``chat`` …) and
    ``athlete_id`` label the usage record."""

    messages: tuple[ModelMessage, ...]
    purpose: str
    athlete_id: str
    tools: tuple[ToolSpec, ...] = ()
    max_tokens: int = 600
    temperature: float = 0.4
    avoid: tuple[str, ...] = ()
    """Sentences the athlete read in the last days; a model may ignore it, the offline
    composer never repeats one."""


@dataclass(frozen=True)
class Completion:
    """The model's answer and what it cost."""

    text: str
    model: str
    provider: str
    tokens_in: int = 0
    tokens_out: int = 0
    latency_ms: float = 0.0
    cost_usd: float = 0.0
    tool_calls: tuple[ToolCall, ...] = ()


class Model(abc.ABC):
    """A chat-completion model."""

    name: str = "model"

    @abc.abstractmethod
    def complete(self, request: CompletionRequest) -> Completion:
        """Run one completion. Raises :class:`ModelError` on failure."""
