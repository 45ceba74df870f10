"""The 15-minute tick: one run per (job, athlete, local date), at the right local time, in
every zone (+5:30, +5:45, DST changes), fanned out through Deferral, reading only due zones."""

from __future__ import annotations

import contextlib
import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.events import ScheduledTick
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.runtime.tick import RUN_JOB

ZONES = (
    "Asia/Kolkata",  # +5:30
    "Asia/Kathmandu",  # +5:45
    "America/Toronto",  # DST (March and November)
    "Europe/Berlin",  # DST on other dates
    "Australia/Lord_Howe",  # a 30-minute DST shift
    "Pacific/Chatham",  # +12:45 / +13:45
    "America/St_Johns",  # -3:30 / -2:30
    "UTC",
)
PLUGINS = load_plugins()


def running_only() -> PluginHost:
    """Only the running domain's jobs (other plugins' evening jobs would make more zones
    due at the same instant)."""
    from momentum.plugins.running import plugin as running

    host = PluginHost()
    host.register(running, name="running")
    return host


class Recorder:
    """Stands in for the coach: records each job it is asked to run."""

    def __init__(self) -> None:
        self.runs: list[tuple[str, str, dt.date, dt.datetime]] = []
        self.clock: FixedClock | None = None

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        assert self.clock is not None
        self.runs.append((name, athlete_id, local_date, self.clock.now()))


def make(
    zones: list[str], start: dt.datetime, plugins: PluginHost = PLUGINS
) -> tuple[object, Recorder, FixedClock]:
    storage = InMemoryStorage()
    for n, zone in enumerate(zones):
        storage.put_athlete(AthleteProfile(f"a{n}", f"A{n}", timezone=zone))
    clock = FixedClock(start)
    scheduler = InMemoryScheduler()
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=plugins,
    )
    scheduler.runner = app.run_deferred
    recorder = Recorder()
    recorder.clock = clock
    app._coach = recorder  # type: ignore[assignment]
    return app, recorder, clock


@settings(max_examples=25, deadline=None)
@given(
    zones=st.lists(st.sampled_from(ZONES), min_size=1, max_size=4),
    day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 25)),
    retries=st.integers(min_value=1, max_value=3),
)
def test_every_athlete_checks_in_once_a_day_at_six_local(
    zones: list[str], day: dt.date, retries: int
) -> None:
    start = dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)
    app, recorder, clock = make(zones, start)
    for quarter in range(3 * 96):  # three UTC days of quarter-hour ticks
        at = start + dt.timedelta(minutes=15 * quarter)
        clock.set(at)
        for _ in range(retries):  # duplicate deliveries of the same tick
            app.tick(ScheduledTick("*", at))  # type: ignore[attr-defined]
        app.scheduler.run_pending()  # type: ignore[attr-defined]
    checkins = [r for r in recorder.runs if r[0] in ("checkin", "monday_plan")]
    keys = [(athlete, local) for _, athlete, local, _ in checkins]
    assert len(keys) == len(set(keys))  # exactly once per athlete and local date
    for _, athlete, local, ran_at in checkins:
        zone = ZoneInfo(zones[int(athlete[1:])])
        wall = ran_at.astimezone(zone)
        assert wall.date() == local
        # At 6 am local, or within the first quarter hour after it (a +5:45 zone's 6 am
        # falls between UTC quarter hours only if the offset does; none here does).
        six = dt.datetime.combine(local, dt.time(6), tzinfo=zone).astimezone(dt.UTC)
        assert dt.timedelta(0) <= ran_at - six < dt.timedelta(minutes=15)
    # Every local date wholly inside the window got its morning job.
    for n, zone_name in enumerate(zones):
        zone = ZoneInfo(zone_name)
        first = (start + dt.timedelta(hours=14)).astimezone(zone).date()
        last = (start + dt.timedelta(days=3) - dt.timedelta(hours=14)).astimezone(zone).date()
        days = {local for _, athlete, local, _ in checkins if athlete == f"a{n}"}
        wanted = {first + dt.timedelta(days=d) for d in range((last - first).days + 1)}
        assert wanted <= days


def test_a_tick_reads_athletes_only_of_zones_where_a_job_is_due() -> None:
    at = dt.datetime(2026, 3, 3, 0, 30, tzinfo=dt.UTC)  # 06:00 in Kolkata, not elsewhere
    app, _, _ = make(["Asia/Kolkata", "America/Toronto", "Europe/Berlin"], at, running_only())
    read: list[str] = []
    storage = app.storage  # type: ignore[attr-defined]
    original = storage.list_athletes_in_timezone

    def spy(zone: str) -> list[AthleteProfile]:
        read.append(zone)
        return original(zone)

    storage.list_athletes_in_timezone = spy
    storage.list_athletes = None  # never listed whole
    fired = app.tick(ScheduledTick("*", at))  # type: ignore[attr-defined]
    assert read == ["Asia/Kolkata"]
    assert [(r.job.name, r.athlete_id) for r in fired] == [("checkin", "a0")]
    [job] = app.scheduler.pending  # type: ignore[attr-defined]
    assert job.kind == RUN_JOB and job.payload == {
        "job": "checkin",
        "athlete_id": "a0",
        "date": "2026-03-03",
        "zone": "Asia/Kolkata",
    }
    clock_later = at + dt.timedelta(minutes=15)  # the next tick skips the zone unread
    read.clear()
    assert app.tick(ScheduledTick("*", clock_later)) == []  # type: ignore[attr-defined]
    assert read == []


def test_a_failed_run_releases_its_claim_so_the_next_tick_runs_it() -> None:
    at = dt.datetime(2026, 3, 3, 0, 30, tzinfo=dt.UTC)
    app, recorder, clock = make(["Asia/Kolkata"], at)
    calls = {"n": 0}

    def flaky(name: str, athlete_id: str, local_date: dt.date) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ConnectionError("chat down")
        Recorder.run_job(recorder, name, athlete_id, local_date)

    recorder.run_job = flaky  # type: ignore[method-assign]
    app.tick(ScheduledTick("*", at))  # type: ignore[attr-defined]
    with contextlib.suppress(ConnectionError):
        app.scheduler.run_pending()  # type: ignore[attr-defined]
    clock.set(at + dt.timedelta(minutes=15))
    app.tick(ScheduledTick("*", clock.now()))  # type: ignore[attr-defined]
    app.scheduler.run_pending()  # type: ignore[attr-defined]
    assert [r[:3] for r in recorder.runs] == [("checkin", "a0", dt.date(2026, 3, 3))]
