"""The runtime's events beside :class:`~momentum.core.events.HttpRequest` and
:class:`~momentum.core.events.ScheduledTick`, and the neutral :class:`Outcome`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DeferredDelivery:
    """A deferred envelope delivered by a platform. ``delivery_id`` is the platform's id
    for this delivery, the same on its retries (Lambda request id, Cloud Tasks task name,
    Azure message id, Cloudflare message id); ``""`` when the platform has none."""

    envelope: dict[str, Any]
    delivery_id: str = ""


@dataclass(frozen=True)
class RunNow:
    """Run one recurring job for one athlete now (an operator's smoke test); ``date`` is
    the athlete's local today when ``None``."""

    job: str
    athlete_id: str
    date: dt.date | None = None


@dataclass(frozen=True)
class UploadCreated:
    """A file landed in the Blob store under ``uploads/<athlete>/<file>``."""

    key: str


@dataclass
class Outcome:
    """What handling a non-HTTP event did: a small JSON-ready mapping the adapter returns
    or logs (``ran``, ``duplicate``, ``skipped``, ``error``, ``fired``, ``imported``...)."""

    values: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def get(self, key: str, default: Any = None) -> Any:
        """A value, or ``default``."""
        return self.values.get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def as_dict(self) -> dict[str, Any]:
        """A copy as a plain dict."""
        return dict(self.values)
