"""Build a plan: macrocycle, Minimum Viable Week and a rolling window of laid-out weeks.

The numbers come from :mod:`momentum.plugins.running.plans.progression` (10 % rule, down weeks,
taper, return
from a break), the days from :mod:`momentum.plugins.running.plans.layout`, the intensities from the
athlete's
own
zones and VDOT (:mod:`momentum.plugins.running.plans.intensity`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from momentum.core.errors import InputError
from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.analytics.load import pmc
from momentum.plugins.running.model.plan import (
    MinimumViableWeek,
    Phase,
    Plan,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans.comeback import (
    EASY_WEEKS_AFTER_WALK_RUN,
    WALK_RUN,
    starting_point,
    walk_run_sessions,
    walk_run_step,
)
from momentum.plugins.running.plans.dates import ONE_WEEK, monday_of, race_week_start, week_days
from momentum.plugins.running.plans.history import (
    Break,
    History,
    established_volume,
    pre_break_volume,
    recent_break,
)
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.layout import WeekSpec, lay_out
from momentum.plugins.running.plans.macrocycle import (
    BUILD,
    MOMENTUM,
    SHARPEN,
    TAPER,
    active_race,
    build_macrocycle,
    is_trail,
    kind_of,
)
from momentum.plugins.running.plans.mvw import aerobic_floor, minimum_viable_week
from momentum.plugins.running.plans.partial import fit_first_week
from momentum.plugins.running.plans.progression import (
    MIN_WEEK,
    RAMP,
    RETURN_LONG_SHARE,
    TSB_DOWN,
    Progress,
    WeekNumbers,
    advance,
    taper_factors,
    week_numbers,
)
from momentum.plugins.running.plans.racing import Race, races_of, recovery_window
from momentum.plugins.running.plans.rules import Rules, rules_for
from momentum.plugins.running.plans.strength import LIGHT, level_for
from momentum.plugins.running.profile import GoalRace

MAX_WEEKS = 52
TRAIL_ALLOWANCE = 1.15
"""Trail races take longer than the road-equivalent time; a rough 15 % allowance."""
FALLBACK_RACE_PACE = 420.0
"""Seconds per km to estimate race length when there is no VDOT and no goal time."""
HARD_MIN = 25


@dataclass(frozen=True)
class Context:
    """Everything week generation needs about the athlete, fixed for one build."""

    athlete: AthleteProfile
    rules: Rules
    mvw: MinimumViableWeek
    intensities: Intensities
    phases: tuple[Phase, ...]
    race: GoalRace | None
    races: tuple[Race, ...] = ()
    """Every race known (the goal race, results, races in the plan being refreshed): no
    quality session in the recovery window after each
    (:mod:`momentum.plugins.running.plans.racing`)."""


def goal_label(athlete: AthleteProfile, today: dt.date) -> str:
    """The plan's goal line, e.g. ``Monster of Mazinaw 30K Trail (30 km) on 2026-09-19``."""
    race = active_race(athlete, today)
    if race is None:
        return "Keep the momentum"
    return f"{race.name} ({race.distance_meters / 1000:g} km) on {race.date.isoformat()}"


def phase_on(phases: Sequence[Phase], day: dt.date) -> Phase | None:
    """The phase containing ``day``; the last one for days past the end."""
    for phase in phases:
        if phase.start <= day <= phase.end:
            return phase
    if phases and day > phases[-1].end:
        return phases[-1]
    return phases[0] if phases else None


def quality_sessions(
    kind: str,
    count: int,
    target: int,
    race: GoalRace | None,
    race_week: bool,
    *,
    race_in_week: bool = True,
) -> tuple[tuple[str, int], ...]:
    """Which quality sessions a week gets and how long, within 20 % of its volume.

    Race week gets one short sharpener, up to a quarter of its volume when the race itself
    is in the week (exempt from 80/20), within 20 % when it is not (the week before a
    Monday–Thursday race, :func:`momentum.plugins.running.plans.dates.race_week_start`). A
    Monday–Thursday
    race's own week is a race week too, but gets no sharpener: the one in the week before
    already sits in the race's last seven days (:mod:`momentum.plugins.running.plans.racing`); the
    caller
    passes ``count=0`` for it."""
    if race_week:
        if count <= 0:
            return ()
        share = 0.25 if race_in_week else 0.20
        minutes = min(30, int(target * share) // 5 * 5)
        return (("sharpener", minutes),) if minutes >= 20 else ()
    if count <= 0:
        return ()
    trail = race is not None and is_trail(race)
    short = race is not None and race.distance_meters <= 10_500
    if kind == BUILD:
        menu = ["hills"] if trail else ["intervals"] if short else ["tempo"]
    elif kind == SHARPEN:
        menu = (
            ["tempo", "hills"]
            if trail
            else ["intervals", "tempo"]
            if short
            else ["tempo", "intervals"]
        )
    elif kind in (TAPER, MOMENTUM):
        menu = ["tempo"]
    else:
        menu = []
    budget = 0.20 * target
    chosen: list[tuple[str, int]] = []
    for intensity in menu[:count]:
        share, low = (0.12, 30) if intensity == "tempo" else (0.13, 35)
        minutes = min(60, max(low, int(target * share) // 5 * 5))
        used = sum(m for _, m in chosen)
        if used + minutes > budget:
            minutes = int(budget - used) // 5 * 5
            if minutes < HARD_MIN:
                break
        chosen.append((intensity, minutes))
    return tuple(chosen)


def race_minutes(
    race: GoalRace, intensities: Intensities
) -> tuple[int, tuple[float, float] | None]:
    """Expected race duration and race pace (goal time first, else VDOT equivalent). A trail
    race's duration carries an allowance; the race session states the pace its duration
    implies (:func:`momentum.plugins.running.plans.sessions.race`)."""
    pace = intensities.race_pace(race.distance_meters, race.goal_time_seconds)
    if pace is not None:
        seconds = pace[0] * race.distance_meters / 1000
    else:
        seconds = FALLBACK_RACE_PACE * race.distance_meters / 1000
    if is_trail(race) and race.goal_time_seconds is None:
        seconds *= TRAIL_ALLOWANCE
    return max(1, round(seconds / 60)), pace


def _taper_share(phase: Phase, monday: dt.date, race: GoalRace | None) -> float | None:
    """The week's share of peak volume: the taper steps count up to the race week (the
    week before a Monday–Thursday race); the race's own week keeps the share of its days
    before the race (none for a Monday race)."""
    if race is None:
        return None
    first = monday_of(phase.start)
    weeks = max(1, (race_week_start(race.date) - first).days // 7 + 1)
    index = min(max(0, (monday - first).days // 7), weeks - 1)
    share = taper_factors(weeks)[index]
    if monday_of(race.date) == monday:
        share *= min(1.0, race.date.weekday() / 6)
    return share


def generate_weeks(
    ctx: Context,
    first_monday: dt.date,
    count: int,
    progress: Progress,
    recovery_hints: dict[dt.date, bool] | None = None,
    first_week: Callable[[PlanWeek, int], PlanWeek] | None = None,
) -> list[PlanWeek]:
    """Lay out ``count`` weeks from ``first_monday`` (stopping at race week).

    ``recovery_hints`` (week start → was a down week) keeps an existing plan's rhythm;
    ``first_week`` rewrites the first week (a plan starting midweek; it gets the week's
    target minutes) before the next is laid out, so the next week sees where its long run
    and hard days ended up. A rewritten (partial) first week does not move the volume the
    next week ramps from (:mod:`momentum.plugins.running.plans.partial`)."""
    weeks: list[PlanWeek] = []
    athlete = ctx.athlete
    distance = ctx.race.distance_meters if ctx.race else None
    floor = aerobic_floor(ctx.mvw)
    quiet = recovery_window(ctx.races)
    for index in range(count):
        monday = first_monday + index * ONE_WEEK
        if ctx.race is not None and monday > ctx.race.date:
            break
        phase = phase_on(ctx.phases, monday)
        kind = kind_of(phase)
        race_day = ctx.race.date if ctx.race is not None else None
        holds_race = race_day is not None and monday <= race_day < monday + ONE_WEEK
        # Race-week numbers (no long run) for the week holding most of the days before the
        # race (the week before a Monday–Thursday race) and the race's own week; only the
        # first of them gets the sharpener.
        race_week = holds_race or (race_day is not None and race_week_start(race_day) == monday)
        # The layout keeps the race's lead-in rules across the week boundary.
        race_ahead = race_day is not None and monday <= race_day < monday + 2 * ONE_WEEK
        share = _taper_share(phase, monday, ctx.race) if phase and kind == TAPER else None
        factor = phase.volume_factor if phase else 1.0
        numbers: WeekNumbers = week_numbers(
            progress,
            kind,
            athlete.weekly_minutes_target,
            factor,
            distance,
            share,
            (recovery_hints or {}).get(monday),
            floor,
        )
        if race_week:
            # One sharpener, in the week holding the race's fourth day out (racing rules).
            sharpens = race_day is not None and race_week_start(race_day) == monday
            numbers = WeekNumbers(numbers.target, 0, False, 1 if sharpens else 0)
        hard = quality_sessions(
            kind,
            numbers.hard_count,
            numbers.target,
            ctx.race,
            race_week,
            race_in_week=holds_race,
        )
        if progress.no_quality_weeks > 0:
            hard = ()
        level = level_for(kind, race_week=race_week, recovery=numbers.is_recovery)
        step = None
        if progress.walk_run is not None and not race_ahead:
            build_index = progress.walk_run - (1 if numbers.is_recovery else 0)
            step = walk_run_step(max(0, build_index))
            if step is None:  # running is continuous: easy weeks before any quality
                progress = progress.copy()
                progress.walk_run = None
                progress.no_quality_weeks = max(
                    progress.no_quality_weeks, EASY_WEEKS_AFTER_WALK_RUN
                )
        if step is not None:
            week = PlanWeek(
                start=monday,
                phase=phase.name if phase else "",
                sessions=walk_run_sessions(
                    athlete,
                    monday,
                    numbers.target,
                    step,
                    ctx.intensities,
                    strength=None if ctx.rules.no_strength else LIGHT,
                    injured=ctx.rules.injured_areas,
                ),
                is_recovery=numbers.is_recovery,
            )
            if index == 0 and first_week is not None:
                week = first_week(week, numbers.target)
            aerobic = sum(s.minutes for s in week.sessions if s.kind.is_run)
            longest = max((s.minutes for s in week.sessions if s.kind.is_run), default=0)
            progress = advance(progress, numbers, kind, aerobic, longest, False)
            if not numbers.is_recovery and progress.walk_run is not None:
                progress.walk_run += 1
            progress.returning = True
            weeks.append(week)
            continue
        minutes, pace = (
            race_minutes(ctx.race, ctx.intensities) if race_ahead and ctx.race else (0, None)
        )
        spec = WeekSpec(
            start=monday,
            target=numbers.target,
            long_minutes=numbers.long_minutes,
            hard=hard,
            strength_level=None if ctx.rules.no_strength else level,
            is_recovery=numbers.is_recovery,
            race=ctx.race if race_ahead else None,
            race_minutes=minutes if holds_race else 0,
            race_pace=pace,
            prev_day_hard=progress.prev_sunday_hard,
            trail=ctx.race is not None and is_trail(ctx.race),
            holds_mvw=numbers.holds_mvw,
            no_quality=quiet & frozenset(week_days(monday)),
        )
        sessions = lay_out(spec, athlete, ctx.rules, ctx.mvw, ctx.intensities)
        aerobic = sum(
            s.minutes
            for s in sessions
            if (s.kind.is_run or s.kind is SessionKind.CROSS) and s.kind is not SessionKind.RACE
        )
        longest = max(
            (s.minutes for s in sessions if s.kind.is_run and s.kind is not SessionKind.RACE),
            default=0,
        )
        reference: float = aerobic
        week = PlanWeek(
            start=monday,
            phase=phase.name if phase else "",
            sessions=sessions,
            is_recovery=numbers.is_recovery,
        )
        if index == 0 and first_week is not None:
            week = first_week(week, numbers.target)
            reference = progress.last_full  # a partial week is no new reference
            longest = max(
                (
                    s.minutes
                    for s in week.sessions
                    if s.kind.is_run
                    and s.kind is not SessionKind.RACE
                    and s.status is not SessionStatus.DROPPED
                ),
                default=0,
            )
        sunday = week_days(monday)[-1]
        sunday_hard = any(
            s.date == sunday
            and (s.kind.is_hard or s.kind is SessionKind.LONG)
            and s.status not in (SessionStatus.MISSED, SessionStatus.DROPPED)
            for s in week.sessions
        )
        progress = advance(progress, numbers, kind, reference, longest, sunday_hard)
        weeks.append(week)
    return weeks


def form_today(
    activities: Sequence[Activity], athlete: AthleteProfile, day: dt.date
) -> float | None:
    """Form (TSB) on ``day`` from the Performance Manager, ``None`` without activities."""
    if not activities:
        return None
    points = pmc(activities, athlete, day, day)
    return points[-1].tsb if points else None


def initial_progress(
    history: History,
    activities: Sequence[Activity],
    athlete: AthleteProfile,
    day: dt.date,
    brk: Break | None,
) -> Progress:
    """Where the athlete stands before the first planned week starting on ``day``'s week:
    the load actually done, the way back after a gap, or what a new athlete said they do
    (:func:`momentum.plugins.running.plans.comeback.starting_point`)."""
    start = starting_point(athlete, history, day)
    recent = history.weekly_minutes(day, 6) if history.has_data else []
    progress = Progress(
        last_full=start.baseline,
        recent_longs=[start.longest] if start.longest > 0 else [],
        peak=max([start.baseline, *recent]),
    )
    if start.stage is not None:
        progress.returning = True
        progress.no_quality_weeks = start.no_quality_weeks
    if start.stage == WALK_RUN:
        progress.walk_run = start.walk_run_week or 0
        progress.recent_longs = []
    elif start.first_week is not None:
        before = pre_break_volume(history, brk) if brk is not None else start.baseline
        progress.last_full = max(before, start.baseline, start.first_week)
        progress.return_first = start.first_week
        # The long run grows from the first week back (30 % of it), not from before the gap.
        first_long = min(start.longest, RETURN_LONG_SHARE * start.first_week)
        progress.recent_longs = [first_long] if first_long > 0 else []
    if start.stage is not None and start.stage != WALK_RUN:
        # Never more than 10 % over the weeks actually done, or the volume before the break
        # still going on (the ramp guardrail), whichever gap the protocol was sized from.
        # The protocol is sized at the week's Monday and may see an earlier gap (and the
        # volume before it) than the break still going on when the plan starts; the first
        # week back is capped, and so is the volume later weeks ramp from: a partial first
        # week or a taper never measures the next week from the older, bigger figure.
        done = established_volume(history, day) or 0.0
        ramp_base = max(done, pre_break_volume(history, brk) if brk is not None else 0.0)
        ceiling = max(RAMP * ramp_base, MIN_WEEK)
        if progress.return_first is not None:
            progress.return_first = min(progress.return_first, ceiling)
        progress.last_full = min(progress.last_full, max(ramp_base, MIN_WEEK / RAMP))
    tsb = form_today(activities, athlete, day)
    progress.force_down = tsb is not None and tsb < TSB_DOWN
    return progress


def context_for(
    athlete: AthleteProfile,
    memory: Sequence[MemoryItem],
    today: dt.date,
    phases: tuple[Phase, ...],
    brk: Break | None,
    plan: Plan | None = None,
    activities: Sequence[Activity] = (),
) -> Context:
    """The build context: rules from memory, the MVW, intensities, the race ahead and every
    race known (``plan``'s race sessions too, when refreshing)."""
    rules = rules_for(athlete, memory)
    return Context(
        athlete=athlete,
        rules=rules,
        mvw=minimum_viable_week(athlete, rules, today),
        intensities=Intensities.of(athlete, today, brk.days if brk else 0, activities),
        phases=phases,
        race=active_race(athlete, today),
        races=races_of(athlete, plan),
    )


def build_plan(
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
    weeks: int = 8,
) -> Plan:
    """A new plan from this week: phases to race day (or a momentum block), the MVW and
    ``weeks`` weeks of sessions. Days of this week before ``today`` keep only what was done;
    started after Monday, the days left get their share of the week
    (:mod:`momentum.plugins.running.plans.partial`)."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise InputError("weeks", f"must be between 1 and {MAX_WEEKS}, got {weeks}")
    from momentum.plugins.running.plans.reshuffle import settle_first_week

    history = History.of(activities, athlete.timezone)
    brk = recent_break(history, today)
    phases = build_macrocycle(athlete, today)
    ctx = context_for(athlete, memory, today, phases, brk, activities=activities)
    first = monday_of(today)
    progress = initial_progress(history, activities, athlete, first, brk)

    def settle(week: PlanWeek, target: int) -> PlanWeek:
        settled = settle_first_week(week, ctx, history, today)
        return fit_first_week(settled, today, target, ctx.intensities)

    planned = generate_weeks(
        ctx, first, weeks, progress, first_week=settle if today > first else None
    )
    return Plan(
        athlete_id=athlete.athlete_id,
        created=dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC),
        phases=phases,
        mvw=ctx.mvw,
        weeks=tuple(planned),
        vdot=ctx.intensities.vdot,
        goal=goal_label(athlete, today),
        timezone=athlete.timezone,
    )
