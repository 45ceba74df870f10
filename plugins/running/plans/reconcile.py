"""Planned versus actual: mark sessions done, missed or assumed from the activities.

Conventions (RunGPT's "assumption vs reality"):

* A session is done when an activity of a matching kind falls on its local day: a run for a
  run, a strength session for strength, cardio or a run for cross-training.
* A past session without a match is missed. During the weekly refresh, when device data is
  missing (no activity at all after that day), it is *assumed* done instead, for up to
  :data:`ASSUME_DAYS` after the last data, so one late sync does not derail the plan.
* Reconciling again when data arrives turns assumptions into done or missed; it is
  idempotent, so it can run on every new activity. Sessions already done before the first
  activity passed in stay done (the caller may pass only recent activities). A session a
  reshuffle dropped stays dropped, unless a late sync shows it was done after all.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from momentum.core.model.activity import Activity
from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans.history import (
    CROSS,
    RUN,
    STRENGTH,
    History,
    activity_class,
    minutes_of,
)

ASSUME_DAYS = 7
"""Longest gap since the last synced activity still read as "data not uploaded yet"."""

_OPEN = (SessionStatus.PLANNED, SessionStatus.MOVED)


def compatible(kind: SessionKind, activity: Activity) -> bool:
    """Whether ``activity`` fulfils a session of ``kind``."""
    cls = activity_class(activity)
    if kind.is_run:
        return cls == RUN
    if kind is SessionKind.STRENGTH:
        return cls == STRENGTH
    if kind is SessionKind.CROSS:
        return cls in (CROSS, RUN)
    return False


def _priority(session: PlannedSession) -> int:
    if session.kind in (SessionKind.RACE, SessionKind.LONG):
        return 0
    if session.kind.is_hard:
        return 1
    if session.kind is SessionKind.STRENGTH:
        return 3
    return 2


def match_day(
    sessions: Sequence[PlannedSession], activities: Sequence[Activity]
) -> dict[int, Activity]:
    """Assign each activity to at most one session of the day (index → activity); key
    sessions take the longest matching activity."""
    used: set[str] = set()
    out: dict[int, Activity] = {}
    order = sorted(range(len(sessions)), key=lambda i: _priority(sessions[i]))
    for index in order:
        session = sessions[index]
        if session.kind is SessionKind.REST:
            continue
        options = [
            a for a in activities if a.activity_id not in used and compatible(session.kind, a)
        ]
        if not options:
            continue
        best = max(options, key=minutes_of)
        used.add(best.activity_id)
        out[index] = best
    return out


def data_horizon(history: History) -> dt.date | None:
    """The last local day with any synced activity."""
    return max(history.by_day, default=None)


def reconcile_week(
    week: PlanWeek,
    history: History,
    today: dt.date,
    *,
    assume_missing: bool = False,
) -> PlanWeek:
    """``week`` with each session's status and activity id brought up to date."""
    horizon = data_horizon(history)
    covered_from = min(history.by_day, default=None)
    sessions = list(week.sessions)
    by_day: dict[dt.date, list[int]] = {}
    for index, session in enumerate(sessions):
        by_day.setdefault(session.date, []).append(index)
    for day, indexes in by_day.items():
        todays = [sessions[i] for i in indexes]
        matched = match_day(todays, history.by_day.get(day, ()))
        for local, index in enumerate(indexes):
            session = sessions[index]
            if session.kind is SessionKind.REST:
                continue
            if session.status is SessionStatus.DROPPED:
                # Dropped by a reshuffle: it stays dropped unless a late sync shows it done.
                found = matched.get(local)
                if found is not None:
                    sessions[index] = dataclasses.replace(
                        session, status=SessionStatus.DONE, activity_id=found.activity_id
                    )
                continue
            if session.status is SessionStatus.DONE and (
                covered_from is None or day < covered_from
            ):
                continue  # older than the activities we were given: keep what we knew
            activity = matched.get(local)
            if activity is not None:
                sessions[index] = dataclasses.replace(
                    session, status=SessionStatus.DONE, activity_id=activity.activity_id
                )
                continue
            if day < today:
                gap_ok = horizon is None or (
                    day > horizon and (today - horizon).days <= ASSUME_DAYS
                )
                status = (
                    SessionStatus.ASSUMED if assume_missing and gap_ok else SessionStatus.MISSED
                )
            elif session.status in _OPEN:
                status = session.status
            else:
                status = SessionStatus.PLANNED
            sessions[index] = dataclasses.replace(session, status=status, activity_id=None)
    return dataclasses.replace(week, sessions=tuple(sessions))


def reconcile_plan(
    plan: Plan,
    activities: Sequence[Activity],
    today: dt.date,
    *,
    assume_missing: bool = False,
    timezone: str | None = None,
) -> Plan:
    """Bring every week that has started by ``today`` up to date with ``activities``.

    The coach calls this whenever an activity arrives: assumptions made at the weekly
    refresh become done or missed as the data lands.
    """
    history = History.of(activities, timezone or plan.timezone or "UTC")
    weeks = tuple(
        reconcile_week(w, history, today, assume_missing=assume_missing) if w.start <= today else w
        for w in plan.weeks
    )
    return dataclasses.replace(plan, weeks=weeks)
