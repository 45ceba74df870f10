"""Which VDOT to train by: the best recent evidence, with its source and confidence.

Conventions:

* **Race results first.** A race or time trial (entered with ``momentum race add``, in
  chat, or an activity named as a race: :func:`race_activities`, through
  :func:`~momentum.plugins.running.analytics.vdot.race_result_of`) gives VDOT by Daniels–Gilbert.
  Older
  results count for less: full value for six weeks, then 0.5 % less per week (detraining
  is gradual; Daniels treats a result older than a few months as a stale guide), and none
  beyond a year. The result with the highest decayed VDOT wins.
* **Hills and trails.** A course with elevation gain is grade-adjusted with Minetti's cost
  of running (:func:`momentum.plugins.running.analytics.gap.minetti_factor`): with no profile, half
  the
  distance is taken as climbing the whole gain at an even grade, and the flat-equivalent
  distance is what sets VDOT. The descending half counts as flat: at race effort, and on
  trail footing, descents rarely return Minetti's metabolic saving (Strava's heart-rate
  based GAP curve flattens them the same way), so crediting it would undo the climb. A
  trail race is then credited a further 5 % for footing; a trail race with no elevation
  given is discounted 12 % (a typical trail course's climb costs at least that). Either is
  at most medium confidence, and never pulls VDOT below a confident heart-rate estimate:
  a trail or hilly result is a lower bound, not the measure.
* **Otherwise heart rate.** Runs of the last six weeks with heart rate, distance and at
  least 20 minutes estimate VO2max with the %HRR–%VO2R relation (Swain & Leutholtz 1997;
  ACSM's Guidelines: %HRR ≈ %VO2R): ``VO2max = 3.5 + (VO2(run) − 3.5) / %HRR``, the run's
  oxygen cost from Daniels–Gilbert at its grade-adjusted pace. Only steady aerobic runs
  (55–90 % HRR) count. The median of the estimates is the VDOT; confidence is *high* with
  six or more runs agreeing within ±5 %, *medium* with three or more, else *low*.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.activity_metrics import running_metrics
from momentum.plugins.running.analytics.gap import minetti_factor
from momentum.plugins.running.analytics.vdot import oxygen_cost, race_result_of, vdot_from_race
from momentum.plugins.running.profile import RaceResult, running_profile

FRESH_WEEKS = 6
DECAY_PER_WEEK = 0.005
MAX_AGE_DAYS = 365
TRAIL_FOOTING = 1.05
TRAIL_UNKNOWN = 1.12
HR_WINDOW_DAYS = 42
MIN_HR_RUN_SECONDS = 20 * 60
HRR_RANGE = (0.55, 0.90)
RESTING_VO2 = 3.5
_RACE_NAME = re.compile(r"\b(race|parkrun|time trial|tt|[0-9]+k|marathon|half)\b", re.I)

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True)
class VdotEvidence:
    """A VDOT, where it came from and how far to trust it."""

    vdot: float
    source: str
    """``race`` or ``heart rate``."""
    confidence: str
    """``high``, ``medium`` or ``low``."""
    detail: str
    """What it rests on, e.g. ``10K in 45:30 on 2026-02-01`` or ``median of 7 runs``."""
    raw_vdot: float | None = None
    """The race's VDOT before any hill, trail or age adjustment."""

    def describe(self) -> str:
        """``VDOT 44.1 (race: 10K in 45:30 on 2026-02-01; confidence high)``."""
        return f"VDOT {self.vdot:.1f} ({self.source}: {self.detail}; confidence {self.confidence})"


def flat_equivalent_distance(distance_m: float, gain_m: float) -> float:
    """The flat distance that costs what ``distance_m`` with ``gain_m`` of climb (and the
    same descent) costs, by Minetti 2002 (see module doc)."""
    if gain_m <= 0 or distance_m <= 0:
        return distance_m
    half = distance_m / 2
    grade = min(45.0, 100.0 * gain_m / half)
    return half * minetti_factor(grade) + half * max(1.0, minetti_factor(-grade))


def is_trail(result: RaceResult) -> bool:
    """True when the result says it was run on trail."""
    return "trail" in result.surface.lower() or "trail" in result.name.lower()


def adjusted_race_vdot(result: RaceResult) -> tuple[float, str]:
    """VDOT of a result after the hill and trail adjustments, and a note on what was done."""
    distance = flat_equivalent_distance(result.distance_meters, result.elevation_gain_meters)
    time = result.time_seconds
    notes: list[str] = []
    if distance != result.distance_meters:
        notes.append(
            f"{result.elevation_gain_meters:.0f} m climb: GAP distance {distance / 1000:.1f} km"
        )
    if is_trail(result):
        factor = TRAIL_FOOTING if result.elevation_gain_meters > 0 else TRAIL_UNKNOWN
        time /= factor
        notes.append(f"trail: {round((factor - 1) * 100)}% credited")
    return vdot_from_race(distance, time), "; ".join(notes)


def race_activities(activities: Sequence[Activity]) -> list[RaceResult]:
    """Runs recorded as races (named ``race``, ``parkrun``, ``time trial``, … or with the
    ``race`` subtype or intensity) as race results."""
    out: list[RaceResult] = []
    for activity in activities:
        if not activity.is_run or activity.distance_meters <= 0:
            continue
        flagged = "race" in (activity.activity_subtype.lower(), activity.intensity.lower())
        if flagged or _RACE_NAME.search(activity.name or ""):
            try:
                result = race_result_of(activity)
            except ValueError:
                continue
            trail = "trail" in activity.activity_type.lower() or "trail" in activity.name.lower()
            out.append(
                RaceResult(
                    result.date,
                    result.distance_meters,
                    result.time_seconds,
                    result.name,
                    "trail" if trail else "",
                    activity.elevation_gain_meters,
                )
            )
    return out


def _age_factor(days: int) -> float:
    weeks = days / 7
    return 1.0 - DECAY_PER_WEEK * max(0.0, weeks - FRESH_WEEKS)


def _distance_label(meters: float) -> str:
    known = {5000: "5K", 10000: "10K", 21097.5: "half marathon", 42195: "marathon"}
    for value, label in known.items():
        if abs(meters - value) <= value * 0.01:
            return label
    return f"{meters / 1000:g} km"


def _clock(seconds: float) -> str:
    total = round(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def race_evidence(results: Sequence[RaceResult], today: dt.date) -> VdotEvidence | None:
    """The best race result by decayed, adjusted VDOT (see module doc)."""
    best: VdotEvidence | None = None
    for result in results:
        age = (today - result.date).days
        if age < 0 or age > MAX_AGE_DAYS:
            continue
        try:
            adjusted, notes = adjusted_race_vdot(result)
            raw = vdot_from_race(result.distance_meters, result.time_seconds)
        except ValueError:
            continue
        value = adjusted * _age_factor(age)
        if not 1.0 <= value <= 120.0:
            continue
        hilly = is_trail(result) or result.elevation_gain_meters > 0
        confidence = HIGH if age <= 8 * 7 else MEDIUM
        if hilly or age > 26 * 7:
            confidence = MEDIUM if confidence == HIGH else LOW
        what = f"{result.name or _distance_label(result.distance_meters)}"
        detail = f"{what}, {_distance_label(result.distance_meters)} in "
        detail += f"{_clock(result.time_seconds)} on {result.date.isoformat()}"
        if notes:
            detail += f" ({notes})"
        if age > FRESH_WEEKS * 7:
            detail += f", {age // 7} weeks old"
        candidate = VdotEvidence(value, "race", confidence, detail, raw)
        if best is None or candidate.vdot > best.vdot:
            best = candidate
    return best


def heart_rate_estimates(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date
) -> list[float]:
    """One VO2max estimate per steady run of the last six weeks (see module doc)."""
    hr = athlete.heart_rate
    reserve = hr.max_hr - hr.resting_hr
    if reserve <= 0:
        return []
    start = today - dt.timedelta(days=HR_WINDOW_DAYS)
    out = []
    for activity in activities:
        day = activity.start.date()
        if not (activity.is_run and start <= day <= today):
            continue
        if activity.avg_hr is None or activity.distance_meters <= 0:
            continue
        if activity.moving_time_seconds < MIN_HR_RUN_SECONDS:
            continue
        hrr = (activity.avg_hr - hr.resting_hr) / reserve
        if not HRR_RANGE[0] <= hrr <= HRR_RANGE[1]:
            continue
        pace = running_metrics(activity).gap_seconds_per_km or (
            activity.moving_time_seconds / activity.distance_meters * 1000
        )
        velocity = 60_000.0 / pace
        vo2 = oxygen_cost(velocity)
        out.append(RESTING_VO2 + (vo2 - RESTING_VO2) / hrr)
    return out


def heart_rate_evidence(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date
) -> VdotEvidence | None:
    """VDOT estimated from recent runs' pace and heart rate, ``None`` without such runs."""
    estimates = heart_rate_estimates(athlete, activities, today)
    if not estimates:
        return None
    value = statistics.median(estimates)
    agreeing = sum(1 for e in estimates if abs(e - value) <= 0.05 * value)
    if len(estimates) >= 6 and agreeing >= 0.6 * len(estimates):
        confidence = HIGH
    elif len(estimates) >= 3:
        confidence = MEDIUM
    else:
        confidence = LOW
    detail = f"median of {len(estimates)} steady run{'s' if len(estimates) != 1 else ''}"
    detail += " in the last 6 weeks (%HRR ≈ %VO2R)"
    return VdotEvidence(value, "heart rate", confidence, detail)


def best_evidence(
    athlete: AthleteProfile, activities: Sequence[Activity], today: dt.date
) -> VdotEvidence | None:
    """The VDOT to train by on ``today`` (see module doc), ``None`` with no evidence."""
    results = [*running_profile(athlete).race_results, *race_activities(activities)]
    race = race_evidence(results, today)
    heart = heart_rate_evidence(athlete, activities, today)
    if race is None:
        return heart
    trusted_heart = heart is not None and heart.confidence in (HIGH, MEDIUM)
    if race.confidence != HIGH and trusted_heart and heart is not None and heart.vdot > race.vdot:
        note = f"; the race ({race.detail}) said {race.vdot:.1f}"
        return VdotEvidence(heart.vdot, heart.source, heart.confidence, heart.detail + note)
    return race
