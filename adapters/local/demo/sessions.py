"""Simulate one run second by second: what the watch (and the treadmill) recorded.

A :class:`RunPlan` is what the runner set out to do (segments of target speed, a route or
treadmill inclines, traffic-light stops). :func:`simulate_run` plays it through the
:class:`~momentum.adapters.local.demo.physiology.Runner` and returns raw 1 Hz streams per device
plus the merged streams the analytics read. Outdoors the runner paces by effort (slower
uphill) and GPS speed is noisy; on the treadmill the belt holds the set speed and incline,
and the watch keeps recording a short walk after the class ends; the two devices' streams
are merged by :func:`momentum.plugins.running.analytics.merge.merge_streams`, with source ranges.
"""

from __future__ import annotations

import enum
import math
import random
from dataclasses import dataclass, field

from momentum.adapters.local.demo.physiology import (
    FLAT_COST,
    BodyState,
    HeartRateTrace,
    Runner,
    minetti_cost,
    triangular_noise,
)
from momentum.adapters.local.demo.terrain import Route
from momentum.core.model.activity import SourceRange, Streams
from momentum.plugins.running.analytics.merge import SourceStreams, merge_streams

WATCH = "watch"
TREADMILL = "peloton"
TREADMILL_PRIORITY = {"distance": (TREADMILL,), "speed": (TREADMILL,)}
"""Belt distance and speed beat the wrist's estimate while the class runs; every other
field comes from the only source that has it (see
:mod:`momentum.plugins.running.analytics.merge`)."""


class RunKind(enum.Enum):
    """The kinds of run in the demo athlete's history."""

    EASY = "easy"
    RECOVERY = "recovery"
    LONG = "long"
    INTERVALS = "intervals"
    TREADMILL = "treadmill"


@dataclass(frozen=True)
class Segment:
    """Part of a run at one target speed (m/s); ``grade`` is the treadmill incline
    (a fraction) and is ignored outdoors, where the route sets the grade."""

    seconds: int
    speed: float
    grade: float = 0.0
    label: str = ""


@dataclass(frozen=True)
class RunPlan:
    """What the runner set out to do."""

    kind: RunKind
    segments: tuple[Segment, ...]
    indoor: bool = False
    route: Route | None = None
    stops: tuple[tuple[int, int], ...] = ()
    """Outdoors: (second into the run, seconds stood still) at traffic lights."""
    tail_seconds: int = 0
    """Indoors: seconds the watch keeps recording after the treadmill class ends."""

    @property
    def planned_seconds(self) -> int:
        """Seconds of the segments (without stops or the post-class tail)."""
        return sum(s.seconds for s in self.segments)


@dataclass(frozen=True)
class SimulatedRun:
    """One simulated run: merged streams, each device's raw streams and the body's load."""

    plan: RunPlan
    streams: Streams
    sources: dict[str, Streams] = field(default_factory=dict)
    load: float = 0.0
    """Banister TRIMP of the simulated heart rate: the simulator's own fatigue bookkeeping."""


def simulate_run(
    plan: RunPlan, runner: Runner, state: BodyState, rng: random.Random
) -> SimulatedRun:
    """Play ``plan`` through ``runner`` arriving in ``state``; deterministic for ``rng``."""
    if plan.indoor:
        return _simulate_treadmill(plan, runner, state, rng)
    return _simulate_outdoor(plan, runner, state, rng)


def _targets(plan: RunPlan) -> list[Segment]:
    per_second: list[Segment] = []
    for segment in plan.segments:
        per_second.extend([segment] * segment.seconds)
    return per_second


def _trimp(hr: float, runner: Runner) -> float:
    reserve = max(0.0, (hr - runner.resting_hr) / (runner.max_hr - runner.resting_hr))
    return reserve * 0.64 * math.exp(1.92 * reserve) / 60.0


def _simulate_outdoor(
    plan: RunPlan, runner: Runner, state: BodyState, rng: random.Random
) -> SimulatedRun:
    # The hot loop of the demo (~100k samples): locals are bound once on purpose.
    route = plan.route or Route(base_altitude=100.0, waves=())
    profile = route.profile
    targets = _targets(plan)
    stops = dict(plan.stops)
    step = HeartRateTrace(runner, rng).step
    steady = runner.steady_state(state, indoor=False)
    cadence = runner.cadence
    rand = rng.random
    lock_seconds = rng.randint(0, 6)
    distances: list[float | None] = []
    speeds: list[float | None] = []
    rates: list[float | None] = []
    cadences: list[float | None] = []
    grades: list[float | None] = []
    altitudes: list[float | None] = []
    distance = speed = wander = gps = load = 0.0
    _, grade = profile(0.0)
    stop_left = index = elapsed = 0
    while index < len(targets):
        if stop_left == 0 and index in stops:
            stop_left = stops.pop(index)
        cost = minetti_cost(grade)
        if stop_left > 0:
            stop_left -= 1
            speed += -speed * 0.6
        else:
            wander = 0.97 * wander + (rand() - 0.5) * 0.014
            effort = (FLAT_COST / cost) ** 0.8
            command = targets[index].speed * min(1.15, max(0.55, effort)) * (1.0 + wander)
            speed += (command - speed) * 0.25
            index += 1
        hr = step(steady(speed, grade, elapsed, cost))
        load += _trimp(hr, runner)
        distance += speed
        altitude, grade = profile(distance)
        gps = 0.8 * gps + (rand() + rand() - 1.0) * 0.1225
        distances.append(round(distance, 1))
        speeds.append(round(max(0.0, speed + gps), 3) if speed > 0.05 else 0.0)
        rates.append(None if elapsed < lock_seconds else float(round(hr)))
        cadences.append(float(cadence(speed, rng)))
        grades.append(round(grade * 100, 1))
        altitudes.append(round(altitude, 1))
        elapsed += 1
    channels = {
        "distance": tuple(distances),
        "speed": tuple(speeds),
        "heart_rate": tuple(rates),
        "cadence": tuple(cadences),
        "grade": tuple(grades),
        "altitude": tuple(altitudes),
    }
    streams = Streams(
        time=tuple(float(t) for t in range(elapsed)),
        channels=channels,
        source_ranges=tuple(SourceRange(field=k, source=WATCH) for k in channels),
        is_indoor=False,
        sample_interval=1.0,
    )
    return SimulatedRun(plan=plan, streams=streams, sources={WATCH: streams}, load=load)


def _simulate_treadmill(
    plan: RunPlan, runner: Runner, state: BodyState, rng: random.Random
) -> SimulatedRun:
    targets = _targets(plan)
    trace = HeartRateTrace(runner, rng)
    steady = runner.steady_state(state, indoor=True)
    class_seconds = len(targets)
    total = class_seconds + plan.tail_seconds
    belt = grade = 0.0
    belt_distance = wrist_distance = load = 0.0
    wrist_bias = 1.0 + rng.uniform(-0.05, 0.05)
    treadmill: dict[str, list[float | None]] = {
        k: [] for k in ("distance", "speed", "grade", "power")
    }
    watch: dict[str, list[float | None]] = {
        k: [] for k in ("distance", "speed", "heart_rate", "cadence")
    }
    for second in range(total):
        if second < class_seconds:
            segment = targets[second]
            belt += max(-0.15, min(0.15, segment.speed - belt))
            grade += max(-0.005, min(0.005, segment.grade - grade))
            speed = belt
        else:
            speed = 0.9 if second - class_seconds < plan.tail_seconds * 0.7 else 0.0
            grade = 0.0
        hr = trace.step(steady(speed, grade, second, None))
        load += _trimp(hr, runner)
        wrist_speed = max(0.0, speed * wrist_bias + triangular_noise(rng, 0.08)) if speed else 0.0
        wrist_distance += wrist_speed
        if second < class_seconds:
            belt_distance += belt
            treadmill["distance"].append(round(belt_distance, 1))
            treadmill["speed"].append(round(belt, 2))
            treadmill["grade"].append(round(grade * 100, 1))
            treadmill["power"].append(float(round(runner.power_watts(belt, grade))))
        watch["distance"].append(round(wrist_distance, 1))
        watch["speed"].append(round(wrist_speed, 3))
        watch["heart_rate"].append(float(round(hr)))
        watch["cadence"].append(float(runner.cadence(speed, rng)))
    sources = {
        TREADMILL: _raw(treadmill, indoor=True, source=TREADMILL),
        WATCH: _raw(watch, indoor=True, source=WATCH),
    }
    merged = merge_streams(
        [SourceStreams(name, streams) for name, streams in sources.items()],
        priority=TREADMILL_PRIORITY,
    )
    return SimulatedRun(plan=plan, streams=merged, sources=sources, load=load)


def _raw(columns: dict[str, list[float | None]], *, indoor: bool, source: str) -> Streams:
    length = len(next(iter(columns.values())))
    return Streams(
        time=tuple(float(t) for t in range(length)),
        channels={k: tuple(v) for k, v in columns.items()},
        source_ranges=tuple(SourceRange(field=k, source=source) for k in columns),
        is_indoor=indoor,
        sample_interval=1.0,
    )
