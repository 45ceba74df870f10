"""Synthetic streams shared by the analytics tests (helpers only, no tests here)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from momentum.core.model import AthleteProfile, HeartRateProfile, Streams

START = dt.datetime(2026, 2, 19, 23, 0, tzinfo=dt.UTC)

ATHLETE = AthleteProfile(
    athlete_id="adam",
    name="Adam",
    timezone="America/Toronto",
    heart_rate=HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162),
)


def steady(
    seconds: int,
    *,
    speed: float | Callable[[int], float] = 3.0,
    hr: float | Callable[[int], float | None] | None = 140.0,
    grade: float | Callable[[int], float] | None = None,
    altitude: Callable[[int], float] | None = None,
    indoor: bool = False,
    with_distance: bool = True,
) -> Streams:
    """A 1 Hz stream of ``seconds + 1`` samples (t = 0..seconds)."""

    def value(spec: object, i: int) -> float | None:
        return spec(i) if callable(spec) else spec  # type: ignore[no-any-return]

    time = tuple(float(i) for i in range(seconds + 1))
    speeds = [float(value(speed, i) or 0.0) for i in range(seconds + 1)]
    channels: dict[str, tuple[float | None, ...]] = {"speed": tuple(speeds)}
    if with_distance:
        total = 0.0
        dist: list[float | None] = []
        for i, s in enumerate(speeds):
            if i:
                total += s
            dist.append(total)
        channels["distance"] = tuple(dist)
    if hr is not None:
        channels["heart_rate"] = tuple(value(hr, i) for i in range(seconds + 1))
    if grade is not None:
        channels["grade"] = tuple(value(grade, i) for i in range(seconds + 1))
    if altitude is not None:
        channels["altitude"] = tuple(altitude(i) for i in range(seconds + 1))
    return Streams(time=time, channels=channels, is_indoor=indoor)
