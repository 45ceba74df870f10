"""Per-kilometre splits.

Convention: splits are cut at every full kilometre of cumulative distance; a sample that
straddles a boundary is shared between the two splits in proportion to its distance (time,
heart beats and climb alike), so splits add up exactly to the activity. Only moving time
counts toward a split's time. A final part-kilometre of at least 10 m is its own split.
Each split carries pace, GAP and EF computed as for the whole activity (:mod:`.efficiency`).
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate, compress, islice

from momentum.core.model import Split
from momentum.plugins.running.analytics.efficiency import output_per_sample
from momentum.plugins.running.analytics.prepare import FOOT, Prepared
from momentum.plugins.running.analytics.samples import HeartSamples, heart_samples

SPLIT_M = 1000.0
MIN_LAST_SPLIT_M = 10.0


def km_splits(
    prep: Prepared, split_m: float = SPLIT_M, samples: HeartSamples | None = None
) -> tuple[Split, ...]:
    """Splits of ``split_m`` metres (default 1 km) for a prepared activity.

    ``samples`` are ``heart_samples(prep)`` when the caller has them already. Between the
    samples that straddle a boundary, a split's sums are plain running sums over a range
    of samples, so they run in C (``sum``, ``accumulate``) from the running values, in the
    same order as a sample-by-sample loop; the boundary samples go through that loop's
    steps one at a time.
    """
    inc = prep.inc
    total = sum(inc)
    if not (total == total and min(inc, default=0.0) >= 0.0):
        # NaN or negative increments (time running backwards): the boundary search below
        # needs ordered running totals.
        return _splits_by_sample(prep, split_m)
    counted = samples if samples is not None else heart_samples(prep)
    out, scale = output_per_sample(prep)
    run = _Running(prep, counted, out, scale, split_m)
    n = len(inc)
    pos = 1  # the next sample to add (sample 0 has no interval)
    while pos < n:
        end = min(n, pos + _CHUNK)
        # Running distance after each sample of the chunk; the first to reach the split
        # length straddles a boundary (increments are >= 0, so the totals are ordered).
        totals = list(accumulate(islice(inc, pos, end), initial=run.dist))
        k = bisect_left(totals, split_m, 1)
        if k == len(totals):
            run.add_whole(pos, end, totals[-1])
            pos = end
            continue
        run.add_whole(pos, pos + k - 1, totals[k - 1])
        run.add_straddling(pos + k - 1)
        pos += k
    return run.finish()


_CHUNK = 512
"""Samples per boundary search (about a kilometre of running at 1 Hz)."""


class _Running:
    """The running sums of the split being built, and the splits made so far."""

    def __init__(
        self,
        prep: Prepared,
        counted: HeartSamples | None,
        out: list[float],
        scale: float,
        split_m: float,
    ) -> None:
        self.prep, self.out, self.scale, self.split_m = prep, out, scale, split_m
        self.foot = prep.sport == FOOT
        self.idx = counted.idx if counted is not None else []
        self.steps = counted.steps if counted is not None else []
        self.beats_of = counted.beats if counted is not None else []
        self.outs = [out[i] for i in self.idx]
        self.splits: list[Split] = []
        self.dist = self.time = self.adj = self.beats = self.hr_t = self.out_sum = 0.0
        self.climb = 0.0

    def add_whole(self, start: int, stop: int, dist: float) -> None:
        """Add samples ``start..stop-1`` whole; ``dist`` is the running distance after them.

        Moving samples with heart rate are exactly the counted ones (moving samples have
        a positive duration), found by bisecting their indices.
        """
        if stop <= start:
            return
        prep = self.prep
        self.dist = dist
        self.climb = sum(prep.gain[start:stop], self.climb)
        moving = prep.moving[start:stop]
        self.time = sum(compress(prep.dt[start:stop], moving), self.time)
        self.adj = sum(compress(prep.adj[start:stop], moving), self.adj)
        a, b = bisect_left(self.idx, start), bisect_left(self.idx, stop)
        if a < b:
            self.hr_t = sum(self.steps[a:b], self.hr_t)
            self.beats = sum(self.beats_of[a:b], self.beats)
            self.out_sum = sum(self.outs[a:b], self.out_sum)

    def add_straddling(self, i: int) -> None:
        """Add sample ``i``, which completes at least one split, in proportion."""
        prep, split_m = self.prep, self.split_m
        step = prep.inc[i]
        hr = prep.hr
        h = hr[i] if hr is not None else None
        mv = prep.moving[i]
        remaining = 1.0
        while step > 0.0 and self.dist + step * remaining >= split_m:
            frac = (split_m - self.dist) / step
            self.dist = split_m
            self.climb += prep.gain[i] * frac
            if mv:
                d = prep.dt[i]
                self.time += d * frac
                self.adj += prep.adj[i] * frac
                if h is not None:
                    self.hr_t += d * frac
                    self.beats += h * d * frac
                    self.out_sum += self.out[i] * frac
            self.splits.append(self._split())
            self.dist = self.time = self.adj = self.beats = self.hr_t = self.out_sum = 0.0
            self.climb = 0.0
            remaining -= frac
        if remaining <= 0.0:
            return
        whole = remaining == 1.0
        self.dist += step if whole else step * remaining
        self.climb += prep.gain[i] if whole else prep.gain[i] * remaining
        if mv:
            d = prep.dt[i] if whole else prep.dt[i] * remaining
            self.time += d
            self.adj += prep.adj[i] if whole else prep.adj[i] * remaining
            if h is not None:
                self.hr_t += d
                self.beats += h * d
                self.out_sum += self.out[i] if whole else self.out[i] * remaining

    def _split(self) -> Split:
        return _split(
            len(self.splits),
            self.dist,
            self.time,
            self.adj,
            self.beats,
            self.hr_t,
            self.out_sum,
            self.climb,
            self.foot,
            self.scale,
        )

    def finish(self) -> tuple[Split, ...]:
        """All splits, with the last part-split if it is long enough."""
        if self.dist >= MIN_LAST_SPLIT_M:
            self.splits.append(self._split())
        return tuple(self.splits)


def _splits_by_sample(prep: Prepared, split_m: float) -> tuple[Split, ...]:
    """:func:`km_splits` sample by sample (for distance streams with NaNs)."""
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
