"""In-memory port implementations, shipped so users can test their own coach."""

from core.memory.chat import RecordingChat
from core.memory.model import ScriptedModel
from core.memory.scheduler import InMemoryScheduler
from core.memory.storage import InMemoryStorage

__all__ = ["InMemoryScheduler", "InMemoryStorage", "RecordingChat", "ScriptedModel"]
