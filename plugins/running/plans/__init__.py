"""Plan engine: periodised race plans that adapt every week (issue 4).

Public surface (agreed with the coach engine and the demo):

- :func:`build_plan` – a macrocycle, a Minimum Viable Week and a rolling window of weeks.
- :func:`weekly_refresh` – Sunday night: planned vs actual, regenerate the coming weeks.
- :func:`reshuffle` – midweek: move key sessions after missed days.
- :func:`adjust_session` – replace one day's session ("only 20 minutes", "calf is sore").
- :func:`week_status` – the weekly picture the coach renders (:class:`WeekStatus`).
- :func:`swap_sessions` – swap two days of a week, refused when it breaks a guardrail.

Also: :func:`reconcile_plan` (mark sessions done/missed/assumed when activities arrive),
:func:`plan_json` (the ``momentum plan --json`` shape) and :func:`check_plan` (guardrails).
"""

from __future__ import annotations

from momentum.plugins.running.plans.adjust import adjust_session
from momentum.plugins.running.plans.builder import build_plan
from momentum.plugins.running.plans.export import plan_json
from momentum.plugins.running.plans.guardrails import check_plan
from momentum.plugins.running.plans.reconcile import reconcile_plan
from momentum.plugins.running.plans.refresh import weekly_refresh
from momentum.plugins.running.plans.reshuffle import reshuffle
from momentum.plugins.running.plans.status import DayStatus, WeekStatus, week_status
from momentum.plugins.running.plans.swap import swap_sessions

__all__ = [
    "DayStatus",
    "WeekStatus",
    "adjust_session",
    "build_plan",
    "check_plan",
    "plan_json",
    "reconcile_plan",
    "reshuffle",
    "swap_sessions",
    "week_status",
    "weekly_refresh",
]
