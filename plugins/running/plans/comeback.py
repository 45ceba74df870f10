"""Where a plan starts: what the athlete actually did, the way back after a gap, and a new
athlete's own account of what they do now.

Conventions:

* **Recent load.** With training in the last six weeks, the plan starts from it: the
  weekly aerobic minutes (the best three of the last four weeks,
  :func:`momentum.plugins.running.plans.history.established_volume`) and the longest run of the last
  three weeks; the profile's weekly target is only a ceiling.
* **A gap** is the latest stretch of days without any activity within the last eight
  weeks, or the one still going on. The return follows the shape of Daniels' table for
  returning after a break (*Daniels' Running Formula*, 3rd ed., "Returning to training
  after a break": up to 5 days off needs nothing; up to four weeks, 50–75 % of the previous
  load; four to eight weeks, a third to a half, growing; longer, start over from a low
  base):

  ============ =========== ============================ ===================== ================
  gap (days)   stage       first week                   long run               no quality for
  ============ =========== ============================ ===================== ================
  6–9          short       75 % of the pre-gap volume   ≤ 75 % of the last     1 week
  10–27        reduced     60 %                         ≤ 60 %                 2 weeks
  28–59        rebuild     40 %                         ≤ 50 %, ≤ 60 min       4 weeks
  60+          walk_run    walk-run (below)             none                   until continuous
  ============ =========== ============================ ===================== ================

  In every stage the volume then grows by at most 10 % a week from the first week back,
  never from the pre-gap volume, and the long run is at most 30 % of the week while
  returning.
* **Walk-run** (months off, or a new athlete who runs nothing now): three sessions a week of
  run/walk intervals with five minutes of walking before and after, the run share growing
  week by week (1/2, 2/2, 3/2, 5/2, 8/2, 10/1, 15/1 minutes run/walk, then continuous),
  a lighter week every fourth, 60 minutes in the first week and at most 10 % more a week:
  the shape of the NHS Couch to 5K and of sports-medicine return-to-run progressions
  (walk-run intervals until 30 minutes of continuous running). No quality session until
  three weeks of continuous easy running follow.
* **A new athlete** (no activity in the history) starts from what they said at
  ``momentum init`` (:class:`~momentum.core.model.athlete.CurrentTraining`: weekly minutes,
  runs a week, longest recent run) while that is at most six weeks old: at least 60
  minutes a week in two or more runs, with a longest run of 20 minutes or more (or not
  said), starts there; less, or nothing said, starts with walk-run (the conservative default).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from momentum.core.model.athlete import AthleteProfile
from momentum.plugins.running.model.plan import PlannedSession, PlanWeek
from momentum.plugins.running.plans.dates import floor5, monday_of, week_days
from momentum.plugins.running.plans.history import History, established_volume
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.strength import build_workout
from momentum.plugins.running.profile import running_profile

GAP_LOOKBACK_DAYS = 56
DECLARED_FRESH_DAYS = 42
SHORT, REDUCED, REBUILD, WALK_RUN = "short", "reduced", "rebuild", "walk_run"
STAGES = {
    # stage: (minimum gap days, first-week share, long-run share of pre-gap, no-quality weeks)
    SHORT: (6, 0.75, 0.75, 1),
    REDUCED: (10, 0.60, 0.60, 2),
    REBUILD: (28, 0.40, 0.50, 4),
}
WALK_RUN_GAP = 60
REBUILD_LONG_CAP = 60
RETURN_LONG_SHARE = 0.30
"""Longest run as a share of the week while returning (Daniels: a long run of 25–30 % of the
week's running)."""
WALK_RUN_STEPS = ((1, 2), (2, 2), (3, 2), (5, 2), (8, 2), (10, 1), (15, 1))
"""(run, walk) minutes of each build week's walk-run sessions."""
WALK_RUN_SESSIONS = 3
EASY_WEEKS_AFTER_WALK_RUN = 3
MIN_DECLARED_WEEK = 60
MIN_DECLARED_RUNS = 2
MIN_DECLARED_LONG = 20
STRENGTH_MINUTES = 30
STRENGTH_FOCUS = "light, no jumping: tendons and muscles catch up with the running"


def stage_for(gap_days: int) -> str | None:
    """The return stage for a gap of ``gap_days`` (``None``: under six days, no change)."""
    if gap_days >= WALK_RUN_GAP:
        return WALK_RUN
    found = None
    for name, (minimum, *_rest) in STAGES.items():
        if gap_days >= minimum:
            found = name
    return found


@dataclass(frozen=True)
class Gap:
    """The latest gap: its first day off, its length, and the first day back (``None`` while
    it goes on)."""

    first_day_off: dt.date
    days: int
    back_on: dt.date | None


def latest_gap(history: History, today: dt.date, min_days: int = 6) -> Gap | None:
    """The gap still going on, or the latest one that ended within
    :data:`GAP_LOOKBACK_DAYS`; only gaps after some earlier activity count."""
    days = [d for d in history.active_days if d < today]
    if not days:
        return None
    since_last = (today - days[-1]).days - 1
    if since_last >= min_days:
        return Gap(days[-1] + dt.timedelta(days=1), since_last, None)
    window = today - dt.timedelta(days=GAP_LOOKBACK_DAYS)
    for earlier, later in zip(reversed(days[:-1]), reversed(days[1:]), strict=True):
        if later < window:
            break
        gap = (later - earlier).days - 1
        if gap >= min_days:
            return Gap(earlier + dt.timedelta(days=1), gap, later)
    return None


@dataclass(frozen=True)
class Start:
    """Where the first planned week starts from (see module doc)."""

    stage: str | None
    """``None`` (continuous training), ``short``, ``reduced``, ``rebuild`` or ``walk_run``."""
    baseline: float
    """Weekly aerobic minutes the first week ramps from."""
    longest: float
    """The long run the first week builds on (0: none)."""
    first_week: float | None = None
    """A cap on the first week's minutes (returning)."""
    no_quality_weeks: int = 0
    walk_run_week: int | None = None
    """Index of the walk-run week to lay out first (``walk_run`` only)."""
    why: str = ""
    """One sentence the coach can say about it."""


def _weeks_between(first: dt.date, later: dt.date) -> int:
    """Whole weeks from ``first`` to ``later`` (a run on the Sunday before is week 0)."""
    return max(0, (later - first).days // 7)


def starting_point(athlete: AthleteProfile, history: History, today: dt.date) -> Start:
    """Where the plan for ``today``'s week starts (see module doc)."""
    monday = monday_of(today)
    if not history.has_data:
        return _declared_start(athlete, today)
    established = established_volume(history, monday) or 0.0
    gap = latest_gap(history, monday) or _gap_before_history(athlete, history, monday)
    longest = history.longest_run(monday - dt.timedelta(days=21), monday)
    if gap is None:
        return Start(None, established, longest)
    stage = stage_for(gap.days)
    before = established_volume(history, gap.first_day_off) or 0.0
    pre_long = history.longest_run(gap.first_day_off - dt.timedelta(days=21), gap.first_day_off)
    weeks_back = _weeks_between(gap.back_on, monday) if gap.back_on else 0
    if stage == WALK_RUN:
        return Start(
            WALK_RUN,
            established if gap.back_on else 0.0,
            0.0,
            walk_run_week=weeks_back - weeks_back // 4,
            why=f"{gap.days} days off: back with walk-run, continuous running comes first",
        )
    assert stage is not None
    _, share, long_share, quiet = STAGES[stage]
    first = before * share
    long_cap = pre_long * long_share
    if stage == REBUILD:
        long_cap = min(long_cap, REBUILD_LONG_CAP)
    if weeks_back > 0:  # already back: ramp from what was done since, never from before
        return Start(
            stage,
            max(established, first),
            max(longest, long_cap),
            no_quality_weeks=max(0, quiet - weeks_back),
            why=f"{gap.days} days off: week {weeks_back + 1} of the way back",
        )
    return Start(
        stage,
        first,
        max(long_cap, history.longest_run(gap.first_day_off, monday)),
        first_week=first,
        no_quality_weeks=quiet,
        why=f"{gap.days} days off: the first week back is {share:.0%} of the volume before",
    )


def _gap_before_history(athlete: AthleteProfile, history: History, monday: dt.date) -> Gap | None:
    """A long gap before the first activity on record: the profile is older than that first
    activity by :data:`WALK_RUN_GAP` days or more and the return began within
    :data:`GAP_LOOKBACK_DAYS` (the history loaded does not reach back to the last run)."""
    days = [d for d in history.active_days if d < monday]
    if not days or athlete.created is None:
        return None
    first = days[0]
    created = athlete.created.date()
    if (first - created).days < WALK_RUN_GAP or (monday - first).days > GAP_LOOKBACK_DAYS:
        return None
    return Gap(created, (first - created).days, first)


def continue_walk_run(lived: list[PlanWeek]) -> tuple[int | None, int]:
    """From the plan weeks already lived: the walk-run build week to lay out next
    (``None``: not in walk-run) and the weeks still without quality after it."""
    trailing: list[PlanWeek] = []
    for week in reversed(lived):
        if not is_walk_run_week(week):
            break
        trailing.append(week)
    if trailing:
        built = sum(1 for w in trailing if not w.is_recovery)
        if walk_run_step(built) is None:
            return None, EASY_WEEKS_AFTER_WALK_RUN
        return built, 0
    for back, week in enumerate(reversed(lived)):
        if is_walk_run_week(week):
            return None, max(0, EASY_WEEKS_AFTER_WALK_RUN - back)
    return None, 0


def _declared_start(athlete: AthleteProfile, today: dt.date) -> Start:
    said = running_profile(athlete).current_training
    fresh = said is not None and (today - said.as_of).days <= DECLARED_FRESH_DAYS
    if (
        said is not None
        and fresh
        and said.weekly_minutes >= MIN_DECLARED_WEEK
        and said.runs_per_week >= MIN_DECLARED_RUNS
        and (said.longest_run_minutes == 0 or said.longest_run_minutes >= MIN_DECLARED_LONG)
    ):
        return Start(
            None,
            float(said.weekly_minutes),
            float(said.longest_run_minutes),
            why=f"starting from the {said.weekly_minutes} minutes a week you run now",
        )
    why = (
        "starting with walk-run: you said you run little or nothing now"
        if said is not None and fresh
        else "no recent training on record: starting gently with walk-run"
    )
    return Start(WALK_RUN, 0.0, 0.0, walk_run_week=0, why=why)


def walk_run_step(build_week: int) -> tuple[int, int] | None:
    """(run, walk) minutes for the ``build_week``-th walk-run build week (0-based);
    ``None`` once running is continuous."""
    return WALK_RUN_STEPS[build_week] if build_week < len(WALK_RUN_STEPS) else None


def _run_days(athlete: AthleteProfile, monday: dt.date, count: int) -> list[dt.date]:
    """``count`` days of the week, preferred and available ones first, spread apart."""
    blocked = {int(w) for w in athlete.unavailable_days}
    days = [d for d in week_days(monday) if d.weekday() not in blocked]
    preferred = [d for d in days if d.weekday() in {int(w) for w in athlete.preferred_days}]
    pool = preferred if len(preferred) >= count else days
    chosen: list[dt.date] = []
    for d in pool:  # greedy: no two days in a row when avoidable
        if all(abs((d - c).days) > 1 for c in chosen):
            chosen.append(d)
    for d in pool:
        if len(chosen) >= count:
            break
        if d not in chosen:
            chosen.append(d)
    return sorted(chosen[:count])


def walk_run_sessions(
    athlete: AthleteProfile,
    monday: dt.date,
    target: int,
    step: tuple[int, int],
    it: Intensities,
    first_day: dt.date | None = None,
    *,
    strength: str | None = None,
    injured: frozenset[str] = frozenset(),
) -> tuple[PlannedSession, ...]:
    """A walk-run week: :data:`WALK_RUN_SESSIONS` sessions sharing ``target`` minutes (in
    5-minute steps, at least 15 each), one short ``strength`` session (a level, e.g.
    ``light``; ``None`` for none) on a free day sparing ``injured`` areas, rest on the other
    days."""
    from momentum.plugins.running.plans import sessions as make

    days = [
        d
        for d in _run_days(athlete, monday, WALK_RUN_SESSIONS)
        if first_day is None or d >= first_day
    ]
    out: list[PlannedSession] = []
    if days:
        each = max(15, floor5(target / len(days)))
        extra = max(0, floor5(target) - each * len(days))
        for index, day in enumerate(days):
            minutes = each + (5 if index < extra // 5 else 0)
            out.append(make.walk_run(day, minutes, step, it))
    taken = {s.date for s in out}
    if strength is not None:
        blocked = {int(w) for w in athlete.unavailable_days}
        free = [
            d
            for d in week_days(monday)
            if d not in taken
            and d.weekday() not in blocked
            and (first_day is None or d >= first_day)
        ]
        if free:
            workout = build_workout(strength, athlete.equipment, injured, minutes=STRENGTH_MINUTES)
            out.append(make.strength(free[0], STRENGTH_MINUTES, workout, STRENGTH_FOCUS))
            taken.add(free[0])
    out += [make.rest(d) for d in week_days(monday) if d not in taken]
    return tuple(sorted(out, key=lambda s: s.date))


def is_walk_run_week(week: PlanWeek) -> bool:
    """True when the week is made of walk-run sessions."""
    return any(s.title.lower().startswith("walk-run") for s in week.sessions)
