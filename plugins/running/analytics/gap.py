"""Grade-adjusted pace: the flat-ground pace that would cost the same energy.

Models (the one used is recorded on ``Activity.gap_model``):

* ``"minetti2002"`` (default): the energy cost of running on a gradient ``i`` (a fraction,
  valid for -0.45..+0.45) from Minetti et al., "Energy cost of walking and running at
  extreme uphill and downhill slopes", J Appl Physiol 93:1039–1046, 2002::

      Cr(i) = 155.4·i⁵ − 30.4·i⁴ − 43.3·i³ + 46.3·i² + 19.5·i + 3.6   (J/kg/m)

  A metre run on gradient ``i`` counts as ``Cr(i) / Cr(0)`` flat metres. Grades beyond
  ±45 % are clamped to the study's range.
* ``"strava_style"``: a gentler quadratic in grade percent ``g`` (clamped to ±35 %),
  ``1 + 0.023·g + 0.0013·g²``, shaped like Strava's 2017 heart-rate-based GAP curve
  (uphills cost less than Minetti's metabolic cost, the cheapest gradient is about −9 %
  at ~0.9, steep downhills cost more than flat again). It is our approximation of that
  curve's shape, not Strava's own numbers.

Grade from altitude (when the streams carry no grade channel) is the altitude change across
a centred window of 100 m of distance, clamped to ±45 %, so GPS altitude noise is averaged
out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

MINETTI = "minetti2002"
STRAVA_STYLE = "strava_style"
GAP_MODELS = (MINETTI, STRAVA_STYLE)
GRADE_WINDOW_M = 100.0
MAX_GRADE_PERCENT = 45.0
_MINETTI_FLAT = 3.6


def minetti_cost(gradient: float) -> float:
    """Energy cost of running (J/kg/m) on ``gradient`` (fraction), Minetti et al. 2002."""
    i = max(-0.45, min(0.45, gradient))
    return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6


def minetti_factor(grade_percent: float) -> float:
    """Flat-equivalent metres per metre run at ``grade_percent`` (Minetti 2002)."""
    return minetti_cost(grade_percent / 100.0) / _MINETTI_FLAT


def strava_style_factor(grade_percent: float) -> float:
    """Flat-equivalent metres per metre at ``grade_percent`` (Strava-style curve)."""
    g = max(-35.0, min(35.0, grade_percent))
    return 1.0 + 0.023 * g + 0.0013 * g * g


def factor_function(model: str) -> Callable[[float], float]:
    """The grade → cost-factor function of ``model`` (``ValueError`` if unknown)."""
    if model == MINETTI:
        return minetti_factor
    if model == STRAVA_STYLE:
        return strava_style_factor
    raise ValueError(f"unknown GAP model {model!r}; choose one of {', '.join(GAP_MODELS)}")


def grade_adjusted_pace(pace_s_per_km: float, grade_percent: float, model: str = MINETTI) -> float:
    """The flat-equivalent pace (s/km) of running ``pace_s_per_km`` on a steady grade."""
    return pace_s_per_km / factor_function(model)(grade_percent)


def grade_from_altitude(
    cumulative_m: Sequence[float],
    altitude: Sequence[float | None],
    window_m: float = GRADE_WINDOW_M,
) -> list[float]:
    """Grade in percent at each sample from altitude over a centred distance window.

    Missing altitudes are carried forward (then backward from the first reading). Where
    the window holds less than 10 m of distance the grade is 0.
    """
    n = len(cumulative_m)
    alt = _filled(altitude)
    if alt is None:
        return [0.0] * n
    half = window_m * 0.5
    out = [0.0] * n
    if n < 2:  # one sample spans no distance: flat
        return out
    cum = cumulative_m
    last = n - 1
    cap = MAX_GRADE_PERCENT
    # Window ends lo..hi (two pointers that only move forward), with their cumulative
    # distances and the one after lo kept in locals (the hot loop).
    lo = hi = 0
    lo_d = hi_d = cum[0]
    after_lo = cum[1]
    for i, d in enumerate(cum):
        back = d - half
        while after_lo <= back and lo < i:
            lo += 1
            lo_d = after_lo
            after_lo = cum[lo + 1]
        if hi < i:
            hi = i
            hi_d = d
        ahead = d + half
        while hi < last and hi_d < ahead:
            hi += 1
            hi_d = cum[hi]
        run = hi_d - lo_d
        if run >= 10.0:
            g = (alt[hi] - alt[lo]) * 100.0 / run
            out[i] = cap if g > cap else -cap if g < -cap else g
    return out


def _filled(values: Sequence[float | None]) -> list[float] | None:
    """``values`` with gaps carried forward and leading gaps back-filled; ``None`` if empty."""
    if None not in values:
        return list(values)  # type: ignore[arg-type]
    first = next((v for v in values if v is not None), None)
    if first is None:
        return None
    out: list[float] = []
    last = first
    for v in values:
        if v is not None:
            last = v
        out.append(last)
    return out
