"""The athlete's running profile, kept in ``AthleteProfile.domain_profiles["running"]``.

The goal race, the race results VDOT is estimated from, the long-run day and what a new
athlete said they run now belong to running, not to every coach. They are read with
:func:`running_profile` and written with :func:`with_running_profile`; nothing else reads
the section's raw dict.

Profiles stored before these fields moved kept them at the top level of the athlete record.
This module registers those keys with core's decoder
(:func:`momentum.core.model.serde.register_legacy_keys`), which moves them into this
section on read on every backend, so old records need no migration step.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from momentum.core.errors import InputError
from momentum.core.model import AthleteProfile, Weekday, from_dict, to_dict
from momentum.core.model.record import Record
from momentum.core.model.serde import claim_legacy, register_legacy_keys

DOMAIN = "running"
"""The key of running's section in ``AthleteProfile.domain_profiles``."""


@dataclass(frozen=True, repr=False, eq=False)
class RaceResult(Record):
    """A race or time trial the athlete ran; VDOT is estimated from the most recent one."""

    date: dt.date
    distance_meters: float
    time_seconds: float
    name: str = ""
    surface: str = ""
    """``road``, ``track``, ``trail`` or ``""`` (not said: road)."""
    elevation_gain_meters: float = 0.0
    """Total climb of the course; a hilly result is grade-adjusted before it sets VDOT."""


@dataclass(frozen=True, repr=False, eq=False)
class CurrentTraining(Record):
    """What the athlete said they do now (``momentum init``): a new athlete's plan starts
    here until their own activities say more (:mod:`.plans.comeback`)."""

    as_of: dt.date
    weekly_minutes: int = 0
    runs_per_week: int = 0
    longest_run_minutes: int = 0


@dataclass(frozen=True, repr=False, eq=False)
class GoalRace(Record):
    """The race the plan builds toward."""

    name: str
    date: dt.date
    distance_meters: float
    goal_time_seconds: float | None = None
    course_notes: str = ""


@dataclass(frozen=True, repr=False, eq=False)
class RunningProfile(Record):
    """Running's part of the athlete profile."""

    goal_race: GoalRace | None = None
    race_results: tuple[RaceResult, ...] = ()
    long_run_day: Weekday = Weekday.SAT
    current_training: CurrentTraining | None = None


FIELDS = tuple(f.name for f in dataclasses.fields(RunningProfile))
"""The section's keys; the same names the athlete record carried before they moved."""

register_legacy_keys(AthleteProfile, DOMAIN, FIELDS)


def running_profile(athlete: AthleteProfile) -> RunningProfile:
    """The athlete's running profile (defaults for what was never set).

    Raises :class:`~momentum.core.errors.InputError` naming the section when the stored
    section is not a valid running profile.
    """
    section, _ = claim_legacy(athlete.domain_profiles, DOMAIN, FIELDS)
    if not section:
        return _DEFAULT
    unknown = sorted(set(section) - set(FIELDS))
    if unknown:
        raise InputError(f"domain_profiles.{DOMAIN}", f"unknown keys {unknown}")
    try:
        profile: RunningProfile = from_dict(RunningProfile, section)
    except (TypeError, ValueError, KeyError) as error:
        raise InputError(f"domain_profiles.{DOMAIN}", f"not a running profile: {error}") from None
    return profile


_DEFAULT = RunningProfile()


def with_running_profile(
    athlete: AthleteProfile, profile: RunningProfile | None = None, **changes: Any
) -> AthleteProfile:
    """``athlete`` with its running profile replaced by ``profile`` (default: the current
    one), then with ``changes`` (field names of :class:`RunningProfile`) applied."""
    base = running_profile(athlete) if profile is None else profile
    if changes:
        base = dataclasses.replace(base, **changes)
    _, rest = claim_legacy(athlete.domain_profiles, DOMAIN, FIELDS)
    section = _section(base)
    if section:
        rest[DOMAIN] = section
    else:
        rest.pop(DOMAIN, None)
    return dataclasses.replace(athlete, domain_profiles=rest)


def _section(profile: RunningProfile) -> dict[str, Any]:
    """The JSON-ready section, without the fields left at their defaults."""
    data: dict[str, Any] = to_dict(profile)
    default = to_dict(_DEFAULT)
    return {k: v for k, v in data.items() if v != default[k]}


def running_athlete(
    *args: Any,
    goal_race: GoalRace | None = None,
    race_results: tuple[RaceResult, ...] = (),
    long_run_day: Weekday = Weekday.SAT,
    current_training: CurrentTraining | None = None,
    **fields: Any,
) -> AthleteProfile:
    """An :class:`AthleteProfile` built from its own ``args`` and ``fields`` plus the running
    ones, in one call (as ``AthleteProfile(...)`` took them before they moved)."""
    return with_running_profile(
        AthleteProfile(*args, **fields),
        RunningProfile(goal_race, race_results, long_run_day, current_training),
    )
