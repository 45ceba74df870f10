"""What a run was, by its heart-rate zones, so a message never names it wrongly.

Seiler's three-zone model (Seiler & Kjerland 2006; Seiler 2010, "What is best practice for
training intensity and duration distribution in endurance athletes?") splits intensity at
the two ventilatory thresholds: zone 1 below VT1 (Friel's Z1–Z2), zone 2 between VT1 and
VT2 (Z3), zone 3 above VT2 (Z4–Z5). A session is classed by the time spent above the
thresholds, not by its average:

* ``intervals``: at least :data:`HARD_MINUTES` minutes in Z4–Z5, of which at least
  :data:`Z5_MINUTES` in Z5 (VO2max work above VT2);
* ``tempo``: at least :data:`HARD_MINUTES` minutes in Z4–Z5 but little Z5 (threshold work);
* ``steady``: more than :data:`GREY_SHARE` of the time in Z3 (between the thresholds, the
  "grey zone" of the 80/20 model);
* ``easy``: otherwise (mostly below VT1); ``unknown`` without zone data.

Ten minutes above threshold is the shortest classic threshold set (e.g. 2 × 5 min), and
five in Z5 the shortest VO2max set (5 × 1 min); a warm-up drifting into Z4 for a minute or
two does not make a run a workout.
"""

from __future__ import annotations

from collections.abc import Sequence

HARD_MINUTES = 10.0
"""Minutes in Z4–Z5 from which a run is quality work, not an easy or aerobic run."""
Z5_MINUTES = 5.0
"""Minutes in Z5 from which quality work counts as intervals rather than tempo."""
GREY_SHARE = 0.20
"""Share of time in Z3 above which an otherwise easy run is "steady" (Seiler's zone 2)."""

LABELS = {
    "intervals": "Intervals",
    "tempo": "Tempo Run",
    "steady": "Steady Run",
    "easy": "Easy Run",
    "unknown": "Run",
}


def run_type(zone_minutes: Sequence[float]) -> str:
    """``intervals``, ``tempo``, ``steady``, ``easy`` or ``unknown`` from minutes in Z1..Z5."""
    zones = [*zone_minutes, 0.0, 0.0, 0.0, 0.0, 0.0][:5]
    total = sum(zones)
    if total <= 0:
        return "unknown"
    hard = zones[3] + zones[4]
    if hard >= HARD_MINUTES:
        return "intervals" if zones[4] >= Z5_MINUTES else "tempo"
    if zones[2] / total > GREY_SHARE:
        return "steady"
    return "easy"


def hard_minutes(zone_minutes: Sequence[float]) -> float:
    """Minutes in Z4–Z5."""
    zones = [*zone_minutes, 0.0, 0.0, 0.0, 0.0, 0.0][:5]
    return zones[3] + zones[4]
