"""The activity record: every number the coach talks about, computed from raw streams.

``build_activity`` cleans the streams (:mod:`.clean`, :mod:`.prepare`), then fills
distance, moving and elapsed time, heart rate, zone times (:mod:`.zones`), grade-adjusted
pace (:mod:`.gap`), EF, core EF and decoupling (:mod:`.efficiency`), per-km splits
(:mod:`.splits`), average incline, elevation gain, Banister TRIMP and HRSS (:mod:`.trimp`).

Conventions beyond those modules:

* Averages (heart rate, incline) are time-weighted over moving samples.
* Zone seconds and TRIMP count moving samples that have heart rate, so the five zone
  times add up to the heart-rate-covered moving time. TRIMP's weighting follows the
  athlete's ``sex`` (:mod:`.trimp`; men's constants when it is not given).
* ``avg_incline`` is reported for indoor sessions (treadmill incline) only; outdoors grade
  is in GAP and elevation gain instead.
* ``gap_seconds_per_km`` is moving time over grade-adjusted moving distance, for activities
  on foot; ``gap_model`` names the model used.
* The raw streams stay on the record unchanged, so rebuilding a record from them gives the
  same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from itertools import compress
from operator import is_not
from typing import cast

from momentum.core.model import Activity, AthleteProfile, Streams
from momentum.plugins.running.activity_metrics import with_running_metrics
from momentum.plugins.running.analytics.efficiency import efficiency
from momentum.plugins.running.analytics.gap import MINETTI
from momentum.plugins.running.analytics.prepare import FOOT, Prepared, prepare
from momentum.plugins.running.analytics.samples import HeartSamples, heart_samples
from momentum.plugins.running.analytics.splits import km_splits
from momentum.plugins.running.analytics.trimp import hrss, trimp_constants
from momentum.plugins.running.analytics.zones import zone_bounds, zone_thresholds


@dataclass(frozen=True)
class RecordOptions:
    """Choices that change how a record is computed."""

    gap_model: str = MINETTI
    """``"minetti2002"`` (default) or ``"strava_style"``; see :mod:`.gap`."""


@dataclass(frozen=True)
class _Totals:
    moving_time: float
    moving_adj: float
    hr_time: float
    avg_hr: float | None
    max_hr: float | None
    zones: tuple[float, float, float, float, float]
    trimp: float | None
    avg_incline: float | None


def build_activity(
    streams: Streams,
    athlete: AthleteProfile,
    *,
    activity_id: str,
    activity_type: str,
    start: dt.datetime,
    name: str = "",
    source: str = "",
    subtype: str = "",
    options: RecordOptions | None = None,
) -> Activity:
    """Compute the full activity record from ``streams`` for ``athlete``.

    Every computed field is filled (``None`` where the data cannot support a number, e.g.
    heart-rate metrics without heart rate); the streams are kept on the record.
    """
    opts = options or RecordOptions()
    if not subtype and streams.is_indoor:
        subtype = "Indoor"
    indoor = streams.is_indoor or subtype.lower() in {"indoor", "treadmill", "virtual"}
    prep = prepare(streams, activity_type, gap_model=opts.gap_model, indoor=indoor)
    counted = heart_samples(prep)
    totals = _totals(prep, athlete, counted)
    eff = efficiency(prep, counted)
    distance = math.fsum(prep.inc)
    foot = prep.sport == FOOT
    gap = (
        totals.moving_time / totals.moving_adj * 1000.0
        if foot and totals.moving_adj > 0 and totals.moving_time > 0
        else None
    )
    time = prep.time
    return with_running_metrics(
        Activity(
            activity_id=activity_id,
            athlete_id=athlete.athlete_id,
            activity_type=activity_type,
            start=start,
            activity_subtype=subtype,
            name=name,
            source=source,
            distance_meters=distance,
            moving_time_seconds=totals.moving_time,
            elapsed_time_seconds=(time[-1] - time[0]) if time else 0.0,
            avg_hr=totals.avg_hr,
            max_hr=totals.max_hr,
            zone1_seconds=totals.zones[0],
            zone2_seconds=totals.zones[1],
            zone3_seconds=totals.zones[2],
            zone4_seconds=totals.zones[3],
            zone5_seconds=totals.zones[4],
            avg_incline=totals.avg_incline,
            elevation_gain_meters=math.fsum(prep.gain),
            efficiency_factor=eff.ef,
            core_ef=eff.core_ef,
            core_ef_seconds=eff.core_seconds,
            decoupling_percent=eff.decoupling_percent,
            hrss=hrss(totals.trimp, athlete.heart_rate, athlete.sex)
            if totals.trimp is not None
            else None,
            splits=km_splits(prep, samples=counted) if distance > 0 else (),
            streams=streams,
        ),
        gap_seconds_per_km=gap,
        gap_model=prep.gap_model if gap is not None else "",
        trimp=totals.trimp,
    )


def _totals(prep: Prepared, athlete: AthleteProfile, counted: HeartSamples | None) -> _Totals:
    """Time-weighted sums over moving samples, and the heart-rate ones over ``counted``."""
    moving = prep.moving
    moving_time = sum(compress(prep.dt, moving), 0.0)
    moving_adj = sum(compress(prep.adj, moving), 0.0)
    grade = prep.grade
    avg_incline = None
    if prep.indoor and prep.has_grade_channel and grade is not None and moving_time > 0:
        avg_incline = _incline(prep.dt, moving, grade, moving_time)
    if counted is None:
        return _Totals(moving_time, moving_adj, 0.0, None, None, (0.0,) * 5, None, avg_incline)
    profile = athlete.heart_rate
    thresholds = zone_thresholds(zone_bounds(profile))
    rest = float(profile.resting_hr)
    reserve = float(profile.max_hr - profile.resting_hr)
    inv_reserve = 1.0 / reserve if reserve > 0.0 else 0.0
    k, b = trimp_constants(athlete.sex)
    steps = counted.steps
    if counted.regular:
        zones, trimp = _zones_and_trimp_1hz(counted.hrs, thresholds, rest, inv_reserve, b)
    else:
        zones, trimp = _zones_and_trimp(counted.hrs, steps, thresholds, rest, inv_reserve, b)
    hr_time = sum(steps, 0.0)
    beats = sum(counted.beats, 0.0)
    peak = _peak(prep.hr)
    return _Totals(
        moving_time=moving_time,
        moving_adj=moving_adj,
        hr_time=hr_time,
        avg_hr=beats / hr_time if hr_time > 0 else None,
        max_hr=peak if peak > 0 else None,
        zones=zones,
        trimp=trimp * k / 60.0 if hr_time > 0 else None,
        avg_incline=avg_incline,
    )


Zones = tuple[float, float, float, float, float]


def _zones_and_trimp(
    hrs: list[float],
    steps: list[float],
    thresholds: tuple[float, float, float, float],
    rest: float,
    inv_reserve: float,
    b: float,
) -> tuple[Zones, float]:
    """Seconds in each zone and the unscaled TRIMP sum, sample by sample (the hot loop)."""
    b2, b3, b4, b5 = thresholds
    exp = math.exp
    z1 = z2 = z3 = z4 = z5 = 0.0
    trimp = 0.0
    for h, step in zip(hrs, steps, strict=True):
        if h >= b4:
            if h >= b5:
                z5 += step
            else:
                z4 += step
        elif h >= b3:
            z3 += step
        elif h >= b2:
            z2 += step
        else:
            z1 += step
        x = (h - rest) * inv_reserve
        if x > 0.0:
            if x > 1.0:
                x = 1.0
            trimp += step * x * exp(b * x)
    return (z1, z2, z3, z4, z5), trimp


def _zones_and_trimp_1hz(
    hrs: list[float],
    thresholds: tuple[float, float, float, float],
    rest: float,
    inv_reserve: float,
    b: float,
) -> tuple[Zones, float]:
    """:func:`_zones_and_trimp` when every step is 1 s, from each distinct heart rate.

    A zone's seconds are then a count (a sum of 1.0s is exact), and each sample's TRIMP
    term ``1.0·x·e^(bx)`` depends on its heart rate only: it is computed once per distinct
    heart rate and the terms are summed in recording order, as the general loop does
    (samples below resting heart rate add 0.0, which changes no sum).
    """
    b2, b3, b4, b5 = thresholds
    exp = math.exp
    zones = [0, 0, 0, 0, 0]
    terms: dict[float, float] = {}
    for h, count in Counter(hrs).items():
        zone = (4 if h >= b5 else 3) if h >= b4 else 2 if h >= b3 else 1 if h >= b2 else 0
        zones[zone] += count
        x = (h - rest) * inv_reserve
        if x > 0.0:
            if x > 1.0:
                x = 1.0
            terms[h] = 1.0 * x * exp(b * x)
        else:
            terms[h] = 0.0
    z1, z2, z3, z4, z5 = map(float, zones)
    return (z1, z2, z3, z4, z5), sum(map(terms.__getitem__, hrs), 0.0)


def _peak(hr: list[float | None] | None) -> float:
    """The highest heart rate reading (0.0 when there is none above 0)."""
    if hr is None:
        return 0.0
    present = cast("Iterator[float]", filter(partial(is_not, None), hr))
    peak = max(present, default=0.0)
    if peak != peak:  # a NaN came first: skip NaNs the slow way
        peak = 0.0
        for h in hr:
            if h is not None and h > peak:
                peak = h
    return peak if peak > 0.0 else 0.0


def _incline(dt_: list[float], moving: list[bool], grade: list[float], moving_time: float) -> float:
    weighted = 0.0
    for step, mv, g in zip(dt_, moving, grade, strict=True):
        if mv:
            weighted += g * step
    return weighted / moving_time
