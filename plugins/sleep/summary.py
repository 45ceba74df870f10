"""The numbers the coach reads over a run of nights, all computed here by code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from momentum.plugins.sleep.clock import DAY_MINUTES, signed_difference
from momentum.plugins.sleep.grouping import efficiency_of
from momentum.plugins.sleep.metrics import SleepDebt, sleep_debt
from momentum.plugins.sleep.nights import Night
from momentum.plugins.sleep.profile import SleepProfile
from momentum.plugins.sleep.regularity import ClockSpread, clock_spread, sleep_regularity_index
from momentum.plugins.sleep.targets import bed_time
from momentum.plugins.sleep.timing import SocialJetLag, mid_sleep, social_jet_lag

LATE_MINUTES = 30
"""A night is a missed bedtime when it began more than this after the target."""


def late_by(night: Night, target: int) -> float | None:
    """Minutes the night began after the bedtime target (negative: early); ``None``
    without a bed time."""
    began = bed_time(night)
    return None if began is None else signed_difference(began, target)


def missed_in_a_row(nights_by_day: dict[dt.date, Night], target: int, last: dt.date) -> int:
    """Nights in a row, ending with the night of ``last``, that began more than
    :data:`LATE_MINUTES` after ``target``. A night without data (or without clock times)
    ends the count: a ring left on the charger is not a missed bedtime, and not a kept
    one either."""
    count, day = 0, last
    while (night := nights_by_day.get(day)) is not None:
        late = late_by(night, target)
        if late is None or late <= LATE_MINUTES:
            break
        count += 1
        day -= dt.timedelta(days=1)
    return count


def regularity(nights: Sequence[Night], first: dt.date, last: dt.date) -> float | None:
    """The Sleep Regularity Index over the nights ending ``first``..``last``.

    Each timed night is its main sleep period on one timeline (everything else awake);
    an epoch counts only when the noon-to-noon window around its night has a night
    recorded, so missing nights are left out rather than scored as awake."""
    origin = first - dt.timedelta(days=1)
    asleep, valid = [], []
    for night in nights:
        if night.onset_min is None or night.offset_min is None:
            continue
        if not first <= night.day <= last:
            continue
        base = (night.day - origin).days * DAY_MINUTES
        asleep.append((base + night.onset_min, base + night.offset_min))
        valid.append((base - DAY_MINUTES / 2, base + DAY_MINUTES / 2))
    return sleep_regularity_index(asleep, (last - origin).days + 1, valid=valid)


@dataclass(frozen=True)
class Picture:
    """A run of nights summed up."""

    nights: int
    average_sleep_h: float | None
    average_efficiency: float | None
    debt: SleepDebt
    sri: float | None
    bedtimes: ClockSpread | None
    wakes: ClockSpread | None
    jet_lag: SocialJetLag | None
    on_target: int
    timed: int


def picture(
    nights: Sequence[Night],
    profile: SleepProfile,
    first: dt.date,
    last: dt.date,
    *,
    debt_nights: Sequence[float | None] = (),
    jet_lag_nights: Sequence[Night] = (),
) -> Picture:
    """The nights from ``first`` to ``last`` summed up; ``debt_nights`` are the 14 nights'
    hours for the debt (oldest first, ``None`` = no data), ``jet_lag_nights`` the longer
    run social jet lag needs (workdays and free days both)."""
    inside = [n for n in nights if first <= n.day <= last]
    effs = [e for n in inside if (e := efficiency_of(n)) is not None]
    timed = [n for n in inside if n.timed]
    work: list[float] = []
    free: list[float] = []
    for n in jet_lag_nights or inside:
        if n.onset_min is not None and n.offset_min is not None:
            mid = mid_sleep(n.onset_min, n.offset_min)
            (work if n.day.weekday() in profile.workdays else free).append(mid)
    on_target = sum(
        1
        for n in timed
        if (late := late_by(n, profile.bedtime_target)) is not None and late <= LATE_MINUTES
    )
    return Picture(
        nights=len(inside),
        average_sleep_h=sum(n.hours for n in inside) / len(inside) if inside else None,
        average_efficiency=sum(effs) / len(effs) if effs else None,
        debt=sleep_debt(debt_nights or [n.hours for n in inside], profile.need_hours),
        sri=regularity(inside, first, last),
        bedtimes=clock_spread(t for n in timed if (t := bed_time(n)) is not None),
        wakes=clock_spread(n.offset_min for n in timed if n.offset_min is not None),
        jet_lag=social_jet_lag(work, free),
        on_target=on_target,
        timed=len(timed),
    )
