"""Heart-rate training load: Banister's TRIMP and the hour-at-threshold normalised HRSS.

Conventions:

* Banister TRIMP (Banister, "Modeling elite athletic performance", in *Physiological
  Testing of Elite Athletes*, 1991; Morton, Fitz-Clarke & Banister 1990): for each interval
  ``minutes · x · k·e^(b·x)`` where ``x = (HR − HRrest) / (HRmax − HRrest)`` clamped to
  0..1. The weighting uses the men's constants ``k = 0.64, b = 1.92`` by default (the
  profile has no sex field); ``female=True`` uses the women's ``k = 0.86, b = 1.67``.
* HRSS: TRIMP normalised so that one hour at lactate-threshold heart rate scores 100, as
  GoldenCheetah's HRSS: ``HRSS = 100 · TRIMP / TRIMP(60 min at LTHR)``.
"""

from __future__ import annotations

import math

from core.model import HeartRateProfile

MALE = (0.64, 1.92)
FEMALE = (0.86, 1.67)


def trimp_constants(female: bool = False) -> tuple[float, float]:
    """Banister's weighting constants ``(k, b)``."""
    return FEMALE if female else MALE


def trimp_rate(bpm: float, hr: HeartRateProfile, female: bool = False) -> float:
    """TRIMP accumulated per minute at ``bpm``."""
    k, b = trimp_constants(female)
    reserve = hr.max_hr - hr.resting_hr
    if reserve <= 0:
        return 0.0
    x = (bpm - hr.resting_hr) / reserve
    x = 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
    return x * k * math.exp(b * x)


def banister_trimp(
    minutes: float, avg_bpm: float, hr: HeartRateProfile, female: bool = False
) -> float:
    """TRIMP of ``minutes`` at a steady ``avg_bpm`` (the session-average form)."""
    return minutes * trimp_rate(avg_bpm, hr, female)


def threshold_hour_trimp(hr: HeartRateProfile, female: bool = False) -> float:
    """TRIMP of one hour at lactate-threshold heart rate (HRSS's 100)."""
    return 60.0 * trimp_rate(hr.threshold_hr, hr, female)


def hrss(trimp: float, hr: HeartRateProfile, female: bool = False) -> float | None:
    """HRSS from a TRIMP; ``None`` when the profile's threshold gives no reference load."""
    reference = threshold_hour_trimp(hr, female)
    if reference <= 0.0:
        return None
    return 100.0 * trimp / reference
