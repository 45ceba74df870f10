"""The athlete's own intensities: heart-rate zones and VDOT paces for each kind of session.

Conventions:

* Zones are the athlete's five heart-rate zones from
:func:`momentum.plugins.running.analytics.zones.zone_bounds`
  (Friel's %LTHR by default); a session's zone label carries the athlete's own bpm, e.g.
  ``"Z1-Z2 (<146 bpm)"``.
* Paces are Daniels' training paces from the athlete's current VDOT (the best recent
  evidence: :mod:`momentum.plugins.running.analytics.evidence`)
  (:func:`momentum.plugins.running.analytics.vdot.training_paces`): E for easy and long runs, T for
  tempo, I for intervals, M for marathon-pace work. Recovery runs sit at the slow end of E
  and up to 5 % slower (Daniels: recovery running is "easy, or slower").
* Intensity → zone (Friel's running zones): easy Z1–Z2, long Z2, recovery Z1, marathon
  pace Z3, threshold Z4, interval/hills Z5 (hills Z4–Z5).
* After a break the VDOT is reduced following the shape of Daniels' return-to-training
  table: no change up to 5 days off, then about 0.3 % per day, to about 93 % at four weeks
  and floored at 80 % (*Daniels' Running Formula*, "Returning to training after a break").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.analytics.vdot import race_time, training_paces
from momentum.plugins.running.analytics.zones import zone_bounds

Pace = tuple[float, float]

RECOVERY_SLOWDOWN = 1.05
ZONES = {
    "easy": (1, 2),
    "recovery": (1, 1),
    "long": (2, 2),
    "marathon": (3, 3),
    "tempo": (4, 4),
    "intervals": (5, 5),
    "hills": (4, 5),
    "cross": (1, 2),
}
"""Heart-rate zone range (low, high) for each intensity."""
PACE_KEYS = {
    "easy": "E",
    "long": "E",
    "marathon": "M",
    "tempo": "T",
    "intervals": "I",
}
"""Daniels pace key for each intensity (recovery is derived from E; hills and cross-training
go by effort, not pace)."""


def vdot_after_break(vdot: float, days_off: int) -> float:
    """VDOT reduced for ``days_off`` consecutive days without training (see module doc)."""
    if days_off <= 5:
        return vdot
    factor = max(0.80, 1.0 - 0.003 * (days_off - 5))
    return vdot * factor


@dataclass(frozen=True)
class Intensities:
    """The athlete's zones (bpm) and paces (s/km, ``None`` without a race result)."""

    bounds: tuple[tuple[float, float], ...]
    paces: dict[str, Pace] | None
    vdot: float | None

    @classmethod
    def of(
        cls,
        athlete: AthleteProfile,
        today: dt.date,
        days_off: int = 0,
        activities: Sequence[Activity] = (),
    ) -> Intensities:
        """Zones from the athlete's heart-rate profile; paces from the best recent evidence
        (:func:`momentum.plugins.running.analytics.evidence.best_evidence`: race results first, else
        recent runs' pace and heart rate), reduced after a break."""
        from momentum.plugins.running.analytics.evidence import best_evidence

        found = best_evidence(athlete, activities, today)
        vdot = found.vdot if found is not None else None
        if vdot is not None:
            vdot = vdot_after_break(vdot, days_off)
        paces = training_paces(vdot) if vdot is not None else None
        return cls(tuple(zone_bounds(athlete.heart_rate)), paces, vdot)

    @classmethod
    def at_vdot(cls, athlete: AthleteProfile, vdot: float | None) -> Intensities:
        """Zones from the athlete's heart-rate profile; paces at a given VDOT (a plan's)."""
        paces = training_paces(vdot) if vdot is not None else None
        return cls(tuple(zone_bounds(athlete.heart_rate)), paces, vdot)

    def zone(self, intensity: str) -> str:
        """``"Z1-Z2 (<146 bpm)"``: the zone range with the athlete's own heart rates."""
        low, high = ZONES[intensity]
        name = f"Z{low}" if low == high else f"Z{low}-Z{high}"
        lo_bpm = round(self.bounds[low - 1][0])
        hi_bpm = round(self.bounds[high - 1][1])
        if low == 1:
            return f"{name} (<{hi_bpm} bpm)"
        if high == 5:
            return f"{name} (≥{lo_bpm} bpm)"
        return f"{name} ({lo_bpm}–{hi_bpm} bpm)"

    def pace(self, intensity: str) -> Pace | None:
        """(fast, slow) s/km for ``intensity``; ``None`` without a VDOT or for effort-based
        sessions (hills, cross-training)."""
        if self.paces is None:
            return None
        if intensity == "recovery":
            slow = self.paces["E"][1]
            return (slow, slow * RECOVERY_SLOWDOWN)
        key = PACE_KEYS.get(intensity)
        return self.paces[key] if key else None

    def race_pace(self, distance_m: float, goal_seconds: float | None) -> Pace | None:
        """Goal pace when the athlete set a goal time, else the VDOT-equivalent race pace."""
        seconds = goal_seconds
        if seconds is None and self.vdot is not None:
            seconds = race_time(self.vdot, distance_m)
        if seconds is None or distance_m <= 0:
            return None
        pace = seconds / distance_m * 1000.0
        return (pace, pace)


def fmt_pace(seconds_per_km: float) -> str:
    """``5:42`` for 342 s/km."""
    total = round(seconds_per_km)
    return f"{total // 60}:{total % 60:02d}"


def pace_text(pace: Pace | None) -> str:
    """``5:42–6:20/km``, ``4:55/km`` or ``""``."""
    if pace is None:
        return ""
    fast, slow = pace
    if round(fast) == round(slow):
        return f"{fmt_pace(fast)}/km"
    return f"{fmt_pace(fast)}–{fmt_pace(slow)}/km"
