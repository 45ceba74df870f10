"""Ports: the small interfaces core talks through. Adapters implement them per platform."""

from momentum.core.ports.blob import Blob
from momentum.core.ports.chat import Chat, ChatMessageRef
from momentum.core.ports.clock import Clock, FixedClock, SystemClock
from momentum.core.ports.model import (
    Completion,
    CompletionRequest,
    Model,
    ModelError,
    ModelMessage,
    ToolCall,
    ToolSpec,
)
from momentum.core.ports.scheduler import DeferredJob, RecurringJob, Scheduler
from momentum.core.ports.secrets import MappingSecrets, Secrets
from momentum.core.ports.storage import ConflictError, Storage

__all__ = [
    "Blob",
    "Chat",
    "ChatMessageRef",
    "Clock",
    "Completion",
    "CompletionRequest",
    "ConflictError",
    "DeferredJob",
    "FixedClock",
    "MappingSecrets",
    "Model",
    "ModelError",
    "ModelMessage",
    "RecurringJob",
    "Scheduler",
    "Secrets",
    "Storage",
    "SystemClock",
    "ToolCall",
    "ToolSpec",
]
