"""The Blob port: large payloads and uploads (streams, spilled queue payloads, files).

Keys are ``/``-separated relative paths such as ``uploads/adam/run.fit`` or
``deferred/3f2c.json``. Every implementation (local files, S3, Cloud Storage, Blob Storage,
R2, in-memory) validates keys the same way, through :func:`check_key`, so a key that works
on one target works on all of them.
"""

from __future__ import annotations

import abc
from collections.abc import Iterator

from momentum.core.errors import InputError

MAX_KEY_LENGTH = 512
"""The longest key accepted (S3 allows 1,024 bytes, R2 1,024, Azure 1,024 characters)."""


def check_key(key: str) -> str:
    """``key`` if it is a safe relative path; otherwise :class:`InputError` saying why.

    Rejected: empty keys, keys over :data:`MAX_KEY_LENGTH`, a leading ``/``, empty, ``.``
    or ``..`` segments, backslashes and control characters.
    """
    if not key:
        raise InputError("blob key", "is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise InputError("blob key", f"is {len(key)} characters long (at most {MAX_KEY_LENGTH})")
    if key.startswith("/") or "\\" in key:
        raise InputError("blob key", f"must be a relative '/'-separated path: {key!r}")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
        raise InputError("blob key", f"contains a control character: {key!r}")
    if any(part in ("", ".", "..") for part in key.split("/")):
        raise InputError("blob key", f"has an empty, '.' or '..' segment: {key!r}")
    return key


class Blob(abc.ABC):
    """Object storage for bytes that don't belong in a database row or a queue message."""

    @abc.abstractmethod
    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store ``data`` under ``key``, replacing what was there (a whole-object write:
        a reader sees the old bytes or the new, never a mix)."""

    @abc.abstractmethod
    def get(self, key: str) -> bytes | None:
        """The bytes under ``key``, or ``None`` if there are none."""

    @abc.abstractmethod
    def delete(self, key: str) -> None:
        """Remove ``key``; removing a missing key is not an error."""

    @abc.abstractmethod
    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every key that starts with ``prefix``, in ascending order."""

    def names_under(self, folder: str, suffix: str = "") -> list[str]:
        """The percent-decoded names of the keys ``folder + quote(name) + suffix`` (a
        store that keeps one object per record under a folder lists its records' ids)."""
        from urllib.parse import unquote

        return [
            unquote(key[len(folder) : len(key) - len(suffix)])
            for key in self.keys(folder)
            if key.endswith(suffix) and "/" not in key[len(folder) : len(key) - len(suffix)]
        ]

    def delete_prefix(self, prefix: str) -> int:
        """Remove every key that starts with ``prefix``; returns how many. Stores with a
        batch delete (S3) override this one-by-one default."""
        found = list(self.keys(prefix))
        for key in found:
            self.delete(key)
        return len(found)
