"""Per-kilometre splits.

Convention: splits are cut at every full kilometre of cumulative distance; a sample that
straddles a boundary is shared between the two splits in proportion to its distance (time,
heart beats and climb alike), so splits add up exactly to the activity. Only moving time
counts toward a split's time. A final part-kilometre of at least 10 m is its own split.
Each split carries pace, GAP and EF computed as for the whole activity (:mod:`.efficiency`).
"""

from __future__ import annotations

from core.analytics.efficiency import output_per_sample
from core.analytics.prepare import FOOT, Prepared
from core.model import Split

SPLIT_M = 1000.0
MIN_LAST_SPLIT_M = 10.0


class _Acc:
    """Running sums of the split being built."""

    __slots__ = ("adj", "beats", "dist", "gain", "hr_t", "out", "time")

    def __init__(self) -> None:
        self.dist = 0.0
        self.time = 0.0
        self.adj = 0.0
        self.hr_t = 0.0
        self.beats = 0.0
        self.out = 0.0
        self.gain = 0.0


def km_splits(prep: Prepared, split_m: float = SPLIT_M) -> tuple[Split, ...]:
    """Splits of ``split_m`` metres (default 1 km) for a prepared activity."""
    inc, adj, dt, moving, gain, hr = prep.inc, prep.adj, prep.dt, prep.moving, prep.gain, prep.hr
    out, scale = output_per_sample(prep)
    splits: list[Split] = []
    acc = _Acc()
    foot = prep.sport == FOOT
    for i in range(1, len(inc)):
        step = inc[i]
        h = hr[i] if hr is not None else None
        mv = moving[i]
        remaining = 1.0
        while step > 0.0 and acc.dist + step * remaining >= split_m:
            frac = (split_m - acc.dist) / step
            _add(acc, frac, step, adj[i], dt[i], gain[i], out[i], h, mv)
            splits.append(_close(acc, len(splits), foot, scale))
            acc = _Acc()
            remaining -= frac
        if remaining > 0.0:
            _add(acc, remaining, step, adj[i], dt[i], gain[i], out[i], h, mv)
    if acc.dist >= MIN_LAST_SPLIT_M:
        splits.append(_close(acc, len(splits), foot, scale))
    return tuple(splits)


def _add(
    acc: _Acc,
    frac: float,
    step: float,
    adj: float,
    dt: float,
    gain: float,
    out: float,
    h: float | None,
    moving: bool,
) -> None:
    acc.dist += step * frac
    acc.gain += gain * frac
    if not moving:
        return
    acc.time += dt * frac
    acc.adj += adj * frac
    if h is not None:
        acc.hr_t += dt * frac
        acc.beats += h * dt * frac
        acc.out += out * frac


def _close(acc: _Acc, index: int, foot: bool, scale: float) -> Split:
    pace = acc.time / acc.dist * 1000.0 if acc.dist > 0 and acc.time > 0 else None
    gap = acc.time / acc.adj * 1000.0 if foot and acc.adj > 0 and acc.time > 0 else None
    avg_hr = acc.beats / acc.hr_t if acc.hr_t > 0 else None
    ef = scale * acc.out / acc.beats if acc.beats > 0 and acc.out > 0 else None
    return Split(
        index=index + 1,
        distance_meters=acc.dist,
        moving_time_seconds=acc.time,
        pace_seconds_per_km=pace,
        gap_seconds_per_km=gap,
        avg_hr=avg_hr,
        efficiency_factor=ef,
        elevation_gain_meters=acc.gain,
    )
