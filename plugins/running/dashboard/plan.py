"""The Plan page's figures: the coming weeks with their phases, and this week's sessions.

Weekly minutes are :attr:`PlanWeek.planned_minutes`; this week's days are the coach's
weekly picture (:func:`momentum.plugins.running.plans.week_status`), the one ``momentum week`` and
the
Slack tree show.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.model.plan import Plan
from momentum.plugins.running.plans import week_status

COMING_WEEKS = 16


def plan_page(
    athlete: AthleteProfile,
    plan: Plan | None,
    activities: Sequence[Activity],
    today: dt.date,
    weeks: int = COMING_WEEKS,
) -> dict[str, Any]:
    """Everything the Plan page shows as of local ``today`` (``has_plan`` false without one)."""
    status = week_status(plan, activities, today, timezone=athlete.timezone)
    monday = status.start
    coming = [w for w in plan.weeks if w.start >= monday][:weeks] if plan else []
    return {
        "page": "plan",
        "athlete": {"id": athlete.athlete_id, "name": athlete.name},
        "today": today.isoformat(),
        "has_plan": plan is not None,
        "goal": plan.goal if plan else "",
        "phases": [
            {
                "name": p.name,
                "start": p.start.isoformat(),
                "end": p.end.isoformat(),
                "focus": p.focus,
            }
            for p in (plan.phases if plan else ())
        ],
        "weeks": [
            {
                "week": w.start.isoformat(),
                "phase": w.phase,
                "planned_minutes": w.planned_minutes,
                "recovery": w.is_recovery,
                "sessions": len([s for s in w.sessions if s.kind.value != "rest"]),
            }
            for w in coming
        ],
        "this_week": {
            "start": monday.isoformat(),
            "phase": status.phase,
            "aerobic_minutes_done": status.aerobic_minutes_done,
            "aerobic_minutes_planned": status.aerobic_minutes_planned,
            "mvw": {k: list(v) for k, v in status.mvw.items()},
            "days": [
                {
                    "day": d.day.isoformat(),
                    "weekday": d.day.strftime("%a"),
                    "status": d.status,
                    "sessions": [
                        {
                            "kind": s.kind.value,
                            "title": s.title or s.kind.value,
                            "minutes": s.minutes,
                            "zone": s.zone,
                            "optional": s.optional,
                            "purpose": s.purpose,
                        }
                        for s in d.sessions
                    ],
                    "done_minutes": round(sum(a.moving_time_seconds for a in d.activities) / 60),
                }
                for d in status.days
            ],
        },
    }
