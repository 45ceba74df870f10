"""The activity record: every number the coach talks about, computed from raw streams.

``build_activity`` cleans the streams (:mod:`.clean`, :mod:`.prepare`), then fills
distance, moving and elapsed time, heart rate, zone times (:mod:`.zones`), grade-adjusted
pace (:mod:`.gap`), EF, core EF and decoupling (:mod:`.efficiency`), per-km splits
(:mod:`.splits`), average incline, elevation gain, Banister TRIMP and HRSS (:mod:`.trimp`).

Conventions beyond those modules:

* Averages (heart rate, incline) are time-weighted over moving samples.
* Zone seconds and TRIMP count moving samples that have heart rate, so the five zone
  times add up to the heart-rate-covered moving time.
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
from dataclasses import dataclass

from core.analytics.efficiency import efficiency
from core.analytics.gap import MINETTI
from core.analytics.prepare import FOOT, Prepared, prepare
from core.analytics.splits import km_splits
from core.analytics.trimp import hrss, trimp_constants
from core.analytics.zones import zone_bounds
from core.model import Activity, AthleteProfile, Streams


@dataclass(frozen=True)
class RecordOptions:
    """Choices that change how a record is computed."""

    gap_model: str = MINETTI
    """``"minetti2002"`` (default) or ``"strava_style"``; see :mod:`.gap`."""
    female: bool = False
    """Use Banister's women's TRIMP weighting (0.86·e^(1.67x)) instead of the men's."""


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
    totals = _totals(prep, athlete, opts.female)
    eff = efficiency(prep)
    distance = math.fsum(prep.inc)
    foot = prep.sport == FOOT
    gap = (
        totals.moving_time / totals.moving_adj * 1000.0
        if foot and totals.moving_adj > 0 and totals.moving_time > 0
        else None
    )
    time = prep.time
    return Activity(
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
        gap_seconds_per_km=gap,
        gap_model=prep.gap_model if gap is not None else "",
        efficiency_factor=eff.ef,
        core_ef=eff.core_ef,
        core_ef_seconds=eff.core_seconds,
        decoupling_percent=eff.decoupling_percent,
        trimp=totals.trimp,
        hrss=hrss(totals.trimp, athlete.heart_rate, opts.female)
        if totals.trimp is not None
        else None,
        splits=km_splits(prep) if distance > 0 else (),
        streams=streams,
    )


def _totals(prep: Prepared, athlete: AthleteProfile, female: bool) -> _Totals:
    """One pass over the samples for the time-weighted sums (the hot loop)."""
    dt_, moving, adj = prep.dt, prep.moving, prep.adj
    hr = prep.hr
    grade = prep.grade
    avg_incline = None
    if hr is None:
        moving_time = moving_adj = 0.0
        for step, mv, a in zip(dt_, moving, adj, strict=True):
            if mv:
                moving_time += step
                moving_adj += a
        if prep.indoor and prep.has_grade_channel and grade is not None and moving_time > 0:
            avg_incline = _incline(dt_, moving, grade, moving_time)
        return _Totals(moving_time, moving_adj, 0.0, None, None, (0.0,) * 5, None, avg_incline)
    bounds = zone_bounds(athlete.heart_rate)
    b2, b3, b4, b5 = bounds[1][0], bounds[2][0], bounds[3][0], bounds[4][0]
    profile = athlete.heart_rate
    rest = float(profile.resting_hr)
    reserve = float(profile.max_hr - profile.resting_hr)
    inv_reserve = 1.0 / reserve if reserve > 0.0 else 0.0
    k, b = trimp_constants(female)
    exp = math.exp
    moving_time = moving_adj = 0.0
    z1 = z2 = z3 = z4 = z5 = 0.0
    hr_time = beats = trimp = 0.0
    peak = 0.0
    for h, mv, step, a in zip(hr, moving, dt_, adj, strict=True):
        if h is not None and h > peak:
            peak = h
        if not mv:
            continue
        moving_time += step
        moving_adj += a
        if h is None or step <= 0.0:
            continue
        hr_time += step
        beats += h * step
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
    if prep.indoor and prep.has_grade_channel and grade is not None and moving_time > 0:
        avg_incline = _incline(dt_, moving, grade, moving_time)
    return _Totals(
        moving_time=moving_time,
        moving_adj=moving_adj,
        hr_time=hr_time,
        avg_hr=beats / hr_time if hr_time > 0 else None,
        max_hr=peak if peak > 0 else None,
        zones=(z1, z2, z3, z4, z5),
        trimp=trimp * k / 60.0 if hr_time > 0 else None,
        avg_incline=avg_incline,
    )


def _incline(dt_: list[float], moving: list[bool], grade: list[float], moving_time: float) -> float:
    weighted = 0.0
    for step, mv, g in zip(dt_, moving, grade, strict=True):
        if mv:
            weighted += g * step
    return weighted / moving_time
