"""Read-only views of a coach: the same code as the jobs, with nothing kept.

``momentum plan``, ``week``, ``checkin`` and the other views show what the coach would say
or plan, and may need a plan built, reconciled or a message drafted to do so. They run on
:func:`read_only`'s copy of the app: its storage is an
:class:`~momentum.core.memory.overlay.OverlayStorage` over the real one, its scheduler and
chat are in memory, so the stored plan (and every adjustment in it), the messages and every
other table are exactly as before. Only the scheduled jobs, ``plan adjust`` and chat change
what is stored.
"""

from __future__ import annotations

import copy
import dataclasses

from momentum.core.app import App
from momentum.core.memory.chat import RecordingChat
from momentum.core.memory.overlay import OverlayStorage
from momentum.core.memory.scheduler import InMemoryScheduler


def read_only(app: App) -> App:
    """A copy of ``app`` whose writes stay in memory (reads still see the real storage). A
    model chain that records usage in the app's storage gets a copy that records it in the
    overlay instead."""
    overlay = OverlayStorage(app.storage)
    model = app.model
    if getattr(model, "storage", None) is app.storage:
        model = copy.copy(model)
        model.storage = overlay  # type: ignore[attr-defined]
    return dataclasses.replace(
        app,
        storage=overlay,
        model=model,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        deferred_handlers=dict(app.deferred_handlers),
        routes=dict(app.routes),
        _coach=None,
    )


def is_read_only(app: App) -> bool:
    """True for an app made by :func:`read_only`."""
    return isinstance(app.storage, OverlayStorage)
