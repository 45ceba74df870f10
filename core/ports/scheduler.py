"""Recurring jobs in the athlete's local time, and the deferred-work record.

The Deferral port itself lives in :mod:`momentum.core.ports.deferral`; ``Scheduler`` is its
old name, kept as an alias.

Deferred work is the "ack now, work later" path: a webhook answers within Slack's three
seconds and hands the slow part (the model call) to :meth:`Scheduler.defer`. Work that must
wait (a data source's rate limit resets in fifteen minutes) goes to
:meth:`Scheduler.defer_at`, which keeps it until then, across restarts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from momentum.core.ports.deferral import Deferral, due_instant

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.model import AthleteProfile

JobRunner = Callable[["App", str, dt.date], None]
"""What a plugin's recurring job runs: ``run(app, athlete_id, local_date)``."""


@dataclass(frozen=True)
class RecurringJob:
    """A job that fires once per local day at ``hour:minute`` on ``weekdays`` (0 = Monday).

    ``name`` is the job kind (``checkin``, ``monday_plan``, ``weekly_refresh``). A plugin's
    job carries its own ``run(app, athlete_id, local_date)``; a job without one is one of
    the coach's built-in jobs, run by :meth:`momentum.plugins.running.coach.engine.Coach.run_job`.
    ``applies(profile)`` narrows it to some athletes.
    """

    name: str
    hour: int
    minute: int = 0
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
    description: str = ""
    run: JobRunner | None = field(default=None, compare=False, repr=False)
    applies: Callable[[AthleteProfile], bool] | None = field(
        default=None, compare=False, repr=False
    )
    """Which athletes the job is for, read from the profile the tick already holds (no
    extra read): ``None`` is everyone. A plugin's job for connected athletes only, or one
    at each athlete's own time (several jobs on the 15-minute grid, each taking the
    athletes whose time falls in its slot), filters here."""


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
