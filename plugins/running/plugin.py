"""The built-in running domain: its scheduled jobs, the chat tools the model may call and
the deferred work they queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import Domain, Tool
from momentum.core.ports.scheduler import RecurringJob

CHECKIN = RecurringJob(
    "checkin", hour=6, weekdays=(1, 2, 3, 4, 5, 6), description="6 am check-in, Tue–Sun"
)
MONDAY_PLAN = RecurringJob(
    "monday_plan", hour=6, weekdays=(0,), description="6 am Monday: the week laid out"
)
WEEKLY_REFRESH = RecurringJob(
    "weekly_refresh",
    hour=21,
    weekdays=(6,),
    description="Sunday 9 pm: weekly review and plan refresh",
)


@hookimpl
def momentum_domains() -> list[Domain]:
    """The running coach."""
    return [
        Domain(
            name="running",
            description="A running coach: check-ins, run reviews, weekly plans.",
            recurring_jobs=(CHECKIN, MONDAY_PLAN, WEEKLY_REFRESH),
            prompt_dir=Path(__file__).parent / "prompts",
        )
    ]


@hookimpl
def momentum_tools() -> list[Tool]:
    """log_activity, save_reflection, save_activity_note, coaching_question,
    update_profile and adjust_session."""
    from momentum.core.coach.tools import builtin_tools

    return builtin_tools()


@hookimpl
def momentum_deferred_handlers() -> dict[str, Any]:
    """The recompute of stored activities after a profile change (queued by
    ``update_profile``)."""
    from momentum.core.coach.recompute import DEFERRED_HANDLERS

    return dict(DEFERRED_HANDLERS)


@hookimpl
def momentum_dashboard() -> list[Any]:
    """The running section of the Overview, and the Activity and Plan pages."""
    from momentum.plugins.running.dashboard import EXTENSION

    return [EXTENSION]
