"""Reading and writing race distances, durations and paces as people type them.

Distances: a name (``5k``, ``10k``, ``half``, ``marathon``, ``mile``) or a number with a
unit (``15k``, ``15km``, ``3000m``, ``1mi``, ``26.2 miles``). Durations: ``m:ss`` or
``h:mm:ss`` (seconds may have decimals). Errors are ``ValueError`` with a message fit to
show the person.
"""

from __future__ import annotations

import math
import re

from momentum.plugins.running.analytics.vdot import HALF_MARATHON_M, MARATHON_M, MILE_M

NAMED_DISTANCES: dict[str, float] = {
    "5k": 5000.0,
    "10k": 10000.0,
    "half": HALF_MARATHON_M,
    "halfmarathon": HALF_MARATHON_M,
    "hm": HALF_MARATHON_M,
    "marathon": MARATHON_M,
    "full": MARATHON_M,
    "mile": MILE_M,
}
UNIT_METRES: dict[str, float] = {
    "m": 1.0,
    "meter": 1.0,
    "meters": 1.0,
    "metre": 1.0,
    "metres": 1.0,
    "k": 1000.0,
    "km": 1000.0,
    "mi": MILE_M,
    "mile": MILE_M,
    "miles": MILE_M,
}
_NUMBER_UNIT = re.compile(r"^(\d+(?:\.\d+)?)\s*([a-z]+)$")


def parse_distance(text: str) -> float:
    """Metres in a distance such as ``"10k"``, ``"half"``, ``"3000m"`` or ``"1mi"``."""
    key = text.strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if key in NAMED_DISTANCES and not text.strip().startswith("-"):
        return NAMED_DISTANCES[key]
    match = _NUMBER_UNIT.match(text.strip().lower())
    if match and match.group(2) in UNIT_METRES:
        metres = float(match.group(1)) * UNIT_METRES[match.group(2)]
        if metres > 0:
            return metres
    raise ValueError(
        f"distance {text!r} not understood: use 5k, 10k, half, marathon, "
        "or a number with a unit (15k, 3000m, 1mi)"
    )


def parse_duration(text: str) -> float:
    """Seconds in ``"m:ss"`` or ``"h:mm:ss"`` (e.g. ``"40:00"``, ``"1:12:23"``)."""
    parts = text.strip().split(":")
    problem = f"time {text!r} not understood: use m:ss or h:mm:ss"
    if len(parts) not in (2, 3) or any(not p.strip() for p in parts):
        raise ValueError(problem)
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError(problem) from None
    if any(not math.isfinite(x) or x < 0 for x in numbers):
        raise ValueError(problem)
    if any(x != int(x) for x in numbers[:-1]) or numbers[-1] >= 60:
        raise ValueError(problem)
    if len(numbers) == 3 and numbers[1] >= 60:
        raise ValueError(problem)
    seconds = 0.0
    for x in numbers:
        seconds = seconds * 60.0 + x
    if seconds <= 0:
        raise ValueError(f"time {text!r} must be more than zero")
    return seconds


def format_duration(seconds: float) -> str:
    """``"m:ss"`` under an hour, else ``"h:mm:ss"`` (rounded to the second)."""
    total = round(seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def format_pace(seconds_per_km: float) -> str:
    """A pace as ``"m:ss"`` per km."""
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d}"
