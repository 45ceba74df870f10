"""The running section of the Overview: "did it work?" in numbers, ready for charts.

Every number is computed here by the analytics the coach itself uses (the PMC of
:mod:`momentum.plugins.running.analytics.load`, :func:`~momentum.plugins.running.plans.week_status`
for the weekly
picture, the evidence behind VDOT) and rounded once; the page only draws them. The result
is plain JSON-ready data, merged into the Overview's model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.analytics.load import local_day, pmc
from momentum.plugins.running.analytics.prediction import DISTANCES, trend
from momentum.plugins.running.analytics.trends import weekly_volume
from momentum.plugins.running.coach.metrics import Fitness
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import week_status

VOLUME_WEEKS = (12, 52)
CALENDAR_WEEKS = 12
PMC_DAYS = 365
VDOT_EVERY_WEEKS = 4


def _r(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def by_week(
    activities: Sequence[Activity], athlete: AthleteProfile
) -> dict[dt.date, list[Activity]]:
    """Activities grouped by the Monday of their local day, so each week's picture reads
    only its own week (the same result as reading them all, in a fraction of the time)."""
    weeks: dict[dt.date, list[Activity]] = {}
    for activity in activities:
        day = local_day(activity.start, athlete.timezone)
        weeks.setdefault(day - dt.timedelta(days=day.weekday()), []).append(activity)
    return weeks


def volume_weeks(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    plan: Plan | None,
    today: dt.date,
    weeks: int,
) -> list[dict[str, Any]]:
    """``weeks`` Monday-to-Sunday weeks up to ``today``'s: aerobic minutes done and
    planned (the coach's weekly picture; ``None`` for weeks the plan does not cover),
    distance and training load."""
    rows = []
    grouped = by_week(activities, athlete)
    for volume in weekly_volume(activities, athlete, today, weeks):
        own = grouped.get(volume.week_start, [])
        status = week_status(plan, own, volume.week_start, timezone=athlete.timezone)
        covered = plan is not None and plan.week_of(volume.week_start) is not None
        rows.append(
            {
                "week": volume.week_start.isoformat(),
                "minutes": status.aerobic_minutes_done,
                "planned_minutes": status.aerobic_minutes_planned if covered else None,
                "distance_km": round(volume.distance_meters / 1000.0, 1),
                "load": round(volume.load, 1),
            }
        )
    return rows


def consistency_days(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    plan: Plan | None,
    today: dt.date,
    weeks: int = CALENDAR_WEEKS,
) -> list[dict[str, Any]]:
    """Each day of the last ``weeks`` weeks up to ``today``: ``done``, ``missed``,
    ``rest``, ``extra`` or ``planned`` as the weekly picture has it."""
    first = today - dt.timedelta(days=today.weekday()) - dt.timedelta(weeks=weeks - 1)
    days = []
    grouped = by_week(activities, athlete)
    for k in range(weeks):
        monday = first + dt.timedelta(weeks=k)
        status = week_status(plan, grouped.get(monday, []), monday, timezone=athlete.timezone)
        for day in status.days:
            if day.day > today:
                continue
            days.append(
                {
                    "day": day.day.isoformat(),
                    "week": status.start.isoformat(),
                    "weekday": day.day.strftime("%a"),
                    "status": day.status,
                    "minutes": round(sum(a.moving_time_seconds for a in day.activities) / 60),
                }
            )
    return days


def pmc_points(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date, days: int = PMC_DAYS
) -> list[dict[str, Any]]:
    """Daily fitness (CTL), fatigue (ATL) and form (TSB) for the last ``days`` days, from
    the first day with an activity when the history is shorter (before it the PMC would
    only repeat its seed)."""
    upto = [a for a in activities if local_day(a.start, athlete.timezone) <= today]
    start = today - dt.timedelta(days=days - 1)
    if upto:
        start = max(start, min(local_day(a.start, athlete.timezone) for a in upto))
    return [
        {
            "day": p.day.isoformat(),
            "fitness": round(p.ctl, 1),
            "fatigue": round(p.atl, 1),
            "form": round(p.tsb, 1),
        }
        for p in pmc(upto, athlete, start, today)
    ]


def efficiency_points(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date, days: int = PMC_DAYS
) -> list[dict[str, Any]]:
    """Each run's aerobic efficiency (EF, metres per minute per beat) and decoupling (%)."""
    start = today - dt.timedelta(days=days - 1)
    rows = []
    for a in activities:
        day = local_day(a.start, athlete.timezone)
        if not a.is_run or not start <= day <= today or a.efficiency_factor is None:
            continue
        rows.append(
            {
                "day": day.isoformat(),
                "activity_id": a.activity_id,
                "ef": round(a.efficiency_factor, 3),
                "decoupling": _r(a.decoupling_percent),
            }
        )
    return rows


def vdot_points(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    today: dt.date,
    weeks: int = 52,
    every: int = VDOT_EVERY_WEEKS,
) -> list[dict[str, Any]]:
    """VDOT and predicted race times every ``every`` weeks over the last ``weeks``, each
    from only the evidence known that day
    (:func:`momentum.plugins.running.analytics.prediction.trend`)."""
    rows = []
    for point in trend(athlete, activities, today, range(weeks, -1, -every)):
        if point.evidence is None:
            continue
        rows.append(
            {
                "day": point.day.isoformat(),
                "vdot": round(point.evidence.vdot, 1),
                "source": point.evidence.source,
                "predictions": {
                    label: round(point.seconds(metres) or 0.0) for label, metres in DISTANCES
                },
            }
        )
    return rows


def running_overview(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    plan: Plan | None,
    today: dt.date,
    headline: Fitness,
) -> dict[str, Any]:
    """Everything the running section shows for ``athlete`` as of local ``today``.

    ``headline`` is the fitness the coach prints that day
    (:func:`momentum.plugins.running.coach.metrics.fitness` of its view), so the page's figures read
    as the check-in's; the PMC chart is the year's curve from ``activities``.
    """
    return {
        "has_data": bool(activities),
        "fitness": {
            "fitness": _r(headline.ctl),
            "fatigue": _r(headline.atl),
            "form": _r(headline.tsb),
            "change_30d_percent": _r(headline.change_30d_percent),
            "durability": headline.durability,
        },
        "volume": {str(w): volume_weeks(athlete, activities, plan, today, w) for w in VOLUME_WEEKS},
        "consistency": consistency_days(athlete, activities, plan, today),
        "pmc": pmc_points(athlete, activities, today),
        "efficiency": efficiency_points(athlete, activities, today),
        "vdot": vdot_points(athlete, activities, today),
    }
