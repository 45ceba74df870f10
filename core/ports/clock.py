"""The Clock port: the current time, injectable so tests can move it."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Protocol


class Clock(Protocol):
    """Tells the time. Always returns an aware datetime in UTC."""

    def now(self) -> dt.datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> dt.datetime:
        """The current instant in UTC."""
        return dt.datetime.now(dt.UTC)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, at: dt.datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at.astimezone(dt.UTC)
        self._lock = threading.Lock()

    def now(self) -> dt.datetime:
        """The fixed instant."""
        with self._lock:
            return self._at

    def set(self, at: dt.datetime) -> None:
        """Jump to ``at`` (aware)."""
        with self._lock:
            self._at = at.astimezone(dt.UTC)

    def advance(self, delta: dt.timedelta) -> None:
        """Move forward by ``delta``."""
        with self._lock:
            self._at += delta
