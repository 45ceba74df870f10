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
    idx: list[int] = []
    total_out = 0.0
    total_beats = 0.0
    for i in range(1, len(dt)):
        h = hr[i]
        if h is None or not moving[i] or dt[i] <= 0.0:
            continue
        idx.append(i)
        total_out += out[i]
        total_beats += h * dt[i]
    if total_beats <= 0.0 or total_out <= 0.0:
        return Efficiency(None, None, 0.0, None)
    ef = scale * total_out / total_beats
    core = _steady(idx, dt, out)
    core_seconds = sum(dt[i] for i in core)
    if core_seconds < CORE_MIN_S:
        return Efficiency(ef, None, 0.0, None)
    core_ef = _ef(core, dt, out, hr, scale)
    decoupling = _decoupling(core, dt, out, hr, scale, core_seconds)
    return Efficiency(ef, core_ef, core_seconds, decoupling)


def _steady(idx: list[int], dt: list[float], out: list[float]) -> list[int]:
    total = 0.0
    for i in idx:
        total += dt[i]
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
        return []
    smooth: list[float] = []
    lag = 0
    win_t = 0.0
    win_o = 0.0
    for k, i in enumerate(rest):
        win_t += dt[i]
        win_o += out[i]
        while win_t - dt[rest[lag]] >= SMOOTH_S and lag < k:
            win_t -= dt[rest[lag]]
            win_o -= out[rest[lag]]
            lag += 1
        smooth.append(win_o / win_t)
    ordered = sorted(smooth)
    median = ordered[len(ordered) // 2]
    if median <= 0.0:
        return []
    lo, hi = median * (1.0 - STEADY_BAND), median * (1.0 + STEADY_BAND)
    return [i for i, s in zip(rest, smooth, strict=True) if lo <= s <= hi]


def _ef(
    samples: list[int], dt: list[float], out: list[float], hr: list[float | None], scale: float
) -> float | None:
    total_out = 0.0
    beats = 0.0
    for i in samples:
        h = hr[i]
        if h is None:
            continue
        total_out += out[i]
        beats += h * dt[i]
    return scale * total_out / beats if beats > 0.0 else None


def _decoupling(
    core: list[int],
    dt: list[float],
    out: list[float],
    hr: list[float | None],
    scale: float,
    core_seconds: float,
) -> float | None:
    if core_seconds < DECOUPLING_MIN_S:
        return None
    half = core_seconds / 2.0
    elapsed = 0.0
    cut = len(core)
    for k, i in enumerate(core):
        elapsed += dt[i]
        if elapsed >= half:
            cut = k + 1
            break
    first = _ef(core[:cut], dt, out, hr, scale)
    second = _ef(core[cut:], dt, out, hr, scale)
    if first is None or second is None or first <= 0.0:
        return None
    return (first - second) / first * 100.0
