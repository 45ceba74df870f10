"""Ports: the small interfaces core talks through. Adapters implement them per platform."""

from core.ports.chat import Chat, ChatMessageRef
from core.ports.clock import Clock, FixedClock, SystemClock
from core.ports.model import (
    Completion,
    CompletionRequest,
    Model,
    ModelError,
    ModelMessage,
    ToolCall,
    ToolSpec,
)
from core.ports.scheduler import DeferredJob, RecurringJob, Scheduler
from core.ports.storage import ConflictError, Storage

__all__ = [
    "Chat",
    "ChatMessageRef",
    "Clock",
    "Completion",
    "CompletionRequest",
    "ConflictError",
    "DeferredJob",
    "FixedClock",
    "Model",
    "ModelError",
    "ModelMessage",
    "RecurringJob",
    "Scheduler",
    "Storage",
    "SystemClock",
    "ToolCall",
    "ToolSpec",
]
