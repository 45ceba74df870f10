"""The running domain's dashboard: its Overview section and its Activity and Plan pages.

The figures come from the coach's own running analytics (:mod:`.overview`,
:mod:`.activity`, :mod:`.plan`), the charts from :mod:`.charts`; core's dashboard host
serves them (see :mod:`momentum.core.dashboard.registry`). The modules that compute are
imported when a page is built, not when the plugin is loaded.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from momentum.core.dashboard.registry import DashboardExtension, DashboardPage, DashboardSection
from momentum.core.errors import NotFoundError
from momentum.plugins.running.model.plan import Plan

if TYPE_CHECKING:
    from momentum.core.dashboard.pages import DashboardData
    from momentum.core.model import Activity

PMC_DAYS = 365
HISTORY_DAYS = PMC_DAYS + 2 * 42
"""A year of charts plus room for the PMC's seed and the VDOT evidence of a year ago."""
TEMPLATES = Path(__file__).parent / "templates"


def pace_text(seconds_per_km: float | None) -> str:
    """``5:07`` for 307 s/km; ``–`` when unknown."""
    if seconds_per_km is None:
        return "–"
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d}"


def activities(data: DashboardData, days: int = HISTORY_DAYS) -> list[Activity]:
    """Activities of the last ``days`` days up to the end of ``data.today``, oldest first."""
    end = data.day_end()
    found = data.storage.list_activities(data.athlete_id, end - dt.timedelta(days=days), end)
    return sorted((a for a in found if not a.is_deleted), key=lambda a: a.start)


def overview_section(data: DashboardData) -> dict[str, Any]:
    """The running section's model (see :func:`.overview.running_overview`)."""
    from momentum.plugins.running.coach.metrics import fitness
    from momentum.plugins.running.coach.view import load_view
    from momentum.plugins.running.dashboard.overview import running_overview

    view = load_view(data.storage, data.athlete_id, data.today)
    return running_overview(data.athlete(), activities(data), view.plan, data.today, fitness(view))


def overview_charts(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The running section's charts."""
    from momentum.plugins.running.dashboard import charts

    return charts.overview_charts(model)


def activity_model(data: DashboardData, activity_id: str | None) -> dict[str, Any]:
    """The Activity page's model for ``activity_id`` (the latest when ``None``)."""
    from momentum.plugins.running.dashboard.activity import activity_list, activity_page

    athlete = data.athlete()
    recent = activities(data, days=PMC_DAYS)
    if activity_id is None:
        if not recent:
            raise NotFoundError("no activities yet")
        activity_id = recent[-1].activity_id
    activity = data.storage.get_activity(data.athlete_id, activity_id)
    if activity is None or activity.is_deleted:
        raise NotFoundError(f"no activity {activity_id!r}")
    if activity.streams is None:
        streams = data.storage.get_streams(data.athlete_id, activity_id)
        if streams is not None:
            activity = dataclasses.replace(activity, streams=streams)
    model = activity_page(activity, athlete, data.storage.get_plan(Plan, data.athlete_id))
    model["recent"] = activity_list(recent, athlete)
    return model


def activity_charts(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The Activity page's charts."""
    from momentum.plugins.running.dashboard import charts

    return charts.activity_charts(model)


def plan_model(data: DashboardData, rest: str | None) -> dict[str, Any]:
    """The Plan page's model (no sub-pages: ``/plan/<anything>`` is not found)."""
    from momentum.plugins.running.dashboard.plan import plan_page

    if rest:
        raise NotFoundError(f"no page /plan/{rest}")
    return plan_page(
        data.athlete(),
        data.storage.get_plan(Plan, data.athlete_id),
        activities(data, days=14),
        data.today,
    )


def plan_charts(model: dict[str, Any]) -> list[dict[str, Any]]:
    """The Plan page's chart."""
    from momentum.plugins.running.dashboard import charts

    return charts.plan_charts(model)


EXTENSION = DashboardExtension(
    "running",
    sections=(
        DashboardSection(
            "running",
            build=overview_section,
            charts=overview_charts,
            template="running_overview.html.j2",
            after="running_overview_after.html.j2",
        ),
    ),
    pages=(
        DashboardPage("activity", "Activity", activity_model, activity_charts, "activity.html.j2"),
        DashboardPage("plan", "Plan", plan_model, plan_charts, "plan.html.j2"),
    ),
    templates=TEMPLATES,
    filters={"pace": pace_text},
)
"""What the running domain adds to the dashboard."""
