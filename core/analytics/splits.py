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


def km_splits(prep: Prepared, split_m: float = SPLIT_M) -> tuple[Split, ...]:
    """Splits of ``split_m`` metres (default 1 km) for a prepared activity."""
    inc, adj, dt, moving, gain, hr = prep.inc, prep.adj, prep.dt, prep.moving, prep.gain, prep.hr
    out, scale = output_per_sample(prep)
    foot = prep.sport == FOOT
    splits: list[Split] = []
    # Running sums of the split being built (locals: this is a hot loop).
    dist = time = adj_sum = beats = hr_t = out_sum = climb = 0.0
    heart: list[float | None] = hr if hr is not None else [None] * len(inc)
    for i in range(1, len(inc)):
        step = inc[i]
        h = heart[i]
        mv = moving[i]
        remaining = 1.0
        while step > 0.0 and dist + step * remaining >= split_m:
            frac = (split_m - dist) / step
            dist = split_m
            climb += gain[i] * frac
            if mv:
                time += dt[i] * frac
                adj_sum += adj[i] * frac
                if h is not None:
                    hr_t += dt[i] * frac
                    beats += h * dt[i] * frac
                    out_sum += out[i] * frac
            splits.append(
                _split(len(splits), dist, time, adj_sum, beats, hr_t, out_sum, climb, foot, scale)
            )
            dist = time = adj_sum = beats = hr_t = out_sum = climb = 0.0
            remaining -= frac
        if remaining <= 0.0:
            continue
        if remaining == 1.0:
            dist += step
            climb += gain[i]
            if mv:
                d = dt[i]
                time += d
                adj_sum += adj[i]
                if h is not None:
                    hr_t += d
                    beats += h * d
                    out_sum += out[i]
        else:
            dist += step * remaining
            climb += gain[i] * remaining
            if mv:
                d = dt[i] * remaining
                time += d
                adj_sum += adj[i] * remaining
                if h is not None:
                    hr_t += d
                    beats += h * d
                    out_sum += out[i] * remaining
    if dist >= MIN_LAST_SPLIT_M:
        splits.append(
            _split(len(splits), dist, time, adj_sum, beats, hr_t, out_sum, climb, foot, scale)
        )
    return tuple(splits)


def _split(
    index: int,
    dist: float,
    time: float,
    adj: float,
    beats: float,
    hr_t: float,
    out: float,
    climb: float,
    foot: bool,
    scale: float,
) -> Split:
    return Split(
        index=index + 1,
        distance_meters=dist,
        moving_time_seconds=time,
        pace_seconds_per_km=time / dist * 1000.0 if dist > 0 and time > 0 else None,
        gap_seconds_per_km=time / adj * 1000.0 if foot and adj > 0 and time > 0 else None,
        avg_hr=beats / hr_t if hr_t > 0 else None,
        efficiency_factor=scale * out / beats if beats > 0 and out > 0 else None,
        elevation_gain_meters=climb,
    )
