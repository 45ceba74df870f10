"""The app one cloud function instance serves: built on the first event, then kept for the
instance's life (a Lambda sandbox, a Functions worker, a Cloud Run instance), so warm
invocations skip configuration, secrets and plugin loading."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from momentum.core.app import App


class AppHolder:
    """Holds the instance's app: the one :meth:`set` gave (tests, a custom composition),
    else the one ``build`` made on first use. Thread-safe: concurrent first requests build
    it once."""

    def __init__(self, build: Callable[[], App]) -> None:
        self._build = build
        self._app: App | None = None
        self._lock = threading.Lock()

    def get(self) -> App:
        """The app, built now if there is none yet."""
        with self._lock:
            if self._app is None:
                self._app = self._build()
            return self._app

    def set(self, app: App | None) -> None:
        """Serve ``app`` from now on; ``None`` forgets it, so the next event builds one."""
        with self._lock:
            self._app = app
