"""Keeping the stored plan in step with what happened, through :mod:`core.plans`.

The coach never edits sessions itself: it asks the plan engine to build, reshuffle or
refresh, and stores the result with a conditional write so a concurrent change (a chat
adjustment while a run syncs) is never lost. If the plan engine fails, the message still
goes out with the plan it had.
"""

from __future__ import annotations

import dataclasses
import logging

from core.coach.view import AthleteView
from core.model import Plan
from core.ports.storage import ConflictError, Storage

log = logging.getLogger("momentum.coach")


def _store(storage: Storage, before: Plan | None, after: Plan) -> Plan:
    if before is not None and _same(before, after):
        return before
    expected = before.version if before is not None else 0
    try:
        return storage.put_plan(after, expected_version=expected)
    except ConflictError:
        log.info("plan for %s changed underneath; keeping the stored one", after.athlete_id)
        return storage.get_plan(after.athlete_id) or after


def _same(a: Plan, b: Plan) -> bool:
    return dataclasses.replace(a, version=0) == dataclasses.replace(b, version=0)


def ensure_plan(storage: Storage, view: AthleteView) -> AthleteView:
    """A view whose plan covers the view's day (built when there is none)."""
    plan = view.plan
    if plan is not None and plan.week_of(view.day) is not None:
        return view
    try:
        from core.plans import build_plan, weekly_refresh

        if plan is None:
            new = build_plan(view.athlete, view.activities, view.memory, view.day)
        else:
            new = weekly_refresh(plan, view.athlete, view.activities, view.memory, view.day)
    except Exception:
        log.exception("could not build a plan for %s", view.athlete_id)
        return view
    return dataclasses.replace(view, plan=_store(storage, plan, new))


def reconcile(storage: Storage, view: AthleteView) -> AthleteView:
    """Reshuffle the current week against what was done (missed days, new activities)."""
    plan = view.plan
    if plan is None or plan.week_of(view.day) is None:
        return ensure_plan(storage, view)
    try:
        from core.plans import reshuffle

        new = reshuffle(plan, view.athlete, view.activities, view.memory, view.day)
    except Exception:
        log.exception("reshuffle failed for %s", view.athlete_id)
        return view
    return dataclasses.replace(view, plan=_store(storage, plan, new))


def record(storage: Storage, view: AthleteView) -> AthleteView:
    """Mark sessions done, missed or assumed now that an activity has arrived."""
    plan = view.plan
    if plan is None:
        return ensure_plan(storage, view)
    try:
        from core.plans import reconcile_plan

        new = reconcile_plan(plan, view.activities, view.day, timezone=view.athlete.timezone)
    except Exception:
        log.exception("reconcile failed for %s", view.athlete_id)
        return view
    return dataclasses.replace(view, plan=_store(storage, plan, new))


def refresh(storage: Storage, view: AthleteView) -> AthleteView:
    """Sunday night: planned vs actual, and the coming weeks regenerated."""
    plan = view.plan
    try:
        from core.plans import build_plan, weekly_refresh

        if plan is None:
            new = build_plan(view.athlete, view.activities, view.memory, view.day)
        else:
            new = weekly_refresh(plan, view.athlete, view.activities, view.memory, view.day)
    except Exception:
        log.exception("weekly refresh failed for %s", view.athlete_id)
        return view
    return dataclasses.replace(view, plan=_store(storage, plan, new))
