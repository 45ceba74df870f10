"""Activity records from summary numbers alone (a CSV export row, a manual log).

When there are no streams the record carries what the summary gives (distance, times,
heart rate, climb). Heart-rate load uses the session-average form of Banister's TRIMP,
``minutes · x · k·e^(b·x)`` at the average heart rate with the athlete's sex-specific
weighting (:mod:`.trimp`), which understates load for variable sessions. Zone times, GAP,
EF, core EF, decoupling and splits need streams and stay empty (0 or ``None``).
"""

from __future__ import annotations

import datetime as dt

from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.activity_metrics import with_running_metrics
from momentum.plugins.running.analytics.trimp import banister_trimp, hrss


def summary_activity(
    athlete: AthleteProfile,
    *,
    activity_id: str,
    activity_type: str,
    start: dt.datetime,
    moving_time_seconds: float,
    elapsed_time_seconds: float | None = None,
    distance_meters: float = 0.0,
    avg_hr: float | None = None,
    max_hr: float | None = None,
    elevation_gain_meters: float = 0.0,
    name: str = "",
    source: str = "",
    subtype: str = "",
) -> Activity:
    """An activity record from summary numbers (see the module doc)."""
    moving = max(0.0, moving_time_seconds)
    trimp = None
    if avg_hr is not None and avg_hr > 0 and moving > 0:
        trimp = banister_trimp(moving / 60.0, avg_hr, athlete.heart_rate, athlete.sex)
    return with_running_metrics(
        Activity(
            activity_id=activity_id,
            athlete_id=athlete.athlete_id,
            activity_type=activity_type,
            start=start,
            activity_subtype=subtype,
            name=name,
            source=source,
            distance_meters=max(0.0, distance_meters),
            moving_time_seconds=moving,
            elapsed_time_seconds=max(moving, elapsed_time_seconds or moving),
            avg_hr=avg_hr,
            max_hr=max_hr,
            elevation_gain_meters=max(0.0, elevation_gain_meters),
            hrss=hrss(trimp, athlete.heart_rate, athlete.sex) if trimp is not None else None,
        ),
        trimp=trimp,
    )
