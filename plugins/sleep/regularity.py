"""How regular sleep is: the Sleep Regularity Index and the circular spread of clock times.

**Sleep Regularity Index (SRI)** — Phillips AJK et al. (2017), "Irregular sleep/wake
patterns are associated with poorer academic performance and delayed circadian and sleep/
wake timing", Sci Rep 7:3216. Sleep/wake is scored in fixed epochs; the SRI is the
probability that the state (asleep or awake) is the same at two time points 24 h apart,
averaged over the whole recording and scaled to −100..100::

    SRI = −100 + 200 / (M (N − 1)) · Σ_j Σ_i δ(s[i, j], s[i, j+1])

(``M`` epochs per day, ``N`` days, δ = 1 when the two states match). Identical days score
100, a random pattern about 0, and a pattern that flips every day (sleep shifted 12 h) is
negative. Convention here: 1-minute epochs on the local clock; a pair is counted only
when both epochs have data (the paper excludes epochs with missing data the same way), so
``M (N − 1)`` becomes the number of valid pairs.

**Circular spread of clock times** — Fisher NI (1993), *Statistical Analysis of Circular
Data*, §2.3.1 and Mardia & Jupp (2000), *Directional Statistics*, §2.3.4: each clock time
is an angle θ = 2π t / 24 h; the mean resultant length is R = |mean(e^{iθ})|; the circular
mean is arg(mean(e^{iθ})) and the circular standard deviation is √(−2 ln R), converted back
to minutes. It handles midnight: 23:30 and 00:30 have a mean of 00:00 and a spread of
30 minutes, where the arithmetic ones would say 12:00 and 11.5 hours.
"""

from __future__ import annotations

import cmath
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from momentum.plugins.sleep.clock import DAY_MINUTES, wrap

Interval = tuple[float, float]
"""An asleep span in minutes on one timeline (minute 0 = midnight starting day 0)."""


def sleep_regularity_index(
    asleep: Iterable[Interval], days: int, *, valid: Sequence[Interval] | None = None
) -> float | None:
    """The SRI (Phillips et al. 2017) of ``days`` whole days starting at minute 0, from the
    asleep spans (everything else is awake) with 1-minute epochs.

    ``valid`` limits the recording to the spans with data (default: all of it); only pairs
    of epochs 24 h apart that are both valid count. ``None`` when no pair is valid.
    """
    if days < 2:
        return None
    total = days * DAY_MINUTES
    state = bytearray(total)
    for start, end in asleep:
        lo, hi = max(0, math.ceil(start)), min(total, math.ceil(end))
        if hi > lo:
            state[lo:hi] = b"\x01" * (hi - lo)
    if valid is None:
        known = bytearray(b"\x01" * total)
    else:
        known = bytearray(total)
        for start, end in valid:
            lo, hi = max(0, math.ceil(start)), min(total, math.ceil(end))
            if hi > lo:
                known[lo:hi] = b"\x01" * (hi - lo)
    pairs = same = 0
    for i in range(total - DAY_MINUTES):
        j = i + DAY_MINUTES
        if known[i] and known[j]:
            pairs += 1
            same += state[i] == state[j]
    if pairs == 0:
        return None
    return -100.0 + 200.0 * same / pairs


@dataclass(frozen=True)
class ClockSpread:
    """The circular mean clock time and circular SD (minutes) of a set of clock times."""

    mean: float
    """Minutes after midnight, ``0 <= mean < 1440``."""
    sd: float
    """Circular standard deviation in minutes."""
    count: int


def clock_spread(times: Iterable[float]) -> ClockSpread | None:
    """Circular mean and SD of clock times in minutes (Fisher 1993; Mardia & Jupp 2000);
    ``None`` for no times."""
    points = [cmath.exp(2j * math.pi * wrap(t) / DAY_MINUTES) for t in times]
    if not points:
        return None
    mean = sum(points) / len(points)
    length = min(1.0, abs(mean))
    sd_rad = math.sqrt(-2.0 * math.log(length)) if length > 0 else math.inf
    angle = cmath.phase(mean) if length > 1e-12 else 0.0
    return ClockSpread(
        wrap(angle * DAY_MINUTES / (2 * math.pi)), sd_rad * DAY_MINUTES / (2 * math.pi), len(points)
    )
