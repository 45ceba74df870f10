"""Stored activities follow the athlete's profile: rebuild their numbers after a change.

An activity's zone seconds, TRIMP and HRSS (the load behind fitness and fatigue) are
computed at import from the athlete's heart-rate anchors, zone model and sex. When those
change, :func:`recompute_activities` rebuilds every stored activity of the athlete:

* With stored streams: :func:`momentum.plugins.running.analytics.record.build_activity` on them,
exactly as
  an import does, with the record's own GAP model. Kept from the stored record: id, type,
  start, subtype, name, source, self-reported intensity, source ids and notes. Every
  computed number comes from the fresh build, so a recomputed record equals a fresh
  import under the new profile.
* Without streams, imported from summary numbers (a CSV row): the session-average TRIMP
  and HRSS are estimated again from the average heart rate and moving time, as
  :func:`momentum.plugins.running.analytics.summary.summary_activity` does at import. A record with
  no
  heart-rate load (a session logged in chat, a Strava summary) stores nothing that
  depends on the profile: its load is estimated when it is read, so it is left as is.
* Without streams but with stream-only numbers (zone times, splits, EF): the streams are
  gone and the record cannot follow the profile. It is skipped, and the report says so.

Each activity is written in one upsert, only when a number changed, so a second run
writes nothing (idempotent) and a failure leaves no half-updated record. An activity
whose streams cannot be read or rebuilt is skipped with one line naming it; the rest are
still recomputed. If the profile changes again mid-way, the pass starts over with the
new profile rather than finish with stale numbers.

Nothing heavy is imported here at module level: the running plugin registers the
deferred handler from this module at every cold start, and analytics load on first use.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from momentum.core.errors import InputError, NotFoundError
from momentum.core.model import Activity, AthleteProfile, Streams
from momentum.core.ports.scheduler import DeferredJob
from momentum.core.ports.storage import Storage
from momentum.plugins.running.activity_metrics import running_metrics, with_running_metrics

if TYPE_CHECKING:
    from momentum.core.app import App

RECOMPUTE_JOB = "recompute_activities"
"""The deferred job kind; its payload is ``{"athlete_id": …}``."""
FAR_PAST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
MAX_PASSES = 3
"""Passes before giving up on a profile that keeps changing under the recompute."""

ProgressCallback = Callable[[int, int, str], None]
"""``on_progress(done, total, label)`` after each activity."""


class ProfileChangedError(Exception):
    """The athlete's profile changed while a pass was recomputing with the old one."""


class MissingStreamsError(ValueError):
    """The record has stream-only numbers but its streams are not stored."""


def _log() -> Any:
    import logging  # only a recompute logs; a cold start does not pay for logging

    return logging.getLogger("momentum.coach")


@dataclass(frozen=True)
class Skipped:
    """An activity that could not be recomputed, and why."""

    activity_id: str
    label: str
    reason: str

    def line(self) -> str:
        """``activity <label>: <reason>`` (one line)."""
        return f"activity {self.label}: {self.reason}"


@dataclass(frozen=True)
class RecomputeReport:
    """What a recompute did for one athlete."""

    athlete_id: str
    recomputed: tuple[str, ...] = ()
    """Ids of the activities now in step with the profile (changed or already so)."""
    changed: tuple[str, ...] = ()
    """Ids of the activities whose stored numbers were rewritten."""
    skipped: tuple[Skipped, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no activity was skipped."""
        return not self.skipped

    def summary(self) -> str:
        """``Recomputed 123 activities (40 changed; 1 skipped: a1 (streams unreadable))``."""
        count = len(self.recomputed)
        parts = [f"{len(self.changed)} changed"]
        if self.skipped:
            parts.append(
                f"{len(self.skipped)} skipped: " + ", ".join(_short(s) for s in self.skipped)
            )
        noun = "activity" if count == 1 else "activities"
        return f"Recomputed {count} {noun} ({'; '.join(parts)})"


def _short(skipped: Skipped) -> str:
    return f"{skipped.activity_id} ({skipped.reason.split(' (', 1)[0]})"


# -- what the stored numbers depend on --------------------------------------------------
def profile_inputs(athlete: AthleteProfile) -> tuple[object, ...]:
    """The profile values that stored activity numbers are computed from: heart-rate
    anchors, zone model and sex."""
    hr = athlete.heart_rate
    return (hr.max_hr, hr.resting_hr, hr.threshold_hr, hr.zone_model.value, athlete.sex)


def numbers_change(before: AthleteProfile, after: AthleteProfile) -> bool:
    """True if going from ``before`` to ``after`` changes stored activity numbers."""
    return profile_inputs(before) != profile_inputs(after)


def _check_profile(athlete: AthleteProfile) -> None:
    """Refuse a profile the analytics cannot use, once, before touching any activity."""
    from momentum.plugins.running.analytics.trimp import trimp_constants

    try:
        trimp_constants(athlete.sex)
    except ValueError as exc:
        raise InputError(f"athlete {athlete.athlete_id!r} profile", str(exc)) from None


# -- one activity --------------------------------------------------------------------------
def has_stream_numbers(activity: Activity) -> bool:
    """True if the record carries numbers only streams can give (zones, splits, EF…)."""
    return bool(
        any(activity.zone_seconds)
        or activity.splits
        or activity.efficiency_factor is not None
        or activity.core_ef is not None
        or activity.decoupling_percent is not None
        or running_metrics(activity).gap_seconds_per_km is not None
    )


def rebuild(activity: Activity, streams: Streams | None, athlete: AthleteProfile) -> Activity:
    """``activity`` with its computed numbers redone for ``athlete`` (see the module doc).

    Returns the record without streams (they are stored apart). Raises
    :class:`MissingStreamsError` when the activity has stream-only numbers but no
    streams, and whatever the analytics raise for streams they cannot use.
    """
    if streams is not None and len(streams.time) >= 2:
        return _from_streams(activity, streams, athlete)
    if has_stream_numbers(activity):
        raise MissingStreamsError("no stored streams to rebuild its zone times and load from")
    if running_metrics(activity).trimp is None:
        return activity  # nothing stored depends on the profile
    return _from_summary(activity, athlete)


def _from_streams(activity: Activity, streams: Streams, athlete: AthleteProfile) -> Activity:
    from momentum.plugins.running.analytics.gap import GAP_MODELS
    from momentum.plugins.running.analytics.record import RecordOptions, build_activity

    options = (
        RecordOptions(gap_model=model)
        if (model := running_metrics(activity).gap_model) in GAP_MODELS
        else None
    )
    fresh = build_activity(
        streams,
        athlete,
        activity_id=activity.activity_id,
        activity_type=activity.activity_type,
        start=activity.start,
        name=activity.name,
        source=activity.source,
        subtype=activity.activity_subtype,
        options=options,
    )
    return dataclasses.replace(
        fresh,
        intensity=activity.intensity,
        source_ids=dict(activity.source_ids),
        notes=activity.notes,
        streams=None,
    )


def _from_summary(activity: Activity, athlete: AthleteProfile) -> Activity:
    from momentum.plugins.running.analytics.trimp import banister_trimp, hrss

    moving = activity.moving_time_seconds
    trimp = None
    if activity.avg_hr is not None and activity.avg_hr > 0 and moving > 0:
        trimp = banister_trimp(moving / 60.0, activity.avg_hr, athlete.heart_rate, athlete.sex)
    return with_running_metrics(
        dataclasses.replace(
            activity,
            hrss=hrss(trimp, athlete.heart_rate, athlete.sex) if trimp is not None else None,
            streams=None,
        ),
        trimp=trimp,
    )


def _label(activity: Activity) -> str:
    name = activity.name or activity.activity_type
    return f"{activity.activity_id} ({name}, {activity.start:%Y-%m-%d})"


# -- every activity of an athlete ------------------------------------------------------------
def recompute_activities(
    storage: Storage, athlete_id: str, *, on_progress: ProgressCallback | None = None
) -> RecomputeReport:
    """Rebuild every stored activity of ``athlete_id`` for their current profile.

    Raises :class:`NotFoundError` for an unknown athlete and :class:`InputError` for a
    profile the analytics refuse; a single activity's failure is a :class:`Skipped`
    entry in the report instead.
    """
    for _ in range(MAX_PASSES):
        athlete = storage.get_athlete(athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {athlete_id!r}")
        _check_profile(athlete)
        try:
            return _one_pass(storage, athlete, on_progress)
        except ProfileChangedError:
            _log().info("profile of %s changed during a recompute; starting over", athlete_id)
    raise InputError(
        f"athlete {athlete_id!r} profile",
        f"changed {MAX_PASSES} times during the recompute; run it again once it settles",
    )


def _one_pass(
    storage: Storage, athlete: AthleteProfile, on_progress: ProgressCallback | None
) -> RecomputeReport:
    athlete_id = athlete.athlete_id
    inputs = profile_inputs(athlete)
    activities = storage.list_activities(athlete_id, FAR_PAST, FAR_FUTURE)
    recomputed: list[str] = []
    changed: list[str] = []
    skipped: list[Skipped] = []
    for done, stored in enumerate(activities, start=1):
        label = _label(stored)
        try:
            streams = storage.get_streams(athlete_id, stored.activity_id)
            fresh = rebuild(stored, streams, athlete)
        except Exception as exc:  # one unreadable activity must not stop the others
            skipped.append(Skipped(stored.activity_id, label, _reason(exc, "streams")))
        else:
            if fresh != dataclasses.replace(stored, streams=None):
                current = storage.get_athlete(athlete_id)
                if current is None or profile_inputs(current) != inputs:
                    raise ProfileChangedError(athlete_id)
                try:
                    storage.put_activity(fresh)
                except Exception as exc:
                    skipped.append(Skipped(stored.activity_id, label, _reason(exc, "store")))
                    continue
                changed.append(stored.activity_id)
            recomputed.append(stored.activity_id)
        if on_progress is not None:
            on_progress(done, len(activities), label)
    for entry in skipped:
        _log().warning("recompute for %s skipped %s", athlete_id, entry.line())
    return RecomputeReport(athlete_id, tuple(recomputed), tuple(changed), tuple(skipped))


def _reason(exc: Exception, step: str) -> str:
    if isinstance(exc, MissingStreamsError):
        return str(exc)
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if step == "store":
        return f"could not be stored ({detail})"
    return f"streams unreadable ({detail})"


# -- after a profile change ------------------------------------------------------------------
def recompute_job(athlete_id: str, athlete: AthleteProfile) -> DeferredJob:
    """The deferred recompute for ``athlete``'s current profile (deduplicated per profile)."""
    key = "-".join(str(v) for v in profile_inputs(athlete))
    return DeferredJob(RECOMPUTE_JOB, {"athlete_id": athlete_id}, key=f"{athlete_id}:{key}")


def request_recompute(app: App, athlete: AthleteProfile) -> str:
    """Bring ``athlete``'s stored activities in step with their (just changed) profile.

    Queued as a deferred job when a handler for it is registered (the running plugin
    registers :data:`DEFERRED_HANDLERS`), else run now. Returns a short sentence for
    the athlete (empty when there are no activities to recompute).
    """
    athlete_id = athlete.athlete_id
    count = len(app.storage.list_activities(athlete_id, FAR_PAST, FAR_FUTURE))
    if count == 0:
        return ""
    noun = "activity" if count == 1 else "activities"
    if RECOMPUTE_JOB in app.deferred_handlers:
        try:
            app.scheduler.defer(recompute_job(athlete_id, athlete))
        except Exception:
            _log().exception("could not queue the recompute for %s; running it now", athlete_id)
        else:
            return (
                f"zone times and load of {count} stored {noun} are being recomputed "
                "for the new profile"
            )
    report = recompute_activities(app.storage, athlete_id)
    return f"zone times and load recomputed for the new profile: {report.summary()}"


def run_recompute_job(app: App, job: DeferredJob) -> None:
    """The deferred handler: recompute for the athlete's profile as it is now."""
    report = recompute_activities(app.storage, str(job.payload["athlete_id"]))
    _log().info("%s for %s", report.summary(), report.athlete_id)


DEFERRED_HANDLERS: dict[str, Callable[[App, DeferredJob], Any]] = {RECOMPUTE_JOB: run_recompute_job}
"""Registered through the running plugin's ``momentum_deferred_handlers`` hook."""
