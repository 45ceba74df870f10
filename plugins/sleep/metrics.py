"""Sleep duration, efficiency and debt: plain arithmetic, with the convention of each.

- **Total sleep time (TST)** is the time asleep between sleep onset and final waking,
  wake after sleep onset excluded (AASM scoring manual's definition of TST).
- **Sleep efficiency** is TST / time in bed × 100, the denominator recommended by Reed &
  Sacco (2016), "Measuring sleep efficiency: what should the denominator be?", J Clin Sleep
  Med 12(2):263-266.
- **Sleep debt** is the cumulative shortfall against the athlete's own need over the last
  14 nights, the cumulative-deficit view of Van Dongen et al. (2003), "The cumulative cost
  of additional wakefulness", Sleep 26(2):117-126 (deficits of chronic restriction add up
  across nights). Convention: a longer night pays the debt back hour for hour; the total
  never goes below zero (sleep cannot be banked ahead); nights without data are left out
  and counted separately, never guessed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

DEBT_WINDOW_NIGHTS = 14
"""Nights the sleep debt looks back over."""


def efficiency(total_sleep_s: float, time_in_bed_s: float) -> float | None:
    """Sleep efficiency in percent, TST / time in bed × 100 (Reed & Sacco 2016), capped at
    100; ``None`` when there is no time in bed to divide by."""
    if time_in_bed_s <= 0:
        return None
    return min(100.0, max(0.0, 100.0 * total_sleep_s / time_in_bed_s))


@dataclass(frozen=True)
class SleepDebt:
    """The debt in hours and how many of the window's nights had data."""

    hours: float
    nights_with_data: int
    window: int = DEBT_WINDOW_NIGHTS


def sleep_debt(
    nightly_sleep_hours: Sequence[float | None], need_hours: float, window: int = DEBT_WINDOW_NIGHTS
) -> SleepDebt:
    """Cumulative shortfall against ``need_hours`` over the last ``window`` nights (oldest
    first; ``None`` = no data): max(0, Σ (need − TST)) over the nights with data (Van Dongen
    et al. 2003, cumulative deficit; see the module for the convention)."""
    if need_hours <= 0:
        raise ValueError("need_hours must be positive")
    recent = list(nightly_sleep_hours)[-window:]
    known = [hours for hours in recent if hours is not None]
    balance = sum(need_hours - max(0.0, hours) for hours in known)
    return SleepDebt(max(0.0, balance), len(known), window)
