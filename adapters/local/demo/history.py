"""The history scenario: the training log played through the simulated runner.

Day by day, the runner arrives at each session with a fitness and a fatigue that come from
the load of the sessions before it (two exponentially weighted averages of the simulator's
own TRIMP, 42 and 7 days), so heart rate at a given pace creeps down over the weeks and is
higher the day after a big one. Everything is seeded: one seed, one history.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from momentum.adapters.local.demo import workouts
from momentum.adapters.local.demo.athlete import TIMEZONE, demo_athlete
from momentum.adapters.local.demo.physiology import BodyState, Runner
from momentum.adapters.local.demo.sessions import RunPlan, SimulatedRun, simulate_run
from momentum.adapters.local.demo.training_log import CALENDAR, FIRST_DAY, LAST_DAY, Entry
from momentum.core.model.athlete import AthleteProfile

DEFAULT_SEED = 2026
REFERENCE_DAILY_LOAD = 60.0
"""TRIMP per day that counts as fitness or fatigue 1.0 for this runner (about 7 h/week)."""
STRENGTH_LOAD_PER_MINUTE = {"easy": 0.6, "moderate": 0.9, "hard": 1.4}
FITNESS_DAYS = 42.0
FATIGUE_DAYS = 7.0


@dataclass(frozen=True)
class Session:
    """One simulated session of the history, ready to become an activity record."""

    activity_id: str
    entry: Entry
    start: dt.datetime
    """Aware, in UTC."""
    state: BodyState
    run: SimulatedRun | None = None

    @property
    def kind(self) -> str:
        """The training-log kind (``easy``, ``long``, ``treadmill``, ``strength`` …)."""
        return self.entry.kind

    @property
    def is_run(self) -> bool:
        """True for runs (they have streams)."""
        return self.run is not None

    @property
    def via_chat(self) -> bool:
        """True for a session no device recorded (the athlete reports it in chat)."""
        return self.entry.via_chat

    @property
    def seconds(self) -> int:
        """Elapsed seconds: the streams' length for runs, the minutes logged otherwise."""
        if self.run is not None:
            return len(self.run.streams.time)
        return self.entry.minutes * 60

    @property
    def end(self) -> dt.datetime:
        """When it finished (UTC)."""
        return self.start + dt.timedelta(seconds=self.seconds)


@dataclass(frozen=True)
class History:
    """The athlete and every simulated session from ``first_day`` to ``last_day``."""

    athlete: AthleteProfile
    sessions: tuple[Session, ...]
    first_day: dt.date
    last_day: dt.date
    seed: int

    @property
    def days(self) -> int:
        """Calendar days covered."""
        return (self.last_day - self.first_day).days + 1

    def recorded(self) -> tuple[Session, ...]:
        """Sessions a device recorded (everything but what the athlete tells in chat)."""
        return tuple(s for s in self.sessions if not s.via_chat)

    def missed_stretches(self, min_days: int = 2) -> list[tuple[dt.date, dt.date]]:
        """Runs of at least ``min_days`` consecutive days with no session at all."""
        busy = {s.entry.day for s in self.sessions}
        stretches: list[tuple[dt.date, dt.date]] = []
        start: dt.date | None = None
        for day in _days(self.first_day, self.last_day + dt.timedelta(days=1)):
            if day not in busy and day <= self.last_day:
                start = start or day
                continue
            if start is not None and (day - start).days >= min_days:
                stretches.append((start, day - dt.timedelta(days=1)))
            start = None
        return stretches


def activity_id_for(seed: int, entry: Entry) -> str:
    """A Strava-like numeric id, stable for a seed and a session."""
    key = f"{seed}:{entry.day.isoformat()}:{entry.at}:{entry.kind}".encode()
    number = int.from_bytes(hashlib.sha256(key).digest()[:6], "big") % 10**9
    return str(17_000_000_000 + number)


def plan_for(entry: Entry, rng: random.Random) -> RunPlan | None:
    """The run plan for a training-log entry (``None`` for strength)."""
    if entry.kind == "easy":
        return workouts.easy_run(rng, entry.minutes)
    if entry.kind == "recovery":
        return workouts.recovery_run(rng, entry.minutes)
    if entry.kind == "long":
        return workouts.long_run(rng, entry.minutes)
    if entry.kind == "intervals":
        return workouts.intervals(rng, reps=entry.reps or 5)
    if entry.kind in ("treadmill", "treadmill_long"):
        return workouts.treadmill_run(rng, entry.minutes, long=entry.kind == "treadmill_long")
    if entry.kind == "strength":
        return None
    raise ValueError(f"training log: unknown session kind {entry.kind!r} on {entry.day}")


def build_history(seed: int = DEFAULT_SEED, runner: Runner | None = None) -> History:
    """Simulate the training log for ``seed``: same seed, same history, sample for sample."""
    runner = runner or Runner()
    zone = ZoneInfo(TIMEZONE)
    fitness_load, fatigue_load = 0.75 * REFERENCE_DAILY_LOAD, 0.6 * REFERENCE_DAILY_LOAD
    by_day: dict[dt.date, list[Entry]] = {}
    for entry in CALENDAR:
        by_day.setdefault(entry.day, []).append(entry)
    sessions: list[Session] = []
    for day in _days(FIRST_DAY, LAST_DAY + dt.timedelta(days=1)):
        day_load = 0.0
        for entry in by_day.get(day, []):
            state = BodyState(
                fitness=fitness_load / REFERENCE_DAILY_LOAD,
                fatigue=(fatigue_load + 0.3 * day_load) / REFERENCE_DAILY_LOAD,
            )
            rng = random.Random(f"{seed}:{entry.day.isoformat()}:{entry.at}")
            plan = plan_for(entry, rng)
            run = simulate_run(plan, runner, state, rng) if plan is not None else None
            load = run.load if run is not None else _strength_load(entry)
            day_load += load
            local = dt.datetime.combine(day, entry.local_time, tzinfo=zone)
            sessions.append(
                Session(
                    activity_id=activity_id_for(seed, entry),
                    entry=entry,
                    start=local.astimezone(dt.UTC),
                    state=state,
                    run=run,
                )
            )
        fitness_load += (day_load - fitness_load) * (1 - math.exp(-1 / FITNESS_DAYS))
        fatigue_load += (day_load - fatigue_load) * (1 - math.exp(-1 / FATIGUE_DAYS))
    created = dt.datetime.combine(FIRST_DAY, dt.time(0, 0), tzinfo=zone).astimezone(dt.UTC)
    return History(
        athlete=demo_athlete(created=created),
        sessions=tuple(sessions),
        first_day=FIRST_DAY,
        last_day=LAST_DAY,
        seed=seed,
    )


def _strength_load(entry: Entry) -> float:
    return entry.minutes * STRENGTH_LOAD_PER_MINUTE.get(entry.intensity or "moderate", 0.9)


def _days(start: dt.date, stop: dt.date) -> Iterator[dt.date]:
    day = start
    while day < stop:
        yield day
        day += dt.timedelta(days=1)
