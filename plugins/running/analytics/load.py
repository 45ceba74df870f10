"""Training load over time: per-activity load, fitness (CTL), fatigue (ATL) and form (TSB).

Conventions:

* Activity load is HRSS-like: the activity's HRSS when it has heart rate (100 = one hour
  at threshold heart rate, see :mod:`.trimp`). Without heart rate it is estimated as
  ``hours · IF² · 100`` (the TSS form), where the intensity factor ``IF`` is, for runs
  with a pace and a known VDOT, threshold pace (Daniels T pace) over the run's
  grade-adjusted pace (the rTSS idea), and otherwise comes from the self-reported
  intensity (easy 0.70, moderate 0.80, hard 0.90) or the sport's typical easy effort
  (see :data:`DEFAULT_INTENSITY`).
* Fitness (CTL) and fatigue (ATL) are exponentially weighted averages of daily load with
  time constants of 42 and 7 days (the Banister/Coggan Performance Manager)::

      CTL_d = CTL_{d-1} + (load_d − CTL_{d-1}) · (1 − e^(−1/42))
      ATL_d = ATL_{d-1} + (load_d − ATL_{d-1}) · (1 − e^(−1/7))

* Start-up (seeding). Data rarely begins when the training did (a new account, an import
  of the last few weeks, the coach reading only its last three months), and a PMC that
  starts from zero then shows every athlete "gaining fitness" for weeks. Like
  TrainingPeaks' "estimate starting fitness" (same value for CTL and ATL) and
  GoldenCheetah's season seed (starting LTS = STS), the state on the day before the
  first loaded day is seeded with one value for both: by default (``seed="history"``) the
  mean daily load, rest days counted as 0, of the first :data:`SEED_DAYS` (42, the CTL
  time constant) days of the history up to the PMC's end, i.e. the athlete is assumed to
  have been in a steady state at that load. ``seed=0.0`` gives the textbook zero start
  (the Banister/Coggan definition the reference tests check); any other number is a
  starting CTL/ATL set by hand. Days before the first loaded day carry the seed (TSB 0).
* The 30-day fitness change is reported only when the history begins at least
  :data:`BASELINE_DAYS` (42, one CTL time constant) days before the window's first day,
  so that at most e^(−1) ≈ 37 % of the starting fitness still comes from the seed; with
  less history :func:`fitness_change_percent` returns ``None`` (the coach prints
  "building a baseline").
* Form (TSB) follows TrainingPeaks: today's form is *yesterday's* fitness minus
  yesterday's fatigue, i.e. how fresh the athlete is before today's training.
* An activity's contribution is what it adds on its day, all else equal: ``load · (1 −
  e^(−1/42))`` to fitness and ``load · (1 − e^(−1/7))`` to fatigue.
* Days are the athlete's local calendar days (``AthleteProfile.timezone``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.prepare import FOOT, RIDE, sport_of
from momentum.plugins.running.analytics.vdot import (
    THRESHOLD_FRACTION,
    current_vdot,
    velocity_for_vo2,
)
from momentum.plugins.running.profile import running_profile

CTL_DAYS = 42.0
ATL_DAYS = 7.0
CTL_GAIN = 1.0 - math.exp(-1.0 / CTL_DAYS)
ATL_GAIN = 1.0 - math.exp(-1.0 / ATL_DAYS)
INTENSITY_FACTORS = {"easy": 0.70, "moderate": 0.80, "hard": 0.90}
DEFAULT_INTENSITY = {FOOT: 0.75, RIDE: 0.70, "strength": 0.65, "other": 0.60}
SEED_DAYS = 42
"""Days at the start of the history whose mean daily load seeds CTL and ATL."""
BASELINE_DAYS = 42
"""History needed before a fitness-change window starts (one CTL time constant)."""
SEED_FROM_HISTORY: Literal["history"] = "history"
Seed = float | Literal["history"]
"""A starting CTL/ATL: a number, or ``"history"`` to estimate it (see the module doc)."""


@dataclass(frozen=True)
class PmcPoint:
    """One day of the Performance Manager: that day's load, fitness, fatigue and form."""

    day: dt.date
    load: float
    ctl: float
    atl: float
    tsb: float


def local_day(moment: dt.datetime, timezone: str) -> dt.date:
    """The athlete's calendar day of ``moment`` (naive datetimes are taken as local)."""
    if moment.tzinfo is None:
        return moment.date()
    try:
        zone = ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        return moment.date()
    return moment.astimezone(zone).date()


def _duration_hours(activity: Activity) -> float:
    seconds = activity.moving_time_seconds or activity.elapsed_time_seconds
    return max(0.0, seconds) / 3600.0


def _intensity_factor(activity: Activity, athlete: AthleteProfile) -> float:
    label = activity.intensity.lower()
    if label in INTENSITY_FACTORS:
        return INTENSITY_FACTORS[label]
    sport = sport_of(activity.activity_type)
    gap = running_metrics(activity).gap_seconds_per_km
    if sport == FOOT and gap:
        vdot = current_vdot(running_profile(athlete).race_results, activity.start.date())
        if vdot is not None:
            threshold_pace = 60_000.0 / velocity_for_vo2(vdot * THRESHOLD_FRACTION)
            return min(1.2, threshold_pace / gap)
    if "strength" in activity.activity_type.lower() or "weight" in activity.activity_type.lower():
        return DEFAULT_INTENSITY["strength"]
    return DEFAULT_INTENSITY.get(sport, DEFAULT_INTENSITY["other"])


def activity_load(activity: Activity, athlete: AthleteProfile) -> float:
    """HRSS-like load of one activity (see the module doc for the no-heart-rate estimate)."""
    if activity.hrss is not None:
        return max(0.0, activity.hrss)
    factor = _intensity_factor(activity, athlete)
    return _duration_hours(activity) * factor * factor * 100.0


def daily_loads(activities: Iterable[Activity], athlete: AthleteProfile) -> dict[dt.date, float]:
    """Total load per local day."""
    loads: dict[dt.date, float] = {}
    for activity in activities:
        day = local_day(activity.start, athlete.timezone)
        loads[day] = loads.get(day, 0.0) + activity_load(activity, athlete)
    return loads


def contribution(load: float) -> tuple[float, float]:
    """What a load adds on its day: ``(fitness, fatigue)`` deltas (see the module doc)."""
    return load * CTL_GAIN, load * ATL_GAIN


def history_seed(loads: dict[dt.date, float], end: dt.date) -> float:
    """Mean daily load (rest days 0) over the first :data:`SEED_DAYS` days of the history
    that are on or before ``end``; 0.0 without history."""
    first = min((day for day in loads if day <= end), default=None)
    if first is None:
        return 0.0
    last = min(first + dt.timedelta(days=SEED_DAYS - 1), end)
    total = math.fsum(load for day, load in loads.items() if first <= day <= last)
    return total / ((last - first).days + 1)


def pmc_from_loads(
    loads: dict[dt.date, float],
    start: dt.date,
    end: dt.date,
    *,
    seed: Seed = SEED_FROM_HISTORY,
) -> list[PmcPoint]:
    """The PMC for ``start..end`` (inclusive) from daily loads, warmed up from the first
    loaded day before ``start`` and seeded as the module doc says (``seed=0.0``: the
    textbook zero start)."""
    if end < start:
        return []
    one = dt.timedelta(days=1)
    first = min((day for day in loads if day <= end), default=end + one)
    level = history_seed(loads, end) if isinstance(seed, str) else float(seed)
    points: list[PmcPoint] = []
    day = start
    while day < first and day <= end:  # before the history: the assumed steady state
        points.append(PmcPoint(day, 0.0, level, level, 0.0))
        day += one
    day = first
    ctl = atl = level
    get = loads.get
    while day <= end:
        load = get(day, 0.0)
        tsb = ctl - atl
        ctl += (load - ctl) * CTL_GAIN
        atl += (load - atl) * ATL_GAIN
        if day >= start:
            points.append(PmcPoint(day, load, ctl, atl, tsb))
        day += one
    return points


def pmc(
    activities: Iterable[Activity],
    athlete: AthleteProfile,
    start: dt.date,
    end: dt.date,
    *,
    seed: Seed = SEED_FROM_HISTORY,
) -> list[PmcPoint]:
    """Daily fitness, fatigue and form from ``start`` to ``end`` inclusive (``seed``: see
    :func:`pmc_from_loads`)."""
    return pmc_from_loads(daily_loads(activities, athlete), start, end, seed=seed)


def fitness_change_percent(
    points: Sequence[PmcPoint], days: int = 30, *, history_start: dt.date | None = None
) -> float | None:
    """Change in fitness (CTL) over the last ``days`` of ``points``, in percent of the
    value on the window's first day (``points[-1 - days]``).

    ``None`` (not enough to say; the coach prints "building a baseline") when there are
    fewer than ``days + 1`` points, when the history begins less than
    :data:`BASELINE_DAYS` days before the window's first day, or from (near) zero fitness
    (CTL below 1). ``history_start`` is the first day of the athlete's history; without it
    the history is taken to begin at the first point with a load, so pass the PMC from
    the start of the history or give ``history_start``.
    """
    if len(points) <= days:
        return None
    before = points[-1 - days]
    begins = history_start
    if begins is None:
        begins = next((p.day for p in points if p.load > 0.0), None)
    if begins is None or (before.day - begins).days < BASELINE_DAYS:
        return None
    if before.ctl < 1.0:
        return None
    return (points[-1].ctl - before.ctl) / before.ctl * 100.0
