"""A session's parts: warm-up, reps, recoveries, cool-down (or run/walk intervals).

The parts are derived from the session itself (its kind, minutes and title), never stored
apart from it, so a session shortened by a reshuffle or an adjustment still adds up: the
parts always sum to exactly the session's minutes. The session builders
(:mod:`momentum.plugins.running.plans.sessions`) write the purpose from the same parts, and the FIT
export (:mod:`momentum.plugins.running.plans.fit_export`) writes them as workout steps.

Conventions (minutes of work per rep and recoveries as the builders describe them):

* tempo: ``main ≤ 20`` min continuous at T, else reps of 8 min at T with 2 min jogs
  (Daniels' cruise intervals); intervals: 3 min at I with 2 min jogs, 3–6 reps (Daniels'
  I sessions); hills: 60 s strong uphill with a 90 s jog down, 6–12 reps; the race-week
  sharpener: 2 min at race pace with 2 min jogs. ``main`` is the session less the 20
  minutes of warm-up and cool-down (:data:`WARM_AND_COOL`; half the session when it is
  shorter than 40 minutes); what the reps leave over is shared between warm-up and
  cool-down, so nothing is unaccounted for.
* walk-run: ``run`` minutes of easy running and ``walk`` minutes of brisk walking repeated,
  with a 5-minute walk before and after (the shape of return-to-run and couch-to-5K
  programmes, e.g. the NHS Couch to 5K and Galloway's run-walk-run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from momentum.plugins.running.model.plan import PlannedSession, SessionKind

WARM_AND_COOL = 20
"""Minutes of warm-up plus cool-down inside every hard session."""
WALK_BOOKENDS = 5
"""Minutes of walking before and after a walk-run session."""

WARMUP, WORK, RECOVER, COOLDOWN, STEADY, RUN, WALK = (
    "warmup",
    "work",
    "recovery",
    "cooldown",
    "steady",
    "run",
    "walk",
)


@dataclass(frozen=True)
class Step:
    """One part of a session: what, how long, and at which intensity."""

    kind: str
    seconds: int
    intensity: str
    """``easy``, ``long``, ``recovery``, ``tempo``, ``intervals``, ``hills``, ``race``,
    ``walk`` or ``cross``: looked up in the athlete's zones and paces."""


def intensity_of(session: PlannedSession) -> str:
    """The session's main intensity, from its kind and title."""
    title = session.title.lower()
    if session.kind is SessionKind.RACE:
        return "race"
    if session.kind is SessionKind.TEMPO:
        return "sharpener" if title.startswith("sharpener") else "tempo"
    if session.kind is SessionKind.INTERVALS:
        return "hills" if title.startswith("hills") else "intervals"
    if session.kind is SessionKind.LONG:
        return "long"
    if session.kind is SessionKind.CROSS:
        return "cross"
    if title.startswith("walk-run"):
        return "walk_run"
    if "recovery" in title or session.optional:
        return "recovery"
    return "easy"


def _bookended(total_s: int, reps: list[Step], warm_intensity: str = "easy") -> tuple[Step, ...]:
    """Warm-up, ``reps``, cool-down: what the reps leave of ``total_s`` is shared between
    warm-up (the larger half) and cool-down."""
    used = sum(s.seconds for s in reps)
    left = max(0, total_s - used)
    whole = left // 60
    cool = (whole // 2) * 60
    warm = left - cool
    return (
        Step(WARMUP, warm, warm_intensity),
        *reps,
        Step(COOLDOWN, cool, warm_intensity),
    )


def _repeats(count: int, work_s: int, rest_s: int, work: str, rest: str = "easy") -> list[Step]:
    out: list[Step] = []
    for index in range(count):
        out.append(Step(WORK, work_s, work))
        if index < count - 1:
            out.append(Step(RECOVER, rest_s, rest))
    return out


def tempo_reps(main: int) -> int:
    """8-minute reps with 2-minute jogs that fit ``main`` minutes (0: one continuous block)."""
    return 0 if main <= 20 else (main + 2) // 10


def interval_reps(main: int) -> int:
    """3-minute reps with 2-minute jogs that fit ``main`` minutes (3–6)."""
    return min(6, max(3, (main + 2) // 5))


def hill_reps(main: int) -> int:
    """60 s uphill + 90 s down reps that fit ``main`` minutes (6–12)."""
    return min(12, max(6, int(main * 60 // 150)))


def sharpener_reps(main: int) -> int:
    """2-minute race-pace reps with 2-minute jogs that fit ``main`` minutes (at least 2)."""
    return max(2, (main + 2) // 4)


def walk_run_split(title: str) -> tuple[float, float]:
    """(run, walk) minutes of a walk-run title such as ``Walk-run 8×(1 min run / 2 min walk)``."""
    m = re.search(r"\((\d+(?:\.\d+)?) min run / (\d+(?:\.\d+)?) min walk\)", title)
    return (float(m.group(1)), float(m.group(2))) if m else (1.0, 2.0)


def steps_of(session: PlannedSession) -> tuple[Step, ...]:
    """The parts of ``session``; their seconds always sum to ``session.minutes * 60``."""
    total = max(0, session.minutes) * 60
    if session.kind in (SessionKind.REST, SessionKind.STRENGTH) or total == 0:
        return ()
    intensity = intensity_of(session)
    main = session.minutes - min(WARM_AND_COOL, session.minutes // 2)
    if intensity == "tempo" and main >= 10:
        reps = tempo_reps(main)
        if reps == 0:
            return _bookended(total, [Step(WORK, main * 60, "tempo")])
        return _bookended(total, _repeats(reps, 8 * 60, 2 * 60, "tempo"))
    if intensity == "intervals" and main >= 10:
        reps = interval_reps(main)
        while reps > 1 and reps * 3 + (reps - 1) * 2 > main:
            reps -= 1
        return _bookended(total, _repeats(reps, 3 * 60, 2 * 60, "intervals"))
    if intensity == "hills" and main >= 10:
        reps = hill_reps(main)
        while reps > 1 and reps * 150 > main * 60:
            reps -= 1
        return _bookended(total, _repeats(reps, 60, 90, "hills"))
    if intensity == "sharpener" and main >= 6:
        reps = sharpener_reps(main)
        while reps > 1 and reps * 2 + (reps - 1) * 2 > main:
            reps -= 1
        return _bookended(total, _repeats(reps, 2 * 60, 2 * 60, "race"))
    if intensity == "walk_run":
        run, walk = walk_run_split(session.title)
        cycle = round((run + walk) * 60)
        inner = max(0, total - 2 * WALK_BOOKENDS * 60)
        count = max(1, inner // cycle) if cycle > 0 else 1
        cycles: list[Step] = []
        for index in range(count):
            cycles.append(Step(RUN, round(run * 60), "easy"))
            if index < count - 1:
                cycles.append(Step(WALK, round(walk * 60), "walk"))
        return _bookended(total, cycles, "walk")
    return (Step(STEADY, total, intensity),)


def clock(seconds: int) -> str:
    """``8 min``, ``45 s`` or ``1:30 min``."""
    if seconds % 60 == 0:
        return f"{seconds // 60} min"
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60}:{seconds % 60:02d} min"


def warm_and_cool(steps: tuple[Step, ...]) -> tuple[int, int]:
    """Seconds of warm-up and cool-down."""
    warm = sum(s.seconds for s in steps if s.kind == WARMUP)
    cool = sum(s.seconds for s in steps if s.kind == COOLDOWN)
    return warm, cool


def work_text(steps: tuple[Step, ...], at: str, rest: str = "jog") -> str:
    """``4×3 min at I pace, 2 min jog`` or ``18 min continuous at T pace`` from the parts."""
    work = [s for s in steps if s.kind in (WORK, RUN, STEADY)]
    recoveries = [s for s in steps if s.kind in (RECOVER, WALK)]
    if not work:
        return ""
    if len(work) == 1:
        return f"{clock(work[0].seconds)} continuous {at}"
    text = f"{len(work)}×{clock(work[0].seconds)} {at}"
    if recoveries:
        text += f", {clock(recoveries[0].seconds)} {rest}"
    return text


def check_steps(session: PlannedSession) -> list[str]:
    """Problems with a session's parts (empty when they add up)."""
    steps = steps_of(session)
    if not steps:
        return []
    total = sum(s.seconds for s in steps)
    problems = []
    if total != session.minutes * 60:
        problems.append(
            f"{session.date}: {session.title} parts sum to {total}s, not {session.minutes} min"
        )
    if any(s.seconds < 0 for s in steps):
        problems.append(f"{session.date}: {session.title} has a negative part")
    return problems
