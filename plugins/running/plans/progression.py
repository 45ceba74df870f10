"""Week-to-week volume: the 10 % rule, down weeks, the long-run step and the taper.

Conventions:

* Weekly aerobic volume grows by at most 10 % over the last full (non-recovery) week
  (the widely used "10 % rule"; Daniels and Pfitzinger both hold volume for 3–4 weeks before
  raising it). Below a 60-minute floor the rule is not applied: 10 % of nothing is nothing.
* Every 4th week is a down week (3:1 loading; a lighter week every third or fourth week),
  earlier when form (TSB) says the athlete is deep in fatigue. A down week is 75 % of the
  preceding build week *as planned* (common 3:1 loading practice: a step-back week cuts
  roughly 20–30 % of the build week's volume; Friel and Pfitzinger both schedule one every
  3–4 weeks), capped by the 10 % rule over the volume the athlete has established, and
  never below the Minimum Viable Week (:func:`momentum.plugins.running.plans.mvw.aerobic_floor`)
  while the
  build week is above it and the established volume is within one 10 % step of it (an
  athlete who could run the MVW next week under the 10 % rule): the MVW is the floor a busy
  week keeps, so a planned lighter week keeps it too; this may leave a build week barely
  above the MVW only a little lighter. The cut comes from the long run (no longer than
  recent long runs, at most 40 % of the week) and the optional extra runs, not from the
  easy runs. The return-from-a-break cap below still wins over the floor.
* The long run is at most 40 % of the week's aerobic minutes (30 % while returning from a
  gap or starting out: :mod:`momentum.plugins.running.plans.comeback`) (the talk's 120 of 300; 50 %
  in
  the build and sharpening blocks for races beyond the half), at most 15 minutes longer
  than the longest run of the last three weeks, and capped by race distance (90 min to 10K,
  2 h to the half, 3 h beyond; the talk's "treadmill LRs to 3h").
* The taper averages 60 % of the peak week (:mod:`momentum.plugins.running.plans.macrocycle`).
* Returning from a break of 6+ days the first week is 75 % of the pre-break volume after up
  to 10 days off, 60 % after up to 4 weeks, 50 % beyond, with no quality work for a week or
  two (in the spirit of Daniels' return-to-training table: 50–75 % of previous load).
  That cap holds in the taper too: a taper week is a share of the peak and never above the
  last full week, but after a break both are from before it, and the first week back must
  stay within 10 % of what the athlete has actually done (or 60 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from momentum.plugins.running.plans.dates import floor5
from momentum.plugins.running.plans.macrocycle import BASE, BUILD, MOMENTUM, RESET, SHARPEN, TAPER

RAMP = 1.10
DOWN_WEEK = 0.75
DOWN_EVERY = 4
MIN_WEEK = 60
LONG_SHARE = 0.40
LONG_SHARE_LONG_RACE = 0.50
"""Beyond the half marathon, in the build and sharpening blocks the long run may reach half
the week: low-volume runners preparing a long race need the time on feet (Pfitzinger's
lower-mileage marathon schedules run long runs near half the weekly volume)."""
RETURN_LONG_SHARE = 0.30
"""While returning from a gap, the long run is at most 30 % of the week (Daniels: long runs
of 25–30 % of the week's running)."""
LONG_STEP = 15
MIN_LONG = 30
TSB_DOWN = -30.0
"""Form below this (TrainingPeaks' "high risk" zone) brings the down week forward."""
HARD_COUNT = {RESET: 0, BASE: 0, BUILD: 1, SHARPEN: 2, TAPER: 1, MOMENTUM: 1}


def taper_factors(weeks: int) -> tuple[float, ...]:
    """Share of peak volume for each taper week; they average 60 %."""
    if weeks <= 1:
        return (0.6,)
    if weeks == 2:
        return (0.7, 0.5)
    return (0.8,) * (weeks - 3) + (0.8, 0.6, 0.4)


def long_cap_for_distance(distance_m: float | None) -> int:
    """Longest long run for the goal distance (no race: 2 h)."""
    if distance_m is None:
        return 120
    if distance_m <= 10_500:
        return 90
    if distance_m <= 21_200:
        return 120
    return 180


def return_factor(days_off: int) -> float:
    """First week back as a share of pre-break volume (see module doc)."""
    if days_off <= 5:
        return 1.0
    if days_off <= 10:
        return 0.75
    if days_off <= 28:
        return 0.6
    return 0.5


def return_weeks(days_off: int) -> int:
    """Weeks without quality work after a break."""
    return 0 if days_off <= 5 else 1 if days_off <= 10 else 2


@dataclass
class Progress:
    """What the next week's numbers depend on; updated after each week is laid out."""

    last_full: float
    """Aerobic minutes of the last full (non-recovery, non-taper) week, or the baseline."""
    full_weeks_since_down: int = 0
    recent_longs: list[float] = field(default_factory=list)
    """Longest run of each of the last three weeks (0 when unknown)."""
    peak: float = 0.0
    prev_sunday_hard: bool = False
    return_first: float | None = None
    """Target for the first week back from a break."""
    no_quality_weeks: int = 0
    force_down: bool = False
    last_build: float | None = None
    """Planned aerobic minutes of the preceding build week, when ``last_full`` was measured
    from what the athlete did instead (a weekly refresh); down weeks are sized from it."""
    walk_run: int | None = None
    """The walk-run build week to lay out next (:mod:`momentum.plugins.running.plans.comeback`), or
    ``None`` when running is continuous."""
    returning: bool = False
    """Coming back from a gap (or a beginner): the long run stays within 30 % of the week."""

    def copy(self) -> Progress:
        """An independent copy (lists are not shared)."""
        return replace(self, recent_longs=list(self.recent_longs))


@dataclass(frozen=True)
class WeekNumbers:
    """Target aerobic minutes and long run for one week."""

    target: int
    long_minutes: int
    is_recovery: bool
    hard_count: int
    holds_mvw: bool = False
    """The week can hold the Minimum Viable Week (its volume is at least the MVW floor and
    the athlete is not returning from a break): easy runs keep the MVW minimum."""


def down_week_target(progress: Progress, floor: int = 0) -> float:
    """Aerobic minutes of a down week (see module doc): 75 % of the preceding build week as
    planned; at least the MVW ``floor`` when that build week is above it and the floor is
    within one 10 % step of the established volume; within the 10 % rule over established
    volume; never above the first week back from a break."""
    reference = progress.last_build if progress.last_build is not None else progress.last_full
    target = DOWN_WEEK * reference
    within_reach = RAMP * progress.last_full >= floor
    if progress.return_first is None and 0 < floor < reference and within_reach:
        target = max(target, floor)
    target = min(target, max(RAMP * progress.last_full, MIN_WEEK))
    if progress.return_first is not None:
        target = min(target, progress.return_first)
    return target


def week_numbers(
    progress: Progress,
    phase_kind: str,
    weekly_target: int,
    volume_factor: float,
    distance_m: float | None,
    taper_share: float | None,
    recovery_hint: bool | None = None,
    floor: int = 0,
) -> WeekNumbers:
    """Volume, long run and number of quality sessions for the next week.

    ``recovery_hint`` keeps an existing plan's rhythm: ``True``/``False`` says whether this
    week was already planned as a down week (fatigue can still bring one forward).
    ``floor`` is the Minimum Viable Week's aerobic minutes (0: no floor).
    """
    hard_count = HARD_COUNT.get(phase_kind, 0)
    recovery = False
    if phase_kind == TAPER and taper_share is not None:
        target = min(progress.peak * taper_share, progress.last_full)
        if progress.return_first is not None:
            # Back from a break in the taper: ``last_full`` and ``peak`` are from before the
            # break, the first week back is capped like any other (10 % over what was done).
            target = min(target, progress.return_first)
    elif (
        progress.force_down
        or recovery_hint is True
        or (recovery_hint is None and progress.full_weeks_since_down >= DOWN_EVERY - 1)
    ):
        recovery = True
        target = down_week_target(progress, floor)
        hard_count = min(hard_count, 1)
    else:
        allowed = max(RAMP * progress.last_full, MIN_WEEK)
        target = min(weekly_target * volume_factor, allowed)
        if progress.return_first is not None:
            target = min(target, progress.return_first)
    if progress.no_quality_weeks > 0:
        hard_count = 0
    target_minutes = floor5(max(0.0, target))
    share = LONG_SHARE
    if (
        not recovery
        and distance_m is not None
        and distance_m > 21_200
        and phase_kind in (BUILD, SHARPEN)
    ):
        share = LONG_SHARE_LONG_RACE
    if progress.returning or progress.no_quality_weeks > 0:
        share = min(share, RETURN_LONG_SHARE)
    long_minutes = floor5(min(share * target_minutes, long_cap_for_distance(distance_m)))
    known = [m for m in progress.recent_longs if m > 0]
    if known:
        cap = floor5(max(known) + LONG_STEP)
        if recovery:  # a down week trims the long run, it never grows it
            cap = min(cap, max(MIN_LONG, floor5(max(known))))
        long_minutes = min(long_minutes, cap)
    if long_minutes < MIN_LONG:
        long_minutes = 0
    holds = (
        0 < floor <= target_minutes
        and progress.return_first is None
        and progress.no_quality_weeks == 0
    )
    return WeekNumbers(target_minutes, long_minutes, recovery, hard_count, holds)


def advance(
    progress: Progress,
    numbers: WeekNumbers,
    phase_kind: str,
    aerobic: float,
    longest: float,
    sunday_hard: bool,
) -> Progress:
    """The progress after a week with ``aerobic`` minutes and a ``longest`` run was planned."""
    nxt = progress.copy()
    if numbers.is_recovery:
        nxt.full_weeks_since_down = 0
        nxt.force_down = False
    elif phase_kind != TAPER:
        nxt.last_full = aerobic
        nxt.last_build = None
        nxt.full_weeks_since_down += 1
        nxt.peak = max(nxt.peak, aerobic)
    nxt.recent_longs = ([*nxt.recent_longs, longest])[-3:]
    nxt.prev_sunday_hard = sunday_hard
    nxt.return_first = None
    nxt.returning = nxt.walk_run is not None or nxt.no_quality_weeks > 1
    nxt.no_quality_weeks = max(0, nxt.no_quality_weeks - 1)
    return nxt
