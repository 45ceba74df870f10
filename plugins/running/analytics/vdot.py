"""VDOT: Jack Daniels' and Jimmy Gilbert's running-fitness number, race predictions and paces.

Conventions (Daniels & Gilbert, *Oxygen Power*, 1979; Daniels, *Daniels' Running Formula*):

* Oxygen cost of running at velocity ``v`` (metres per minute)::

      VO2(v) = -4.60 + 0.182258·v + 0.000104·v²        (ml/kg/min)

* Fraction of VO2max a runner can hold for a race of ``t`` minutes::

      %max(t) = 0.8 + 0.1894393·e^(-0.012778·t) + 0.2989558·e^(-0.1932605·t)

* ``VDOT = VO2(d / t) / %max(t)`` for a race of ``d`` metres in ``t`` minutes.
* The equivalent time for another distance solves ``VDOT(d, t) = vdot`` for ``t``
  (the function is strictly decreasing in ``t``; solved by bisection to 1 ms).
* Training paces are the velocities whose oxygen cost is a fraction of VDOT, following the
  intensities of *Daniels' Running Formula*: E (easy) 59–74 % of VDOT, M (marathon) the
  equivalent marathon race pace, T (threshold) 88 %, I (interval) 97.5 %, R (repetition)
  the equivalent mile race pace (Daniels: R is "about current mile race pace"). Paces are
  returned as ``(fast, slow)`` seconds per kilometre; a single pace has ``fast == slow``.

Riegel's predictor (Riegel, *American Scientist* 1981): ``T2 = T1 · (D2 / D1)^1.06``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from momentum.core.model import Activity
from momentum.plugins.running.profile import RaceResult

MILE_M = 1609.344
MARATHON_M = 42195.0
HALF_MARATHON_M = 21097.5

RACE_DISTANCES: dict[str, float] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
    "marathon": MARATHON_M,
}
"""The four distances the equivalent-times table reports, by name."""

EASY_FRACTION = (0.59, 0.74)
"""E pace: the range of VO2max fractions for easy and long runs (slow end, fast end)."""
THRESHOLD_FRACTION = 0.88
"""T pace: comfortably hard, about an hour's race effort."""
INTERVAL_FRACTION = 0.975
"""I pace: near VO2max (Daniels: 95–100 % of VO2max; the tables sit near 97.5 %)."""

_MIN_VDOT = 1.0
_MAX_VDOT = 120.0


def oxygen_cost(velocity_m_per_min: float) -> float:
    """VO2 (ml/kg/min) of running at ``velocity_m_per_min`` (Daniels–Gilbert)."""
    v = velocity_m_per_min
    return -4.60 + 0.182258 * v + 0.000104 * v * v


def fraction_of_max(minutes: float) -> float:
    """Fraction of VO2max sustainable for a race lasting ``minutes`` (Daniels–Gilbert)."""
    return (
        0.8 + 0.1894393 * math.exp(-0.012778 * minutes) + 0.2989558 * math.exp(-0.1932605 * minutes)
    )


def velocity_for_vo2(vo2: float) -> float:
    """The velocity (m/min) whose oxygen cost is ``vo2``: the positive root of the cost
    quadratic."""
    a, b, c = 0.000104, 0.182258, -4.60 - vo2
    return (-b + math.sqrt(b * b - 4.0 * a * c)) / (2.0 * a)


def vdot_from_race(distance_m: float, time_s: float) -> float:
    """VDOT from a race of ``distance_m`` metres run in ``time_s`` seconds.

    Raises ``ValueError`` for a non-positive distance or time.
    """
    if not (distance_m > 0 and time_s > 0) or math.isinf(distance_m) or math.isinf(time_s):
        raise ValueError("race distance and time must be positive and finite")
    minutes = time_s / 60.0
    return oxygen_cost(distance_m / minutes) / fraction_of_max(minutes)


def race_time(vdot: float, distance_m: float) -> float:
    """Equivalent race time in seconds for ``distance_m`` at ``vdot`` (Daniels–Gilbert).

    Solves ``vdot_from_race(distance_m, t) == vdot`` by bisection; ``vdot_from_race`` is
    strictly decreasing in ``t`` over any realistic range.
    """
    if not vdot > 0 or not distance_m > 0:
        raise ValueError("vdot and distance must be positive")
    lo = 1.0
    hi = 60.0
    while vdot_from_race(distance_m, hi) > vdot:
        hi *= 2.0
        if hi > 1e7:
            raise ValueError(f"no race time for VDOT {vdot:.1f} over {distance_m:.0f} m")
    while vdot_from_race(distance_m, lo) < vdot:
        lo /= 2.0
        if lo < 1e-6:
            raise ValueError(f"no race time for VDOT {vdot:.1f} over {distance_m:.0f} m")
    while hi - lo > 1e-3:
        mid = 0.5 * (lo + hi)
        if vdot_from_race(distance_m, mid) > vdot:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def equivalent_times(vdot: float) -> dict[str, float]:
    """Equivalent race times in seconds for 5K, 10K, half marathon and marathon."""
    return {name: race_time(vdot, metres) for name, metres in RACE_DISTANCES.items()}


def _pace_at_fraction(vdot: float, fraction: float) -> float:
    """Seconds per km at the velocity costing ``fraction`` of ``vdot``."""
    return 60_000.0 / velocity_for_vo2(vdot * fraction)


def _race_pace(vdot: float, distance_m: float) -> float:
    """Seconds per km of the equivalent race over ``distance_m``."""
    return race_time(vdot, distance_m) / distance_m * 1000.0


def training_paces(vdot: float) -> dict[str, tuple[float, float]]:
    """Daniels training paces for ``vdot`` as ``{"E"|"M"|"T"|"I"|"R": (fast, slow)}`` in
    seconds per kilometre. E is a range; M, T, I and R are single paces (fast == slow)."""
    if not vdot > 0:
        raise ValueError("vdot must be positive")
    easy_fast = _pace_at_fraction(vdot, EASY_FRACTION[1])
    easy_slow = _pace_at_fraction(vdot, EASY_FRACTION[0])
    marathon = _race_pace(vdot, MARATHON_M)
    threshold = _pace_at_fraction(vdot, THRESHOLD_FRACTION)
    interval = _pace_at_fraction(vdot, INTERVAL_FRACTION)
    repetition = _race_pace(vdot, MILE_M)
    return {
        "E": (easy_fast, easy_slow),
        "M": (marathon, marathon),
        "T": (threshold, threshold),
        "I": (interval, interval),
        "R": (repetition, repetition),
    }


def riegel(distance_m: float, time_s: float, target_m: float, exponent: float = 1.06) -> float:
    """Riegel's predicted time (s) for ``target_m`` from a result over ``distance_m``:
    ``T2 = T1 · (D2 / D1) ** exponent`` (Riegel 1981, exponent 1.06)."""
    if not (distance_m > 0 and time_s > 0 and target_m > 0):
        raise ValueError("distances and time must be positive")
    ratio: float = target_m / distance_m
    return time_s * math.pow(ratio, exponent)


def race_result_of(activity: Activity, name: str = "") -> RaceResult:
    """A race or time trial recorded as an activity, as a :class:`RaceResult` for
    :func:`current_vdot`: its distance and moving time on the day it started. Raises
    ``ValueError`` when the activity has no distance or time."""
    if activity.distance_meters <= 0 or activity.moving_time_seconds <= 0:
        raise ValueError(f"activity {activity.activity_id} has no distance or time to race on")
    return RaceResult(
        date=activity.start.date(),
        distance_meters=activity.distance_meters,
        time_seconds=activity.moving_time_seconds,
        name=name or activity.name,
    )


def current_vdot(results: Sequence[RaceResult], as_of: dt.date) -> float | None:
    """VDOT from the most recent race or time trial on or before ``as_of``.

    A newer result replaces an older one (fitness changes; the latest effort is the best
    evidence). On the same day the faster performance (higher VDOT) wins. ``None`` when
    there is no usable result.
    """
    best: tuple[dt.date, float] | None = None
    for result in results:
        if result.date > as_of:
            continue
        try:
            value = vdot_from_race(result.distance_meters, result.time_seconds)
        except ValueError:
            continue
        if not _MIN_VDOT <= value <= _MAX_VDOT:
            continue
        if best is None or (result.date, value) > best:
            best = (result.date, value)
    return None if best is None else best[1]
