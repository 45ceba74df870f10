"""The built-in running domain: its scheduled jobs, the chat tools the model may call and
the deferred work they queue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from momentum.core.coach.jobs import CHECKIN, MONDAY_PLAN, WEEKLY_REFRESH
from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import Brief, Domain, Tool, Wording
from momentum.plugins.running.model.plan import Plan

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.coach.loop import CoachEngine
    from momentum.core.ports.model import Model
    from momentum.plugins.running.coach.engine import Coach


@hookimpl
def momentum_domains() -> list[Domain]:
    """The running coach."""
    return [
        Domain(
            name="running",
            description="A running coach: check-ins, run reviews, weekly plans.",
            recurring_jobs=(CHECKIN, MONDAY_PLAN, WEEKLY_REFRESH),
            prompt_dir=Path(__file__).parent / "prompts",
            checkin=_checkin,
            weekly_plan=_weekly_plan,
            weekly_review=_weekly_review,
            engine=_engine,
            composer=_composer,
            writer=_writer,
            plan_record=Plan,
        )
    ]


def _coach(app: App) -> Coach:
    """The app's running coach (its engine), or a new one for an app whose coach is not."""
    from momentum.plugins.running.coach.engine import Coach

    coach = app.coach
    return coach if isinstance(coach, Coach) else Coach(app)


def _checkin(app: App, athlete_id: str, day: dt.date) -> Brief:
    """Running's part of the morning check-in."""
    return _coach(app).checkin_brief(athlete_id, day)


def _weekly_plan(app: App, athlete_id: str, day: dt.date) -> Brief:
    """Running's part of Monday's plan."""
    return _coach(app).plan_brief(athlete_id, day)


def _weekly_review(app: App, athlete_id: str, day: dt.date) -> Brief:
    """Running's part of the weekly review of the week ending ``day``."""
    return _coach(app).review_brief(athlete_id, day)


def _writer(app: App, wording: Wording) -> tuple[str, str]:
    """Running's words for a loop message it leads: its prompts through the model chain,
    its offline composer last."""
    return _coach(app).write(wording)


def _engine(app: App) -> CoachEngine:
    """The running coach engine (imported on first use: plans, analytics and prompts load
    only when a message is written)."""
    from momentum.plugins.running.coach.engine import Coach

    return Coach(app)


def _composer() -> Model:
    """The running coach's offline composer (per-state example templates, chat intents)."""
    from momentum.plugins.running.coach.offline import OfflineComposer

    return OfflineComposer()


@hookimpl
def momentum_tools() -> list[Tool]:
    """log_activity, save_reflection, save_activity_note, coaching_question,
    update_profile and adjust_session."""
    from momentum.plugins.running.coach.tools import builtin_tools

    return builtin_tools()


@hookimpl
def momentum_deferred_handlers() -> dict[str, Any]:
    """The recompute of stored activities after a profile change (queued by
    ``update_profile``)."""
    from momentum.plugins.running.coach.recompute import DEFERRED_HANDLERS

    return dict(DEFERRED_HANDLERS)


@hookimpl
def momentum_dashboard() -> list[Any]:
    """The running section of the Overview, and the Activity and Plan pages."""
    from momentum.plugins.running.dashboard import EXTENSION

    return [EXTENSION]
