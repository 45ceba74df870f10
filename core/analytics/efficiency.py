"""Efficiency factor, core (steady-state) EF and aerobic decoupling (Pa:HR).

Conventions:

* EF (efficiency factor) on foot = grade-adjusted speed in metres per minute divided by
  average heart rate in bpm, over moving samples that have heart rate. This is
  TrainingPeaks' running EF (normalised graded pace per beat) with the GAP model of the
  record in place of NGP; an easy 6:00/km at 140 bpm gives 166.7 / 140 ≈ 1.19. On a bike
  with power it is average power (W) per bpm; otherwise plain speed (m/min) per bpm.
* Core EF: EF over the steady-state part of the session, found in three steps:
  1. drop the warm-up, the first 10 % of heart-rate-covered moving time (at least 2 min,
     at most 15 min);
  2. smooth the output (grade-adjusted speed, or power) over a trailing 60 s of moving
     time;
  3. keep samples whose smoothed output is within ±20 % of the median smoothed output of
     what is left, which drops stops, walk breaks, surges and intervals.
  Core EF needs at least 10 minutes of steady state (else ``None``); ``core_ef_seconds`` is
  the steady-state time.
* Aerobic decoupling (Pa:HR, after Friel and TrainingPeaks): split the steady-state samples
  into two halves of equal time; ``(EF₁ − EF₂) / EF₁ · 100``. Positive means heart rate
  drifted up relative to output; under 5 % is a well-built aerobic base. Needs at least
  20 minutes of steady state.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import mul

from core.analytics.prepare import FOOT, RIDE, Prepared

WARMUP_FRACTION = 0.10
WARMUP_MIN_S = 120.0
WARMUP_MAX_S = 900.0
SMOOTH_S = 60.0
STEADY_BAND = 0.20
CORE_MIN_S = 600.0
DECOUPLING_MIN_S = 1200.0


@dataclass(frozen=True)
class Efficiency:
    """EF, core EF, steady-state seconds and decoupling of one activity."""

    ef: float | None
    core_ef: float | None
    core_seconds: float
    decoupling_percent: float | None


def output_per_sample(prep: Prepared) -> tuple[list[float], float]:
    """Each sample's "output" and the scale that makes ``scale·Σout/Σ(hr·dt)`` the EF."""
    if prep.sport == RIDE and prep.power is not None:
        power, dt = prep.power, prep.dt
        return [power[i] * dt[i] for i in range(len(dt))], 1.0
    if prep.sport == FOOT:
        return prep.adj, 60.0
    return prep.inc, 60.0


def efficiency(prep: Prepared) -> Efficiency:
    """EF, core EF and decoupling of a prepared activity (see module doc)."""
    hr = prep.hr
    if hr is None:
        return Efficiency(None, None, 0.0, None)
    out, scale = output_per_sample(prep)
    dt, moving = prep.dt, prep.moving
    # Built-in map/sum keep these passes in C (this runs on every activity).
    idx = [
        i
        for i, h, mv, step in zip(range(len(dt)), hr, moving, dt, strict=True)
        if mv and h is not None and step > 0.0
    ]
    take_dt = dt.__getitem__
    total_time = sum(map(take_dt, idx))
    total_out = sum(map(out.__getitem__, idx))
    total_beats = sum(map(mul, map(hr.__getitem__, idx), map(take_dt, idx)))
    if total_beats <= 0.0 or total_out <= 0.0:
        return Efficiency(None, None, 0.0, None)
    ef = scale * total_out / total_beats
    core, core_seconds = _steady(idx, dt, out, total_time)
    if core_seconds < CORE_MIN_S:
        return Efficiency(ef, None, 0.0, None)
    core_ef, decoupling = _core_and_halves(core, dt, out, hr, scale, core_seconds)
    if core_seconds < DECOUPLING_MIN_S:
        decoupling = None
    return Efficiency(ef, core_ef, core_seconds, decoupling)


def _steady(
    idx: list[int], dt: list[float], out: list[float], total: float
) -> tuple[list[int], float]:
    """The steady-state sample indices and their total time."""
    warmup = min(WARMUP_MAX_S, max(WARMUP_MIN_S, WARMUP_FRACTION * total))
    elapsed = 0.0
    start = len(idx)
    for k, i in enumerate(idx):
        if elapsed >= warmup:
            start = k
            break
        elapsed += dt[i]
    rest = idx[start:]
    if not rest:
        return [], 0.0
    smooth = [0.0] * len(rest)
    lag = 0
    lag_i = rest[0]
    win_t = 0.0
    win_o = 0.0
    window = SMOOTH_S
    for k, i in enumerate(rest):
        win_t += dt[i]
        win_o += out[i]
        while lag < k and win_t - dt[lag_i] >= window:
            win_t -= dt[lag_i]
            win_o -= out[lag_i]
            lag += 1
            lag_i = rest[lag]
        smooth[k] = win_o / win_t
    # The median of every 4th value is plenty to centre the band and 4x cheaper to sort.
    ordered = sorted(smooth[::4])
    median = ordered[len(ordered) // 2]
    if median <= 0.0:
        return [], 0.0
    lo, hi = median * (1.0 - STEADY_BAND), median * (1.0 + STEADY_BAND)
    core = [i for i, v in zip(rest, smooth, strict=True) if lo <= v <= hi]
    return core, sum(map(dt.__getitem__, core))


def _core_and_halves(
    core: list[int],
    dt: list[float],
    out: list[float],
    hr: list[float | None],
    scale: float,
    core_seconds: float,
) -> tuple[float | None, float | None]:
    """Core EF, and the decoupling between the two equal-time halves of the core."""
    half = core_seconds / 2.0
    elapsed = 0.0
    out1 = beats1 = out2 = beats2 = 0.0
    for i in core:
        h = hr[i]
        if h is None:
            continue
        step = dt[i]
        if elapsed < half:
            out1 += out[i]
            beats1 += h * step
        else:
            out2 += out[i]
            beats2 += h * step
        elapsed += step
    beats = beats1 + beats2
    core_ef = scale * (out1 + out2) / beats if beats > 0.0 else None
    if beats1 <= 0.0 or beats2 <= 0.0 or out1 <= 0.0:
        return core_ef, None
    first = out1 / beats1
    second = out2 / beats2
    return core_ef, (first - second) / first * 100.0
