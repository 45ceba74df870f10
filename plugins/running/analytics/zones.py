"""Heart-rate zones: five zones in beats per minute from the athlete's heart-rate profile.

Conventions (the model is chosen by ``HeartRateProfile.zone_model``):

* ``LTHR_FRIEL`` (default, running): Joe Friel's running zones as % of lactate-threshold
  heart rate (*The Triathlete's Training Bible*; TrainingPeaks "Joe Friel's quick guide to
  setting zones"): Z1 < 85 %, Z2 85–89 %, Z3 90–94 %, Z4 95–99 %, Z5 ≥ 100 % (Friel's
  5a/5b/5c are merged into one zone 5).
* ``HRMAX``: % of maximum heart rate, Z1 50–60 %, Z2 60–70 %, Z3 70–80 %, Z4 80–90 %,
  Z5 90–100 %.
* ``HRR``: Karvonen, the same percentages of heart-rate reserve added to resting HR.

Each zone is ``(low, high)`` bpm with the low end inclusive and the high end exclusive.
Zones are contiguous: zone *n*'s high is zone *n+1*'s low. :func:`zone_of` puts a heart
rate below zone 1 in zone 1 and above zone 5 in zone 5, so every heart-rate sample is
counted exactly once and zone seconds add up to the time covered by heart rate.
"""

from __future__ import annotations

from collections.abc import Sequence

from momentum.core.model import HeartRateProfile, ZoneModel

FRIEL_LTHR_FRACTIONS = (0.0, 0.85, 0.90, 0.95, 1.00)
"""Lower bounds of Friel's running zones 1–5 as fractions of LTHR."""
PERCENT_FRACTIONS = (0.50, 0.60, 0.70, 0.80, 0.90, 1.00)
"""Bounds of zones 1–5 as fractions of HRmax or of heart-rate reserve."""


def zone_bounds(hr: HeartRateProfile) -> list[tuple[float, float]]:
    """Five ``(low, high)`` bpm zones for ``hr`` under its zone model (see module doc)."""
    if hr.zone_model is ZoneModel.LTHR_FRIEL:
        lows = [hr.threshold_hr * f for f in FRIEL_LTHR_FRACTIONS]
        top = float(max(hr.max_hr, hr.threshold_hr * 1.06))
        highs = [*lows[1:], top]
        return [(float(lo), float(hi)) for lo, hi in zip(lows, highs, strict=True)]
    if hr.zone_model is ZoneModel.HRMAX:
        edges = [hr.max_hr * f for f in PERCENT_FRACTIONS]
    else:
        reserve = hr.max_hr - hr.resting_hr
        edges = [hr.resting_hr + reserve * f for f in PERCENT_FRACTIONS]
    return [(float(edges[i]), float(edges[i + 1])) for i in range(5)]


def zone_of(bpm: float, bounds: Sequence[tuple[float, float]]) -> int:
    """The zone (1..5) of ``bpm``; below zone 1 counts as 1, above zone 5 as 5."""
    for index in range(len(bounds) - 1, 0, -1):
        if bpm >= bounds[index][0]:
            return index + 1
    return 1


def zone_thresholds(bounds: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """The four lower bounds of zones 2–5, for hot loops that compare against them."""
    return (bounds[1][0], bounds[2][0], bounds[3][0], bounds[4][0])
