"""Session adjustment: "I can't do today's session" replaces that one day and nothing else.

Conventions (GoAnd.Run's session adjustments; Hudson's adaptive running; common
return-to-run advice):

* Short on time ("only 20 minutes"): keep the day's intent in the time there is. A quality
  session of 30+ minutes is shortened (shorter warm-up, fewer reps); shorter than that it
  becomes an easy run. A long run cannot be squeezed: it becomes an easy run of that length.
  Strength becomes a shorter main set.
* Something hurts ("my calf is sore"): no running on a sore lower limb; low-impact
  cross-training instead, capped at 45 minutes, and rest for sharp pain or swelling. Strength
  leaves out exercises that load the sore area.
* Ill: rest. Tired, stressed or slept badly: downgrade to an easy or recovery run, and light
  strength.
* Anything else: a short easy run instead, so the streak holds without forcing the plan.
* Only the sessions on that date change; every other day and week is untouched.
* 80/20: adjusting a quality session never raises the week's quality share, but shortening
  an easy day or the long run (or resting instead) can leave the week over 20 %. This
  module keeps its one-day promise; the reshuffle the coach runs after every adjustment
  (:func:`momentum.plugins.running.plans.reshuffle.reshuffle`, from
  :mod:`momentum.plugins.running.coach.chat`) restores
  80/20 by
  turning the latest quality session still to run into an easy run (see
  :func:`momentum.plugins.running.plans.reshuffle.keep_80_20`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from momentum.core.errors import InputError, NotFoundError
from momentum.core.model.athlete import AthleteProfile
from momentum.core.model.journal import MemoryItem
from momentum.plugins.running.model.plan import Plan, PlannedSession, SessionKind, SessionStatus
from momentum.plugins.running.plans import sessions as make
from momentum.plugins.running.plans.dates import floor5
from momentum.plugins.running.plans.injuries import LOWER_LIMB, areas_of
from momentum.plugins.running.plans.intensity import Intensities
from momentum.plugins.running.plans.rules import rules_for
from momentum.plugins.running.plans.strength import LIGHT, MODERATE, build_workout

CROSS_CAP = 45
TIRED_CAP = 45
DEFAULT_EASY = 30
MIN_HARD = 30
_SICK = ("sick", "ill", "fever", "flu", "cold", "covid", "virus", "stomach", "vomit", "infection")
_PAIN = (
    "sore",
    "pain",
    "hurt",
    "ache",
    "injur",
    "tight",
    "niggle",
    "tweak",
    "strain",
    "sprain",
    "pull",
    "swollen",
    "swelling",
)
_SEVERE = (
    "sharp",
    "swollen",
    "swelling",
    "can't walk",
    "cannot walk",
    "limp",
    "stabbing",
    "popped",
    "bruise",
    "fracture",
)
_TIRED = (
    "tired",
    "exhausted",
    "fatigue",
    "fatigued",
    "drained",
    "slept badly",
    "no sleep",
    "poor sleep",
    "didn't sleep",
    "stressed",
    "stress",
    "wiped",
    "knackered",
    "doms",
)
_REST = ("rest day", "day off", "skip", "rest")
_WORD_NUMBERS = {
    "half an hour": 30,
    "half hour": 30,
    "an hour": 60,
    "one hour": 60,
    "quarter of an hour": 15,
}


def parse_minutes(reason: str) -> int | None:
    """Minutes the athlete has, from "only 20 minutes", "20 min", "1h", "half an hour"."""
    text = reason.lower()
    hours = re.search(r"(\d+(?:\.\d+)?)\s*(?:h|hr|hrs|hour|hours)\b", text)
    if hours:
        return round(float(hours.group(1)) * 60)
    minutes = re.search(r"(\d+)\s*(?:m|min|mins|minute|minutes|')(?:\b|$)", text)
    if minutes:
        return int(minutes.group(1))
    for words, value in _WORD_NUMBERS.items():
        if words in text:
            return value
    return None


def _has(text: str, words: Sequence[str]) -> bool:
    return any(re.search(r"\b" + re.escape(w), text) for w in words)


@dataclasses.dataclass(frozen=True)
class Reason:
    """What the athlete's words ask for."""

    text: str
    minutes: int | None
    sore_areas: frozenset[str]
    pain: bool
    severe: bool
    sick: bool
    tired: bool
    rest: bool

    @classmethod
    def parse(cls, text: str) -> Reason:
        """Read the reason with plain keyword rules (the model picks the intent upstream)."""
        lowered = text.lower()
        areas = frozenset(areas_of(lowered))
        pain = _has(lowered, _PAIN)
        return cls(
            text=text.strip(),
            minutes=parse_minutes(lowered),
            sore_areas=areas,
            pain=pain or bool(areas and not _has(lowered, _TIRED)),
            severe=_has(lowered, _SEVERE),
            sick=_has(lowered, _SICK),
            tired=_has(lowered, _TIRED) or (pain and not areas),
            rest=_has(lowered, _REST),
        )


def _note(session: PlannedSession, reason: Reason, what: str) -> PlannedSession:
    return dataclasses.replace(
        session,
        purpose=f'{what} (you said: "{reason.text}"). {session.purpose}',
        status=SessionStatus.PLANNED,
        activity_id=None,
    )


def _replace_one(
    session: PlannedSession,
    reason: Reason,
    athlete: AthleteProfile,
    injured: frozenset[str],
    it: Intensities,
) -> PlannedSession:
    day = session.date
    level = session.strength.intensity if session.strength else MODERATE
    if (
        reason.sick
        or (reason.pain and reason.severe)
        or (reason.rest and reason.minutes is None and not reason.pain)
    ):
        why = (
            "Rest: get well first"
            if reason.sick
            else (
                "Rest: sharp pain or swelling is a stop sign; see a physio if it persists"
                if reason.pain and reason.severe
                else "Rest as you asked"
            )
        )
        return _note(make.rest(day, why + "."), reason, "Swapped for rest")
    if reason.pain and reason.sore_areas:
        all_injured = injured | reason.sore_areas
        if session.kind is SessionKind.STRENGTH:
            minutes = min(session.minutes, reason.minutes or session.minutes)
            workout = build_workout(level, athlete.equipment, all_injured, minutes=minutes)
            return _note(
                make.strength(day, minutes, workout),
                reason,
                "Strength without loading the sore area",
            )
        if reason.sore_areas & LOWER_LIMB:
            minutes = floor5(min(session.minutes, CROSS_CAP, reason.minutes or CROSS_CAP))
            if minutes < 15:
                return _note(make.rest(day), reason, "Swapped for rest")
            return _note(
                make.cross(day, minutes, it, "no impact while it settles"),
                reason,
                "Swapped for low-impact cross-training",
            )
        if session.kind.is_hard or session.kind is SessionKind.LONG:
            minutes = floor5(min(session.minutes, TIRED_CAP))
            return _note(
                make.easy(day, minutes, it, recovery=True), reason, "Downgraded to an easy run"
            )
        return _note(session, reason, "Unchanged: the sore area is not what this day loads")
    if reason.minutes is not None:
        limit = reason.minutes
        if limit >= session.minutes:
            return _note(session, reason, "Fits as planned")
        if limit < 10:
            return _note(
                make.rest(day, "Rest, or a 10-minute walk if you fancy it."),
                reason,
                "Too short for a session",
            )
        if session.kind is SessionKind.STRENGTH:
            workout = build_workout(level, athlete.equipment, injured, minutes=limit)
            return _note(make.strength(day, limit, workout), reason, "Shorter strength")
        if session.kind is SessionKind.CROSS:
            return _note(
                dataclasses.replace(session, minutes=limit, title=f"{limit}min Cross-training"),
                reason,
                "Shorter cross-training",
            )
        if session.kind.is_hard and limit >= MIN_HARD:
            intensity = (
                "hills"
                if session.title.startswith("Hills")
                else ("intervals" if session.kind is SessionKind.INTERVALS else "tempo")
            )
            return _note(make.hard(day, limit, intensity, it), reason, "Shortened quality session")
        return _note(make.easy(day, limit, it), reason, "Short easy run instead")
    if reason.tired:
        if session.kind is SessionKind.STRENGTH:
            minutes = min(session.minutes, 30)
            workout = build_workout(LIGHT, athlete.equipment, injured, minutes=minutes)
            return _note(make.strength(day, minutes, workout), reason, "Light strength instead")
        if session.kind is SessionKind.CROSS:
            return _note(session, reason, "Keep it easy")
        minutes = floor5(min(session.minutes * 0.7, TIRED_CAP))
        return _note(
            make.easy(day, min(session.minutes, max(20, minutes)), it, recovery=True),
            reason,
            "Downgraded to an easy recovery run",
        )
    if session.kind is SessionKind.STRENGTH:
        minutes = min(session.minutes, 20)
        workout = build_workout(LIGHT, athlete.equipment, injured, minutes=minutes)
        return _note(make.strength(day, minutes, workout), reason, "Short strength instead")
    if session.kind is SessionKind.CROSS:
        minutes = min(session.minutes, DEFAULT_EASY)
        return _note(dataclasses.replace(session, minutes=minutes), reason, "Shorter session")
    minutes = min(session.minutes, DEFAULT_EASY)
    return _note(make.easy(day, minutes, it), reason, "Short easy run instead")


def adjust_session(
    plan: Plan,
    athlete: AthleteProfile,
    day: dt.date,
    reason: str,
    memory: Sequence[MemoryItem],
) -> Plan:
    """Replace the sessions planned on ``day`` to fit ``reason``; nothing else changes.

    Raises :class:`InputError` for an empty reason or a session already done, and
    :class:`NotFoundError` when the plan has no week or no session on ``day``.
    """
    if not reason or not reason.strip():
        raise InputError("reason", "say why the session needs to change, e.g. 'only 20 minutes'")
    week = plan.week_of(day)
    if week is None:
        raise NotFoundError(f"the plan has no week covering {day.isoformat()}")
    todays = [s for s in week.sessions if s.date == day and s.kind is not SessionKind.REST]
    if not todays:
        raise NotFoundError(f"nothing is planned on {day.isoformat()}: it is a rest day")
    if all(s.status is SessionStatus.DONE for s in todays):
        raise InputError(day.isoformat(), "that session is already done")
    if any(s.kind is SessionKind.RACE for s in todays):
        raise InputError(day.isoformat(), "race day is not adjusted here; change the goal race")
    parsed = Reason.parse(reason)
    rules = rules_for(athlete, memory)
    intensities = (
        Intensities.at_vdot(athlete, plan.vdot)
        if plan.vdot is not None
        else Intensities.of(athlete, day)
    )
    open_sessions = [s for s in todays if s.status is not SessionStatus.DONE]
    replaced: list[PlannedSession] = []
    if parsed.minutes is not None and len(open_sessions) > 1:
        main = min(open_sessions, key=lambda s: (s.kind is SessionKind.STRENGTH, -s.minutes))
        open_sessions = [main]
    for session in open_sessions:
        new = _replace_one(session, parsed, athlete, rules.injured_areas, intensities)
        if not (new.kind is SessionKind.REST and any(r.kind is SessionKind.REST for r in replaced)):
            replaced.append(new)
    done = [s for s in todays if s.status is SessionStatus.DONE]
    others = [s for s in week.sessions if s.date != day]
    day_sessions = done + replaced
    if any(s.kind is not SessionKind.REST for s in day_sessions):
        day_sessions = [s for s in day_sessions if s.kind is not SessionKind.REST]
    change = f"{day.strftime('%a')} adjusted ({parsed.text}): " + ", ".join(
        s.title or s.kind.value for s in day_sessions
    )
    new_week = dataclasses.replace(
        week,
        sessions=tuple(sorted(others + day_sessions, key=lambda s: s.date)),
        changes=(*week.changes, change),
    )
    return dataclasses.replace(
        plan, weeks=tuple(new_week if w.start == week.start else w for w in plan.weeks)
    )
