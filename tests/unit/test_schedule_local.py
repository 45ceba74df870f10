"""Once per local day, on the local stack: the real running jobs (6 am check-in, Monday
plan, Sunday-night refresh) ticked by :class:`LocalScheduler` on a SQLite file with a
fixed clock, across both 2026 DST changes in Toronto and across restarts.

The coach is replaced by a recorder (``App.run_job`` is the seam), so these tests say
when jobs fire, not what they say.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.memory import InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import hookimpl, load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import RecurringJob
from momentum.core.schedule import DEFAULT_GRACE, occurrence
from momentum.plugins.running import plugin as running

TORONTO = ZoneInfo("America/Toronto")
UTC = dt.UTC


@dataclass
class Fired:
    """One job run as the recorder saw it."""

    job: str
    athlete_id: str
    local_date: dt.date
    at: dt.datetime


@dataclass
class Recorder:
    """Stands in for the coach: remembers every run; can fail on demand."""

    clock: FixedClock
    runs: list[Fired] = field(default_factory=list)
    fail_for: set[tuple[str, str]] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __call__(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        if (name, athlete_id) in self.fail_for:
            raise RuntimeError(f"{name} failed for {athlete_id}")
        with self.lock:
            self.runs.append(Fired(name, athlete_id, local_date, self.clock.now()))

    def count(self) -> Counter[tuple[str, dt.date]]:
        return Counter((f.job, f.local_date) for f in self.runs)


class RecordingApp(App):
    """An App whose recurring jobs go to a recorder instead of the coach engine."""

    recorder: Recorder

    def run_job(self, name: str, athlete_id: str, local_date: dt.date) -> None:
        self.recorder(name, athlete_id, local_date)


class ExtraJobs:
    """A plugin adding jobs at awkward local times."""

    def __init__(self, *jobs: RecurringJob) -> None:
        self.jobs = list(jobs)

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        return self.jobs


EARLY = RecurringJob("early", hour=2, minute=30, description="inside the spring-forward gap")
REPEATED = RecurringJob("repeated", hour=1, minute=30, description="inside the fall-back fold")


@dataclass
class Stack:
    """A local coach on one database file that can be 'restarted'."""

    db: Path
    clock: FixedClock
    recorder: Recorder
    extra: list[RecurringJob]
    athletes: list[AthleteProfile]
    open_stores: list[SqliteStorage] = field(default_factory=list)
    scheduler: LocalScheduler | None = None

    def start(self) -> LocalScheduler:
        """(Re)start the process: a new storage handle, app and scheduler on the same file."""
        storage = SqliteStorage(self.db)
        self.open_stores.append(storage)
        for athlete in self.athletes:
            if storage.get_athlete(athlete.athlete_id) is None:
                storage.put_athlete(athlete)
        scheduler = LocalScheduler(workers=1)
        plugins = load_plugins(entry_points=False, extra=[running, ExtraJobs(*self.extra)])
        app = RecordingApp(
            storage=storage,
            scheduler=scheduler,
            chat=RecordingChat(),
            model=ScriptedModel(),
            clock=self.clock,
            plugins=plugins,
        )
        app.recorder = self.recorder
        scheduler.attach(app)
        self.scheduler = scheduler
        return scheduler

    def restart(self) -> LocalScheduler:
        """Drop the current process (no clean shutdown) and start a new one."""
        return self.start()

    def run_until(self, end: dt.datetime, step: dt.timedelta) -> None:
        """Tick every ``step`` until ``end`` (as the loop would, faster)."""
        assert self.scheduler is not None
        while self.clock.now() < end:
            self.scheduler.tick_now()
            self.clock.advance(step)

    def close(self) -> None:
        for storage in self.open_stores:
            storage.close()


def local(
    y: int, m: int, d: int, hh: int = 0, mm: int = 0, ss: int = 0, *, fold: int = 0
) -> dt.datetime:
    """A Toronto wall time (``fold=1`` picks the second of a repeated hour)."""
    return dt.datetime(y, m, d, hh, mm, ss, tzinfo=TORONTO, fold=fold)


MakeStack = Callable[..., Stack]


@pytest.fixture
def make_stack(tmp_path: Path) -> Iterator[MakeStack]:
    """Builds a stack whose clock starts at ``start``, with extra jobs and athletes."""
    stacks: list[Stack] = []

    def make(
        start: dt.datetime, *extra: RecurringJob, athletes: tuple[str, ...] = ("adam",)
    ) -> Stack:
        clock = FixedClock(start)
        profiles = [
            AthleteProfile(athlete_id=a, name=a.title(), timezone="America/Toronto")
            for a in athletes
        ]
        stack = Stack(tmp_path / "momentum.db", clock, Recorder(clock), list(extra), profiles)
        stack.start()
        stacks.append(stack)
        return stack

    yield make
    for stack in stacks:
        stack.close()


STEP = dt.timedelta(minutes=4, seconds=7)
"""Tick spacing for the simulated weeks: coarser than the real 30 s to keep tests fast,
and not a divisor of an hour, so ticks land at varied offsets after each due time."""


def _expected(days: list[dt.date]) -> Counter[tuple[str, dt.date]]:
    want: Counter[tuple[str, dt.date]] = Counter()
    for day in days:
        if day.weekday() == 0:
            want["monday_plan", day] += 1
        else:
            want["checkin", day] += 1
        if day.weekday() == 6:
            want["weekly_refresh", day] += 1
    return want


def _assert_on_time(stack: Stack, jobs: dict[str, tuple[int, int]]) -> None:
    """Every run happened within one tick after its local wall time."""
    for fired in stack.recorder.runs:
        if fired.job not in jobs:
            continue
        hour, minute = jobs[fired.job]
        due = dt.datetime.combine(fired.local_date, dt.time(hour, minute), tzinfo=TORONTO)
        due_utc = due.astimezone(UTC)
        assert due_utc <= fired.at < due_utc + STEP, (fired, due_utc)


def test_spring_forward_week_fires_each_job_once_per_local_day(make_stack: MakeStack) -> None:
    # Thu 5 March → Wed 11 March 2026; clocks go 02:00 → 03:00 on Sun 8 March.
    stack = make_stack(local(2026, 3, 5, 0, 0), EARLY)
    stack.run_until(local(2026, 3, 8, 6, 1), STEP)
    stack.restart()  # a restart just after Sunday's check-in fired
    stack.run_until(local(2026, 3, 12, 0, 0), STEP)

    days = [dt.date(2026, 3, d) for d in range(5, 12)]
    counts = stack.recorder.count()
    assert {k: v for k, v in counts.items() if k[0] != "early"} == _expected(days)
    assert {k: v for k, v in counts.items() if k[0] == "early"} == {
        ("early", day): 1 for day in days
    }
    _assert_on_time(stack, {"checkin": (6, 0), "monday_plan": (6, 0), "weekly_refresh": (21, 0)})

    # 6 am local is 11:00 UTC before the change and 10:00 UTC from Sunday on.
    checkins = {f.local_date: f.at for f in stack.recorder.runs if f.job == "checkin"}
    assert checkins[dt.date(2026, 3, 7)].hour == 11
    assert checkins[dt.date(2026, 3, 8)].hour == 10

    # 02:30 does not exist on 8 March: the job runs at the first instant after the gap,
    # 03:00 EDT (07:00 UTC), and on the other days at 02:30 local.
    early = {f.local_date: f.at for f in stack.recorder.runs if f.job == "early"}
    gap_day = early[dt.date(2026, 3, 8)]
    assert (
        dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
        <= gap_day
        < dt.datetime(2026, 3, 8, 7, 0, tzinfo=UTC) + STEP
    )
    assert gap_day.astimezone(TORONTO).hour == 3
    for day, at in early.items():
        if day != dt.date(2026, 3, 8):
            wall = at.astimezone(TORONTO)
            assert (wall.hour, wall.minute // 10) == (2, 3), (day, wall)


def test_fall_back_week_fires_each_job_once_per_local_day(make_stack: MakeStack) -> None:
    # Thu 29 Oct → Wed 4 Nov 2026; 02:00 EDT becomes 01:00 EST on Sun 1 November.
    stack = make_stack(local(2026, 10, 29, 0, 0), REPEATED)
    stack.run_until(local(2026, 11, 1, 1, 45, fold=1), STEP)  # inside the repeated hour
    stack.restart()
    stack.run_until(local(2026, 11, 5, 0, 0), STEP)

    days = [dt.date(2026, 10, 29) + dt.timedelta(days=i) for i in range(7)]
    counts = stack.recorder.count()
    assert {k: v for k, v in counts.items() if k[0] != "repeated"} == _expected(days)
    assert {k: v for k, v in counts.items() if k[0] == "repeated"} == {
        ("repeated", day): 1 for day in days
    }
    _assert_on_time(stack, {"checkin": (6, 0), "monday_plan": (6, 0), "weekly_refresh": (21, 0)})

    # 01:30 happens twice on 1 November: the job runs at the first (EDT, 05:30 UTC) only.
    repeated = {f.local_date: f.at for f in stack.recorder.runs if f.job == "repeated"}
    first = dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)
    assert first <= repeated[dt.date(2026, 11, 1)] < first + STEP
    checkins = {f.local_date: f.at for f in stack.recorder.runs if f.job == "checkin"}
    assert checkins[dt.date(2026, 10, 31)].hour == 10  # EDT
    assert checkins[dt.date(2026, 11, 1)].hour == 11  # EST


def test_restart_after_firing_does_not_fire_again(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 6, 0, 10))  # Tuesday, 10 s after the check-in time
    stack.scheduler.tick_now()
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 3)): 1}

    for _ in range(3):  # three restarts within the same morning
        stack.restart()
        stack.clock.advance(dt.timedelta(seconds=30))
        assert stack.scheduler.tick_now() == []
    stack.run_until(local(2026, 3, 3, 9, 0), dt.timedelta(seconds=30))
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 3)): 1}

    stack.restart()
    stack.clock.set(local(2026, 3, 4, 6, 0, 30))
    stack.scheduler.tick_now()
    assert stack.recorder.count()[("checkin", dt.date(2026, 3, 4))] == 1


def test_restart_before_the_due_time_fires_once_after_it(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 5, 59))
    assert stack.scheduler.tick_now() == []
    stack.restart()
    stack.clock.set(local(2026, 3, 3, 6, 0, 20))
    fired = stack.scheduler.tick_now()
    assert [(r.job.name, r.local_date) for r in fired] == [("checkin", dt.date(2026, 3, 3))]
    assert stack.scheduler.tick_now() == []


def test_two_processes_on_one_database_fire_once(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 6, 0, 5))
    first = stack.scheduler
    second = stack.start()  # a second live process on the same file
    barrier = threading.Barrier(2)
    results: list[int] = []

    def tick(scheduler: LocalScheduler) -> None:
        barrier.wait(timeout=5)
        results.append(len(scheduler.tick_now()))

    threads = [threading.Thread(target=tick, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert sorted(results) == [0, 1]
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 3)): 1}


def test_a_tick_after_the_grace_window_does_not_fire_a_stale_job(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 5, 50))
    stack.scheduler.tick_now()
    # The machine slept through the morning: the next tick is more than the grace late.
    stack.clock.set(local(2026, 3, 3, 6, 0) + DEFAULT_GRACE + dt.timedelta(seconds=1))
    assert stack.scheduler.tick_now() == []
    stack.run_until(local(2026, 3, 3, 23, 59), dt.timedelta(minutes=7))
    stack.restart()
    stack.clock.set(local(2026, 3, 4, 0, 30))
    stack.run_until(local(2026, 3, 4, 7, 0), dt.timedelta(minutes=7))
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 4)): 1}


def test_a_late_tick_inside_the_grace_window_catches_up_once(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 5, 50))
    stack.scheduler.tick_now()
    stack.clock.set(local(2026, 3, 3, 7, 55))  # 1 h 55 min late: still inside the grace
    fired = stack.scheduler.tick_now()
    assert [(r.job.name, r.local_date) for r in fired] == [("checkin", dt.date(2026, 3, 3))]
    stack.run_until(local(2026, 3, 3, 12, 0), dt.timedelta(minutes=5))
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 3)): 1}


def test_sunday_night_refresh_fires_after_a_restart_late_in_the_evening(
    make_stack: MakeStack,
) -> None:
    stack = make_stack(local(2026, 3, 8, 20, 0))  # Sunday evening, after the DST change
    stack.run_until(local(2026, 3, 8, 21, 0, 30), dt.timedelta(seconds=30))
    stack.restart()
    stack.run_until(local(2026, 3, 9, 1, 0), dt.timedelta(minutes=3))
    assert stack.recorder.count() == {("weekly_refresh", dt.date(2026, 3, 8)): 1}
    (refresh,) = stack.recorder.runs
    assert refresh.at == dt.datetime(2026, 3, 9, 1, 0, tzinfo=UTC)  # 21:00 EDT


def test_a_failed_job_is_retried_by_the_next_tick_and_fires_once(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 6, 0, 5))
    stack.recorder.fail_for.add(("checkin", "adam"))
    assert stack.scheduler.tick_now() == []
    assert stack.scheduler.failures and "checkin failed for adam" in (
        stack.scheduler.failures[-1].error
    )
    stack.recorder.fail_for.clear()
    stack.clock.advance(dt.timedelta(seconds=30))
    assert len(stack.scheduler.tick_now()) == 1
    stack.run_until(local(2026, 3, 3, 9, 0), dt.timedelta(seconds=45))
    assert stack.recorder.count() == {("checkin", dt.date(2026, 3, 3)): 1}


def test_one_athletes_failing_job_does_not_starve_the_others(make_stack: MakeStack) -> None:
    stack = make_stack(local(2026, 3, 3, 5, 59), athletes=("adam", "bea", "cy"))
    stack.recorder.fail_for.add(("checkin", "adam"))
    stack.run_until(local(2026, 3, 3, 6, 5), dt.timedelta(seconds=30))
    fired = sorted((f.athlete_id, f.local_date) for f in stack.recorder.runs)
    assert fired == [("bea", dt.date(2026, 3, 3)), ("cy", dt.date(2026, 3, 3))]
    assert all("checkin failed for adam" in f.error for f in stack.scheduler.failures)


# -- the invariant, for any tick pattern ------------------------------------------------------

DST_WEEKENDS = [local(2026, 3, 6, 0, 0), local(2026, 10, 30, 0, 0)]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.sampled_from(DST_WEEKENDS),
    offset_minutes=st.integers(0, 24 * 60),
    gaps=st.lists(st.integers(1, 170), min_size=5, max_size=60),
    restarts=st.sets(st.integers(0, 59), max_size=4),
)
def test_any_tick_pattern_fires_each_due_job_once_at_the_first_tick_in_grace(
    start: dt.datetime, offset_minutes: int, gaps: list[int], restarts: set[int]
) -> None:
    """For any spacing of ticks (including restarts on the same store), a job fires for a
    local date iff some tick falls in [due, due + grace), exactly once, at the first one."""
    storage = InMemoryStorage()
    storage.put_athlete(AthleteProfile("adam", "Adam", timezone="America/Toronto"))
    clock = FixedClock(start + dt.timedelta(minutes=offset_minutes))
    recorder = Recorder(clock)
    jobs = [running.CHECKIN, running.MONDAY_PLAN, running.WEEKLY_REFRESH, EARLY, REPEATED]

    def boot() -> LocalScheduler:
        scheduler = LocalScheduler(workers=1)
        app = RecordingApp(
            storage=storage,
            scheduler=scheduler,
            chat=RecordingChat(),
            model=ScriptedModel(),
            clock=clock,
            plugins=load_plugins(entry_points=False, extra=[running, ExtraJobs(EARLY, REPEATED)]),
        )
        app.recorder = recorder
        scheduler.attach(app)
        return scheduler

    scheduler = boot()
    ticks = []
    for i, gap in enumerate(gaps):
        if i in restarts:
            scheduler = boot()
        ticks.append(clock.now())
        scheduler.tick_now()
        clock.advance(dt.timedelta(minutes=gap, seconds=7))

    expected = {}
    first_day = ticks[0].astimezone(TORONTO).date() - dt.timedelta(days=1)
    for n in range((ticks[-1] - ticks[0]).days + 3):
        day = first_day + dt.timedelta(days=n)
        for job in jobs:
            due = occurrence(job, day, TORONTO)
            if due is None:
                continue
            in_grace = [t for t in ticks if due <= t < due + DEFAULT_GRACE]
            if in_grace:
                expected[(job.name, day)] = in_grace[0]
    fired = {(f.job, f.local_date): f.at for f in recorder.runs}
    assert len(fired) == len(recorder.runs), "a job fired twice for one local date"
    assert fired == expected
