"""The macrocycle: named phases counted back from race day, each with a focus sentence.

Conventions:

* Phases are laid out backwards from the race, as in Daniels' four-phase plan and
  Pfitzinger's periodisation: taper, then sharpening, then race-specific build, then base
  ("engine"), and a reset block before that. Lengths depend on the race distance: a taper
  of 1 week up to 10K, 2 weeks up to the half marathon and 3 weeks beyond (Mujika &
  Padilla 2003; Bosquet et al. 2007: 2–3 weeks for long events). The taper's last week is
  the race week, the plan week holding most of the seven days before the race
  (:func:`momentum.plugins.running.plans.dates.race_week_start`): for a Monday–Thursday race that is
  the week
  before the race's own week, so a Monday race's taper is not its race day alone.
* Each phase is named after the season it mostly falls in plus its job, like the talk's
  "Fall Reset → Winter Engine → Spring Specificity → Summer Sharpen → September Taper".
  Seasons are astronomical (northern hemisphere, flipped for southern time zones).
* The taper averages about 60 % of peak volume (Bosquet et al. 2007: cut volume 41–60 %,
  keep intensity).
* Without a goal race there is one rolling "Keep the Momentum" block.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from momentum.core.model.athlete import AthleteProfile, Equipment
from momentum.plugins.running.model.plan import Phase
from momentum.plugins.running.plans.dates import ONE_DAY, monday_of, race_week_start
from momentum.plugins.running.profile import GoalRace, running_profile

RESET, BASE, BUILD, SHARPEN, TAPER, MOMENTUM = (
    "reset",
    "base",
    "build",
    "sharpen",
    "taper",
    "momentum",
)
PHASE_ORDER = (RESET, BASE, BUILD, SHARPEN, TAPER)
VOLUME_FACTORS = {RESET: 1.0, BASE: 1.0, BUILD: 1.1, SHARPEN: 1.15, TAPER: 0.6, MOMENTUM: 1.0}
"""Weekly aerobic volume of each phase as a share of the athlete's weekly target; the taper's
factor is of the peak week."""
LABELS = {RESET: "Reset", BASE: "Engine", BUILD: "Specificity", SHARPEN: "Sharpen"}
MOMENTUM_NAME = "Keep the Momentum"
MOMENTUM_WEEKS = 12
BASE_MAX_WEEKS = 16
MIN_PHASE_DAYS = 14
"""A leading phase shorter than this (the plan starts late in it) merges into the next."""
_SOUTHERN_PREFIXES = (
    "Australia/",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "America/Argentina",
    "America/Santiago",
    "America/Sao_Paulo",
    "America/Montevideo",
    "America/Asuncion",
    "Africa/Johannesburg",
    "Africa/Maputo",
    "Africa/Windhoek",
    "Antarctica/",
)
_SEASONS = ("Winter", "Spring", "Summer", "Fall")


def is_trail(race: GoalRace) -> bool:
    """Trail or hilly courses get hills and time-on-feet instead of track work."""
    text = f"{race.name} {race.course_notes}".lower()
    return any(w in text for w in ("trail", "hill", "mountain", "climb", "technical", "ultra"))


def phase_weeks(distance_m: float) -> dict[str, int]:
    """Weeks of taper, sharpening and race-specific build for a race of ``distance_m``."""
    if distance_m <= 10_500:
        return {TAPER: 1, SHARPEN: 6, BUILD: 8}
    if distance_m <= 21_200:
        return {TAPER: 2, SHARPEN: 6, BUILD: 10}
    return {TAPER: 3, SHARPEN: 8, BUILD: 12}


def season_of(day: dt.date, timezone: str = "") -> str:
    """Astronomical season of ``day`` (equinoxes and solstices taken as the 20th/21st)."""
    md = (day.month, day.day)
    if md < (3, 20) or md >= (12, 21):
        index = 0
    elif md < (6, 21):
        index = 1
    elif md < (9, 22):
        index = 2
    else:
        index = 3
    if timezone.startswith(_SOUTHERN_PREFIXES):
        index = (index + 2) % 4
    return _SEASONS[index]


def _main_season(start: dt.date, end: dt.date, timezone: str) -> str:
    counts: dict[str, int] = {}
    day = start
    while day <= end:
        season = season_of(day, timezone)
        counts[season] = counts.get(season, 0) + 1
        day += ONE_DAY
    return max(counts, key=lambda s: (counts[s], -_SEASONS.index(s)))


@dataclass(frozen=True)
class _Span:
    kind: str
    start: dt.date
    end: dt.date


def _spans(race_day: dt.date, distance_m: float, start: dt.date) -> list[_Span]:
    weeks = phase_weeks(distance_m)
    spans: list[_Span] = []
    end = race_day
    cursor = race_week_start(race_day) - dt.timedelta(weeks=weeks[TAPER] - 1)
    spans.append(_Span(TAPER, cursor, end))
    for kind in (SHARPEN, BUILD, BASE):
        length = weeks.get(kind, BASE_MAX_WEEKS)
        end = cursor - ONE_DAY
        cursor = cursor - dt.timedelta(weeks=length)
        spans.append(_Span(kind, cursor, end))
    spans.append(_Span(RESET, min(start, cursor), cursor - ONE_DAY))
    out: list[_Span] = []
    for span in reversed(spans):
        if span.end < start or span.end < span.start:
            continue
        out.append(_Span(span.kind, max(span.start, start), span.end))
    if len(out) > 1 and (out[0].end - out[0].start).days < MIN_PHASE_DAYS - 1:
        # A block cut to a week or so is no block: the next one starts now.
        out = [_Span(out[1].kind, out[0].start, out[1].end), *out[2:]]
    return out


def focus_of(kind: str, athlete: AthleteProfile, race: GoalRace | None) -> str:
    """The one-sentence focus of a phase, tailored to the course and the athlete's kit."""
    hours = athlete.weekly_minutes_target / 60
    trail = race is not None and is_trail(race)
    treadmill = Equipment.TREADMILL in athlete.equipment
    if kind == RESET:
        return f"Rebuild consistency: easy running most days toward {hours:.0f}h a week."
    if kind == BASE:
        where = (
            "treadmill long runs, incline hiking mixed with Z2"
            if treadmill
            else "long easy runs and plenty of Z2"
        )
        return f"Diesel building: {where}; the long run grows a little each block."
    if kind == BUILD:
        work = "trails, hills and time on feet" if trail else "threshold running and race pace"
        return f"Race-specific strength: {work}, with the long run still growing."
    if kind == SHARPEN:
        work = "longer trail runs and tempo" if trail else "intervals and tempo"
        return f"Sharpen: {work}; volume peaks, easy days stay easy."
    if kind == TAPER:
        name = race.name if race else "race day"
        return f"Taper to about 60% volume, keep a little speed, arrive fresh for {name}."
    return (
        "Keep the momentum: hold the Minimum Viable Week, an easy long run and strength every week."
    )


def _phase(
    kind: str, start: dt.date, end: dt.date, athlete: AthleteProfile, race: GoalRace | None
) -> Phase:
    if kind == TAPER:
        name = f"{calendar.month_name[end.month]} Taper"
    elif kind == MOMENTUM:
        name = MOMENTUM_NAME
    else:
        name = f"{_main_season(start, end, athlete.timezone)} {LABELS[kind]}"
    return Phase(
        name=name,
        start=start,
        end=end,
        focus=focus_of(kind, athlete, race),
        volume_factor=VOLUME_FACTORS[kind],
        kind=kind,
    )


def active_race(athlete: AthleteProfile, today: dt.date) -> GoalRace | None:
    """The goal race if it is still ahead (a race in the past means no race plan)."""
    race = running_profile(athlete).goal_race
    if race is None or race.date < today or race.distance_meters <= 0:
        return None
    return race


def build_macrocycle(athlete: AthleteProfile, today: dt.date) -> tuple[Phase, ...]:
    """Phases from this week to race day, or one rolling momentum block without a race."""
    start = monday_of(today)
    race = active_race(athlete, today)
    if race is None:
        end = start + dt.timedelta(weeks=MOMENTUM_WEEKS) - ONE_DAY
        return (_phase(MOMENTUM, start, end, athlete, None),)
    return tuple(
        _phase(span.kind, span.start, span.end, athlete, race)
        for span in _spans(race.date, race.distance_meters, start)
    )


def extend_momentum(phases: tuple[Phase, ...], until: dt.date) -> tuple[Phase, ...]:
    """Roll a momentum block forward so it covers ``until``."""
    if len(phases) == 1 and phases[0].kind == MOMENTUM and phases[0].end < until:
        last = phases[0]
        end = last.end
        while end < until:
            end += dt.timedelta(weeks=MOMENTUM_WEEKS)
        return (Phase(last.name, last.start, end, last.focus, last.volume_factor, last.kind),)
    return phases


def kind_of(phase: Phase | None) -> str:
    """The phase's kind, recovering it from the name for plans stored before ``kind``."""
    if phase is None:
        return MOMENTUM
    if phase.kind:
        return phase.kind
    lowered = phase.name.lower()
    for kind, label in LABELS.items():
        if label.lower() in lowered:
            return kind
    return TAPER if "taper" in lowered else MOMENTUM
