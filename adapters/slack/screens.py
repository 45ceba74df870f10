"""What ``/momentum week|plan|usage`` show: read the athlete's records, render blocks.

Data comes from Storage and ``momentum.plugins.running.plans.week_status``; layout from
:mod:`momentum.adapters.slack.blocks`. The week is the athlete's local Monday-to-Sunday.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from momentum.adapters.slack import blocks
from momentum.core.app import App
from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import WeekStatus
from momentum.plugins.running.profile import running_profile

Screen = tuple[str, list[blocks.Block]]


def local_today(app: App, athlete: AthleteProfile) -> dt.date:
    """Today in the athlete's time zone."""
    return app.clock.now().astimezone(ZoneInfo(athlete.timezone)).date()


def local_week_range(monday: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    """UTC bounds of the local week starting ``monday`` (DST-safe: local midnights)."""
    zone = ZoneInfo(tz)
    start = dt.datetime.combine(monday, dt.time(), zone).astimezone(dt.UTC)
    end = dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), zone)
    return start, end.astimezone(dt.UTC)


def current_week(app: App, athlete: AthleteProfile) -> tuple[WeekStatus, dt.date, Plan | None]:
    """This week's status for ``athlete``, today's local date and the current plan."""
    from momentum.plugins.running.plans import week_status

    today = local_today(app, athlete)
    monday = today - dt.timedelta(days=today.weekday())
    start, end = local_week_range(monday, athlete.timezone)
    activities = app.storage.list_activities(athlete.athlete_id, start, end)
    plan = app.storage.get_plan(Plan, athlete.athlete_id)
    return week_status(plan, activities, today, timezone=athlete.timezone), today, plan


def week_screen(app: App, athlete: AthleteProfile, note: str = "") -> Screen:
    """The weekly tree with its buttons."""
    status, today, _ = current_week(app, athlete)
    return blocks.week_blocks(status, today, note=note)


def plan_screen(app: App, athlete: AthleteProfile) -> Screen:
    """Goal, phases, Minimum Viable Week and this week."""
    status, today, plan = current_week(app, athlete)
    race = ""
    goal = running_profile(athlete).goal_race
    if goal is not None:
        race = f"{goal.name}, {blocks.month_day(goal.date)} ({(goal.date - today).days} days)"
    return blocks.plan_blocks(plan, status, today, race=race)


def usage_screen(app: App, athlete: AthleteProfile) -> Screen:
    """This calendar month's model usage for ``athlete`` (their local month)."""
    today = local_today(app, athlete)
    zone = ZoneInfo(athlete.timezone)
    start = dt.datetime.combine(today.replace(day=1), dt.time(), zone).astimezone(dt.UTC)
    end = app.clock.now() + dt.timedelta(seconds=1)
    usage = app.storage.list_usage(athlete.athlete_id, start, end)
    return blocks.usage_blocks(usage, f"{today:%B %Y}")


SCREENS: dict[str, Callable[[App, AthleteProfile], Screen]] = {
    "week": week_screen,
    "plan": plan_screen,
    "usage": usage_screen,
}
"""Slash-command words that show a screen (``help`` is answered in the ack itself)."""
