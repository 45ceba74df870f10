"""The weekly picture: each day's planned session, what was done, and the MVW ticks.

Conventions (the talk's weekly tree):

* Status per day: ``done`` (a planned session has a matching activity, or was assumed done
  without device data), ``planned`` (today or later, not done yet), ``missed`` (a past day
  whose session has no match), ``rest`` (nothing planned, nothing done) and ``extra``
  (something done on a day with nothing planned, or nothing it matched).
* Aerobic minutes are runs and cardio cross-training: done from the activities, planned
  from the plan's run and cross-training sessions ("Aerobic: 2:48h / 5:00h"). Planned counts
  only the sessions the week still holds: done, missed, moved and still-to-do sessions, but
  never one a reshuffle (or any other edit) dropped (status ``dropped``). A dropped session
  on a past day still shows that day as missed (or done, if a late sync matches it).
* Minimum Viable Week ticks count what was done: runs of 15+ minutes (the long run counts
  as a run, as in the talk's "3 runs ✓✓✓ | Long Run ✓"), a long run when one run reached 90 %
  of the MVW's shortest long run (or the planned long run was done), and strength sessions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from momentum.core.model.activity import Activity
from momentum.plugins.running.model.plan import (
    MinimumViableWeek,
    Plan,
    PlannedSession,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans.dates import monday_of, week_days
from momentum.plugins.running.plans.history import (
    MIN_COUNTED_RUN,
    RUN,
    STRENGTH,
    activity_class,
    day_of,
    is_aerobic,
    minutes_of,
)
from momentum.plugins.running.plans.reconcile import match_day

DONE, PLANNED, MISSED, REST, EXTRA = "done", "planned", "missed", "rest", "extra"
LONG_RUN_SHARE = 0.9


@dataclass(frozen=True)
class DayStatus:
    """One day of the weekly picture."""

    day: dt.date
    session: PlannedSession | None
    """The day's main planned session (the run when there is also strength), or ``None``."""
    activities: tuple[Activity, ...] = ()
    status: str = REST
    sessions: tuple[PlannedSession, ...] = ()
    """Every non-rest session planned that day."""
    assumed: bool = False
    """Counted done without device data (weekly refresh's assumption)."""


@dataclass(frozen=True)
class WeekStatus:
    """The weekly picture: seven days, aerobic minutes and Minimum Viable Week ticks."""

    start: dt.date
    days: tuple[DayStatus, ...] = ()
    aerobic_minutes_done: int = 0
    aerobic_minutes_planned: int = 0
    mvw: dict[str, tuple[int, int]] = field(default_factory=dict)
    """``{"runs": (done, target), "long_run": (…), "strength": (…)}``."""
    phase: str = ""
    changes: tuple[str, ...] = ()

    @property
    def mvw_complete(self) -> bool:
        """Every part of the Minimum Viable Week is ticked."""
        return all(done >= target for done, target in self.mvw.values())


def _main(sessions: Sequence[PlannedSession]) -> PlannedSession | None:
    if not sessions:
        return None
    return min(sessions, key=lambda s: (s.kind is SessionKind.STRENGTH, s.optional, -s.minutes))


def _day_state(
    day: dt.date, today: dt.date, planned: Sequence[PlannedSession], done: Sequence[Activity]
) -> tuple[str, bool]:
    if not planned:
        return (EXTRA if done else REST), False
    matched = match_day(planned, done)
    if matched:
        return DONE, False
    if any(s.status is SessionStatus.ASSUMED for s in planned) and day < today:
        return DONE, True
    if day < today:
        if all(s.optional for s in planned):
            return (EXTRA if done else REST), False
        return MISSED, False
    return PLANNED, False


def week_status(
    plan: Plan | None,
    activities: Sequence[Activity],
    day: dt.date,
    *,
    timezone: str | None = None,
) -> WeekStatus:
    """The weekly picture for the Monday–Sunday week containing ``day``.

    ``timezone`` places activities on local days (default: the plan's, else UTC). Works
    without a plan: every active day is ``extra`` and the MVW is the default floor.
    """
    zone = timezone or (plan.timezone if plan is not None else "") or "UTC"
    start = monday_of(day)
    days = week_days(start)
    week = plan.week_of(day) if plan is not None else None
    mvw = plan.mvw if plan is not None else MinimumViableWeek()
    by_day: dict[dt.date, list[Activity]] = {d: [] for d in days}
    for activity in activities:
        local = day_of(activity, zone)
        if local in by_day:
            by_day[local].append(activity)
    out: list[DayStatus] = []
    for d in days:
        on_day = [s for s in (week.sessions if week else ()) if s.date == d]
        planned = tuple(
            s
            for s in on_day
            if s.kind is not SessionKind.REST and s.status is not SessionStatus.DROPPED
        )
        if not planned and d < day:  # only dropped ones left: the day was still missed
            planned = tuple(s for s in on_day if s.status is SessionStatus.DROPPED)
        done = tuple(sorted(by_day[d], key=lambda a: a.start))
        state, assumed = _day_state(d, day, planned, done)
        out.append(DayStatus(d, _main(planned), done, state, planned, assumed))
    week_acts = [a for d in days for a in by_day[d]]
    aerobic_done = sum(minutes_of(a) for a in week_acts if is_aerobic(a))
    aerobic_planned = sum(
        s.minutes
        for s in (week.sessions if week else ())
        if (s.kind.is_run or s.kind is SessionKind.CROSS) and s.status is not SessionStatus.DROPPED
    )
    runs = [a for a in week_acts if activity_class(a) == RUN and minutes_of(a) >= MIN_COUNTED_RUN]
    long_done = any(minutes_of(a) >= LONG_RUN_SHARE * mvw.long_minutes[0] for a in runs) or any(
        ds.status == DONE
        and not ds.assumed
        and any(s.kind is SessionKind.LONG for s in ds.sessions)
        for ds in out
    )
    strength = [a for a in week_acts if activity_class(a) == STRENGTH]
    return WeekStatus(
        start=start,
        days=tuple(out),
        aerobic_minutes_done=round(aerobic_done),
        aerobic_minutes_planned=int(aerobic_planned),
        mvw={
            "runs": (len(runs), mvw.easy_runs),
            "long_run": (1 if long_done else 0, mvw.long_runs),
            "strength": (len(strength), mvw.strength_sessions),
        },
        phase=week.phase if week else "",
        changes=week.changes if week else (),
    )
