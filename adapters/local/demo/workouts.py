"""The session generator: seeded run plans at the demo athlete's paces.

Each builder returns a :class:`~momentum.adapters.local.demo.sessions.RunPlan` with a little seeded
variation (pace, stops, route), so no two easy runs are the same but a seed always gives
the same run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from momentum.adapters.local.demo.sessions import RunKind, RunPlan, Segment
from momentum.adapters.local.demo.terrain import city_route, trail_route


def pace(minutes: int, seconds: int = 0) -> float:
    """A pace in min:sec per km as a speed in m/s."""
    return 1000.0 / (minutes * 60 + seconds)


@dataclass(frozen=True)
class Paces:
    """Target speeds in m/s. Defaults are the talk's athlete in winter: Z2 on the flat at
    about 7:20 min/km, treadmill Z2 at 9:30 min/km on 4 %, hikes at 5.6 km/h on 12 %."""

    easy: float = pace(7, 20)
    recovery: float = pace(7, 55)
    long: float = pace(7, 50)
    interval: float = pace(5, 15)
    jog: float = pace(8, 20)
    treadmill_run: float = pace(9, 30)
    treadmill_run_grade: float = 0.04
    treadmill_hike: float = 5.6 / 3.6
    treadmill_hike_grade: float = 0.12


PACES = Paces()


def _jitter(rng: random.Random, speed: float, spread: float = 0.03) -> float:
    return speed * (1.0 + rng.uniform(-spread, spread))


def _stops(rng: random.Random, seconds: int, most: int) -> tuple[tuple[int, int], ...]:
    count = rng.randint(0, most)
    moments = sorted(rng.sample(range(300, max(301, seconds - 300)), count)) if count else []
    return tuple((m, rng.randint(12, 45)) for m in moments)


def easy_run(rng: random.Random, minutes: int, paces: Paces = PACES) -> RunPlan:
    """A Z2 city run: a slower first five minutes, then easy pace, a traffic light or two."""
    seconds = minutes * 60
    easy = _jitter(rng, paces.easy)
    segments = (
        Segment(300, easy * 0.93, label="warm-up"),
        Segment(seconds - 300, easy, label="easy"),
    )
    return RunPlan(
        RunKind.EASY, segments, route=city_route(rng), stops=_stops(rng, seconds, most=3)
    )


def recovery_run(rng: random.Random, minutes: int, paces: Paces = PACES) -> RunPlan:
    """A short, very easy run."""
    seconds = minutes * 60
    segments = (Segment(seconds, _jitter(rng, paces.recovery), label="recovery"),)
    return RunPlan(
        RunKind.RECOVERY, segments, route=city_route(rng), stops=_stops(rng, seconds, most=2)
    )


def long_run(rng: random.Random, minutes: int, paces: Paces = PACES) -> RunPlan:
    """The week's long run on the ravine trails, at long-run pace."""
    seconds = minutes * 60
    long = _jitter(rng, paces.long, 0.02)
    segments = (
        Segment(420, long * 0.94, label="warm-up"),
        Segment(seconds - 420, long, label="long"),
    )
    return RunPlan(RunKind.LONG, segments, route=trail_route(rng), stops=_stops(rng, seconds, 1))


def intervals(
    rng: random.Random, reps: int = 5, rep_seconds: int = 180, paces: Paces = PACES
) -> RunPlan:
    """Warm-up, ``reps`` × ``rep_seconds`` at interval pace with 2-minute jogs, cool-down."""
    fast = _jitter(rng, paces.interval, 0.02)
    segments = [Segment(720, paces.easy * 0.95, label="warm-up")]
    for rep in range(reps):
        segments.append(Segment(rep_seconds, fast, label=f"rep {rep + 1}"))
        segments.append(Segment(120, paces.jog, label="jog"))
    segments.append(Segment(480, paces.recovery, label="cool-down"))
    return RunPlan(RunKind.INTERVALS, tuple(segments), route=city_route(rng))


def treadmill_run(
    rng: random.Random, minutes: int, paces: Paces = PACES, *, long: bool = False
) -> RunPlan:
    """A Winter Engine treadmill class: Z2 running on 4 % mixed with 12 % incline hikes.

    ``long`` is the indoor long run: the same mix a notch easier (slower belt, 3.5 % and
    11 %), so 90 minutes stay mostly aerobic.
    """
    seconds = minutes * 60
    ease = 0.98 if long else 1.0
    run_grade = paces.treadmill_run_grade - (0.005 if long else 0.0)
    hike_grade = paces.treadmill_hike_grade - (0.01 if long else 0.0)
    segments = [Segment(240, paces.treadmill_hike * 0.85, 0.02, "warm-up walk")]
    left = seconds - 240 - 180
    while left > 0:
        run = min(left, rng.choice((240, 300, 360)))
        segments.append(Segment(run, paces.treadmill_run * ease, run_grade, "run"))
        left -= run
        if left <= 0:
            break
        hike = min(left, rng.choice((180, 240)))
        segments.append(Segment(hike, paces.treadmill_hike * ease, hike_grade, "incline hike"))
        left -= hike
    segments.append(Segment(180, paces.treadmill_hike * 0.8, 0.01, "cool-down"))
    return RunPlan(
        RunKind.TREADMILL, tuple(segments), indoor=True, tail_seconds=rng.randint(15, 40)
    )
