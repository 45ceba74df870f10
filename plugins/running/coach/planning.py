"""Keeping the stored plan in step with what happened, through
:mod:`momentum.plugins.running.plans`.

The coach never edits sessions itself: it asks the plan engine to build, reshuffle or
refresh, fits the result to the athlete's health records
(:mod:`momentum.plugins.running.coach.safety`)
and stores it with a conditional write so a concurrent change (a chat
adjustment while a run syncs) is never lost. If the plan engine fails, the message still
goes out with the plan it had.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable

from momentum.core.ports.storage import ConflictError, Storage
from momentum.plugins.running.coach.view import AthleteView
from momentum.plugins.running.model.plan import Plan

log = logging.getLogger("momentum.coach")


def _store(storage: Storage, before: Plan | None, after: Plan) -> Plan:
    if before is not None and _same(before, after):
        return before
    expected = before.version if before is not None else 0
    try:
        return storage.put_plan(after, expected_version=expected)
    except ConflictError:
        log.info("plan for %s changed underneath; keeping the stored one", after.athlete_id)
        return storage.get_plan(Plan, after.athlete_id) or after


def _same(a: Plan, b: Plan) -> bool:
    return dataclasses.replace(a, version=0) == dataclasses.replace(b, version=0)


def _apply(
    storage: Storage, view: AthleteView, what: str, change: Callable[[Plan | None], Plan]
) -> AthleteView:
    """Run one plan change and store it. A failing plan engine is logged, never fatal: the
    coach still answers from the plan it had."""
    from momentum.plugins.running.coach import safety  # regexes compiled on first plan change only

    try:
        new = change(view.plan)
        # Health records outrank every plan change: no refresh brings back a run they rule out.
        new = safety.overlay(new, view.memory, view.day)
    except Exception:
        log.exception("%s failed for %s", what, view.athlete_id)
        return view
    return dataclasses.replace(view, plan=_store(storage, view.plan, new))


def store_change(storage: Storage, view: AthleteView, new: Plan) -> Plan:
    """Store a plan change made outside the plan engine's usual calls (a readiness
    softening), fitted to the health records and written conditionally."""
    from momentum.plugins.running.coach import safety

    return _store(storage, view.plan, safety.overlay(new, view.memory, view.day))


def _built_or_refreshed(view: AthleteView) -> Callable[[Plan | None], Plan]:
    def change(plan: Plan | None) -> Plan:
        from momentum.plugins.running.plans import build_plan, weekly_refresh

        if plan is None:
            return build_plan(view.athlete, view.activities, view.memory, view.day)
        return weekly_refresh(plan, view.athlete, view.activities, view.memory, view.day)

    return change


def ensure_plan(storage: Storage, view: AthleteView) -> AthleteView:
    """A view whose plan covers the view's day (built when there is none)."""
    if view.plan is not None and view.plan.week_of(view.day) is not None:
        return view
    return _apply(storage, view, "building a plan", _built_or_refreshed(view))


def reconcile(storage: Storage, view: AthleteView) -> AthleteView:
    """Reshuffle the current week against what was done (missed days, new activities)."""
    if view.plan is None or view.plan.week_of(view.day) is None:
        return ensure_plan(storage, view)

    def change(plan: Plan | None) -> Plan:
        from momentum.plugins.running.plans import reshuffle

        assert plan is not None
        return reshuffle(plan, view.athlete, view.activities, view.memory, view.day)

    return _apply(storage, view, "reshuffle", change)


def record(storage: Storage, view: AthleteView) -> AthleteView:
    """Mark sessions done, missed or assumed now that an activity has arrived."""
    if view.plan is None:
        return ensure_plan(storage, view)

    def change(plan: Plan | None) -> Plan:
        from momentum.plugins.running.plans import reconcile_plan

        assert plan is not None
        return reconcile_plan(plan, view.activities, view.day, timezone=view.athlete.timezone)

    return _apply(storage, view, "reconcile", change)


def refresh(storage: Storage, view: AthleteView) -> AthleteView:
    """Sunday night: planned vs actual, and the coming weeks regenerated."""
    return _apply(storage, view, "weekly refresh", _built_or_refreshed(view))


def protect(storage: Storage, view: AthleteView) -> AthleteView:
    """Fit the stored plan to the athlete's health records (after a report, a "better now"
    or a tool call that changed the plan)."""
    if view.plan is None:
        return view

    def change(plan: Plan | None) -> Plan:
        assert plan is not None
        return plan

    return _apply(storage, view, "safety overlay", change)
