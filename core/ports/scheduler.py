"""The Scheduler port: recurring jobs in the athlete's local time, and deferred work.

Deferred work is the "ack now, work later" path: a webhook answers within Slack's three
seconds and hands the slow part (the model call) to :meth:`Scheduler.defer`.
"""

from __future__ import annotations

import abc
from dataclasses import dataclass, field
from typing import Any


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


class Scheduler(abc.ABC):
    """Runs recurring jobs at local times and deferred work soon."""

    @abc.abstractmethod
    def defer(self, job: DeferredJob) -> None:
        """Queue ``job`` to run soon, after the current request has been answered."""

    @abc.abstractmethod
    def recurring_jobs(self) -> list[RecurringJob]:
        """The recurring jobs this scheduler fires."""
