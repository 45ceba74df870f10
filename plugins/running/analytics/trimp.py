"""Heart-rate training load: Banister's TRIMP and the hour-at-threshold normalised HRSS.

Conventions:

* Banister TRIMP (Banister, "Modeling elite athletic performance", in *Physiological
  Testing of Elite Athletes*, 1991; Morton, Fitz-Clarke & Banister 1990): for each interval
  ``minutes · x · k·e^(b·x)`` where ``x = (HR − HRrest) / (HRmax − HRrest)`` (the
  heart-rate-reserve fraction) clamped to 0..1. The weighting follows the athlete's
  ``AthleteProfile.sex``: ``"male"`` uses the men's ``k = 0.64, b = 1.92``, ``"female"``
  the women's ``k = 0.86, b = 1.67``. When the sex is not given (``None``) the men's
  constants are used: they are Banister's original curve and GoldenCheetah's default when
  no sex is set. (GoldenCheetah keeps ``k = 0.64`` for women and changes only ``b``; we
  use Banister's published women's pair.)
* HRSS: TRIMP normalised so that one hour at lactate-threshold heart rate scores 100, as
  GoldenCheetah's HRSS: ``HRSS = 100 · TRIMP / TRIMP(60 min at LTHR)``. ``k`` cancels in
  that ratio, so the sex changes HRSS only through ``b`` (how steeply hard minutes count
  against easy ones).
"""

from __future__ import annotations

import math

from momentum.core.model import HeartRateProfile

MALE = (0.64, 1.92)
FEMALE = (0.86, 1.67)
SEXES = ("female", "male")
"""The values ``AthleteProfile.sex`` may hold besides ``None``."""
_UNSET = frozenset({"", "skip", "none", "unset", "unspecified", "prefer not to say"})
_ALIASES = {"f": "female", "woman": "female", "m": "male", "man": "male"}


def parse_sex(value: str | None) -> str | None:
    """``"female"``, ``"male"`` or ``None`` from an answer (any case; ``f``/``m`` allowed;
    empty, ``skip`` or ``none`` mean not given). Raises :class:`ValueError` naming the field."""
    if value is None:
        return None
    word = " ".join(value.split()).lower()
    if word in _UNSET:
        return None
    word = _ALIASES.get(word, word)
    if word not in SEXES:
        raise ValueError(f"sex must be female, male or skip (got {value!r})")
    return word


def trimp_constants(sex: str | None = None) -> tuple[float, float]:
    """Banister's weighting constants ``(k, b)`` for ``sex`` (``None``: the men's).

    Raises :class:`ValueError` for a value :func:`parse_sex` would refuse, so a hand-edited
    profile fails loudly instead of silently getting the wrong curve.
    """
    return FEMALE if parse_sex(sex) == "female" else MALE


def trimp_rate(bpm: float, hr: HeartRateProfile, sex: str | None = None) -> float:
    """TRIMP accumulated per minute at ``bpm``."""
    k, b = trimp_constants(sex)
    reserve = hr.max_hr - hr.resting_hr
    if reserve <= 0:
        return 0.0
    x = (bpm - hr.resting_hr) / reserve
    x = 0.0 if x < 0.0 else 1.0 if x > 1.0 else x
    return x * k * math.exp(b * x)


def banister_trimp(
    minutes: float, avg_bpm: float, hr: HeartRateProfile, sex: str | None = None
) -> float:
    """TRIMP of ``minutes`` at a steady ``avg_bpm`` (the session-average form)."""
    return minutes * trimp_rate(avg_bpm, hr, sex)


def threshold_hour_trimp(hr: HeartRateProfile, sex: str | None = None) -> float:
    """TRIMP of one hour at lactate-threshold heart rate (HRSS's 100)."""
    return 60.0 * trimp_rate(hr.threshold_hr, hr, sex)


def hrss(trimp: float, hr: HeartRateProfile, sex: str | None = None) -> float | None:
    """HRSS from a TRIMP; ``None`` when the profile's threshold gives no reference load."""
    reference = threshold_hour_trimp(hr, sex)
    if reference <= 0.0:
        return None
    return 100.0 * trimp / reference
