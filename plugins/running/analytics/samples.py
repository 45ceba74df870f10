"""The samples that count for heart-rate metrics, gathered once per activity.

A sample counts when it is moving, has (cleaned) heart rate and a positive duration. Zone
times, TRIMP, average heart rate, EF, core EF and decoupling are all sums over these
samples, in recording order; gathering their durations and heart rates into parallel lists
once lets each metric run its sums in C (built-in ``sum``, ``map``) instead of walking all
samples again.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import compress
from operator import mul

from momentum.plugins.running.analytics.prepare import Prepared


@dataclass(frozen=True, slots=True)
class HeartSamples:
    """Parallel lists over the counted samples, in recording order."""

    idx: list[int]
    """Indices of the counted samples in the prepared arrays."""
    steps: list[float]
    """Their durations in seconds (all > 0)."""
    hrs: list[float]
    """Their heart rates in bpm."""
    beats: list[float]
    """Heart rate × duration per sample (``hrs`` itself when ``regular``: h·1.0 is h)."""
    regular: bool
    """True when every duration is exactly 1 s (1 Hz recording without gaps)."""


def heart_samples(prep: Prepared) -> HeartSamples | None:
    """The counted samples of ``prep``; ``None`` when it has no heart rate."""
    hr, dt, moving = prep.hr, prep.dt, prep.moving
    if hr is None:
        return None
    if not len(dt) == len(hr) == len(moving):
        raise ValueError("prepared arrays differ in length")
    idx = [i for i in compress(range(len(dt)), moving) if hr[i] is not None and dt[i] > 0.0]
    steps = [dt[i] for i in idx]
    hrs: list[float] = [hr[i] for i in idx]  # type: ignore[misc]
    regular = steps.count(1.0) == len(steps)
    beats = hrs if regular else list(map(mul, hrs, steps))
    return HeartSamples(idx, steps, hrs, beats, regular)
