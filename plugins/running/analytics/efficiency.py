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

from bisect import bisect_left
from dataclasses import dataclass
from itertools import accumulate, chain, compress, repeat
from operator import neg, truediv

from momentum.plugins.running.analytics.prepare import FOOT, RIDE, Prepared
from momentum.plugins.running.analytics.samples import HeartSamples, heart_samples

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


def efficiency(prep: Prepared, samples: HeartSamples | None = None) -> Efficiency:
    """EF, core EF and decoupling of a prepared activity (see module doc).

    ``samples`` are ``heart_samples(prep)`` when the caller has them already.
    """
    counted = samples if samples is not None else heart_samples(prep)
    if counted is None:
        return Efficiency(None, None, 0.0, None)
    out, scale = output_per_sample(prep)
    if len(out) != len(prep.dt):
        raise ValueError("prepared arrays differ in length")
    steps, beats = counted.steps, counted.beats
    outs = [out[i] for i in counted.idx]
    total_beats = sum(beats)
    total_out = sum(outs)
    if total_beats <= 0.0 or total_out <= 0.0:
        return Efficiency(None, None, 0.0, None)
    ef = scale * total_out / total_beats
    keep, start = _steady(steps, outs, sum(steps))
    core_steps = list(compress(steps[start:], keep))
    core_seconds = sum(core_steps)
    if core_seconds < CORE_MIN_S:
        return Efficiency(ef, None, 0.0, None)
    core_ef, decoupling = _core_and_halves(
        core_steps,
        list(compress(outs[start:], keep)),
        list(compress(beats[start:], keep)),
        scale,
        core_seconds,
    )
    if core_seconds < DECOUPLING_MIN_S:
        decoupling = None
    return Efficiency(ef, core_ef, core_seconds, decoupling)


def _steady(steps: list[float], outs: list[float], total: float) -> tuple[list[bool], int]:
    """Which samples after the warm-up are steady state, and where the warm-up ends.

    ``steps`` and ``outs`` are the counted samples' durations and outputs; the result is
    a mask over ``steps[start:]`` and ``start``.
    """
    warmup = min(WARMUP_MAX_S, max(WARMUP_MIN_S, WARMUP_FRACTION * total))
    elapsed = 0.0
    start = len(steps)
    for k, step in enumerate(steps):
        if elapsed >= warmup:
            start = k
            break
        elapsed += step
    rest_steps = steps[start:]
    rest_outs = outs[start:]
    if not rest_steps:
        return [], start
    if rest_steps.count(1.0) == len(rest_steps) and SMOOTH_S == int(SMOOTH_S) >= 1:
        smooth = _trailing_means_1hz(rest_outs, int(SMOOTH_S))
    else:
        smooth = _trailing_means(rest_steps, rest_outs, SMOOTH_S)
    # The median of every 4th value is plenty to centre the band and 4x cheaper to sort.
    ordered = sorted(smooth[::4])
    median = ordered[len(ordered) // 2]
    if median <= 0.0:
        return [False] * len(smooth), start
    lo, hi = median * (1.0 - STEADY_BAND), median * (1.0 + STEADY_BAND)
    return [lo <= v <= hi for v in smooth], start


def _trailing_means(steps: list[float], outs: list[float], window: float) -> list[float]:
    """Output per second over the trailing ``window`` seconds at each sample."""
    size = len(steps)
    smooth = [0.0] * size
    lag = 0
    lag_t = steps[0]
    lag_o = outs[0]
    win_t = 0.0
    win_o = 0.0
    for k in range(size):  # the hot loop: a trailing window over two parallel lists
        win_t += steps[k]
        win_o += outs[k]
        while lag < k and win_t - lag_t >= window:
            win_t -= lag_t
            win_o -= lag_o
            lag += 1
            lag_t = steps[lag]
            lag_o = outs[lag]
        smooth[k] = win_o / win_t
    return smooth


def _trailing_means_1hz(outs: list[float], width: int) -> list[float]:
    """:func:`_trailing_means` when every step is 1 s and the window ``width`` whole seconds.

    Then the window holds the last ``width`` samples: each sample's output is added and,
    from sample ``width`` on, the output ``width`` samples back is subtracted. The same
    additions and subtractions, in the same order, run in C as one running sum over the
    interleaved sequence ``o0 … o(w-1), o(w), −o0, o(w+1), −o1, …`` (``a + −b`` is exactly
    ``a − b``), so the means are bit-for-bit those of the general loop.
    """
    sequence = chain(
        outs[:width], chain.from_iterable(zip(outs[width:], map(neg, outs), strict=False))
    )
    running = list(accumulate(sequence, initial=0.0))
    sums = running[1 : width + 1] + running[width + 2 :: 2]
    seconds = chain(map(float, range(1, width + 1)), repeat(float(width)))
    return list(map(truediv, sums, seconds))


def _core_and_halves(
    steps: list[float],
    outs: list[float],
    beats: list[float],
    scale: float,
    core_seconds: float,
) -> tuple[float | None, float | None]:
    """Core EF, and the decoupling between the two equal-time halves of the core.

    A sample belongs to the first half while the core time before it is under half the
    core time; the running times are cumulative sums, so the cut is a bisection.
    """
    cut = bisect_left(list(accumulate(steps)), core_seconds / 2.0) + 1
    out1 = sum(outs[:cut], 0.0)
    out2 = sum(outs[cut:], 0.0)
    beats1 = sum(beats[:cut], 0.0)
    beats2 = sum(beats[cut:], 0.0)
    total_beats = beats1 + beats2
    core_ef = scale * (out1 + out2) / total_beats if total_beats > 0.0 else None
    if beats1 <= 0.0 or beats2 <= 0.0 or out1 <= 0.0:
        return core_ef, None
    first = out1 / beats1
    second = out2 / beats2
    return core_ef, (first - second) / first * 100.0
