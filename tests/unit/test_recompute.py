"""Stored activities follow the profile: after a heart-rate change they equal a fresh build.

The reference is :func:`momentum.plugins.running.analytics.record.build_activity` itself: a
recomputed record
must hold exactly (``==``, no tolerance) the zone seconds, TRIMP, HRSS and load that a
fresh build of the same streams under the new profile gives, keep what the athlete or the
source gave it (name, notes, source ids, intensity), and a second recompute must write
nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.errors import InputError, NotFoundError
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import Activity, AthleteProfile, Streams, ZoneModel
from momentum.core.plugins.host import PluginHost
from momentum.core.plugins.types import ToolContext
from momentum.core.ports.clock import FixedClock
from momentum.plugins.files.importer import import_paths
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.load import activity_load
from momentum.plugins.running.analytics.record import RecordOptions, build_activity
from momentum.plugins.running.analytics.summary import summary_activity
from momentum.plugins.running.coach.recompute import (
    RECOMPUTE_JOB,
    MissingStreamsError,
    numbers_change,
    rebuild,
    recompute_activities,
    request_recompute,
)
from momentum.plugins.running.coach.tools import builtin_tools
from tests.unit.test_coach_support import run

RUN_FILE = "fit/activity-small-fenix2-run.fit"
START = dt.datetime(2026, 2, 1, 12, 0, tzinfo=dt.UTC)
TOOLS = {t.spec.name: t for t in builtin_tools()}


def with_hr(athlete: AthleteProfile, **hr: int | ZoneModel) -> AthleteProfile:
    return dataclasses.replace(athlete, heart_rate=dataclasses.replace(athlete.heart_rate, **hr))


def fresh(stored: Activity, streams: Streams, athlete: AthleteProfile) -> Activity:
    """What an import under ``athlete`` would store today (the reference)."""
    built = build_activity(
        streams,
        athlete,
        activity_id=stored.activity_id,
        activity_type=stored.activity_type,
        start=stored.start,
        name=stored.name,
        source=stored.source,
        subtype=stored.activity_subtype,
    )
    return dataclasses.replace(built, streams=None)


class CountingStorage(InMemoryStorage):
    """Counts activity writes; can fail to read or write chosen activities."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []
        self.bad_streams: set[str] = set()
        self.bad_writes: set[str] = set()

    def put_activity(self, activity: Activity) -> bool:
        if activity.activity_id in self.bad_writes:
            raise OSError("disk full")
        self.writes.append(activity.activity_id)
        return super().put_activity(activity)

    def get_streams(self, athlete_id: str, activity_id: str) -> Streams | None:
        if activity_id in self.bad_streams:
            raise ValueError("stored streams are not valid JSON")
        return super().get_streams(athlete_id, activity_id)


@pytest.fixture
def imported(data_dir: Path, athlete: AthleteProfile) -> tuple[CountingStorage, str]:
    """The sample athlete with one real run imported (streams stored)."""
    storage = CountingStorage()
    storage.put_athlete(athlete)
    report = import_paths(storage, athlete, [data_dir / RUN_FILE])
    assert report.ok and len(report.imported) == 1
    storage.writes.clear()
    return storage, report.imported[0]


def test_a_threshold_change_gives_exactly_a_fresh_build(
    imported: tuple[CountingStorage, str], athlete: AthleteProfile
) -> None:
    storage, aid = imported
    before = storage.get_activity("adam", aid)
    streams = storage.get_streams("adam", aid)
    assert before is not None and streams is not None
    # Things the import, the source or the athlete gave the record stay as they were.
    kept = dataclasses.replace(
        before,
        name="Hill repeats",
        notes=("felt strong",),
        source_ids={"strava": "123"},
        intensity="hard",
    )
    storage.put_activity(kept)
    storage.put_athlete(with_hr(athlete, threshold_hr=150))

    report = recompute_activities(storage, "adam")

    after = storage.get_activity("adam", aid)
    assert after is not None
    new_profile = storage.get_athlete("adam")
    assert new_profile is not None
    reference = fresh(kept, streams, new_profile)
    assert report.recomputed == (aid,) and report.changed == (aid,) and report.ok
    assert after.zone_seconds == reference.zone_seconds
    assert (running_metrics(after).trimp, after.hrss) == (
        running_metrics(reference).trimp,
        reference.hrss,
    )
    assert activity_load(after, new_profile) == activity_load(reference, new_profile)
    # …and they did change: a lower threshold moves time up the zones and raises HRSS.
    assert after.zone_seconds != before.zone_seconds
    assert after.zone5_seconds > before.zone5_seconds
    assert after.hrss is not None and before.hrss is not None and after.hrss > before.hrss
    assert (
        running_metrics(after).trimp == running_metrics(before).trimp
    )  # TRIMP uses max and resting HR, not the threshold
    assert (after.name, after.notes, after.source_ids, after.intensity) == (
        "Hill repeats",
        ("felt strong",),
        {"strava": "123"},
        "hard",
    )
    assert (after.activity_id, after.activity_type, after.start, after.source) == (
        before.activity_id,
        before.activity_type,
        before.start,
        before.source,
    )
    # Everything else is exactly the fresh build (distance, splits, EF, …).
    assert after == dataclasses.replace(
        reference,
        name="Hill repeats",
        notes=("felt strong",),
        source_ids={"strava": "123"},
        intensity="hard",
    )


def test_a_recompute_right_after_import_changes_nothing(
    imported: tuple[CountingStorage, str],
) -> None:
    storage, aid = imported
    before = storage.get_activity("adam", aid)
    report = recompute_activities(storage, "adam")
    assert report.recomputed == (aid,) and report.changed == ()
    assert storage.writes == []
    assert storage.get_activity("adam", aid) == before


def test_recompute_is_idempotent(
    imported: tuple[CountingStorage, str], athlete: AthleteProfile
) -> None:
    storage, aid = imported
    storage.put_athlete(with_hr(athlete, max_hr=195, resting_hr=45))
    first = recompute_activities(storage, "adam")
    once = storage.get_activity("adam", aid)
    second = recompute_activities(storage, "adam")
    assert first.changed == (aid,) and second.changed == ()
    assert storage.writes == [aid]
    assert storage.get_activity("adam", aid) == once


def test_sex_and_zone_model_changes_follow_too(
    imported: tuple[CountingStorage, str], athlete: AthleteProfile
) -> None:
    storage, aid = imported
    streams = storage.get_streams("adam", aid)
    stored = storage.get_activity("adam", aid)
    assert streams is not None and stored is not None
    for profile in (
        dataclasses.replace(athlete, sex="female"),
        with_hr(athlete, zone_model=ZoneModel.HRR),
    ):
        storage.put_athlete(profile)
        report = recompute_activities(storage, "adam")
        after = storage.get_activity("adam", aid)
        assert report.changed == (aid,)
        assert after == fresh(stored, streams, profile)


def test_the_records_gap_model_is_kept(
    data_dir: Path, athlete: AthleteProfile, imported: tuple[CountingStorage, str]
) -> None:
    storage, aid = imported
    streams = storage.get_streams("adam", aid)
    stored = storage.get_activity("adam", aid)
    assert streams is not None and stored is not None
    strava_style = dataclasses.replace(
        build_activity(
            streams,
            athlete,
            activity_id=aid,
            activity_type=stored.activity_type,
            start=stored.start,
            name=stored.name,
            source=stored.source,
            options=RecordOptions(gap_model="strava_style"),
        ),
        streams=None,
    )
    assert running_metrics(strava_style).gap_model == "strava_style"
    rebuilt = rebuild(strava_style, streams, with_hr(athlete, threshold_hr=150))
    assert running_metrics(rebuilt).gap_model == "strava_style"
    assert (
        running_metrics(rebuilt).gap_seconds_per_km
        == running_metrics(strava_style).gap_seconds_per_km
    )
    assert (
        running_metrics(rebuilt).gap_seconds_per_km != running_metrics(stored).gap_seconds_per_km
    )  # imported as minetti2002


def test_summary_records_re_estimate_their_load_as_the_import_does(
    athlete: AthleteProfile,
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    row = summary_activity(
        athlete,
        activity_id="csv-1",
        activity_type="Run",
        start=START,
        moving_time_seconds=2700,
        distance_meters=7500,
        avg_hr=150,
        name="Lunch Run",
        source="files",
    )
    logged = Activity(
        activity_id="chat-1",
        athlete_id="adam",
        activity_type="WeightTraining",
        start=START + dt.timedelta(days=1),
        source="chat",
        moving_time_seconds=3600,
        intensity="hard",
    )
    storage.put_activity(row)
    storage.put_activity(logged)
    changed = with_hr(athlete, max_hr=190, resting_hr=48, threshold_hr=168)
    storage.put_athlete(changed)

    report = recompute_activities(storage, "adam")

    expected = summary_activity(
        changed,
        activity_id="csv-1",
        activity_type="Run",
        start=START,
        moving_time_seconds=2700,
        distance_meters=7500,
        avg_hr=150,
        name="Lunch Run",
        source="files",
    )
    assert storage.get_activity("adam", "csv-1") == expected
    assert expected.hrss != row.hrss
    # A chat log has no heart-rate load stored: its load is estimated when read.
    assert storage.get_activity("adam", "chat-1") == logged
    assert report.recomputed == ("csv-1", "chat-1") and report.changed == ("csv-1",)


def test_an_unreadable_stream_is_named_and_the_rest_still_recomputed(
    data_dir: Path, athlete: AthleteProfile
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    files = [data_dir / RUN_FILE, data_dir / "tcx" / "test.tcx"]
    ids = import_paths(storage, athlete, files).imported
    assert len(ids) == 2
    bad, good = ids
    bad_before = storage.get_activity("adam", bad)
    storage.bad_streams.add(bad)
    storage.put_athlete(with_hr(athlete, threshold_hr=150))

    report = recompute_activities(storage, "adam")

    assert not report.ok
    assert [s.activity_id for s in report.skipped] == [bad]
    line = report.skipped[0].line()
    assert line.startswith(f"activity {bad} (") and "streams unreadable" in line
    assert "not valid JSON" in line
    assert report.recomputed == (good,) and report.changed == (good,)
    assert storage.get_activity("adam", bad) == bad_before  # untouched
    assert f"1 skipped: {bad} (streams unreadable)" in report.summary()
    assert report.summary().startswith("Recomputed 1 activity (1 changed; 1 skipped")


def test_a_failed_write_leaves_that_record_whole(
    imported: tuple[CountingStorage, str], athlete: AthleteProfile
) -> None:
    storage, aid = imported
    before = storage.get_activity("adam", aid)
    storage.bad_writes.add(aid)
    storage.put_athlete(with_hr(athlete, threshold_hr=150))
    report = recompute_activities(storage, "adam")
    assert [s.reason for s in report.skipped] == ["could not be stored (OSError: disk full)"]
    assert report.recomputed == ()
    assert storage.get_activity("adam", aid) == before


def test_stream_numbers_without_streams_are_skipped_not_guessed(
    athlete: AthleteProfile,
) -> None:
    storage = CountingStorage()
    storage.put_athlete(athlete)
    legacy = run("adam", START.date(), 45, activity_id="old-run")
    storage.put_activity(legacy)
    storage.put_athlete(with_hr(athlete, threshold_hr=150))
    report = recompute_activities(storage, "adam")
    assert [(s.activity_id, s.reason) for s in report.skipped] == [
        ("old-run", "no stored streams to rebuild its zone times and load from")
    ]
    assert storage.get_activity("adam", "old-run") == legacy
    with pytest.raises(MissingStreamsError):
        rebuild(legacy, None, athlete)


def test_a_profile_change_mid_way_starts_over_with_the_new_one(
    imported: tuple[CountingStorage, str], athlete: AthleteProfile
) -> None:
    storage, aid = imported
    streams = storage.get_streams("adam", aid)
    stored = storage.get_activity("adam", aid)
    assert streams is not None and stored is not None
    storage.put_athlete(with_hr(athlete, threshold_hr=150))
    newest = with_hr(athlete, threshold_hr=170)
    real_get = storage.get_streams
    changed_once: list[bool] = []

    def get_streams(athlete_id: str, activity_id: str) -> Streams | None:
        if not changed_once:  # the athlete edits the profile again while we work
            changed_once.append(True)
            storage.put_athlete(newest)
        return real_get(athlete_id, activity_id)

    storage.get_streams = get_streams  # type: ignore[method-assign]
    report = recompute_activities(storage, "adam")
    assert report.changed == (aid,)
    assert storage.get_activity("adam", aid) == fresh(stored, streams, newest)
    assert storage.writes == [aid]  # the stale numbers were never written


def test_unknown_athlete_and_bad_profile_fail_clearly(athlete: AthleteProfile) -> None:
    storage = InMemoryStorage()
    with pytest.raises(NotFoundError, match="no athlete 'ghost'"):
        recompute_activities(storage, "ghost")
    storage.put_athlete(dataclasses.replace(athlete, sex="robot"))
    storage.put_activity(run("adam", START.date(), activity_id="r"))
    with pytest.raises(InputError, match="athlete 'adam' profile: sex must be female, male"):
        recompute_activities(storage, "adam")


def test_which_profile_changes_touch_the_numbers(athlete: AthleteProfile) -> None:
    assert numbers_change(athlete, with_hr(athlete, threshold_hr=150))
    assert numbers_change(athlete, with_hr(athlete, max_hr=190))
    assert numbers_change(athlete, with_hr(athlete, resting_hr=50))
    assert numbers_change(athlete, with_hr(athlete, zone_model=ZoneModel.HRMAX))
    assert numbers_change(athlete, dataclasses.replace(athlete, sex="female"))
    assert not numbers_change(athlete, dataclasses.replace(athlete, name="Ada", checkin_hour=7))
    assert not numbers_change(athlete, with_hr(athlete, threshold_hr=162))  # same value


# -- invariant: any valid profile, any heart-rate trace -------------------------------------
def _streams(hrs: list[int]) -> Streams:
    n = len(hrs)
    return Streams(
        time=tuple(float(i) for i in range(n)),
        channels={
            "distance": tuple(2.8 * i for i in range(n)),
            "heart_rate": tuple(float(h) for h in hrs),
        },
    )


@settings(max_examples=30, deadline=None)
@given(
    hrs=st.lists(st.integers(60, 200), min_size=30, max_size=240),
    max_hr=st.integers(170, 210),
    resting_hr=st.integers(38, 70),
    threshold_hr=st.integers(140, 168),
    model=st.sampled_from(list(ZoneModel)),
    sex=st.sampled_from([None, "female", "male"]),
)
def test_recompute_equals_a_fresh_build_and_is_idempotent(
    hrs: list[int],
    max_hr: int,
    resting_hr: int,
    threshold_hr: int,
    model: ZoneModel,
    sex: str | None,
) -> None:
    """Invariant: for any profile, recomputing once gives a fresh build; twice, the same."""
    old = AthleteProfile(athlete_id="a", name="A")
    streams = _streams(hrs)
    storage = CountingStorage()
    storage.put_athlete(old)
    imported = fresh(
        Activity(activity_id="x", athlete_id="a", activity_type="Run", start=START),
        streams,
        old,
    )
    storage.put_activity(imported)
    storage.put_streams("a", "x", streams)
    new = dataclasses.replace(
        old,
        sex=sex,
        heart_rate=dataclasses.replace(
            old.heart_rate,
            max_hr=max_hr,
            resting_hr=resting_hr,
            threshold_hr=threshold_hr,
            zone_model=model,
        ),
    )
    storage.put_athlete(new)
    recompute_activities(storage, "a")
    once = storage.get_activity("a", "x")
    assert once == fresh(imported, streams, new)
    assert sum(once.zone_seconds) == sum(imported.zone_seconds)  # only the split moves
    assert recompute_activities(storage, "a").changed == ()


# -- update_profile -------------------------------------------------------------------------
def _app(storage: InMemoryStorage, plugins: PluginHost | None = None) -> App:
    from momentum.core.plugins.host import load_plugins

    app = build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=FixedClock(START + dt.timedelta(days=30)),
        plugins=plugins if plugins is not None else load_plugins(),
    )
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.runner = app.run_deferred
    return app


def _update(app: App, field: str, value: str) -> str:
    return TOOLS["update_profile"].run(ToolContext(app, "adam"), {"field": field, "value": value})


def test_update_profile_queues_the_recompute_and_says_so(
    imported: tuple[CountingStorage, str],
) -> None:
    storage, aid = imported
    app = _app(storage)
    scheduler = app.scheduler
    assert isinstance(scheduler, InMemoryScheduler)
    stored = storage.get_activity("adam", aid)
    streams = storage.get_streams("adam", aid)
    assert stored is not None and streams is not None

    result = _update(app, "threshold_hr", "150")

    assert result == (
        "ok: profile threshold_hr updated; zone times and load of 1 stored activity are "
        "being recomputed for the new profile"
    )
    assert [j.kind for j in scheduler.pending] == [RECOMPUTE_JOB]
    assert scheduler.pending[0].payload == {"athlete_id": "adam"}
    assert storage.writes == []  # ack now, work later
    assert scheduler.run_pending() == 1
    profile = storage.get_athlete("adam")
    assert profile is not None and profile.heart_rate.threshold_hr == 150
    assert storage.get_activity("adam", aid) == fresh(stored, streams, profile)


def test_update_profile_leaves_activities_alone_for_other_fields(
    imported: tuple[CountingStorage, str],
) -> None:
    storage, _ = imported
    app = _app(storage)
    scheduler = app.scheduler
    assert isinstance(scheduler, InMemoryScheduler)
    assert _update(app, "long_run_day", "sunday") == "ok: profile long_run_day updated"
    assert _update(app, "threshold_hr", "162") == "ok: profile threshold_hr updated"  # same
    assert scheduler.pending == []
    assert _update(app, "sex", "female").startswith("ok: profile sex updated; zone times")
    assert [j.kind for j in scheduler.pending] == [RECOMPUTE_JOB]


def test_update_profile_recomputes_inline_without_a_registered_handler(
    imported: tuple[CountingStorage, str],
) -> None:
    """An app composed without the running plugin still keeps the numbers right."""
    storage, aid = imported
    app = _app(storage, plugins=PluginHost())
    stored = storage.get_activity("adam", aid)
    streams = storage.get_streams("adam", aid)
    assert stored is not None and streams is not None

    result = _update(app, "max_hr", "195")

    assert result == (
        "ok: profile max_hr updated; zone times and load recomputed for the new profile: "
        "Recomputed 1 activity (1 changed)"
    )
    profile = storage.get_athlete("adam")
    assert profile is not None
    assert storage.get_activity("adam", aid) == fresh(stored, streams, profile)


def test_no_activities_means_nothing_to_say(athlete: AthleteProfile) -> None:
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    app = _app(storage)
    assert _update(app, "threshold_hr", "150") == "ok: profile threshold_hr updated"
    assert request_recompute(app, athlete) == ""


def test_a_failed_inline_recompute_is_reported_not_raised(athlete: AthleteProfile) -> None:
    """The profile is saved before the recompute: the tool says what failed, not 'error'."""

    class Outage(InMemoryStorage):
        def list_activities(self, athlete_id: str, start: dt.datetime, end: dt.datetime) -> list:  # type: ignore[type-arg]
            raise OSError("database is locked")

    storage = Outage()
    storage.put_athlete(athlete)
    app = _app(storage, plugins=PluginHost())
    assert _update(app, "max_hr", "190") == (
        "ok: profile max_hr updated; the stored activities could not be recomputed (OSError)"
    )
    profile = storage.get_athlete("adam")
    assert profile is not None and profile.heart_rate.max_hr == 190
