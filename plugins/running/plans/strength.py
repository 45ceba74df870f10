"""Strength & conditioning workouts: warm-up, main set, cool-down, fitted to the athlete.

Conventions (GoAnd.Run's S&C guidance; Blagrove et al. 2018, "Effects of strength training
on the physiological determinants of middle- and long-distance running performance"):

* Equipment tiers nest: bodyweight ⊂ bands ⊂ dumbbells ⊂ kettlebells ⊂ full gym. An
  exercise is offered only when the athlete's highest tier covers it.
* Exercises declare the body areas they load; any that loads an injured area is replaced by
  another from the same movement pattern, or left out.
* Loading follows the phase: heavy (3–4 × 5–6, compound lifts) in reset and base, moderate
  with light plyometrics in the race-specific build, light maintenance (2 × 8, RPE 6) when
  sharpening and tapering, and activation only (or nothing) in race week. Recovery weeks drop
  a set.
"""

from __future__ import annotations

from dataclasses import dataclass

from momentum.core.model.athlete import Equipment
from momentum.plugins.running.model.plan import Exercise, StrengthWorkout
from momentum.plugins.running.plans.macrocycle import BASE, BUILD, MOMENTUM, RESET, SHARPEN, TAPER

TIERS = (
    Equipment.BODYWEIGHT,
    Equipment.BANDS,
    Equipment.DUMBBELLS,
    Equipment.KETTLEBELLS,
    Equipment.FULL_GYM,
)
"""Strength tiers in order; the treadmill is not a strength tier."""

HEAVY, MODERATE, LIGHT, ACTIVATION = "heavy", "moderate", "light", "activation"
MINUTES = {HEAVY: 60, MODERATE: 45, LIGHT: 30, ACTIVATION: 20}
"""Session length by loading level (the talk's strength class is 60 minutes)."""
LEVEL_OF_PHASE = {
    RESET: HEAVY,
    BASE: HEAVY,
    BUILD: MODERATE,
    MOMENTUM: MODERATE,
    SHARPEN: LIGHT,
    TAPER: LIGHT,
}


def tier_of(equipment: tuple[Equipment, ...]) -> Equipment:
    """The highest strength tier the athlete has (bodyweight when none is listed)."""
    best = 0
    for item in equipment:
        if item in TIERS:
            best = max(best, TIERS.index(item))
    return TIERS[best]


def tier_rank(name: str) -> int:
    """Rank of an equipment value such as ``"dumbbells"`` in :data:`TIERS`."""
    for index, tier in enumerate(TIERS):
        if tier.value == name:
            return index
    return len(TIERS)


@dataclass(frozen=True)
class _Move:
    name: str
    pattern: str
    tier: Equipment
    loads: tuple[str, ...]
    cue: str


_LIBRARY: tuple[_Move, ...] = (
    # knee-dominant
    _Move(
        "Back squat",
        "squat",
        Equipment.FULL_GYM,
        ("knee", "quad", "hip", "back"),
        "Brace, sit between the heels, drive up.",
    ),
    _Move(
        "Kettlebell goblet squat",
        "squat",
        Equipment.KETTLEBELLS,
        ("knee", "quad", "hip"),
        "Elbows inside the knees, chest tall.",
    ),
    _Move(
        "Dumbbell goblet squat",
        "squat",
        Equipment.DUMBBELLS,
        ("knee", "quad", "hip"),
        "Slow down (3 s), strong up.",
    ),
    _Move(
        "Banded squat",
        "squat",
        Equipment.BANDS,
        ("knee", "quad", "hip"),
        "Band under the feet, over the shoulders.",
    ),
    _Move(
        "Tempo bodyweight squat",
        "squat",
        Equipment.BODYWEIGHT,
        ("knee", "quad", "hip"),
        "3 s down, 1 s pause, up.",
    ),
    # hip hinge
    _Move(
        "Trap-bar deadlift",
        "hinge",
        Equipment.FULL_GYM,
        ("hamstring", "hip", "back"),
        "Push the floor away, hips and shoulders rise together.",
    ),
    _Move(
        "Kettlebell swing",
        "hinge",
        Equipment.KETTLEBELLS,
        ("hamstring", "hip", "back"),
        "Snap the hips; arms are ropes.",
    ),
    _Move(
        "Dumbbell Romanian deadlift",
        "hinge",
        Equipment.DUMBBELLS,
        ("hamstring", "hip", "back"),
        "Soft knees, hips back, flat back.",
    ),
    _Move(
        "Banded good morning",
        "hinge",
        Equipment.BANDS,
        ("hamstring", "hip", "back"),
        "Hinge until the hamstrings load.",
    ),
    _Move(
        "Glute bridge",
        "hinge",
        Equipment.BODYWEIGHT,
        ("hip",),
        "Squeeze the glutes at the top for 2 s.",
    ),
    # single leg
    _Move(
        "Barbell split squat",
        "single_leg",
        Equipment.FULL_GYM,
        ("knee", "quad", "hip"),
        "Front shin vertical, back knee kisses the floor.",
    ),
    _Move(
        "Dumbbell Bulgarian split squat",
        "single_leg",
        Equipment.DUMBBELLS,
        ("knee", "quad", "hip"),
        "Rear foot on a bench, torso slightly forward.",
    ),
    _Move(
        "Single-leg Romanian deadlift",
        "single_leg",
        Equipment.BODYWEIGHT,
        ("hamstring", "hip", "ankle"),
        "Square hips; reach long through the heel.",
    ),
    _Move(
        "Reverse lunge",
        "single_leg",
        Equipment.BODYWEIGHT,
        ("knee", "quad", "hip"),
        "Step back softly, drive through the front heel.",
    ),
    _Move(
        "Single-leg glute bridge",
        "single_leg",
        Equipment.BODYWEIGHT,
        ("hip",),
        "Hips level, 2 s squeeze.",
    ),
    # calf & foot
    _Move(
        "Seated calf raise (machine)",
        "calf",
        Equipment.FULL_GYM,
        ("calf", "achilles"),
        "Full range, 2 s lower.",
    ),
    _Move(
        "Single-leg calf raise with dumbbell",
        "calf",
        Equipment.DUMBBELLS,
        ("calf", "achilles", "foot"),
        "Off a step, slow lower.",
    ),
    _Move(
        "Single-leg calf raise",
        "calf",
        Equipment.BODYWEIGHT,
        ("calf", "achilles", "foot"),
        "Off a step, 3 s lower.",
    ),
    _Move(
        "Tibialis raise", "calf", Equipment.BODYWEIGHT, ("shin",), "Back to a wall, lift the toes."
    ),
    # hips (lateral)
    _Move(
        "Banded lateral walk", "hip", Equipment.BANDS, ("hip",), "Band above the knees, stay low."
    ),
    _Move(
        "Side-lying leg raise",
        "hip",
        Equipment.BODYWEIGHT,
        ("hip",),
        "Toes forward, lead with the heel.",
    ),
    # core
    _Move("Pallof press", "core", Equipment.BANDS, ("core",), "Resist the twist."),
    _Move("Dead bug", "core", Equipment.BODYWEIGHT, ("core",), "Low back glued to the floor."),
    _Move(
        "Side plank",
        "core2",
        Equipment.BODYWEIGHT,
        ("core", "shoulder"),
        "Straight line ear to ankle.",
    ),
    _Move(
        "Suitcase carry", "core2", Equipment.DUMBBELLS, ("core", "wrist"), "Walk tall, don't lean."
    ),
    _Move("Bird dog", "core2", Equipment.BODYWEIGHT, ("core",), "Reach long, hips still."),
    # plyometrics
    _Move(
        "Pogo hops",
        "plyo",
        Equipment.BODYWEIGHT,
        ("calf", "achilles", "ankle", "foot", "impact"),
        "Quick, stiff ankles, quiet landings.",
    ),
    _Move(
        "Skater bounds",
        "plyo",
        Equipment.BODYWEIGHT,
        ("knee", "ankle", "hip", "impact"),
        "Stick each landing for 1 s.",
    ),
    # upper body
    _Move("Dumbbell row", "upper", Equipment.DUMBBELLS, ("shoulder", "back"), "Elbow to the hip."),
    _Move(
        "Band pull-apart", "upper", Equipment.BANDS, ("shoulder",), "Squeeze the shoulder blades."
    ),
    _Move("Push-up", "upper", Equipment.BODYWEIGHT, ("shoulder", "wrist"), "Body in one line."),
    # always safe fallback
    _Move(
        "Breathing and mobility flow",
        "mobility",
        Equipment.BODYWEIGHT,
        (),
        "Slow nasal breathing, cat–cow, thoracic rotations.",
    ),
)

_PATTERNS = {
    HEAVY: ("squat", "hinge", "single_leg", "calf", "core", "core2"),
    MODERATE: ("single_leg", "hinge", "calf", "plyo", "core", "upper"),
    LIGHT: ("single_leg", "hinge", "calf", "core"),
    ACTIVATION: ("hip", "hinge", "core"),
}


@dataclass(frozen=True)
class _Dose:
    sets: int
    reps: str
    bw_reps: str
    """Reps when the exercise is bodyweight (more, slower: there is no load to add)."""
    note: str


_DOSE = {
    HEAVY: _Dose(4, "5–6", "10–12 slow", "RPE 7–8, 2 reps in reserve"),
    MODERATE: _Dose(3, "6–8", "10–12", "RPE 7, smooth reps"),
    LIGHT: _Dose(2, "8", "8–10", "RPE 6, stay crisp, no soreness"),
    ACTIVATION: _Dose(1, "10", "10", "Activation only, no fatigue"),
}
_SPECIAL_REPS = {
    "core": "30–40 s",
    "core2": "30 s/side",
    "plyo": "3×10 contacts",
    "hip": "12/side",
    "mobility": "5 min",
    "calf": "12–15",
}

_WARM_UP: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("5 min easy cardio (bike, rower or brisk walk)", ()),
    ("Leg swings, front-to-back and side-to-side, 10 each", ("hip",)),
    ("World's greatest stretch, 5 per side", ("hip", "groin")),
    ("Glute bridges, 2×10", ("hip",)),
    ("Ankle rocks and calf pumps, 10 each", ("calf", "achilles", "ankle")),
    ("Cat–cow and thoracic rotations, 8 each", ()),
)
_COOL_DOWN: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Couch stretch, 60 s per side", ("quad", "knee", "hip")),
    ("Figure-four glute stretch, 60 s per side", ("hip",)),
    ("Hamstring floss, 10 per side", ("hamstring",)),
    ("Calf stretch against a wall, 45 s per side", ("calf", "achilles")),
    ("Child's pose with slow breathing, 2 min", ()),
)


def _pick(pattern: str, tier: Equipment, injured: frozenset[str], heavy: bool) -> _Move | None:
    rank = TIERS.index(tier)
    options = [
        m
        for m in _LIBRARY
        if m.pattern == pattern and TIERS.index(m.tier) <= rank and not set(m.loads) & injured
    ]
    if not options:
        return None
    # Library order is heaviest first: take it when loading is wanted, else the simplest.
    return options[0] if heavy else options[-1]


def level_for(phase_kind: str, *, race_week: bool, recovery: bool) -> str:
    """Loading level for a phase: heavy → moderate → light → activation in race week."""
    if race_week:
        return ACTIVATION
    level = LEVEL_OF_PHASE.get(phase_kind, MODERATE)
    if recovery and level == HEAVY:
        return MODERATE
    return level


def minutes_for(level: str) -> int:
    """Planned minutes of a strength session at ``level``."""
    return MINUTES[level]


def build_workout(
    level: str,
    equipment: tuple[Equipment, ...],
    injured: frozenset[str] = frozenset(),
    *,
    recovery: bool = False,
    minutes: int | None = None,
) -> StrengthWorkout:
    """A warm-up, main set and cool-down at ``level`` for the athlete's kit and injuries.

    ``minutes`` shorter than the level's usual length trims the main set (e.g. "I only have
    20 minutes"). The main set is never empty: a mobility flow loads nothing.
    """
    tier = tier_of(equipment)
    dose = _DOSE[level]
    heavy = level in (HEAVY, MODERATE)
    sets = max(1, dose.sets - (1 if recovery else 0))
    main: list[Exercise] = []
    seen: set[str] = set()
    for pattern in _PATTERNS[level]:
        move = _pick(pattern, tier, injured, heavy)
        if move is None or move.name in seen:
            continue
        seen.add(move.name)
        weighted = move.tier is not Equipment.BODYWEIGHT
        reps = _SPECIAL_REPS.get(pattern, dose.reps if weighted else dose.bw_reps)
        main.append(
            Exercise(
                name=move.name,
                sets=1 if pattern == "plyo" else sets,
                reps=reps,
                notes=f"{move.cue} {dose.note}.",
                equipment=move.tier.value,
                loads=move.loads,
            )
        )
    usual = MINUTES[level]
    if minutes is not None and minutes < usual:
        keep = max(1, round(len(main) * minutes / usual))
        main = main[:keep]
        sets_cap = 2 if minutes >= 20 else 1
        main = [
            Exercise(e.name, min(e.sets, sets_cap), e.reps, e.notes, e.equipment, e.loads)
            for e in main
        ]
    if not main:
        flow = _pick("mobility", tier, injured, False)
        assert flow is not None  # the flow loads nothing, so it is always allowed
        main.append(Exercise(flow.name, 1, "5 min", flow.cue, flow.tier.value, flow.loads))
    warm = tuple(text for text, loads in _WARM_UP if not set(loads) & injured)
    cool = tuple(text for text, loads in _COOL_DOWN if not set(loads) & injured)
    if level == ACTIVATION:
        warm, cool = warm[:2], cool[:2]
    return StrengthWorkout(warm_up=warm, main_set=tuple(main), cool_down=cool, intensity=level)
