"""Turning raw :class:`~momentum.core.model.Streams` into clean per-sample arrays the metrics share.

Conventions:

* Sample ``i`` stands for the interval from sample ``i-1`` to sample ``i`` and carries the
  readings taken at its end; sample 0 has no duration. Elapsed time is last minus first
  timestamp. This works for 1 Hz and irregular ("smart") recording alike.
* Distance comes from the distance channel (glitches removed, see :mod:`.clean`), else from
  the speed channel, else from GPS positions (jumps removed, see :mod:`.geo`).
* Moving time and pauses: with distance data an interval is moving when its speed, or the
  speed over the last 5 s when the interval is at most 5 s long, is at least the sport's
  threshold (0.4 m/s on foot, 1.0 m/s on a bike, 0.1 m/s swimming, 0.4 m/s otherwise). A
  recording gap (auto pause) therefore counts as paused unless the athlete covered ground
  at moving speed across it. Without distance, an interval is moving when power or cadence
  is positive (if either channel exists) and the interval is at most 30 s long; with
  neither, every interval up to 30 s long is moving.
* Rowing goes by strokes, not speed (a boat glides on between pieces, and ergometers
  report distance in bursts): with a stroke-rate (cadence) channel an interval of at most
  30 s is moving when the stroke rate at its end is positive; intervals without a
  stroke-rate reading fall back to the speed rule. Pool swims arrive one sample per length
  (see the FIT reader), so the speed rule makes the active lengths the moving time.
* Grade: the grade channel (percent; a treadmill's incline), else for outdoor activities
  grade from altitude (:func:`.gap.grade_from_altitude`). Indoor sessions with no grade
  channel are flat.
* Elevation gain: outdoors, the altitude's rises counted with a 2 m hysteresis (noise
  below 2 m is ignored); indoors, the climb implied by the incline (distance × grade).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate, islice, pairwise, repeat
from operator import ge, mul, sub
from typing import Any

from momentum.core.model import Streams
from momentum.plugins.running.analytics.clean import (
    clean_heart_rate,
    distance_increments,
    speed_increments,
)
from momentum.plugins.running.analytics.gap import MINETTI, factor_function, grade_from_altitude
from momentum.plugins.running.analytics.geo import position_increments

FOOT = "foot"
RIDE = "ride"
SWIM = "swim"
ROW = "row"
OTHER = "other"
MAX_SPEED = {FOOT: 12.5, RIDE: 35.0, SWIM: 4.0, ROW: 8.0, OTHER: 60.0}
"""Plausible top speed (m/s) per sport; faster increments are GPS jumps. Swim and rowing
distance often arrives in steps (a length at the wall, an ergometer's update), so there an
increment is judged over the time since the distance last changed."""
MIN_MOVING_SPEED = {FOOT: 0.4, RIDE: 1.0, SWIM: 0.1, ROW: 0.4, OTHER: 0.4}
"""Speed (m/s) below which an interval counts as paused."""
MOVING_WINDOW_S = 5.0
MAX_GRADIENT = 0.45
MAX_SAMPLE_GAP_S = 30.0
ELEVATION_HYSTERESIS_M = 2.0
_FOOT_WORDS = ("run", "walk", "hike", "jog", "trail")
_RIDE_WORDS = ("ride", "cycl", "bike", "biking")


def sport_of(activity_type: str) -> str:
    """``"foot"``, ``"ride"``, ``"swim"``, ``"row"`` or ``"other"`` for an activity type
    such as ``"TrailRun"``."""
    lowered = activity_type.lower()
    if any(word in lowered for word in _FOOT_WORDS):
        return FOOT
    if any(word in lowered for word in _RIDE_WORDS):
        return RIDE
    if "swim" in lowered:
        return SWIM
    if lowered.startswith("row") or "rowing" in lowered:
        return ROW
    return OTHER


@dataclass(slots=True)
class Prepared:
    """Clean per-sample arrays of one activity (all lists as long as ``time``)."""

    sport: str
    indoor: bool
    time: list[float]
    dt: list[float]
    """Interval durations; ``dt[0] == 0``."""
    inc: list[float]
    """Distance increments in metres."""
    moving: list[bool]
    hr: list[float | None] | None
    """Cleaned heart rate, ``None`` when the activity has none."""
    grade: list[float] | None
    """Grade in percent, ``None`` when unknown (treated as flat)."""
    adj: list[float]
    """Grade-adjusted distance increments (flat-equivalent metres); ``inc`` when flat."""
    gain: list[float]
    """Elevation gain increments in metres."""
    power: list[float] | None
    """Power in watts for rides (``None`` for other sports or without power)."""
    gap_model: str
    has_grade_channel: bool

    @property
    def distance(self) -> float:
        """Total distance in metres."""
        return sum(self.inc)


def prepare(
    streams: Streams,
    activity_type: str,
    *,
    gap_model: str = MINETTI,
    indoor: bool | None = None,
) -> Prepared:
    """Clean ``streams`` and derive the per-sample arrays (see the module doc).

    Raises ``ValueError`` when a channel's length differs from the time axis.
    """
    for name, values in streams.channels.items():
        if len(values) != len(streams.time):
            raise ValueError(
                f"stream channel {name!r} has {len(values)} samples, time has {len(streams.time)}"
            )
    sport = sport_of(activity_type)
    is_indoor = streams.is_indoor if indoor is None else indoor
    time = list(map(float, streams.time))
    n = len(time)
    dt = _steps(time)
    ch = streams.channels
    max_speed = MAX_SPEED[sport]
    speed = ch.get("speed")
    distance = ch.get("distance")
    lat, lng = ch.get("lat"), ch.get("lng")
    if distance is not None and any(d is not None for d in distance):
        inc = distance_increments(time, distance, speed, max_speed, stepped=sport in {SWIM, ROW})
    elif speed is not None:
        inc = speed_increments(time, speed, max_speed)
    elif lat is not None and lng is not None:
        inc = position_increments(time, lat, lng, max_speed)
    else:
        inc = [0.0] * n
    raw_hr = ch.get("heart_rate")
    hr = clean_heart_rate(time, raw_hr) if raw_hr is not None else None
    if hr is not None and all(h is None for h in hr):
        hr = None
    cum = _cumulative(inc)
    moving = _moving(time, dt, inc, cum, ch.get("power"), ch.get("cadence"), sport)
    grade_channel = ch.get("grade")
    altitude = ch.get("altitude")
    grade: list[float] | None = None
    if grade_channel is not None and any(g is not None for g in grade_channel):
        grade = _carried(grade_channel)
    elif (
        sport == FOOT
        and altitude is not None
        and not is_indoor
        and any(a is not None for a in altitude)
    ):
        grade = grade_from_altitude(cum, altitude)
    adj = _adjusted(inc, grade, gap_model) if sport == FOOT and grade is not None else inc
    gain = _gain(inc, grade, altitude, is_indoor)
    power = ch.get("power") if sport == RIDE else None
    power_list = [p if p is not None and p > 0 else 0.0 for p in power] if power else None
    return Prepared(
        sport=sport,
        indoor=is_indoor,
        time=time,
        dt=dt,
        inc=inc,
        moving=moving,
        hr=hr,
        grade=grade,
        adj=adj,
        gain=gain,
        power=power_list if power_list and any(power_list) else None,
        gap_model=gap_model if sport == FOOT else "",
        has_grade_channel=grade_channel is not None,
    )


def _steps(time: list[float]) -> list[float]:
    """Interval durations, 0 for the first sample and where time does not advance."""
    if not time:
        return []
    dt = [0.0]
    dt += map(sub, islice(time, 1, None), time)
    # Built-in map/min/sum do the common case in C; time going backwards (or NaN) is rare.
    total = sum(dt)
    if not (min(dt) >= 0.0 and total == total):
        dt[1:] = [b - a if b > a else 0.0 for a, b in pairwise(time)]
    return dt


def _moving(
    time: list[float],
    dt: list[float],
    inc: list[float],
    cum: list[float],
    power: tuple[float | None, ...] | None,
    cadence: tuple[float | None, ...] | None,
    sport: str,
) -> list[bool]:
    n = len(time)
    if sport == ROW and cadence is not None and any(c for c in cadence):
        return _strokes(time, dt, inc, cum, cadence)
    if any(inc):
        threshold = MIN_MOVING_SPEED[sport]
        window = MOVING_WINDOW_S
        # Fast enough over its own interval (in C); then the rest, sample by sample.
        moving = list(map(ge, inc, map(mul, repeat(threshold), dt)))
        moving[0] = False
        j = 0
        for i in _indices(moving, False, 1):
            step = dt[i]
            if step <= 0.0 or step > window:
                continue
            t = time[i]
            while j < i - 1 and t - time[j + 1] >= window:
                j += 1
            span = t - time[j]
            if span > 0.0 and cum[i] - cum[j] >= threshold * span:
                moving[i] = True
        for i in _indices(dt, 0.0, 1):  # no time passed: never moving
            moving[i] = False
        return moving
    moving = [False] * n
    effort = [power, cadence]
    signals = [s for s in effort if s is not None and any(v for v in s)]
    for i in range(1, n):
        step = dt[i]
        if step <= 0.0 or step > MAX_SAMPLE_GAP_S:
            continue
        if signals:
            moving[i] = any((s[i] or 0.0) > 0.0 for s in signals)
        else:
            moving[i] = True
    return moving


def _strokes(
    time: list[float],
    dt: list[float],
    inc: list[float],
    cum: list[float],
    stroke_rate: tuple[float | None, ...],
) -> list[bool]:
    """Rowing: moving while strokes are being taken (see the module doc)."""
    by_speed = _moving(time, dt, inc, cum, None, None, OTHER) if any(inc) else None
    moving = [False] * len(time)
    for i in range(1, len(time)):
        step = dt[i]
        if step <= 0.0 or step > MAX_SAMPLE_GAP_S:
            continue
        rate = stroke_rate[i]
        if rate is not None:
            moving[i] = rate > 0.0
        elif by_speed is not None:
            moving[i] = by_speed[i]
    return moving


def _indices(values: list[Any], value: object, start: int) -> list[int]:
    """Indices from ``start`` on where ``values`` holds ``value`` (found by ``list.index``)."""
    found: list[int] = []
    i = start - 1
    try:
        while True:
            i = values.index(value, i + 1)
            found.append(i)
    except ValueError:
        return found


def _carried(values: tuple[float | None, ...]) -> list[float]:
    """Missing readings carry the last reading forward (0 before the first)."""
    out: list[float] = []
    last = 0.0
    for v in values:
        if v is not None:
            last = float(v)
        out.append(last)
    return out


def _cumulative(inc: list[float]) -> list[float]:
    """Cumulative distance: 0 at the first sample, then the running sum of increments."""
    return list(accumulate(islice(inc, 1, None), initial=0.0)) if inc else []


def _adjusted(inc: list[float], grade: list[float], model: str) -> list[float]:
    """Grade-adjusted increments; the Minetti polynomial is inlined (hot loop) and
    matches :func:`.gap.minetti_factor` exactly."""
    out = [0.0] * len(inc)
    if model == MINETTI:
        lo, hi = -MAX_GRADIENT, MAX_GRADIENT
        scale = 1.0 / 3.6
        for i, (step, g) in enumerate(zip(inc, grade, strict=True)):
            if step == 0.0:
                continue
            x = g * 0.01
            if x > hi:
                x = hi
            elif x < lo:
                x = lo
            cost = ((((155.4 * x - 30.4) * x - 43.3) * x + 46.3) * x + 19.5) * x + 3.6
            out[i] = step * cost * scale
        return out
    factor = factor_function(model)
    for i, (step, g) in enumerate(zip(inc, grade, strict=True)):
        if step != 0.0:
            out[i] = step * factor(g)
    return out


def _gain(
    inc: list[float],
    grade: list[float] | None,
    altitude: tuple[float | None, ...] | None,
    indoor: bool,
) -> list[float]:
    n = len(inc)
    out = [0.0] * n
    if not indoor and altitude is not None:
        ref: float | None = None
        thr = ELEVATION_HYSTERESIS_M
        for i in range(n):
            a = altitude[i]
            if a is None:
                continue
            if ref is None:
                ref = a
            elif a - ref >= thr:
                out[i] = a - ref
                ref = a
            elif ref - a >= thr:
                ref = a
        return out
    if indoor and grade is not None:
        for i in range(n):
            g = grade[i]
            if g > 0.0:
                out[i] = inc[i] * g / 100.0
    return out
