"""In-memory port implementations, shipped so users can test their own coach."""

from momentum.core.memory.blob import InMemoryBlob
from momentum.core.memory.chat import RecordingChat
from momentum.core.memory.model import ScriptedModel
from momentum.core.memory.scheduler import InMemoryScheduler
from momentum.core.memory.storage import InMemoryStorage

__all__ = ["InMemoryBlob", "InMemoryScheduler", "InMemoryStorage", "RecordingChat", "ScriptedModel"]
