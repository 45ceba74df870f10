"""Race predictions from VDOT, and how they have moved.

Predictions are Daniels–Gilbert equivalent times
(:func:`momentum.plugins.running.analytics.vdot.race_time`)
at the VDOT of the best evidence on a day
(:func:`momentum.plugins.running.analytics.evidence.best_evidence`).
The trend is the same prediction as of 12, 8 and 4 weeks ago and today, each from only the
evidence known on that day, so a new race result or a fitter heart-rate profile shows up as
a faster time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.analytics.evidence import VdotEvidence, best_evidence
from momentum.plugins.running.analytics.vdot import race_time

DISTANCES = (("5K", 5000.0), ("10K", 10000.0), ("Half", 21097.5), ("Marathon", 42195.0))
TREND_WEEKS = (12, 8, 4, 0)


@dataclass(frozen=True)
class TrendPoint:
    """The evidence and predicted times as of one day."""

    day: dt.date
    evidence: VdotEvidence | None

    def seconds(self, distance_m: float) -> float | None:
        """Predicted time over ``distance_m`` on this day (``None`` without evidence)."""
        return race_time(self.evidence.vdot, distance_m) if self.evidence else None


def predictions(vdot: float) -> dict[str, float]:
    """Equivalent race times (seconds) for 5K, 10K, half and marathon."""
    return {label: race_time(vdot, meters) for label, meters in DISTANCES}


def trend(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    today: dt.date,
    weeks: Sequence[int] = TREND_WEEKS,
) -> list[TrendPoint]:
    """The evidence as of each of ``weeks`` weeks ago, oldest first."""
    points = []
    for back in sorted(weeks, reverse=True):
        day = today - dt.timedelta(weeks=back)
        known = [a for a in activities if a.start.date() <= day]
        points.append(TrendPoint(day, best_evidence(athlete, known, day)))
    return points


def trend_line(points: Sequence[TrendPoint], distance_m: float, label: str) -> str:
    """``10K: 52:10 → 50:45 → 49:58 (12 weeks)`` or ``""`` without two points to compare."""
    from momentum.plugins.running.coach.grammar import clock_text

    known = [(p.day, p.seconds(distance_m)) for p in points if p.evidence is not None]
    if len(known) < 2:
        return ""
    times = " → ".join(clock_text(s) for _, s in known if s is not None)
    span = (known[-1][0] - known[0][0]).days // 7
    first, last = known[0][1], known[-1][1]
    assert first is not None and last is not None
    change = last - first
    word = "faster" if change < -1 else "slower" if change > 1 else "steady"
    delta = f"{clock_text(abs(change))} {word}" if word != "steady" else "steady"
    return f"{label}: {times} over {span} weeks ({delta})"
