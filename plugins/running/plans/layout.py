"""Lay out one week: which day gets the long run, the quality work, easy runs and strength.

Coaching conventions this follows:

* The long run goes on the athlete's long-run day, or the nearest available day.
* Hard days are never stacked: no quality session on the day after the long run, the day
  before it, or next to another quality session (Bowerman's hard/easy principle).
* At least one day a week without running.
* Easy runs fill the athlete's preferred days first. Each Minimum Viable Week run gets its
  floor before anything else; runs beyond the MVW are short optional Z1 runs, the first on the
  day before the long run (the talk's "Fri – 30min Z1 Lunch Run (optional)"); what remains
  lengthens one run at a time, farthest from the long run first. The easy run the day after
  the long run is a recovery run. When the week's volume can hold the MVW (not a beginner's
  volume, not a return from a break) no easy run goes below the MVW minimum: the optional
  extras are dropped first, and when quality work or a long long run leaves too little for
  every MVW run, the week has fewer easy runs at the minimum (the quality session is one of
  the week's runs) rather than more short ones.
* Strength goes on a non-running day when there is one, as far before the next long run as
  possible; never on the long-run day unless the athlete asked for it; never on the long-run
  day or the day before when memory holds the DOMS lesson.
* No week plans more aerobic minutes than it was allowed, and hard minutes stay within 20 %
  of the week's aerobic minutes (80/20; Seiler 2010) except in the week holding the race.
* With a lower-limb injury there is no quality running, and every other easy run becomes
  low-impact cross-training (common return-to-run practice: keep the aerobic work, cut the
  impact).
* Race week (the plan week holding most of the seven days before the race: the week before
  a Monday–Thursday race, :func:`momentum.plugins.running.plans.dates.race_week_start`) and the
  race's own
  week:
  no long run. The race's last seven days hold one short sharpener and no other quality
  (:mod:`momentum.plugins.running.plans.racing`): it goes three to six days out, as close to four as
  the
  athlete's days allow, in the race-week plan week; a Monday–Thursday race's own week gets
  none, and the week before a Friday–Sunday race keeps its quality out of those seven days.
  Around the race, across the week boundary too: quality sessions and strength at least
  three days out, rest two days before, an optional short shakeout (or rest) the day before,
  no long run in the last four days (a week whose long-run day falls there has none), and
  nothing after the race.
* After a race (the goal race or a race result), no quality session for one day per mile
  raced, capped at two weeks (:func:`momentum.plugins.running.plans.racing.recovery_days`).
* The day after a hard day (last week's Sunday race or quality session) is no long-run day:
  a week whose long run would land there has none rather than stacking the two.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from momentum.core.model.athlete import AthleteProfile, Equipment
from momentum.plugins.running.model.plan import MinimumViableWeek, PlannedSession, SessionKind
from momentum.plugins.running.plans import sessions as make
from momentum.plugins.running.plans.dates import (
    ONE_DAY,
    floor5,
    race_week_start,
    week_days,
    weekday_gap,
)
from momentum.plugins.running.plans.injuries import affects_running
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.racing import SHARPENER_IDEAL, SHARPENER_LATEST, in_race_week
from momentum.plugins.running.plans.rules import Rules
from momentum.plugins.running.plans.strength import build_workout, minutes_for
from momentum.plugins.running.profile import GoalRace, running_profile

MAX_RUN_DAYS = 6
EASY_CAP = 75
MIN_EASY = 20
OPTIONAL_MINUTES = 30
HARD_SHARE = 0.20
SHAKEOUT = 20
RACE_WEEK_CAP = 40
RECOVERY_MAX = 45
"""Longer runs the day after the long run are ordinary easy runs, not recovery jogs."""
HARD_CLEARANCE = 3
"""Days a quality session (the race-week sharpener included) stays ahead of the race."""
STRENGTH_CLEARANCE = 3
"""Days a strength session stays ahead of the race."""
REST_BEFORE_RACE = 2
"""The day this many days before the race is a rest day."""
LONG_CLEARANCE = 5
"""A long run is at least this many days before the race ("well before" it); a week whose
long-run day falls closer has none rather than moving it. Race weeks have none anyway, so
the last long run of a fresh plan is at least five days out (a Sunday run before a Friday
race) and usually a week or more."""
NO_RACE = 10_000


SESSION_ORDER = {
    kind: i
    for i, kind in enumerate(
        (
            SessionKind.RACE,
            SessionKind.LONG,
            SessionKind.INTERVALS,
            SessionKind.TEMPO,
            SessionKind.EASY,
            SessionKind.CROSS,
            SessionKind.STRENGTH,
            SessionKind.REST,
        )
    )
}
"""How sessions sharing a day are listed: the key session first, rest last."""


def by_day(sessions: Iterable[PlannedSession]) -> tuple[PlannedSession, ...]:
    """``sessions`` in date order, same-day sessions in :data:`SESSION_ORDER`."""
    return tuple(sorted(sessions, key=lambda s: (s.date, SESSION_ORDER[s.kind])))


@dataclass(frozen=True)
class WeekSpec:
    """The numbers decided for a week before it is laid out on days."""

    start: dt.date
    target: int
    """Aerobic minutes allowed (runs and cross-training, race excluded)."""
    long_minutes: int
    hard: tuple[tuple[str, int], ...] = ()
    """Quality sessions wanted: (intensity, minutes)."""
    strength_level: str | None = None
    is_recovery: bool = False
    race: GoalRace | None = None
    """The goal race when it falls this week or next: the race is laid out in its own week,
    and the days before it keep the race's rules across the week boundary."""
    race_minutes: int = 0
    race_pace: tuple[float, float] | None = None
    prev_day_hard: bool = False
    """The previous week's Sunday was a long run or quality day."""
    trail: bool = False
    holds_mvw: bool = False
    """The week's volume can hold the Minimum Viable Week (not a return from a break):
    easy runs keep the MVW minimum, dropping optional extras first."""
    no_quality: frozenset[dt.date] = frozenset()
    """Days inside a race's recovery window: no quality session there."""


def long_run_day(available: list[dt.date], preferred_weekday: int) -> dt.date | None:
    """The athlete's long-run day, else the nearest available day (weekend, then later)."""
    if not available:
        return None
    return min(
        available,
        key=lambda d: (weekday_gap(d.weekday(), preferred_weekday), d.weekday() < 5, -d.weekday()),
    )


def _adjacent(a: dt.date, b: dt.date) -> bool:
    return abs((a - b).days) == 1


def _pick_hard_days(
    spec: WeekSpec,
    candidates: list[dt.date],
    long_day: dt.date | None,
    preferred: set[int],
    count: int,
    race_date: dt.date | None = None,
) -> list[dt.date]:
    """Quality days: the athlete's preferred days, midweek first; a race-week sharpener
    (``race_date`` given) as close to :data:`~momentum.plugins.running.plans.racing.SHARPENER_IDEAL`
    days out
    as it can be."""
    chosen: list[dt.date] = []

    def rank(d: dt.date) -> tuple[int, ...]:
        if race_date is not None:
            gap = (race_date - d).days
            return (abs(gap - SHARPENER_IDEAL), 0 if d.weekday() in preferred else 1, -gap)
        return (
            0 if d.weekday() in preferred else 1,
            0 if 1 <= d.weekday() <= 3 else 1,
            d.weekday(),
        )

    for day in sorted(candidates, key=rank):
        if len(chosen) >= count:
            break
        if long_day is not None and (
            day == long_day or weekday_gap(day.weekday(), long_day.weekday()) == 1
        ):
            continue  # cyclic: the day before next week's long run counts too
        if any(_adjacent(day, c) for c in chosen):
            continue
        if spec.prev_day_hard and day.weekday() == 0:
            continue
        chosen.append(day)
    return sorted(chosen)


def _spread(fixed: list[dt.date], candidates: list[dt.date], count: int) -> list[dt.date]:
    """Pick ``count`` days from ``candidates`` spreading runs across the week."""
    chosen: list[dt.date] = []
    pool = list(candidates)
    while pool and len(chosen) < count:
        taken = fixed + chosen

        def score(d: dt.date, taken: list[dt.date] = taken) -> tuple[int, int]:
            gap = min((weekday_gap(d.weekday(), t.weekday()) for t in taken), default=7)
            return (-gap, d.weekday())

        best = min(pool, key=score)
        chosen.append(best)
        pool.remove(best)
    return sorted(chosen)


def easy_cap(long_minutes: int) -> int:
    """Longest easy run of a week: 75 minutes, and never longer than its long run."""
    return EASY_CAP if long_minutes == 0 else max(MIN_EASY, min(EASY_CAP, long_minutes))


def _easy_minutes(
    total: int,
    days: list[dt.date],
    long_day: dt.date | None,
    long_minutes: int,
    mvw: MinimumViableWeek,
    race_day: dt.date | None,
    holds_mvw: bool = False,
) -> dict[dt.date, tuple[int, bool]]:
    """Minutes (and optional flag) for each easy day; sums to at most ``total``.

    The MVW runs get the MVW minimum first, then optional extras, then longer MVW runs.
    With ``holds_mvw`` no MVW run goes below its minimum: extras only get what is left, and
    a pool too small for every MVW run (quality work or the long run took its share; the
    quality session is a run of the week too) makes fewer runs at the minimum, not more
    short ones. Otherwise (a beginner's volume, a return from a break) a pool short of the
    MVW is split evenly over the days, at least 25 minutes a run."""
    if not days or total < MIN_EASY:
        return {}
    anchor = long_day or race_day

    def distance(d: dt.date) -> int:
        return weekday_gap(d.weekday(), anchor.weekday()) if anchor else 3

    cap = RACE_WEEK_CAP if race_day is not None else easy_cap(long_minutes)
    e_min, e_max = mvw.easy_minutes
    days = list(days)
    core_count = min(mvw.easy_runs, len(days))
    if holds_mvw:
        core_count = max(1, min(core_count, total // min(e_min, cap)))
    # Extras beyond the MVW: the day before the long run first, then the closest to it.
    by_extra = sorted(
        days,
        key=lambda d: (
            0 if anchor is not None and (anchor - d).days == 1 else 1,
            distance(d),
            -d.weekday(),
        ),
    )
    extras = by_extra[: len(days) - core_count]
    core = [d for d in days if d not in extras]
    out: dict[dt.date, tuple[int, bool]] = {}
    floor_sum = core_count * (min(e_min, cap) if holds_mvw else e_min)
    margin = MIN_EASY if extras and not holds_mvw else 0
    if core and total >= floor_sum + margin:
        for d in core:
            out[d] = (min(e_min, cap), False)
        left = total - sum(m for m, _ in out.values())
        for d in extras:
            give = floor5(min(OPTIONAL_MINUTES, left))
            if give >= MIN_EASY:
                out[d] = (give, True)
                left -= give
        order = sorted(core, key=lambda d: (-distance(d), d.weekday()))
        for limit in (min(e_max, cap), cap):
            for d in order:
                minutes, flag = out[d]
                add = floor5(min(left, max(0, limit - minutes)))
                if add > 0:
                    out[d] = (minutes + add, flag)
                    left -= add
        for d in extras:  # every MVW run at the cap: the extras take what is left
            minutes = out.get(d, (0, True))[0]
            add = floor5(min(left, cap - minutes))
            if add > 0 and minutes + add >= MIN_EASY:
                out[d] = (minutes + add, True)
                left -= add
        return out
    runs = len(days)
    while runs > 1 and total / runs < 25:
        runs -= 1
    while runs < len(days) and total / runs > cap and total / (runs + 1) >= MIN_EASY:
        runs += 1  # runs no longer than the long run: spread over one more day
    picked = sorted(days, key=lambda d: (-distance(d), d.weekday()))[:runs]
    each = min(cap, floor5(total / runs))
    if each < MIN_EASY:
        return {}
    out = {d: (each, False) for d in picked}
    left = total - each * runs
    for d in sorted(picked, key=lambda d: (-distance(d), d.weekday())):
        add = floor5(min(left, cap - out[d][0]))
        if add > 0:
            out[d] = (out[d][0] + add, False)
            left -= add
    return out


def _strength_day(
    available: list[dt.date],
    run_days: set[dt.date],
    hard_days: set[dt.date],
    long_weekday: int,
    rules: Rules,
    race_day: dt.date | None,
) -> dt.date | None:
    def allowed(d: dt.date) -> bool:
        until_long = (long_weekday - d.weekday()) % 7
        if until_long == 0 and not rules.strength_allowed_on_long_run_day:
            return False
        if rules.separate_strength_long_run and until_long in (0, 1):
            return False
        return not (race_day is not None and (race_day - d).days < STRENGTH_CLEARANCE)

    def score(d: dt.date) -> float:
        until_long = (long_weekday - d.weekday()) % 7
        after_long = (d.weekday() - long_weekday) % 7 == 1
        value = 10.0 if d not in run_days else (0.0 if d in hard_days else 4.0)
        value -= 4.0 if until_long == 1 else 0.0
        value -= 2.0 if after_long else 0.0
        value -= 3.0 if (d + ONE_DAY) in hard_days else 0.0
        value += 0.5 * min(until_long if until_long else 7, 4)
        return value - 0.01 * d.weekday()

    options = [d for d in available if allowed(d)]
    return max(options, key=score) if options else None


def lay_out(
    spec: WeekSpec,
    athlete: AthleteProfile,
    rules: Rules,
    mvw: MinimumViableWeek,
    it: Intensities,
) -> tuple[PlannedSession, ...]:
    """The week's sessions, one or more per day, a rest session on days without any."""
    days = week_days(spec.start)
    blocked = {int(w) for w in athlete.unavailable_days}
    race_date = spec.race.date if spec.race is not None else None
    race_day = race_date if race_date is not None and days[0] <= race_date <= days[-1] else None
    race_week = race_day is not None or (
        race_date is not None and race_week_start(race_date) == spec.start
    )

    def to_race(d: dt.date) -> int:
        """Days from ``d`` to the race (a race next week counts too)."""
        return (race_date - d).days if race_date is not None else NO_RACE

    available = [d for d in days if d.weekday() not in blocked and to_race(d) > 0]
    preferred = {int(w) for w in athlete.preferred_days}
    injured_running = affects_running(rules.injured_areas)
    treadmill = Equipment.TREADMILL in athlete.equipment
    out: list[PlannedSession] = []

    long_day = (
        long_run_day(available, int(running_profile(athlete).long_run_day))
        if spec.long_minutes
        else None
    )
    if long_day is not None and (
        to_race(long_day) < LONG_CLEARANCE or (spec.prev_day_hard and long_day == days[0])
    ):
        long_day = None  # too close to the race, or the day after a hard day: no long run
    long_minutes = spec.long_minutes if long_day is not None else 0
    if long_day is not None:
        out.append(make.long_run(long_day, long_minutes, it, trail=spec.trail, treadmill=treadmill))

    wanted = [] if injured_running else list(spec.hard)
    sharpening = any(intensity == "sharpener" for intensity, _ in wanted)
    hard_candidates = [
        d
        for d in available
        if d != long_day
        and to_race(d) >= HARD_CLEARANCE
        and d not in spec.no_quality
        # the race's last seven days hold the sharpener and no other quality
        and (
            to_race(d) <= SHARPENER_LATEST
            if sharpening
            else race_date is None or not in_race_week(race_date, d)
        )
    ]
    hard_days = _pick_hard_days(
        spec,
        hard_candidates,
        long_day,
        preferred,
        len(wanted),
        race_date if sharpening else None,
    )
    hard_sessions = [
        make.hard(day, minutes, intensity, it, race_pace=spec.race_pace)
        for day, (intensity, minutes) in zip(hard_days, wanted, strict=False)
    ]
    out.extend(hard_sessions)
    hard_total = sum(s.minutes for s in hard_sessions)

    easy_total = spec.target - long_minutes - hard_total
    fixed = [d for d in (long_day, *hard_days) if d is not None]
    pool = [d for d in available if d not in fixed]
    pool = [d for d in pool if to_race(d) != REST_BEFORE_RACE]
    slots = max(0, MAX_RUN_DAYS - len(fixed))
    pref_pool = [d for d in pool if d.weekday() in preferred]
    other_pool = [d for d in pool if d.weekday() not in preferred]
    count = min(len(pref_pool), slots)
    per_run_cap = RACE_WEEK_CAP if race_week else easy_cap(long_minutes)
    while count < min(len(pool), slots) and (
        (count == 0 and easy_total >= MIN_EASY) or easy_total / max(count, 1) > per_run_cap
    ):
        count += 1  # no preferred day left still means one easy run, not none
    easy_days = _spread(fixed, pref_pool, min(count, len(pref_pool)))
    if count > len(easy_days):
        easy_days = sorted(
            easy_days + _spread(fixed + easy_days, other_pool, count - len(easy_days))
        )
    shake = race_date - ONE_DAY if race_date is not None else None
    easy_days = [d for d in easy_days if d != shake]
    minutes = _easy_minutes(
        easy_total,
        easy_days,
        long_day,
        long_minutes,
        mvw,
        race_date if race_week else None,
        spec.holds_mvw,
    )
    if shake is not None and shake in available:
        spent = sum(m for m, _ in minutes.values())
        if spec.target - long_minutes - hard_total - spent >= SHAKEOUT:
            minutes[shake] = (SHAKEOUT, True)
    crossed = 0
    for day in sorted(minutes):
        length, optional = minutes[day]
        after_long = long_day is not None and (day - long_day).days == 1 and length <= RECOVERY_MAX
        if injured_running and crossed * 2 < len(minutes) and not optional:
            out.append(make.cross(day, length, it, "less impact while the injury settles"))
            crossed += 1
            continue
        note = "shake out the legs with 4 short strides" if day == shake else ""
        out.append(make.easy(day, length, it, optional=optional, recovery=after_long, note=note))

    if race_day is not None and spec.race is not None:
        out.append(make.race(race_day, spec.race, it, spec.race_minutes, spec.race_pace))

    _enforce_80_20(out, it)

    if spec.strength_level is not None and not rules.no_strength:
        run_days = {s.date for s in out if s.kind.is_run or s.kind is SessionKind.CROSS}
        hard_set = {s.date for s in out if s.kind.is_hard}
        long_weekday = (
            long_day.weekday() if long_day else int(running_profile(athlete).long_run_day)
        )
        gym_day = _strength_day(available, run_days, hard_set, long_weekday, rules, race_date)
        if gym_day is not None:
            level = spec.strength_level
            workout = build_workout(
                level, athlete.equipment, rules.injured_areas, recovery=spec.is_recovery
            )
            why = (
                "hip and ankle stability for technical trails"
                if spec.trail
                else "durability for the late miles"
            )
            out.append(make.strength(gym_day, minutes_for(level), workout, why))

    used = {s.date for s in out}
    for day in days:
        if day in used:
            continue
        if race_day is not None and day > race_day:
            out.append(make.rest(day, "Recover from the race: walk, stretch, celebrate."))
        elif day.weekday() in blocked:
            out.append(make.rest(day, "Rest: you're unavailable today."))
        else:
            out.append(make.rest(day))
    return by_day(out)


def _enforce_80_20(out: list[PlannedSession], it: Intensities) -> None:
    """Turn quality sessions into easy runs until hard minutes are within 20 % of aerobic
    minutes (the week holding the race is exempt: the race is the point)."""
    if any(s.kind is SessionKind.RACE for s in out):
        return
    while True:
        aerobic = sum(s.minutes for s in out if s.kind.is_run or s.kind is SessionKind.CROSS)
        hard = [s for s in out if s.kind.is_hard]
        if not hard or sum(s.minutes for s in hard) <= HARD_SHARE * aerobic:
            return
        last = hard[-1]
        out.remove(last)
        out.append(
            make.easy(
                last.date, last.minutes, it, note="quality swapped for easy to keep the week 80/20"
            )
        )
