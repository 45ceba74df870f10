"""The first week of a plan started midweek: pro-rated to the days it has left.

Conventions:

* A plan started after Monday has a *partial* first week. Only its days from the start day
  on are plan; the days before it are history (they keep what was done, nothing else).
* Volume is pro-rated by calendar days: the days from the start get ``d / 7`` of the
  week's target, ``d`` counting the start day and the days after it up to Sunday (a
  Wednesday start has 5 of 7 days). Key sessions keep their place first: the long run,
  then quality, then easy runs, then optional runs. A session that no longer fits whole
  is shortened (a long run to no less than 30 minutes, an easy run to no less than 20), a
  quality session that does not fit whole becomes an easy run, and what is left over is
  dropped. Sessions already done (or assumed done) count first and are never touched.
  This keeps the 10 % rule honest when key sessions from the days already past are moved
  into the days left: the partial week never packs more than its share of the week.
* 80/20 is judged over the same days: quality minutes are at most 20 % of the aerobic
  minutes from the start day on (the week holding the race excepted, as for any week);
  quality sessions beyond that become easy runs, the latest first.
* The partial week does not reset the volume the next week ramps from: that stays the
  volume the athlete had established (a week that was only partly planned says nothing
  about what a full week can hold). See
  :func:`momentum.plugins.running.plans.guardrails.check_ramp`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable

from momentum.plugins.running.model.plan import PlannedSession, PlanWeek, SessionKind, SessionStatus
from momentum.plugins.running.plans import sessions as make
from momentum.plugins.running.plans.dates import day_name, floor5, week_days
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.layout import HARD_SHARE, MIN_EASY, by_day
from momentum.plugins.running.plans.progression import MIN_LONG

LIVED = (SessionStatus.DONE, SessionStatus.ASSUMED)


def is_partial(week_start: dt.date, start: dt.date) -> bool:
    """Whether a plan starting on ``start`` has only part of the week from ``week_start``."""
    return week_start < start < week_start + dt.timedelta(days=7)


def days_left(week_start: dt.date, start: dt.date) -> int:
    """Days of the week from ``start`` (included) to Sunday; 7 for a full week."""
    if not is_partial(week_start, start):
        return 7
    return 7 - (start - week_start).days


def share(week_start: dt.date, start: dt.date) -> float:
    """The share of the week's volume a week starting on ``start`` may hold."""
    return days_left(week_start, start) / 7


def _aerobic(session: PlannedSession) -> bool:
    return (
        session.kind.is_run or session.kind is SessionKind.CROSS
    ) and session.kind is not SessionKind.RACE


def counted(sessions: Iterable[PlannedSession], start: dt.date) -> list[PlannedSession]:
    """Sessions from ``start`` on that are still part of the plan (not dropped)."""
    return [s for s in sessions if s.date >= start and s.status is not SessionStatus.DROPPED]


def aerobic_from(sessions: Iterable[PlannedSession], start: dt.date) -> int:
    """Run and cross-training minutes from ``start`` on, the race excluded."""
    return sum(s.minutes for s in counted(sessions, start) if _aerobic(s))


def hard_from(sessions: Iterable[PlannedSession], start: dt.date) -> int:
    """Quality minutes from ``start`` on (the race is not a quality session)."""
    return sum(
        s.minutes
        for s in counted(sessions, start)
        if s.kind.is_hard and s.kind is not SessionKind.RACE
    )


def _rank(session: PlannedSession) -> int:
    if session.kind is SessionKind.LONG:
        return 0
    if session.kind.is_hard:
        return 1
    return 4 if session.optional else 2


def _shortened(session: PlannedSession, minutes: int) -> PlannedSession:
    """``session`` at ``minutes``; a quality session's purpose is rewritten from its new
    parts (:mod:`momentum.plugins.running.plans.structure`), so the reps it names still fit."""
    from momentum.plugins.running.plans.sessions import rewritten_purpose

    title = re.sub(r"\d+min", f"{minutes}min", session.title, count=1)
    shorter = dataclasses.replace(session, minutes=minutes, title=title)
    return dataclasses.replace(shorter, purpose=rewritten_purpose(shorter))


def _as_easy(session: PlannedSession, minutes: int, it: Intensities, why: str) -> PlannedSession:
    easy = make.easy(session.date, minutes, it, note=why)
    return dataclasses.replace(easy, status=session.status)


def fit_first_week(week: PlanWeek, start: dt.date, target: int, it: Intensities) -> PlanWeek:
    """``week`` with its days from ``start`` pro-rated to ``target`` (see module doc);
    unchanged for a full week or when it already fits."""
    if not is_partial(week.start, start):
        return week
    days = days_left(week.start, start)
    budget = floor5(target * days / 7)
    tag = f"first week pro-rated to {days} of 7 days ({budget} min)"
    fixed: list[PlannedSession] = []
    flexible: list[PlannedSession] = []
    for s in week.sessions:
        settled = s.status in LIVED or s.status is SessionStatus.DROPPED
        (fixed if s.date < start or not _aerobic(s) or settled else flexible).append(s)
    room = budget - aerobic_from((s for s in fixed if s.status in LIVED), start)
    kept: list[PlannedSession] = []
    notes: list[str] = []
    for s in sorted(flexible, key=lambda s: (_rank(s), s.date)):
        if s.minutes <= room:
            kept.append(s)
            room -= s.minutes
            continue
        fit = floor5(max(0, room))
        new: PlannedSession | None = None
        if s.kind is SessionKind.LONG and fit >= MIN_LONG:
            new = _shortened(s, fit)
        elif s.kind.is_hard and fit >= MIN_EASY:
            new = _as_easy(s, fit, it, tag)
        elif s.kind in (SessionKind.EASY, SessionKind.CROSS) and fit >= MIN_EASY:
            new = _shortened(s, fit)
        label = s.title or f"{s.minutes}min {s.kind.value}"
        if new is None:
            notes.append(f"{day_name(s.date)} {label} dropped: {tag}")
            continue
        kept.append(new)
        room -= new.minutes
        notes.append(f"{day_name(s.date)} {label} → {new.title}: {tag}")
    holds_race = any(s.kind is SessionKind.RACE for s in week.sessions)
    while not holds_race:
        everything = fixed + kept
        if hard_from(everything, start) <= HARD_SHARE * aerobic_from(everything, start):
            break
        quality = [i for i, s in enumerate(kept) if s.kind.is_hard]
        if not quality:
            break
        index = max(quality, key=lambda i: kept[i].date)
        last = kept[index]
        kept[index] = _as_easy(last, last.minutes, it, "first week kept 80/20")
        notes.append(f"{day_name(last.date)} {last.title} → easy run: first week kept 80/20")
    if not notes:
        return week
    sessions = fixed + kept
    used = {s.date for s in sessions}
    sessions += [make.rest(d) for d in week_days(week.start) if d not in used]
    return dataclasses.replace(
        week,
        sessions=by_day(sessions),
        changes=tuple(dict.fromkeys([*week.changes, *notes])),
    )
