"""One planned session each: its kind, length, the athlete's zone and pace, and its purpose.

Hard sessions include a 10-minute warm-up and cool-down in their minutes and count as hard
for their whole length (the conservative "session goal" reading of 80/20; Seiler 2010).
"""

from __future__ import annotations

import datetime as dt

from momentum.core.model.athlete import GoalRace
from momentum.core.model.plan import PlannedSession, SessionKind, StrengthWorkout
from momentum.core.plans.intensity import Intensities, pace_text
from momentum.core.plans.strength import ACTIVATION, HEAVY, LIGHT, MODERATE

WARM_AND_COOL = 20
"""Minutes of warm-up plus cool-down inside every hard session."""

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
    """A quality session: ``tempo``, ``intervals``, ``hills`` or ``sharpener`` (race week)."""
    main = max(10, minutes - WARM_AND_COOL)
    if intensity == "sharpener":
        reps = max(2, main // 4)
        pace = race_pace or it.pace("tempo")
        zone = it.zone("tempo")
        why = f"Race-week sharpener: {reps}×2 min at race pace, 2 min jog; stay fresh"
        kind, title = SessionKind.TEMPO, f"Sharpener {minutes}min"
    elif intensity == "tempo":
        if main <= 20:
            work = f"{main} min continuous at T pace"
        else:
            work = f"{main // 10}×8 min at T pace, 2 min jog"
        zone, pace = it.zone("tempo"), it.pace("tempo")
        why = f"Raise threshold: {work}, comfortably hard"
        kind, title = SessionKind.TEMPO, f"Tempo {minutes}min"
    elif intensity == "hills":
        reps = min(12, max(6, int(main / 2.5)))
        zone, pace = it.zone("hills"), None
        why = f"Climbing strength and economy: {reps}×60 s strong uphill, jog down"
        kind, title = SessionKind.INTERVALS, f"Hills {minutes}min"
    else:
        reps = min(6, max(3, main // 5))
        zone, pace = it.zone("intervals"), it.pace("intervals")
        why = f"VO2max: {reps}×3 min at I pace, 2 min jog recoveries"
        kind, title = SessionKind.INTERVALS, f"Intervals {minutes}min"
    why += f"; includes {WARM_AND_COOL // 2} min warm-up and cool-down"
    return PlannedSession(
        date=day,
        kind=kind,
        minutes=minutes,
        zone=zone,
        pace=pace,
        purpose=_with_targets(why, zone, pace),
        title=title,
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
