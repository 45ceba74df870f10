"""An in-memory Blob store for tests and the in-process runtime."""

from __future__ import annotations

import threading
from collections.abc import Iterator

from momentum.core.ports.blob import Blob, check_key


class InMemoryBlob(Blob):
    """Keeps objects in a dict; thread-safe; nothing survives the process."""

    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store a copy of ``data`` under ``key``."""
        with self._lock:
            self.objects[check_key(key)] = (bytes(data), content_type)

    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None``."""
        with self._lock:
            found = self.objects.get(check_key(key))
        return found[0] if found else None

    def delete(self, key: str) -> None:
        """Forget ``key`` if present."""
        with self._lock:
            self.objects.pop(check_key(key), None)

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Keys starting with ``prefix``, sorted (a snapshot, safe to delete while iterating)."""
        with self._lock:
            found = sorted(k for k in self.objects if k.startswith(prefix))
        return iter(found)
