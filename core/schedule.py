"""When recurring jobs are due, in the athlete's local time, exactly once per local day.

The rule every scheduler shares (in-process loop, EventBridge, Cloud Scheduler, cron
triggers): a job is due on a local date at its local ``hour:minute``. If that wall time
does not exist that day (spring-forward gap) it is due at the first instant after the
gap; if it happens twice (fall-back) it is due at the first. A job fires at most once per
(job, athlete, local date): :func:`fire_due` claims that key in Storage before running,
so restarts and duplicate deliveries can't fire it twice. A job more than ``grace`` late
is skipped rather than sent at the wrong time of day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from momentum.core.ports.scheduler import RecurringJob

DEFAULT_GRACE = dt.timedelta(hours=2)
CLAIM_TTL = dt.timedelta(days=8)
"""How long a finished run's claim is kept: longer than any grace window."""
RUN_LEASE = dt.timedelta(minutes=15)
"""How long a running job holds its claim; if the process dies, a later tick retries."""


@dataclass(frozen=True)
class DueRun:
    """One job due for one athlete on one local date."""

    job: RecurringJob
    athlete_id: str
    local_date: dt.date
    due_at: dt.datetime

    @property
    def key(self) -> str:
        """The idempotency key that makes it once-per-local-day."""
        return f"job:{self.job.name}:{self.athlete_id}:{self.local_date.isoformat()}"


def occurrence(job: RecurringJob, local_date: dt.date, tz: ZoneInfo) -> dt.datetime | None:
    """The UTC instant ``job`` is due on ``local_date`` in ``tz``, or ``None`` if the job
    does not run on that weekday."""
    if local_date.weekday() not in job.weekdays:
        return None
    wall = dt.datetime.combine(local_date, dt.time(job.hour, job.minute), tzinfo=tz)
    as_utc = wall.astimezone(dt.UTC)
    if as_utc.astimezone(tz).replace(tzinfo=None) != wall.replace(tzinfo=None):
        # The wall time falls in a spring-forward gap: run at the first instant after it,
        # which is where the UTC offset changed.
        before = dt.datetime.combine(local_date, dt.time(0, 0), tzinfo=tz).astimezone(dt.UTC)
        probe = before
        while probe.astimezone(tz).replace(tzinfo=None) < wall.replace(tzinfo=None):
            probe += dt.timedelta(minutes=15)
        return probe
    return as_utc


def due_runs(
    jobs: list[RecurringJob],
    athlete_id: str,
    timezone: str,
    now: dt.datetime,
    grace: dt.timedelta = DEFAULT_GRACE,
) -> list[DueRun]:
    """Runs whose due instant lies in ``(now - grace, now]``, oldest first."""
    tz = ZoneInfo(timezone)
    today = now.astimezone(tz).date()
    found = []
    for job in jobs:
        for local_date in (today - dt.timedelta(days=1), today):
            due_at = occurrence(job, local_date, tz)
            if due_at is not None and now - grace < due_at <= now:
                found.append(DueRun(job, athlete_id, local_date, due_at))
    return sorted(found, key=lambda run: run.due_at)


def next_occurrence(job: RecurringJob, timezone: str, after: dt.datetime) -> dt.datetime:
    """The first due instant strictly after ``after`` (for sleeping until then)."""
    tz = ZoneInfo(timezone)
    day = after.astimezone(tz).date() - dt.timedelta(days=1)
    for offset in range(0, 9):
        due_at = occurrence(job, day + dt.timedelta(days=offset), tz)
        if due_at is not None and due_at > after:
            return due_at
    raise ValueError(f"job {job.name} never runs (weekdays {job.weekdays})")
