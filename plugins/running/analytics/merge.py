"""Merging the streams of one activity recorded by several sources, field by field.

Example (the talk): a treadmill run with speed, grade and power from Peloton and heart
rate from the watch; Peloton stopped 25 s before the watch, so the last seconds of speed
come from the watch.

Conventions:

* Each source gives its streams and the offset of its first timestamp from the activity's
  start. The merged time axis is a regular grid from the earliest to the latest sample of
  any source, at the finest sample interval among the sources (1 s by default).
* A source's reading at a grid time is its sample at that time, or the linear
  interpolation between its two neighbouring samples when they are at most 5 s apart;
  otherwise the source has no reading there.
* For each field and each grid time the reading comes from the first source, in the
  field's priority order, that has one. The priority order is the caller's list for that
  field (``priority={"speed": ["peloton"]}``), then the remaining sources by how many grid
  times they cover (most first), then by name. The result therefore does not depend on
  the order the sources are given in.
* Cumulative distance is merged by increments, so switching sources does not make the
  distance jump.
* ``source_ranges`` records which source supplied each field over which grid indices;
  a field supplied entirely by one source gets one range with ``start``/``end`` of
  ``None``, as in the talk's stream JSON.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from momentum.core.model import STREAM_CHANNELS, SourceRange, Streams

MAX_INTERPOLATION_GAP_S = 5.0
_EPS = 1e-6


@dataclass(frozen=True)
class SourceStreams:
    """One source's streams of an activity, and when they start relative to it."""

    source: str
    streams: Streams
    offset_seconds: float = 0.0


def merge_streams(
    sources: Iterable[SourceStreams],
    *,
    priority: Mapping[str, Sequence[str]] | None = None,
    step: float | None = None,
    max_gap: float = MAX_INTERPOLATION_GAP_S,
) -> Streams:
    """Merge several sources' streams into one (see the module doc).

    Raises ``ValueError`` for no sources, a repeated source name or a source without
    samples.
    """
    items = sorted(sources, key=lambda s: s.source)
    if not items:
        raise ValueError("no sources to merge")
    names = [s.source for s in items]
    if len(set(names)) != len(names):
        raise ValueError(f"repeated source in {names}")
    for item in items:
        if not item.streams.time:
            raise ValueError(f"source {item.source!r} has no samples")
    grid_step = step or min(_interval(s.streams) for s in items)
    begin = min(s.offset_seconds + s.streams.time[0] for s in items)
    end = max(s.offset_seconds + s.streams.time[-1] for s in items)
    count = math.floor((end - begin) / grid_step + _EPS) + 1
    grid = [begin + k * grid_step for k in range(count)]
    order = priority or {}
    channels: dict[str, tuple[float | None, ...]] = {}
    ranges: list[SourceRange] = []
    fields = sorted(
        {name for s in items for name in s.streams.channels},
        key=lambda f: (STREAM_CHANNELS.index(f) if f in STREAM_CHANNELS else 99, f),
    )
    for field in fields:
        resampled = {
            s.source: _resample(s, field, grid, max_gap)
            for s in items
            if s.streams.channel(field) is not None
        }
        coverage = {name: sum(v is not None for v in vals) for name, vals in resampled.items()}
        preferred = [name for name in order.get(field, ()) if name in resampled]
        rest = sorted(
            (name for name in resampled if name not in preferred),
            key=lambda name: (-coverage[name], name),
        )
        ranked = [name for name in preferred + rest if coverage[name] > 0]
        if not ranked:
            continue
        if field == "distance":
            values, chosen = _merge_cumulative(ranked, resampled, count)
        else:
            values, chosen = _merge_values(ranked, resampled, count)
        channels[field] = tuple(values)
        ranges.extend(_ranges(field, chosen, count))
    return Streams(
        time=tuple(t - begin for t in grid),
        channels=channels,
        source_ranges=tuple(ranges),
        is_indoor=any(s.streams.is_indoor for s in items),
        sample_interval=grid_step,
    )


def _interval(streams: Streams) -> float:
    if streams.sample_interval and streams.sample_interval > 0:
        return streams.sample_interval
    time = streams.time
    gaps = sorted(b - a for a, b in itertools.pairwise(time) if b > a)
    return gaps[len(gaps) // 2] if gaps else 1.0


def _resample(
    item: SourceStreams, field: str, grid: list[float], max_gap: float
) -> list[float | None]:
    values = item.streams.channels[field]
    times = [t + item.offset_seconds for t in item.streams.time]
    out: list[float | None] = [None] * len(grid)
    n = len(times)
    j = 0
    for k, g in enumerate(grid):
        if g < times[0] - _EPS or g > times[-1] + _EPS:
            continue
        while j < n - 1 and times[j + 1] <= g + _EPS:
            j += 1
        t0 = times[j]
        v0 = values[j]
        if abs(g - t0) <= _EPS:
            out[k] = v0
            continue
        if j + 1 >= n:
            continue
        t1 = times[j + 1]
        v1 = values[j + 1]
        if v0 is None or v1 is None or t1 - t0 > max_gap:
            continue
        out[k] = v0 + (v1 - v0) * (g - t0) / (t1 - t0)
    return out


def _merge_values(
    ranked: list[str], resampled: dict[str, list[float | None]], count: int
) -> tuple[list[float | None], list[str | None]]:
    values: list[float | None] = [None] * count
    chosen: list[str | None] = [None] * count
    for name in reversed(ranked):
        column = resampled[name]
        for k in range(count):
            v = column[k]
            if v is not None:
                values[k] = v
                chosen[k] = name
    return values, chosen


def _merge_cumulative(
    ranked: list[str], resampled: dict[str, list[float | None]], count: int
) -> tuple[list[float | None], list[str | None]]:
    values: list[float | None] = [None] * count
    chosen: list[str | None] = [None] * count
    total = 0.0
    started = False
    for k in range(count):
        for name in ranked:
            column = resampled[name]
            v = column[k]
            if v is None:
                continue
            prev = column[k - 1] if k > 0 else None
            if prev is not None and started:
                total += max(0.0, v - prev)
            started = True
            values[k] = total
            chosen[k] = name
            break
    return values, chosen


def _ranges(field: str, chosen: list[str | None], count: int) -> list[SourceRange]:
    runs: list[tuple[str, int, int]] = []
    for k, name in enumerate(chosen):
        if name is None:
            continue
        if runs and runs[-1][0] == name and runs[-1][2] == k:
            runs[-1] = (name, runs[-1][1], k + 1)
        else:
            runs.append((name, k, k + 1))
    if len(runs) == 1 and runs[0][1] == 0 and runs[0][2] == count:
        return [SourceRange(field=field, source=runs[0][0])]
    return [SourceRange(field=field, source=name, start=a, end=b) for name, a, b in runs]
