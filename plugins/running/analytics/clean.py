"""Cleaning raw sample channels: heart-rate dropouts and spikes, distance glitches.

Conventions:

* Heart rate: readings outside 30–240 bpm (a strap reports 0 when it loses contact) are
  dropouts. A reading that jumps more than 25 bpm from the last accepted one within 10 s is
  a spike unless the next three readings confirm the new level (within 10 bpm of it).
  Dropouts and spikes become ``None``; gaps of at most 5 s between two good readings are
  then filled by linear interpolation, longer gaps stay ``None`` (no heart-rate coverage).
* Distance: a cumulative distance that goes backwards adds nothing; an increment faster
  than the activity's plausible top speed (plus 5 m of GPS noise) is a GPS jump and is
  replaced by the speed channel's reading times the interval, or by the last plausible
  speed when there is none.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

HR_MIN_BPM = 30.0
HR_MAX_BPM = 240.0
HR_SPIKE_BPM = 25.0
HR_SPIKE_WINDOW_S = 10.0
HR_CONFIRM_SAMPLES = 3
HR_CONFIRM_BPM = 10.0
HR_FILL_GAP_S = 5.0
GPS_SLACK_M = 5.0


def clean_heart_rate(
    time: Sequence[float],
    heart_rate: Sequence[float | None],
    *,
    fill_gap_s: float = HR_FILL_GAP_S,
) -> list[float | None]:
    """Heart rate with dropouts and spikes removed and short gaps filled (see module doc)."""
    n = len(time)
    if len(heart_rate) != n:
        raise ValueError(f"heart rate has {len(heart_rate)} samples, time has {n}")
    out: list[float | None] = [None] * n
    lo, hi, jump, window = HR_MIN_BPM, HR_MAX_BPM, HR_SPIKE_BPM, HR_SPIKE_WINDOW_S
    fill = fill_gap_s > 0
    last = math.nan  # the last accepted reading (NaN: none yet, so nothing is a jump)
    last_i = -1  # its index, kept up to date while readings are being rejected
    rejecting = True
    # One pass (the hot loop): accept or reject each reading, and fill the short gap that
    # ends at each accepted reading right away (the samples in it are final by then).
    for i, v in enumerate(heart_rate):
        if v is None or v < lo or v > hi:
            if not rejecting:
                rejecting, last_i = True, i - 1
            continue
        d = v - last
        if d > jump or d < -jump:
            prev = last_i if rejecting else i - 1
            if time[i] - time[prev] <= window and not _confirmed(heart_rate, i, v):
                if not rejecting:
                    rejecting, last_i = True, i - 1
                continue
        if rejecting:
            if last_i >= 0 and fill:
                _fill_gap(time, out, last_i, i, float(v), fill_gap_s)
            rejecting = False
        out[i] = float(v)
        last = v
    return out


def _confirmed(values: Sequence[float | None], i: int, level: float) -> bool:
    """True when the next few valid readings stay near ``level`` (a real change)."""
    seen = 0
    for j in range(i + 1, min(len(values), i + 1 + 2 * HR_CONFIRM_SAMPLES)):
        w = values[j]
        if w is None or w < HR_MIN_BPM or w > HR_MAX_BPM:
            continue
        if abs(w - level) > HR_CONFIRM_BPM:
            return False
        seen += 1
        if seen >= HR_CONFIRM_SAMPLES:
            return True
    return False


def _fill_gap(
    time: Sequence[float], values: list[float | None], prev: int, i: int, v: float, max_gap: float
) -> None:
    """Linearly interpolate ``values`` strictly between readings ``prev`` and ``i`` (reading
    ``v``) when the gap lasts at most ``max_gap`` seconds, in place."""
    t0, t1 = time[prev], time[i]
    v0 = values[prev]
    if v0 is not None and t1 - t0 <= max_gap and t1 > t0:
        slope = (v - v0) / (t1 - t0)
        for j in range(prev + 1, i):
            values[j] = v0 + slope * (time[j] - t0)


def distance_increments(
    time: Sequence[float],
    distance: Sequence[float | None],
    speed: Sequence[float | None] | None,
    max_speed: float,
    *,
    stepped: bool = False,
) -> list[float]:
    """Per-sample increments of a cumulative distance channel with glitches removed.

    ``increments[0]`` is 0; a missing sample adds nothing and the distance covered while
    it was missing is added when readings resume (if plausible). ``stepped`` is for
    sources that report distance in bursts (a pool length at the wall, an ergometer's
    periodic update): an increment is judged against the time since the distance last
    changed rather than since the previous reading.
    """
    n = len(time)
    out = [0.0] * n
    prev: float | None = None
    prev_t = 0.0
    last_speed = 0.0
    for i in range(n):
        d = distance[i]
        if d is None:
            continue
        t = time[i]
        if prev is None:
            prev, prev_t = d, t
            continue
        inc = d - prev
        span = t - prev_t
        if stepped and inc == 0.0:
            continue
        prev, prev_t = d, t
        if inc <= 0.0:
            continue
        if inc > max_speed * span + GPS_SLACK_M:
            s = speed[i] if speed is not None else None
            inc = s * span if s is not None and 0.0 <= s <= max_speed else last_speed * span
        elif span > 0.0:
            last_speed = inc / span
        out[i] = inc
    return out


def speed_increments(
    time: Sequence[float], speed: Sequence[float | None], max_speed: float
) -> list[float]:
    """Distance increments integrated from a speed channel (m/s held over each interval,
    the reading at the interval's end); implausible readings add nothing."""
    n = len(time)
    out = [0.0] * n
    for i in range(1, n):
        s = speed[i]
        if s is None or s <= 0.0 or s > max_speed:
            continue
        dt = time[i] - time[i - 1]
        if dt > 0.0:
            out[i] = s * dt
    return out
