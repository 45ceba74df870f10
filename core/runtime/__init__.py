"""The shared serverless runtime: one door (:func:`dispatch`) every adapter calls.

Small modules: :mod:`.envelope` (the JSON envelope and spilling to Blob), :mod:`.events`
(the events beside HTTP and ticks, and :class:`Outcome`), :mod:`.dispatch`, :mod:`.tick`
(the 15-minute fan-out), :mod:`.claims` (claim/run/release), :mod:`.uploads`,
:mod:`.chat` (``LoggingChat``) and :mod:`.copy` (``copy_coach``). Importing this package is
cheap: each module is imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from momentum.core.runtime.dispatch import dispatch
    from momentum.core.runtime.events import DeferredDelivery, Outcome, RunNow, UploadCreated

__all__ = ["DeferredDelivery", "Outcome", "RunNow", "UploadCreated", "dispatch"]


def __getattr__(name: str) -> Any:
    if name == "dispatch":
        from momentum.core.runtime.dispatch import dispatch

        return dispatch
    if name in ("DeferredDelivery", "Outcome", "RunNow", "UploadCreated"):
        from momentum.core.runtime import events

        return getattr(events, name)
    raise AttributeError(f"module 'momentum.core.runtime' has no attribute {name!r}")
