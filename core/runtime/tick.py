"""The 15-minute UTC tick: which zones have a job due, then one deferred job per athlete.

The tick reads :meth:`~momentum.core.ports.storage.Storage.list_timezones` (one small
read), works out for each zone whether a recurring job falls due in the window (its local
wall time, right for +5:30, +5:45 and across DST, see :mod:`momentum.core.schedule`), and
only for those zones reads :meth:`~momentum.core.ports.storage.Storage.list_athletes_in_timezone`.
Once a zone's due run has been fanned out, a zone claim (job, zone, local date) lets the
next ticks skip the zone without reading it (until :data:`DISPATCH_LEASE` lapses); a run that fails
releases it again. Each (job, athlete, local date) is claimed before it is handed to the
Deferral port as one ``momentum.run_job`` job, so duplicate ticks, retries and restarts
fan out each run once; the deferred handler claims it again while it runs, so a
redelivered job runs once too.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from momentum.core.events import ScheduledTick
from momentum.core.ports.scheduler import DeferredJob, RecurringJob

if TYPE_CHECKING:
    from momentum.core.app import App
    from momentum.core.schedule import DueRun

RUN_JOB = "momentum.run_job"
"""The deferred kind a tick fans out: run one recurring job for one athlete."""
DISPATCH_LEASE = dt.timedelta(minutes=30)
"""How long a (job, athlete, local date), and a zone's fan-out, stay claimed once fanned
out. A deferred run claims ``<key>#run`` while it runs (15 minutes) and keeps it for days
once done, so a run fanned out again after this lease (a queue that took long to drain)
finds it and does nothing, while a run whose process died mid-job is fanned out again by
the first tick after both leases have lapsed, inside the two-hour grace window. A run that
fails releases its claims at once, so the next tick (or the queue's retry) runs it."""
MAX_TICK_DELAY = dt.timedelta(hours=1)
"""A tick delivered later than this is dropped: the 6 am check-in must not arrive at noon."""
TICK_MINUTES = 15


def tick_slot(instant: dt.datetime) -> dt.datetime:
    """The 15-minute UTC slot ``instant`` falls in (a cloud timer that fires a little late,
    or does not say when it was scheduled, still names its slot)."""
    instant = instant.astimezone(dt.UTC)
    minute = instant.minute - instant.minute % TICK_MINUTES
    return instant.replace(minute=minute, second=0, microsecond=0)


def zone_runs(jobs: list[RecurringJob], timezone: str, at: dt.datetime) -> list[DueRun]:
    """The runs due in ``timezone`` by ``at`` within the grace window (athlete left blank)."""
    from momentum.core.schedule import due_runs

    return due_runs(jobs, "", timezone, at)


def fan_out(app: App, tick: ScheduledTick) -> list[DueRun]:
    """Claim and defer every run due at ``tick.at``; returns the runs deferred now."""
    import dataclasses

    jobs = [j for j in app.recurring_jobs() if tick.job in ("*", j.name)]
    if not jobs:
        return []
    deferred: list[DueRun] = []
    failure: Exception | None = None
    for zone in app.storage.list_timezones():
        # A zone whose due runs were all fanned out already (an earlier tick inside the
        # grace window) is skipped with one conditional write per job, without reading it.
        due = [
            run
            for run in zone_runs(jobs, zone, tick.at)
            if tick.athlete_id is not None
            or app.storage.claim(zone_key(run, zone), tick.at, DISPATCH_LEASE)
        ]
        if not due:
            continue
        failed_zone = False
        for athlete in app.storage.list_athletes_in_timezone(zone):
            if tick.athlete_id is not None and athlete.athlete_id != tick.athlete_id:
                continue
            for template in due:
                if template.job.applies is not None and not template.job.applies(athlete):
                    continue
                run = dataclasses.replace(template, athlete_id=athlete.athlete_id)
                if not app.storage.claim(run.key, tick.at, DISPATCH_LEASE):
                    continue
                try:
                    app.scheduler.defer(run_job(run, zone))
                except Exception as exc:  # the queue refused: the next tick retries it
                    app.storage.release(run.key)
                    failure, failed_zone = failure or exc, True
                    continue
                deferred.append(run)
        if failed_zone and tick.athlete_id is None:
            for run in due:
                app.storage.release(zone_key(run, zone))
    if failure is not None:
        raise failure
    return deferred


def zone_key(run: DueRun, zone: str) -> str:
    """The claim saying every athlete of ``zone`` has had ``run`` fanned out."""
    return f"zone:{run.job.name}:{zone}:{run.local_date.isoformat()}"


def run_job(run: DueRun, zone: str) -> DeferredJob:
    """The deferred job that runs ``run`` (for an athlete in ``zone``)."""
    payload: dict[str, Any] = {
        "job": run.job.name,
        "athlete_id": run.athlete_id,
        "date": run.local_date.isoformat(),
        "zone": zone,
    }
    return DeferredJob(RUN_JOB, payload, key=run.key)


def handle_run_job(app: App, job: DeferredJob) -> None:
    """The ``momentum.run_job`` handler: run it once (a redelivery finds it claimed), keep
    the claim for :data:`~momentum.core.schedule.CLAIM_TTL` on success, release both
    claims on failure and raise, so the queue's retry or the next tick runs it again."""
    from momentum.core.runtime.claims import Duplicate, run_once
    from momentum.core.schedule import CLAIM_TTL, RUN_LEASE

    name, athlete_id = job.payload.get("job"), job.payload.get("athlete_id")
    date = dt.date.fromisoformat(str(job.payload.get("date")))
    if not isinstance(name, str) or not isinstance(athlete_id, str):
        raise ValueError(f"{RUN_JOB}: payload needs 'job' and 'athlete_id' strings")
    now = app.clock.now()
    try:
        run_once(
            app.storage,
            f"{job.key}#run" if job.key else "",
            now,
            RUN_LEASE,
            lambda: app.run_job(name, athlete_id, date),
            keep=CLAIM_TTL,
        )
    except Duplicate:
        return
    except Exception:
        if job.key:
            app.storage.release(job.key)
        zone = job.payload.get("zone")
        if isinstance(zone, str) and zone:  # so the next tick reads the zone again
            app.storage.release(f"zone:{name}:{zone}:{date.isoformat()}")
        raise
    if job.key:
        app.storage.extend_claim(job.key, now, CLAIM_TTL)
