"""Recurring jobs in the athlete's local time, and the deferred-work record.

The Deferral port itself lives in :mod:`momentum.core.ports.deferral`; ``Scheduler`` is its
old name, kept as an alias.

Deferred work is the "ack now, work later" path: a webhook answers within Slack's three
seconds and hands the slow part (the model call) to :meth:`Scheduler.defer`. Work that must
wait (a data source's rate limit resets in fifteen minutes) goes to
:meth:`Scheduler.defer_at`, which keeps it until then, across restarts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from momentum.core.ports.deferral import Deferral, due_instant


@dataclass(frozen=True)
class RecurringJob:
    """A job that fires once per local day at ``hour:minute`` on ``weekdays`` (0 = Monday).

    ``name`` is the job kind (``checkin``, ``monday_plan``, ``weekly_refresh``).
    """

    name: str
    hour: int
    minute: int = 0
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    description: str = ""


@dataclass(frozen=True)
class DeferredJob:
    """Work to run after the caller has answered. ``kind`` names a handler registered on
    the app; ``payload`` is JSON-ready; ``key`` makes it idempotent."""

    kind: str
    payload: dict[str, Any] = field(default_factory=dict)
    key: str = ""


Scheduler = Deferral
"""The Deferral port under its old name (kept while code moves over)."""

__all__ = ["Deferral", "DeferredJob", "RecurringJob", "Scheduler", "due_instant"]
