"""One planned session each: its kind, length, the athlete's zone and pace, and its purpose.

Hard sessions include at least 10 minutes each of warm-up and cool-down in their minutes
(what the reps leave over is added to them: :mod:`momentum.plugins.running.plans.structure`) and
count
as hard for their whole length (the conservative "session goal" reading of 80/20; Seiler
2010).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from momentum.plugins.running.model.plan import PlannedSession, SessionKind, StrengthWorkout
from momentum.plugins.running.plans.intensity import Intensities, pace_text
from momentum.plugins.running.plans.strength import ACTIVATION, HEAVY, LIGHT, MODERATE
from momentum.plugins.running.plans.structure import clock, steps_of, warm_and_cool, work_text
from momentum.plugins.running.profile import GoalRace

_LEVEL_WORDS = {
    HEAVY: "heavy: build strength that holds your form late in long runs",
    MODERATE: "moderate: strength plus a little spring for race-specific work",
    LIGHT: "light maintenance: keep the gains without tiring the legs",
    ACTIVATION: "activation only: wake up hips and core, no fatigue before the race",
}


def _with_targets(text: str, zone: str, pace: tuple[float, float] | None) -> str:
    target = zone
    if pace is not None:
        target += f" at {pace_text(pace)}"
    return f"{text}. Target: {target}." if target else f"{text}."


def easy(
    day: dt.date,
    minutes: int,
    it: Intensities,
    *,
    optional: bool = False,
    recovery: bool = False,
    note: str = "",
) -> PlannedSession:
    """An easy Z1–Z2 run; ``recovery`` runs (after the long run, or optional extras) are Z1."""
    intensity = "recovery" if recovery or optional else "easy"
    zone = it.zone(intensity)
    pace = it.pace(intensity)
    if optional:
        why = "Bonus easy minutes if the day allows; skipping it costs nothing"
        title = f"{minutes}min Z1 Run"
    elif recovery:
        why = "Loosen up and absorb yesterday's long run; keep it very easy"
        title = f"{minutes}min Recovery Run"
    else:
        why = "Aerobic base: conversational running, easy enough to chat"
        title = f"{minutes}min Z1-Z2 Run"
    if note:
        why = f"{why}; {note}"
    return PlannedSession(
        date=day,
        kind=SessionKind.EASY,
        minutes=minutes,
        zone=zone,
        pace=pace,
        purpose=_with_targets(why, zone, pace),
        title=title,
        optional=optional,
    )


def walk_run(day: dt.date, minutes: int, step: tuple[int, int], it: Intensities) -> PlannedSession:
    """A walk-run session: ``step`` = (run, walk) minutes repeated between five minutes of
    walking before and after (:mod:`momentum.plugins.running.plans.comeback`)."""
    run, walk = step
    zone = it.zone("easy")
    title = f"Walk-run {minutes}min ({run} min run / {walk} min walk)"
    session = PlannedSession(
        date=day, kind=SessionKind.EASY, minutes=minutes, zone=zone, title=title
    )
    parts = steps_of(session)
    why = (
        f"Back to running gently: {work_text(parts, 'easy running', 'brisk walk')}, with "
        f"{clock(warm_and_cool(parts)[0])} walking before and {clock(warm_and_cool(parts)[1])}"
        " after; run at a pace you could talk at"
    )
    return dataclasses.replace(session, purpose=_with_targets(why, zone, None))


def long_run(
    day: dt.date, minutes: int, it: Intensities, *, trail: bool = False, treadmill: bool = False
) -> PlannedSession:
    """The week's long run at steady Z2."""
    zone = it.zone("long")
    pace = it.pace("long")
    why = "Endurance and durability: steady Z2, fuel every 30–40 min"
    if trail:
        why += "; hills or incline hiking welcome (walk the steep bits)"
    if treadmill:
        why += "; the treadmill at 8–12% incline works when it's grim outside"
    return PlannedSession(
        date=day,
        kind=SessionKind.LONG,
        minutes=minutes,
        zone=zone,
        pace=pace,
        purpose=_with_targets(why, zone, pace),
        title=f"Long Run ({minutes}min)",
    )


def hard(
    day: dt.date,
    minutes: int,
    intensity: str,
    it: Intensities,
    *,
    race_pace: tuple[float, float] | None = None,
) -> PlannedSession:
    """A quality session: ``tempo``, ``intervals``, ``hills`` or ``sharpener`` (race week).
    Its purpose is written from its parts
    (:func:`momentum.plugins.running.plans.structure.steps_of`),
    so the reps, recoveries, warm-up and cool-down it names add up to its minutes."""
    if intensity == "sharpener":
        zone, pace = it.zone("tempo"), race_pace or it.pace("tempo")
        kind, title = SessionKind.TEMPO, f"Sharpener {minutes}min"
    elif intensity == "tempo":
        zone, pace = it.zone("tempo"), it.pace("tempo")
        kind, title = SessionKind.TEMPO, f"Tempo {minutes}min"
    elif intensity == "hills":
        zone, pace = it.zone("hills"), None
        kind, title = SessionKind.INTERVALS, f"Hills {minutes}min"
    else:
        zone, pace = it.zone("intervals"), it.pace("intervals")
        kind, title = SessionKind.INTERVALS, f"Intervals {minutes}min"
    session = PlannedSession(
        date=day, kind=kind, minutes=minutes, zone=zone, pace=pace, title=title
    )
    return dataclasses.replace(session, purpose=rewritten_purpose(session))


_HARD_WORDS = {
    "tempo": ("Raise threshold", "at T pace", ", comfortably hard"),
    "intervals": ("VO2max", "at I pace", ""),
    "hills": ("Climbing strength and economy", "strong uphill", ""),
    "sharpener": ("Race-week sharpener", "at race pace", "; stay fresh"),
}


def rewritten_purpose(session: PlannedSession) -> str:
    """The purpose of a quality session whose minutes changed, written from its new parts;
    other sessions keep theirs."""
    from momentum.plugins.running.plans.structure import intensity_of

    words = _HARD_WORDS.get(intensity_of(session))
    if words is None or not session.kind.is_hard or session.kind is SessionKind.RACE:
        return session.purpose
    lead, at, tail = words
    return _with_targets(hard_purpose(session, lead, at, tail), session.zone, session.pace)


def hard_purpose(session: PlannedSession, lead: str, at: str, tail: str = "") -> str:
    """``Raise threshold: 2×8 min at T pace, 2 min jog, comfortably hard; 14 min warm-up and
    13 min cool-down`` from the session's parts."""
    parts = steps_of(session)
    rest = "jog down" if "uphill" in at else "jog"
    warm, cool = warm_and_cool(parts)
    return (
        f"{lead}: {work_text(parts, at, rest)}{tail}; "
        f"{clock(warm)} warm-up and {clock(cool)} cool-down"
    )


def race(
    day: dt.date, goal: GoalRace, it: Intensities, minutes: int, pace: tuple[float, float] | None
) -> PlannedSession:
    """Race day."""
    km = goal.distance_meters / 1000
    why = f"Race day: {goal.name}, {km:g} km. Start easy, finish strong"
    if goal.course_notes:
        why += f"; course: {goal.course_notes}"
    zone = it.zone("tempo") if goal.distance_meters <= 21_200 else it.zone("marathon")
    if pace is not None and km > 0:
        # The stated pace is the one the session's minutes are run at (a trail race's
        # allowance slows both), so distance, pace and duration agree.
        per_km = minutes * 60 / km
        pace = (per_km, per_km)
    return PlannedSession(
        date=day,
        kind=SessionKind.RACE,
        minutes=minutes,
        zone=zone,
        pace=pace,
        purpose=_with_targets(why, zone, pace),
        title=goal.name,
        distance_meters=goal.distance_meters,
    )


def cross(day: dt.date, minutes: int, it: Intensities, reason: str) -> PlannedSession:
    """Low-impact aerobic cross-training (bike, elliptical, pool running)."""
    zone = it.zone("cross")
    why = f"Low-impact aerobic minutes (bike, elliptical or pool running): {reason}"
    return PlannedSession(
        date=day,
        kind=SessionKind.CROSS,
        minutes=minutes,
        zone=zone,
        purpose=_with_targets(why, zone, None),
        title=f"{minutes}min Cross-training",
    )


def strength(
    day: dt.date, minutes: int, workout: StrengthWorkout, focus: str = ""
) -> PlannedSession:
    """A strength & conditioning session with its full workout."""
    why = f"Strength & conditioning, {_LEVEL_WORDS.get(workout.intensity, workout.intensity)}"
    if focus:
        why += f"; {focus}"
    return PlannedSession(
        date=day,
        kind=SessionKind.STRENGTH,
        minutes=minutes,
        purpose=why + ".",
        title=f"Strength ({minutes}min)",
        strength=workout,
    )


def rest(
    day: dt.date, why: str = "Rest: the training soaks in on days like this."
) -> PlannedSession:
    """A rest day (zero minutes)."""
    return PlannedSession(date=day, kind=SessionKind.REST, minutes=0, purpose=why, title="Rest")
