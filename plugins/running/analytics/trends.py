"""Trends over weeks: durability, weekly volume and ramp, ACWR, monotony/strain, 80/20.

Conventions:

* Durability is the trend of aerobic decoupling (Pa:HR, :mod:`.efficiency`) on long runs:
  runs of at least 60 moving minutes with a decoupling value in the 56 days up to
  ``as_of``. The least-squares slope of decoupling against time, in percentage points per
  week, gives the label: ``building`` at −0.5 or less (heart rate holds better late in long
  runs), ``slipping`` at +0.5 or more, ``steady`` in between, ``unknown`` with fewer than
  three long runs.
* Weekly volume: moving time, distance, count and load per Monday-to-Sunday local week.
  The volume ramp is the last full week's moving time against the mean of the three weeks
  before, in percent. The fitness ramp rate is the CTL change over 7 days (TrainingPeaks).
* ACWR (acute:chronic workload ratio, Gabbett 2016): mean daily load of the last 7 days
  over the mean daily load of the last 28 days (rolling averages, coupled).
* Foster monotony and strain (Foster 1998): over 7 days including rest days,
  ``monotony = mean daily load / population SD of daily load``,
  ``strain = weekly load · monotony``. Monotony is ``None`` when every day is the same
  (SD 0).
* Intensity distribution: share of heart-rate zone time that is easy (zones 1–2, below
  the first threshold), moderate (zone 3) and hard (zones 4–5). The 80/20 check
  (Seiler; Fitzgerald's 80/20 running) passes when at least 80 % is easy.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.analytics.load import PmcPoint, activity_load, local_day

LONG_RUN_MIN_S = 3600.0
DURABILITY_WINDOW_DAYS = 56
DURABILITY_SLOPE = 0.5
EASY_TARGET = 0.80


@dataclass(frozen=True)
class Durability:
    """How well the athlete holds pace for heart rate late in long runs, and its trend."""

    label: str
    """``building``, ``steady``, ``slipping`` or ``unknown``."""
    slope_per_week: float | None
    """Change of long-run decoupling in percentage points per week (negative = better)."""
    long_runs: int
    latest_decoupling: float | None
    mean_decoupling: float | None


@dataclass(frozen=True)
class WeekVolume:
    """Training in one Monday-to-Sunday week."""

    week_start: dt.date
    moving_seconds: float
    distance_meters: float
    activities: int
    load: float


@dataclass(frozen=True)
class IntensityDistribution:
    """Shares of heart-rate zone time that were easy, moderate and hard."""

    easy: float
    moderate: float
    hard: float
    zone_seconds: float
    meets_80_20: bool


def durability(
    activities: Iterable[Activity],
    *,
    as_of: dt.date | None = None,
    window_days: int = DURABILITY_WINDOW_DAYS,
    long_run_min_s: float = LONG_RUN_MIN_S,
) -> Durability:
    """The durability trend (see the module doc). ``as_of`` defaults to the last run."""
    runs = [
        a
        for a in activities
        if a.is_run and a.moving_time_seconds >= long_run_min_s and a.decoupling_percent is not None
    ]
    if not runs:
        return Durability("unknown", None, 0, None, None)
    end = as_of or max(a.start.date() for a in runs)
    begin = end - dt.timedelta(days=window_days)
    window = sorted(
        (a for a in runs if begin < a.start.date() <= end), key=lambda a: (a.start, a.activity_id)
    )
    values = [float(a.decoupling_percent or 0.0) for a in window]
    if not window:
        return Durability("unknown", None, 0, None, None)
    mean = sum(values) / len(values)
    if len(window) < 3:
        return Durability("unknown", None, len(window), values[-1], mean)
    days = [(a.start - window[0].start).total_seconds() / 86400.0 for a in window]
    slope = _slope(days, values)
    if slope is None:
        return Durability("unknown", None, len(window), values[-1], mean)
    per_week = slope * 7.0
    if per_week <= -DURABILITY_SLOPE:
        label = "building"
    elif per_week >= DURABILITY_SLOPE:
        label = "slipping"
    else:
        label = "steady"
    return Durability(label, per_week, len(window), values[-1], mean)


def _slope(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    """Least-squares slope of ``ys`` on ``xs``; ``None`` when ``xs`` has no spread."""
    n = len(xs)
    mx = sum(xs) / n
    my = sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx <= 1e-12:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx


def week_start(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def weekly_volume(
    activities: Iterable[Activity], athlete: AthleteProfile, end: dt.date, weeks: int = 8
) -> list[WeekVolume]:
    """Volume of the ``weeks`` weeks up to and including ``end``'s week, oldest first."""
    last = week_start(end)
    first = last - dt.timedelta(weeks=weeks - 1)
    buckets: dict[dt.date, list[Activity]] = {
        first + dt.timedelta(weeks=k): [] for k in range(weeks)
    }
    for activity in activities:
        day = local_day(activity.start, athlete.timezone)
        if day > end:
            continue
        bucket = buckets.get(week_start(day))
        if bucket is not None:
            bucket.append(activity)
    return [
        WeekVolume(
            week_start=monday,
            moving_seconds=sum(a.moving_time_seconds for a in items),
            distance_meters=sum(a.distance_meters for a in items),
            activities=len(items),
            load=sum(activity_load(a, athlete) for a in items),
        )
        for monday, items in sorted(buckets.items())
    ]


def volume_ramp_percent(weeks: Sequence[WeekVolume]) -> float | None:
    """Last week's moving time against the mean of the three weeks before, in percent."""
    if len(weeks) < 4:
        return None
    base = sum(w.moving_seconds for w in weeks[-4:-1]) / 3.0
    if base <= 0.0:
        return None
    return (weeks[-1].moving_seconds - base) / base * 100.0


def ramp_rate(points: Sequence[PmcPoint], days: int = 7) -> float | None:
    """CTL change over the last ``days`` days (TrainingPeaks' ramp rate, per week)."""
    if len(points) <= days:
        return None
    return points[-1].ctl - points[-1 - days].ctl


def _window(loads: dict[dt.date, float], day: dt.date, days: int) -> list[float]:
    return [loads.get(day - dt.timedelta(days=k), 0.0) for k in range(days)]


def acute_chronic_ratio(loads: dict[dt.date, float], day: dt.date) -> float | None:
    """ACWR on ``day``: 7-day mean load over 28-day mean load; ``None`` with no chronic load."""
    chronic = sum(_window(loads, day, 28)) / 28.0
    if chronic <= 0.0:
        return None
    return (sum(_window(loads, day, 7)) / 7.0) / chronic


def monotony_strain(loads: dict[dt.date, float], day: dt.date) -> tuple[float | None, float]:
    """Foster's ``(monotony, strain)`` for the 7 days ending on ``day``."""
    week = _window(loads, day, 7)
    total = sum(week)
    mean = total / 7.0
    sd = math.sqrt(sum((x - mean) ** 2 for x in week) / 7.0)
    if sd <= 1e-9:
        return None, 0.0
    monotony = mean / sd
    return monotony, total * monotony


def intensity_distribution(activities: Iterable[Activity]) -> IntensityDistribution:
    """Shares of zone time that were easy, moderate and hard, and the 80/20 check."""
    easy = moderate = hard = 0.0
    for a in activities:
        easy += a.zone1_seconds + a.zone2_seconds
        moderate += a.zone3_seconds
        hard += a.zone4_seconds + a.zone5_seconds
    total = easy + moderate + hard
    if total <= 0.0:
        return IntensityDistribution(0.0, 0.0, 0.0, 0.0, False)
    return IntensityDistribution(
        easy / total, moderate / total, hard / total, total, easy / total >= EASY_TARGET
    )
