"""Seeded outdoor routes: an elevation profile along the distance run.

A route is a base altitude plus a few sine waves of seeded amplitude, wavelength and
phase, so grades are smooth and realistic: gentle for Toronto's city loops, steeper for
trail long runs on the ravine paths.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

_TAU = 2 * math.pi


@dataclass(frozen=True)
class Wave:
    """One rolling component of a route: amplitude (m), wavelength (m), phase (rad)."""

    amplitude: float
    wavelength: float
    phase: float


@dataclass(frozen=True)
class Route:
    """An elevation profile ``altitude(d)`` in metres along distance ``d`` in metres."""

    base_altitude: float
    waves: tuple[Wave, ...]

    def altitude(self, distance: float) -> float:
        """Altitude in metres after ``distance`` metres."""
        total = self.base_altitude
        for w in self.waves:
            total += w.amplitude * math.sin(_TAU * distance / w.wavelength + w.phase)
        return total

    def profile(self, distance: float) -> tuple[float, float]:
        """``(altitude, grade)`` at ``distance`` in one pass (the simulator's hot path)."""
        altitude = self.base_altitude
        grade = 0.0
        for w in self.waves:
            k = _TAU / w.wavelength
            angle = k * distance + w.phase
            altitude += w.amplitude * math.sin(angle)
            grade += w.amplitude * k * math.cos(angle)
        return altitude, grade

    def grade(self, distance: float) -> float:
        """The gradient (a fraction, rise over run) at ``distance``: the exact slope."""
        total = 0.0
        for w in self.waves:
            k = _TAU / w.wavelength
            total += w.amplitude * k * math.cos(k * distance + w.phase)
        return total


def city_route(rng: random.Random) -> Route:
    """A rolling city loop: a few metres of climb per kilometre, grades mostly under 3 %."""
    waves = tuple(
        Wave(rng.uniform(2.0, 6.0), rng.uniform(900.0, 2500.0), rng.uniform(0, 2 * math.pi))
        for _ in range(3)
    )
    return Route(base_altitude=rng.uniform(90.0, 140.0), waves=waves)


def trail_route(rng: random.Random) -> Route:
    """A ravine trail: longer climbs and short pitches; grades mostly under 8 %."""
    waves = (
        Wave(rng.uniform(15.0, 25.0), rng.uniform(2500.0, 4000.0), rng.uniform(0, 2 * math.pi)),
        Wave(rng.uniform(4.0, 7.0), rng.uniform(800.0, 1200.0), rng.uniform(0, 2 * math.pi)),
        Wave(rng.uniform(1.0, 2.0), rng.uniform(250.0, 400.0), rng.uniform(0, 2 * math.pi)),
    )
    return Route(base_altitude=rng.uniform(100.0, 160.0), waves=waves)
