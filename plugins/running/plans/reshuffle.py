"""Midweek reshuffle: when days are missed, move the key sessions and drop what no longer fits.

Conventions (the talk's "Tuesday: already reshuffling"; Hudson's adaptive running):

* Missed sessions are moved in priority order: the long run first, then quality sessions,
  then easy runs and cross-training, then strength. Optional runs are not chased.
* A moved session takes the earliest day that works (today included, if nothing was done
  yet today). The long run prefers the athlete's long-run day or the weekend; strength
  prefers a day without running. A run on a strength day pushes the strength session to
  the next day that suits it.
* Hard days are never stacked: a quality session cannot sit next to another or next to the
  long run; a moved long run knocks out a neighbouring quality session instead.
* Strength rules hold as in a fresh week (not on the long-run day; not the day before with
  the DOMS lesson in memory), across the week boundary too: a long run next Monday counts
  (the athlete's usual long-run day when next week is not planned yet).
* The race's rules hold, across the week boundary too (e.g. a Monday race): nothing moves onto
  the two days before the race, quality sessions stay at least three days out, the long run
  at least five (:mod:`momentum.plugins.running.plans.layout`), and a moved long run never displaces
  the race.
  The race's last seven days keep a single quality session (the sharpener), and no quality
  session moves into a race's recovery window (:mod:`momentum.plugins.running.plans.racing`).
* Nothing is crammed: the week never gets more minutes than it had, and with four or more
  days left at least one stays free, so optional and then the shortest easy runs drop out.
* What cannot be placed is dropped, and every change is written to ``PlanWeek.changes``. A
  missed session with no day left stays in the week as ``dropped`` (the day still shows as
  missed; its minutes no longer count as planned,
  :func:`momentum.plugins.running.plans.status.week_status`).
* The week stays about 80/20 easy to hard by time, by the builder's rule and measure
  (:mod:`momentum.plugins.running.plans.layout`,
  :func:`momentum.plugins.running.plans.guardrails.check_intensity_split`):
  quality minutes (tempo and intervals, whole session) are at most 20 % of the run and
  cross-training minutes (the race excluded), over the whole reshuffled week as it now stands:
  every session from its Monday (or from the plan's start day, for a plan's partial first
  week) to Sunday that is done, assumed, planned or moved, plus optional runs skipped (they
  were extras; skipping one costs nothing). Dropped sessions do not count. The week holding
  the race is exempt. Judging the whole week, not only the days left, matters: a sound week
  that did its easy running early has a hard-heavy tail, and nothing was wrong with it.
  When missed days, dropped runs or a free day kept leave the week over 20 %, quality
  sessions still to run (today on) become easy runs of the same length, the latest first,
  until it fits; the long run is never touched, and nothing moves. Quality already run is
  history: when it alone is over the share, every quality session left becomes easy and the
  week stays over. A one-day adjustment
  (:func:`momentum.plugins.running.plans.adjust.adjust_session`) changes
  only its day; the reshuffle the coach runs after it restores 80/20 the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from momentum.core.model.activity import Activity
from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.model.plan import (
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
)
from momentum.plugins.running.plans import sessions as make
from momentum.plugins.running.plans.dates import ONE_DAY, day_name, week_days, weekday_gap
from momentum.plugins.running.plans.history import RUN, STRENGTH, History, activity_class
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.layout import (
    HARD_CLEARANCE,
    HARD_SHARE,
    LONG_CLEARANCE,
    REST_BEFORE_RACE,
    STRENGTH_CLEARANCE,
    long_run_day,
)
from momentum.plugins.running.plans.macrocycle import active_race
from momentum.plugins.running.plans.partial import aerobic_from, hard_from, is_partial
from momentum.plugins.running.plans.racing import Race, in_race_week, races_of, recovery_window
from momentum.plugins.running.plans.reconcile import reconcile_plan, reconcile_week
from momentum.plugins.running.plans.rules import Rules, rules_for
from momentum.plugins.running.profile import running_profile

if TYPE_CHECKING:
    from momentum.plugins.running.plans.builder import Context

FREE_DAY_WHEN = 4
"""With this many days left in the week, keep at least one of them free."""


def priority(session: PlannedSession) -> int:
    """Lower moves first: long run, quality, easy/cross, strength, optional runs."""
    if session.kind is SessionKind.RACE:
        return -1
    if session.kind is SessionKind.LONG:
        return 0
    if session.kind.is_hard:
        return 1
    if session.optional:
        return 4
    if session.kind is SessionKind.STRENGTH:
        return 3
    return 2


def label(session: PlannedSession) -> str:
    """``45min Z1-Z2 Run``-style label for change notes."""
    return session.title or f"{session.minutes}min {session.kind.value}"


def _live(session: PlannedSession) -> bool:
    return session.kind is not SessionKind.REST and session.status not in (
        SessionStatus.MISSED,
        SessionStatus.DROPPED,
    )


def _is_aerobic(session: PlannedSession) -> bool:
    return session.kind.is_run or session.kind is SessionKind.CROSS


@dataclasses.dataclass
class _Board:
    """A week being rearranged in place."""

    sessions: list[PlannedSession]
    athlete: AthleteProfile
    rules: Rules
    first_day: dt.date
    """The first day sessions may move to (today, or tomorrow when today is done)."""
    last_day: dt.date
    race_day: dt.date | None
    """The race this week or early next week (its lead-in rules hold across the boundary)."""
    notes: list[str]
    edges: dict[dt.date, list[PlannedSession]] = dataclasses.field(default_factory=dict)
    """Sessions on the days just before and after the week (neighbours for hard days), for
    the weeks the plan holds."""
    quiet: frozenset[dt.date] = frozenset()
    """Days in a race's recovery window: no quality session moves there."""

    def on(self, day: dt.date) -> list[PlannedSession]:
        if day in self.edges:
            return [s for s in self.edges[day] if _live(s)]
        return [s for s in self.sessions if s.date == day and _live(s)]

    def long_weekday(self) -> int:
        for s in self.sessions:
            if s.kind is SessionKind.LONG and _live(s):
                return s.date.weekday()
        return int(running_profile(self.athlete).long_run_day)

    def home_long_weekday(self) -> int:
        """The weekday a fresh week puts the long run on (the athlete's day if available)."""
        blocked = {int(w) for w in self.athlete.unavailable_days}
        days = [d for d in week_days(self.week_start()) if d.weekday() not in blocked]
        day = long_run_day(days, int(running_profile(self.athlete).long_run_day))
        return day.weekday() if day is not None else int(running_profile(self.athlete).long_run_day)

    def week_start(self) -> dt.date:
        return self.last_day - dt.timedelta(days=self.last_day.weekday())

    def long_on(self, day: dt.date) -> bool:
        """A live long run on ``day``; next Monday, when that week is not planned yet, is
        assumed to hold one on the athlete's usual long-run day."""
        if day > self.last_day and day not in self.edges:
            return day.weekday() == self.home_long_weekday()
        return any(s.kind is SessionKind.LONG for s in self.on(day))

    def days_to_race(self, day: dt.date) -> int | None:
        return (self.race_day - day).days if self.race_day is not None else None

    def available(self, day: dt.date) -> bool:
        if day < self.first_day or day > self.last_day:
            return False
        if int(day.weekday()) in {int(w) for w in self.athlete.unavailable_days}:
            return False
        return not (self.race_day is not None and day >= self.race_day)

    def hard_or_long_on(
        self, day: dt.date, skip: Sequence[PlannedSession] = ()
    ) -> list[PlannedSession]:
        return [
            s
            for s in self.on(day)
            if (s.kind.is_hard or s.kind is SessionKind.LONG) and s not in skip
        ]

    def candidates(self, session: PlannedSession) -> list[dt.date]:
        days = [
            d
            for d in week_days(self.last_day - dt.timedelta(days=self.last_day.weekday()))
            if self.available(d)
        ]
        if session.kind is SessionKind.LONG:
            preferred = int(running_profile(self.athlete).long_run_day)
            return sorted(
                days,
                key=lambda d: (weekday_gap(d.weekday(), preferred), d.weekday() < 5, -d.weekday()),
            )
        if session.kind is SessionKind.STRENGTH:
            return sorted(days, key=lambda d: (any(_is_aerobic(s) for s in self.on(d)), d))
        return sorted(days)


def _strength_ok(board: _Board, day: dt.date) -> bool:
    until_long = (board.long_weekday() - day.weekday()) % 7
    if until_long == 0 and not board.rules.strength_allowed_on_long_run_day:
        return False
    if board.rules.separate_strength_long_run and until_long in (0, 1):
        return False
    if board.long_on(day) and not board.rules.strength_allowed_on_long_run_day:
        return False
    if board.rules.separate_strength_long_run and board.long_on(day + ONE_DAY):
        return False
    gap = board.days_to_race(day)
    return not (gap is not None and gap < STRENGTH_CLEARANCE)


def _race_allows(board: _Board, session: PlannedSession, day: dt.date) -> bool:
    """The race's lead-in: nothing moves onto the two days before it; quality sessions and
    the long run keep their distance (see :mod:`momentum.plugins.running.plans.layout`); the race's
    last seven
    days keep one quality session; no quality in a race's recovery window."""
    if session.kind.is_hard and day in board.quiet:
        return False
    gap = board.days_to_race(day)
    if gap is None:
        return True
    if 0 < gap <= REST_BEFORE_RACE:
        return False
    if session.kind is SessionKind.LONG and gap < LONG_CLEARANCE:
        return False
    if session.kind.is_hard and gap < HARD_CLEARANCE:
        return False
    if session.kind.is_hard and board.race_day is not None and in_race_week(board.race_day, day):
        week = board.week_start()
        seen = [*week_days(week), *board.edges]
        return not any(
            s is not session and s.kind.is_hard and s.kind is not SessionKind.RACE
            for d in seen
            if in_race_week(board.race_day, d)
            for s in board.on(d)
        )
    return True


def _try(board: _Board, session: PlannedSession, day: dt.date) -> list[PlannedSession] | None:
    """Sessions displaced by putting ``session`` on ``day``, or ``None`` if it cannot go."""
    if session.kind is not SessionKind.STRENGTH and not _race_allows(board, session, day):
        return None
    there = board.on(day)
    displaced: list[PlannedSession] = []
    if session.kind is SessionKind.STRENGTH:
        if any(s.kind is SessionKind.STRENGTH for s in there):
            return None
        if any(s.kind.is_hard or s.kind is SessionKind.LONG for s in there):
            return None
        return [] if _strength_ok(board, day) else None
    for s in there:
        if s.status is SessionStatus.DONE:
            if _is_aerobic(s) or s.kind is SessionKind.STRENGTH:
                return None
        elif _is_aerobic(s):
            if priority(s) <= priority(session):
                return None
            displaced.append(s)
        elif s.kind is SessionKind.STRENGTH:
            displaced.append(s)
    neighbours = [day - ONE_DAY, day + ONE_DAY]
    if session.kind.is_hard and any(board.hard_or_long_on(n, displaced) for n in neighbours):
        return None
    if session.kind is SessionKind.LONG:
        for n in neighbours:
            for s in board.hard_or_long_on(n, displaced):
                if s.status is SessionStatus.DONE or n in board.edges:
                    return None
                if s.kind is SessionKind.RACE:
                    return None
                displaced.append(s)
        if board.rules.separate_strength_long_run:
            for s in board.on(day - ONE_DAY):
                if s.kind is not SessionKind.STRENGTH:
                    continue
                if s.status is SessionStatus.DONE or day - ONE_DAY in board.edges:
                    return None  # strength already done (or last week's) the day before
                displaced.append(s)
    return displaced


def _place(board: _Board, session: PlannedSession, why: str) -> bool:
    """Move ``session`` to its best day; displaced sessions are re-placed or dropped."""
    for day in board.candidates(session):
        if day == session.date and session.status is not SessionStatus.MISSED:
            continue
        displaced = _try(board, session, day)
        if displaced is None:
            continue
        if session in board.sessions:
            board.sessions.remove(session)
        for s in displaced:
            board.sessions.remove(s)
        moved = dataclasses.replace(session, date=day, status=SessionStatus.MOVED, activity_id=None)
        board.sessions.append(moved)
        board.notes.append(f"{day_name(session.date)} {label(session)} {why} → {day_name(day)}")
        for s in sorted(displaced, key=priority):
            if not _place(board, s, "moved to make room"):
                board.notes.append(f"{day_name(s.date)} {label(s)} dropped: no longer fits")
        return True
    return False


def _keep_a_free_day(board: _Board) -> None:
    remaining = [
        d
        for d in week_days(board.last_day - dt.timedelta(days=board.last_day.weekday()))
        if board.available(d)
    ]
    if len(remaining) < FREE_DAY_WHEN:
        return
    while all(board.on(d) for d in remaining):
        movable = [
            s
            for d in remaining
            for s in board.on(d)
            if s.status is not SessionStatus.DONE
            and priority(s) >= 2
            and not (s.status is SessionStatus.MOVED and s.kind is not SessionKind.STRENGTH)
        ]
        lonely = [s for s in movable if len(board.on(s.date)) == 1 and _is_aerobic(s)]
        if not lonely:
            return
        victim = min(lonely, key=lambda s: (-priority(s), s.minutes, -s.date.toordinal()))
        board.sessions.remove(victim)
        board.notes.append(f"{day_name(victim.date)} {label(victim)} dropped: keep a day free")


def _with_rest_days(sessions: list[PlannedSession], start: dt.date) -> tuple[PlannedSession, ...]:
    kept = [s for s in sessions if s.kind is not SessionKind.REST]
    used = {s.date for s in kept}
    rests = [s for s in sessions if s.kind is SessionKind.REST and s.date not in used]
    have = {s.date for s in rests}
    for day in week_days(start):
        if day not in used and day not in have:
            rests.append(make.rest(day))
    return tuple(sorted(kept + rests, key=lambda s: (s.date, priority(s))))


def _first_open_day(history: History, today: dt.date) -> dt.date:
    done_today = any(activity_class(a) in (RUN, STRENGTH) for a in history.by_day.get(today, ()))
    return today + ONE_DAY if done_today else today


def rearrange(
    week: PlanWeek,
    athlete: AthleteProfile,
    rules: Rules,
    history: History,
    today: dt.date,
    *,
    keep_unplaced: bool = True,
    moves: Sequence[PlannedSession] | None = None,
    neighbours: Sequence[PlannedSession] = (),
    verb: str = "missed, moved",
    race_day: dt.date | None = None,
    races: Sequence[Race] = (),
) -> PlanWeek:
    """Move missed sessions of a reconciled ``week`` into the days left (see module doc).

    ``moves`` overrides which sessions to move (a fresh plan moves past key sessions that
    were never missed); unplaced ones stay as missed when ``keep_unplaced``.
    ``neighbours`` are the sessions of the previous Sunday and next Monday, so a moved
    long run or quality session never lands next to a hard day across the week boundary,
    and of a race's last seven days outside the week, so its one quality session is
    counted across the boundary too.
    ``race_day`` is the goal race when it may fall after the week (e.g. next Monday); a race
    in the week is found there. ``races`` are every race known, for their recovery windows.
    """
    race_day = next((s.date for s in week.sessions if s.kind is SessionKind.RACE), race_day)
    board = _Board(
        sessions=list(week.sessions),
        athlete=athlete,
        rules=rules,
        first_day=_first_open_day(history, today),
        last_day=week.start + dt.timedelta(days=6),
        race_day=race_day,
        notes=[],
        quiet=recovery_window(races),
    )
    for day in sorted({s.date for s in neighbours}):
        if not week.start <= day <= board.last_day:  # a planned week fills every day
            board.edges[day] = [s for s in neighbours if s.date == day]
    if moves is None:
        moves = [
            s
            for s in week.sessions
            if s.status is SessionStatus.MISSED
            and not s.optional
            and s.kind not in (SessionKind.REST, SessionKind.RACE)
        ]
    for session in sorted(moves, key=lambda s: (priority(s), s.date)):
        if session not in board.sessions:
            continue
        if not _place(board, session, verb):
            board.sessions.remove(session)
            if keep_unplaced:
                board.sessions.append(
                    dataclasses.replace(session, status=SessionStatus.DROPPED, activity_id=None)
                )
            board.notes.append(f"{day_name(session.date)} {label(session)} dropped: no room left")
    _keep_a_free_day(board)
    changes = tuple(dict.fromkeys([*week.changes, *board.notes]))
    missed_days = {
        s.date
        for s in week.sessions
        if s.status is SessionStatus.MISSED
        and not s.optional
        and s.kind not in (SessionKind.REST, SessionKind.RACE)
    }
    return dataclasses.replace(
        week,
        sessions=_with_rest_days(board.sessions, week.start),
        changes=changes,
        missed_days=tuple(sorted(missed_days | set(week.missed_days))),
    )


def _open_quality(session: PlannedSession, today: dt.date) -> bool:
    """A quality session still to run (the race is not one; it is never downgraded)."""
    return (
        session.kind.is_hard
        and session.kind is not SessionKind.RACE
        and session.date >= today
        and session.status in (SessionStatus.PLANNED, SessionStatus.MOVED)
    )


def keep_80_20(week: PlanWeek, judged_from: dt.date, today: dt.date, it: Intensities) -> PlanWeek:
    """``week`` with quality sessions still to run turned into easy runs of the same length,
    the latest first, until its quality minutes from ``judged_from`` (the week's Monday, or a
    plan's start day in its partial first week) are at most 20 % of its aerobic minutes
    (see the module doc for what counts); unchanged when it already fits or holds the race.

    Only sessions from ``today`` on that are planned or moved are changed: a downgraded
    session keeps its day and status, so no placement rule is affected and the week's
    minutes stay what they were.
    """
    if any(s.kind is SessionKind.RACE for s in week.sessions):
        return week
    sessions = list(week.sessions)
    notes: list[str] = []
    while hard_from(sessions, judged_from) > HARD_SHARE * aerobic_from(sessions, judged_from):
        left = [i for i, s in enumerate(sessions) if _open_quality(s, today)]
        if not left:
            break  # what is over the share was already run
        index = max(left, key=lambda i: sessions[i].date)
        quality = sessions[index]
        easy = make.easy(
            quality.date,
            quality.minutes,
            it,
            note="quality swapped for easy to keep the week 80/20",
        )
        sessions[index] = dataclasses.replace(easy, status=quality.status)
        notes.append(f"{day_name(quality.date)} {label(quality)} → easy run: keep the week 80/20")
    if not notes:
        return week
    return dataclasses.replace(
        week,
        sessions=tuple(sorted(sessions, key=lambda s: (s.date, priority(s)))),
        changes=tuple(dict.fromkeys([*week.changes, *notes])),
    )


def settle_first_week(week: PlanWeek, ctx: Context, history: History, today: dt.date) -> PlanWeek:
    """A plan starting midweek: past days keep what was done; a long run or quality session
    that would have been in the past moves into the days left, the rest is not chased."""
    reconciled = reconcile_week(week, history, today)
    past = [
        s
        for s in reconciled.sessions
        if s.date < today and s.kind is not SessionKind.REST and s.status is not SessionStatus.DONE
    ]
    keep = [s for s in reconciled.sessions if s not in past or s.is_key]
    trimmed = dataclasses.replace(reconciled, sessions=tuple(keep))
    moves = [s for s in past if s.is_key]
    return rearrange(
        trimmed,
        ctx.athlete,
        ctx.rules,
        history,
        today,
        keep_unplaced=False,
        moves=moves,
        verb="(before the plan started) moved",
        race_day=ctx.race.date if ctx.race is not None else None,
        races=ctx.races,
    )


def reshuffle(
    plan: Plan,
    athlete: AthleteProfile,
    activities: Sequence[Activity],
    memory: Sequence[MemoryItem],
    today: dt.date,
) -> Plan:
    """Reconcile the plan with ``activities``, rearrange this week around missed days and
    keep it 80/20 (see the module doc); other weeks are only reconciled."""
    timezone = plan.timezone or athlete.timezone
    plan = reconcile_plan(plan, activities, today, timezone=timezone)
    week = plan.week_of(today)
    if week is None:
        return plan
    history = History.of(activities, timezone)
    race = next(
        (s.date for w in plan.weeks for s in w.sessions if s.kind is SessionKind.RACE),
        None,
    )
    if race is None:
        goal = active_race(athlete, today)
        race = goal.date if goal is not None else None
    week_end = week.start + dt.timedelta(days=6)
    around = [
        s
        for w in plan.weeks
        for s in w.sessions
        if s.date in (week.start - ONE_DAY, week_end + ONE_DAY)
        or (
            race is not None and in_race_week(race, s.date) and not week.start <= s.date <= week_end
        )
    ]
    new = rearrange(
        week,
        athlete,
        rules_for(athlete, memory),
        history,
        today,
        neighbours=around,
        race_day=race if race is not None and race >= week.start else None,
        races=races_of(athlete, plan),
    )
    start = plan.created.date()
    judged_from = start if is_partial(week.start, start) else week.start
    new = keep_80_20(new, judged_from, today, Intensities.at_vdot(athlete, plan.vdot))
    return dataclasses.replace(
        plan, weeks=tuple(new if w.start == week.start else w for w in plan.weeks)
    )
