"""The plan as JSON for ``momentum plan --json`` (shape fixed by issue 4)::

    {"weeks": [{"start": "YYYY-MM-DD", "phase": str, "planned_minutes": int,
                "sessions": [{"date": "YYYY-MM-DD", "kind": "easy|long|tempo|intervals|
                              strength|rest|cross|race", "minutes": int, "zone": str,
                              "pace": [fast, slow] or null, "purpose": str}]}]}

``planned_minutes`` is always the sum of the listed sessions' minutes (rest days are 0).
Paces are seconds per kilometre, rounded to 0.1 s.
"""

from __future__ import annotations

from typing import Any

from momentum.plugins.running.model.plan import Plan, PlannedSession, PlanWeek


def session_json(session: PlannedSession) -> dict[str, Any]:
    """One session in the fixed JSON shape."""
    pace = None if session.pace is None else [round(session.pace[0], 1), round(session.pace[1], 1)]
    return {
        "date": session.date.isoformat(),
        "kind": session.kind.value,
        "minutes": int(session.minutes),
        "zone": session.zone,
        "pace": pace,
        "purpose": session.purpose,
    }


def week_json(week: PlanWeek) -> dict[str, Any]:
    """One week in the fixed JSON shape."""
    sessions = [session_json(s) for s in week.sessions]
    return {
        "start": week.start.isoformat(),
        "phase": week.phase,
        "planned_minutes": week.planned_minutes,
        "sessions": sessions,
    }


def plan_json(plan: Plan, weeks: int | None = None) -> dict[str, Any]:
    """The plan's first ``weeks`` weeks (all by default) in the fixed JSON shape."""
    chosen = plan.weeks if weeks is None else plan.weeks[: max(0, weeks)]
    return {"weeks": [week_json(w) for w in chosen]}
