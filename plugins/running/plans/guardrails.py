"""Guardrails a coach would insist on, as checks that list what a plan gets wrong.

Each check returns human-readable violations (empty when the plan is sound). The property
tests run them over many random athletes; the coach can run :func:`check_plan` before
sending a plan. Conventions and sources are those of the modules that build the plan:
10 % rule and 3:1 loading (:mod:`.progression`), 80/20 (:mod:`.layout`), hard/easy, the
race's lead-in and the DOMS lesson (:mod:`.layout`, :mod:`.rules`), the race week's single
sharpener and post-race recovery (:mod:`.racing`), equipment and injuries
(:mod:`.strength`), the athlete's own zones and VDOT paces (:mod:`.intensity`).

A plan's first week is *partial* when the plan started after its Monday (``Plan.created``
falls inside it): only its days from the start are judged, pro-rated to the days they are
(:mod:`.partial`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.analytics.vdot import training_paces
from momentum.plugins.running.analytics.zones import zone_bounds
from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans.dates import ONE_DAY
from momentum.plugins.running.plans.injuries import affects_running
from momentum.plugins.running.plans.intensity import RECOVERY_SLOWDOWN, Intensities
from momentum.plugins.running.plans.layout import HARD_CLEARANCE, LONG_CLEARANCE
from momentum.plugins.running.plans.partial import aerobic_from, hard_from, is_partial, share
from momentum.plugins.running.plans.progression import DOWN_EVERY, MIN_WEEK, RAMP
from momentum.plugins.running.plans.racing import (
    in_race_week,
    races_of,
    recovering_from,
    recovery_days,
)
from momentum.plugins.running.plans.rules import rules_for
from momentum.plugins.running.plans.strength import tier_of, tier_rank
from momentum.plugins.running.profile import running_profile

HARD_SHARE = 0.20


def aerobic_minutes(week: PlanWeek) -> int:
    """Planned run and cross-training minutes, the race and dropped sessions excluded."""
    return sum(
        s.minutes
        for s in week.sessions
        if (s.kind.is_run or s.kind is SessionKind.CROSS)
        and s.kind is not SessionKind.RACE
        and s.status is not SessionStatus.DROPPED
    )


def hard_minutes(week: PlanWeek) -> int:
    """Minutes of quality sessions (the whole session counts; dropped ones do not)."""
    return sum(
        s.minutes for s in week.sessions if s.kind.is_hard and s.status is not SessionStatus.DROPPED
    )


def plan_start(plan: Plan) -> dt.date:
    """The day the plan started (its first week is partial when that is not a Monday)."""
    return plan.created.date()


def is_taper_week(week: PlanWeek) -> bool:
    """A taper or race week (exempt from the ramp and down-week rhythm)."""
    return "taper" in week.phase.lower() or any(s.kind is SessionKind.RACE for s in week.sessions)


def _live(session: PlannedSession) -> bool:
    return session.kind is not SessionKind.REST and session.status not in (
        SessionStatus.MISSED,
        SessionStatus.DROPPED,
    )


def check_totals(plan: Plan) -> list[str]:
    """Each week's total is the sum of its sessions; rest days carry no minutes."""
    out = []
    for week in plan.weeks:
        total = sum(s.minutes for s in week.sessions)
        if total != week.planned_minutes:
            out.append(f"{week.start}: total {week.planned_minutes} != sum {total}")
        for s in week.sessions:
            if s.minutes < 0 or (s.kind is SessionKind.REST and s.minutes):
                out.append(f"{s.date}: {s.kind.value} has {s.minutes} minutes")
            if not week.start <= s.date < week.start + dt.timedelta(days=7):
                out.append(f"{s.date}: session outside its week {week.start}")
    return out


def check_ramp(plan: Plan, baseline: float | None = None) -> list[str]:
    """Volume grows at most 10 % over the last full week (above a 60-minute floor), and a
    lighter week comes every 3rd or 4th week.

    A partial first week (the plan started midweek) is judged on its days from the start,
    against the same allowance pro-rated to them (``d / 7`` of it for ``d`` days); it counts
    towards the run of full weeks but is not the week the next one ramps from (that stays
    ``baseline``), nor the one a down week must be lighter than.

    Taper and race weeks are exempt (they only ever shrink from the plan's peak), except a
    partial first week: its ramp is measured from ``baseline``, what the athlete has done,
    and a taper sized from a peak before a break can still be a jump over that."""
    out = []
    last_full = baseline
    run = 0
    previous: int | None = None
    start = plan_start(plan)
    for week in plan.weeks:
        minutes = aerobic_minutes(week)
        partial = is_partial(week.start, start)
        if partial and last_full is not None:
            from_start = aerobic_from(week.sessions, start)
            part = share(week.start, start)
            allowed = max(RAMP * last_full, MIN_WEEK) * part
            if from_start > allowed + 0.5:
                out.append(
                    f"{week.start}: {from_start} min from {start} is more than 10% over "
                    f"{last_full:.0f} pro-rated to {part * 7:.0f} days ({allowed:.0f})"
                )
        if is_taper_week(week):
            run = 0
            previous = minutes
            continue
        if partial:
            run = 0 if week.is_recovery else run + 1
            previous = None
            continue
        if last_full is not None and minutes > max(RAMP * last_full, MIN_WEEK) + 0.5:
            out.append(f"{week.start}: {minutes} min is more than 10% over {last_full:.0f}")
        if week.is_recovery:
            if previous is not None and minutes >= previous and previous > 0:
                out.append(f"{week.start}: down week {minutes} is not lighter than {previous}")
            run = 0
        else:
            run += 1
            last_full = minutes
            if run >= DOWN_EVERY:
                out.append(f"{week.start}: {run} full weeks without a lighter one")
        previous = minutes
    return out


def check_intensity_split(plan: Plan) -> list[str]:
    """About 80/20 easy to hard by time: hard minutes are at most 20 % (the week holding the
    race exempt). A partial first week is judged on its days from the plan's start."""
    out = []
    start = plan_start(plan)
    for week in plan.weeks:
        if any(s.kind is SessionKind.RACE for s in week.sessions):
            continue
        hard, total = hard_minutes(week), aerobic_minutes(week)
        if is_partial(week.start, start):
            hard, total = hard_from(week.sessions, start), aerobic_from(week.sessions, start)
        if hard > HARD_SHARE * total + 0.5:
            out.append(f"{week.start}: {hard} of {total} min hard (> 20%)")
    return out


def _by_day(plan: Plan) -> dict[dt.date, list[PlannedSession]]:
    days: dict[dt.date, list[PlannedSession]] = {}
    for week in plan.weeks:
        for s in week.sessions:
            if _live(s):
                days.setdefault(s.date, []).append(s)
    return days


def check_hard_days(plan: Plan) -> list[str]:
    """No hard session the day after the long run, and hard days never back to back."""
    out = []
    days = _by_day(plan)
    for day, items in sorted(days.items()):
        nxt = days.get(day + ONE_DAY, [])
        long_today = any(s.kind is SessionKind.LONG for s in items)
        hard_today = any(s.kind.is_hard for s in items)
        if long_today and any(s.kind.is_hard for s in nxt):
            out.append(f"{day + ONE_DAY}: hard session the day after the long run")
        if hard_today and any(s.kind.is_hard or s.kind is SessionKind.LONG for s in nxt):
            out.append(f"{day}: hard session followed by another hard day")
        if hard_today and long_today:
            out.append(f"{day}: hard session on the long-run day")
    return out


def check_race_days(plan: Plan, athlete: AthleteProfile | None = None) -> list[str]:
    """Around every race in the plan (and the athlete's goal race, which may fall just after
    the plan's last week, e.g. on a Monday): the day before is rest or a short shakeout (no
    long run, no tempo or intervals, no strength); no quality session within two days of
    it; no long run in the last four days (the race week's long run, if any, comes well
    before). Conventions of :mod:`.layout`; the week boundary does not matter."""
    races = {s.date for w in plan.weeks for s in w.sessions if s.kind is SessionKind.RACE}
    goal = running_profile(athlete).goal_race if athlete is not None else None
    if goal is not None:
        races.add(goal.date)
    out = []
    days = _by_day(plan)
    for race in sorted(races):
        for back in range(1, LONG_CLEARANCE):
            day = race - dt.timedelta(days=back)
            for s in days.get(day, []):
                if s.kind is SessionKind.RACE:
                    continue
                if s.kind is SessionKind.LONG:
                    out.append(f"{day}: long run {back} day(s) before the race on {race}")
                elif s.kind.is_hard and back < HARD_CLEARANCE:
                    out.append(f"{day}: {s.kind.value} {back} day(s) before the race on {race}")
                elif s.kind is SessionKind.STRENGTH and back == 1:
                    out.append(f"{day}: strength the day before the race on {race}")
    return out


def check_race_week(plan: Plan, athlete: AthleteProfile | None = None) -> list[str]:
    """The seven days before every race in the plan (and the athlete's goal race) hold at
    most one quality session, the sharpener (:mod:`.racing`); the week boundary does not
    matter."""
    races = {s.date for w in plan.weeks for s in w.sessions if s.kind is SessionKind.RACE}
    goal = running_profile(athlete).goal_race if athlete is not None else None
    if goal is not None:
        races.add(goal.date)
    days = _by_day(plan)
    out = []
    for race in sorted(races):
        quality = sorted(
            (
                (day, s)
                for day, items in days.items()
                if in_race_week(race, day)
                for s in items
                if s.kind.is_hard and s.kind is not SessionKind.RACE
            ),
            key=lambda pair: pair[0],
        )
        if len(quality) > 1:
            listed = ", ".join(f"{d} {s.kind.value}" for d, s in quality)
            out.append(f"{race}: {len(quality)} quality sessions in race week ({listed})")
    return out


def check_post_race(plan: Plan, athlete: AthleteProfile | None = None) -> list[str]:
    """No quality session in the recovery window after a race: one day per mile raced,
    at least 2 and at most 14 (:func:`.racing.recovery_days`). Races are the plan's race
    sessions, the athlete's goal race and race results."""
    races = races_of(athlete, plan)
    out = []
    for day, items in sorted(_by_day(plan).items()):
        race = recovering_from(races, day)
        if race is None:
            continue
        for s in items:
            if s.kind.is_hard and s.kind is not SessionKind.RACE:
                out.append(
                    f"{day}: {s.kind.value} {(day - race[0]).days} day(s) after the "
                    f"{race[1] / 1000:g} km race on {race[0]} (no quality for "
                    f"{recovery_days(race[1])} days after it)"
                )
    return out


def check_strength(plan: Plan, athlete: AthleteProfile, memory: Sequence[MemoryItem]) -> list[str]:
    """Strength is not on the long-run day unless allowed; with the DOMS lesson not the day
    before either; exercises fit the athlete's equipment and spare injured areas."""
    rules = rules_for(athlete, memory)
    out = []
    days = _by_day(plan)
    tier = tier_rank(tier_of(athlete.equipment).value)
    for day, items in sorted(days.items()):
        strength = [s for s in items if s.kind is SessionKind.STRENGTH]
        if not strength:
            continue
        if any(s.kind is SessionKind.LONG for s in items) and not (
            rules.strength_allowed_on_long_run_day
        ):
            out.append(f"{day}: strength on the long-run day")
        if rules.separate_strength_long_run and any(
            s.kind is SessionKind.LONG for s in days.get(day + ONE_DAY, [])
        ):
            out.append(f"{day}: strength the day before the long run (DOMS lesson)")
        for session in strength:
            if session.strength is None or not session.strength.main_set:
                out.append(f"{day}: strength session without a main set")
                continue
            for ex in session.strength.main_set:
                if tier_rank(ex.equipment) > tier:
                    out.append(f"{day}: {ex.name} needs {ex.equipment}")
                if set(ex.loads) & rules.injured_areas:
                    out.append(f"{day}: {ex.name} loads an injured area")
    return out


def check_availability(
    plan: Plan, athlete: AthleteProfile, memory: Sequence[MemoryItem]
) -> list[str]:
    """Unavailable days stay empty, the long run is on the athlete's day when it is free,
    and a lower-limb injury means no interval or hill sessions."""
    out = []
    blocked = {int(w) for w in athlete.unavailable_days}
    rules = rules_for(athlete, memory)
    long_day = int(running_profile(athlete).long_run_day)
    for week in plan.weeks:
        for s in week.sessions:
            if not _live(s) or s.kind is SessionKind.RACE:
                continue
            if s.date.weekday() in blocked:
                out.append(f"{s.date}: {s.kind.value} on an unavailable day")
            if (
                s.kind is SessionKind.LONG
                and s.status is not SessionStatus.MOVED
                and long_day not in blocked
                and s.date.weekday() != long_day
            ):
                out.append(f"{s.date}: long run not on the athlete's long-run day")
            if affects_running(rules.injured_areas) and s.kind is SessionKind.INTERVALS:
                out.append(f"{s.date}: intervals with an injured {sorted(rules.injured_areas)}")
    return out


def check_intensities(plan: Plan, athlete: AthleteProfile) -> list[str]:
    """Zones carry the athlete's own heart rates; paces still to run are the plan's VDOT
    paces (sessions already lived keep the paces they were planned with)."""
    out = []
    bounds = zone_bounds(athlete.heart_rate)
    edges = {round(lo) for lo, _ in bounds} | {round(hi) for _, hi in bounds}
    paces = training_paces(plan.vdot) if plan.vdot is not None else None
    allowed: list[tuple[float, float]] = []
    if paces is not None:
        allowed = list(paces.values())
        allowed.append((paces["E"][1], paces["E"][1] * RECOVERY_SLOWDOWN))
    race = running_profile(athlete).goal_race
    if race is not None:
        race_pace = Intensities.at_vdot(athlete, plan.vdot).race_pace(
            race.distance_meters, race.goal_time_seconds
        )
        if race_pace is not None:
            allowed.append(race_pace)
    for week in plan.weeks:
        for s in week.sessions:
            if s.zone:
                digits = "".join(c if c.isdigit() else " " for c in s.zone.split("(")[-1])
                numbers = {int(n) for n in digits.split()}
                if not numbers or not numbers <= edges:
                    out.append(f"{s.date}: zone {s.zone!r} is not the athlete's")
            if s.pace is None or s.kind is SessionKind.RACE:
                continue
            if s.status not in (SessionStatus.PLANNED, SessionStatus.MOVED):
                continue  # lived sessions keep the paces they were planned with
            if paces is None:
                out.append(f"{s.date}: pace without a VDOT")
            elif not any(
                abs(s.pace[0] - a[0]) < 0.05 and abs(s.pace[1] - a[1]) < 0.05 for a in allowed
            ):
                out.append(f"{s.date}: pace {s.pace} is not one of the athlete's paces")
    return out


def check_plan(
    plan: Plan,
    athlete: AthleteProfile,
    memory: Sequence[MemoryItem] = (),
    *,
    baseline: float | None = None,
) -> list[str]:
    """Every guardrail at once; ``baseline`` (the established weekly volume) checks the
    first week's ramp too."""
    return [
        *check_totals(plan),
        *check_ramp(plan, baseline),
        *check_intensity_split(plan),
        *check_hard_days(plan),
        *check_race_days(plan, athlete),
        *check_race_week(plan, athlete),
        *check_post_race(plan, athlete),
        *check_strength(plan, athlete, memory),
        *check_availability(plan, athlete, memory),
        *check_intensities(plan, athlete),
    ]
