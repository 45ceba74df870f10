"""The athlete's sleep profile: ``AthleteProfile.domain_profiles["sleep"]``.

Every key is optional::

    {"need_hours": 8.0, "goal_bedtime": "22:30", "goal_wake": "06:30",
     "wind_down_minutes": 45, "workdays": [0, 1, 2, 3, 4],
     "targets": {"week": "2026-03-02", "bedtime": "23:00", "wake": "07:00"}}

``targets`` is this week's plan, written by the weekly plan step (the wind-down nudge reads
it from the profile the tick already holds). Values are checked when read: a wrong one
raises :class:`InputError` naming the key.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from momentum import AthleteProfile, InputError
from momentum.plugins.sleep.clock import parse_clock

DOMAIN = "sleep"
"""The key of this domain's section in ``domain_profiles``."""
DEFAULT_NEED_HOURS = 8.0
DEFAULT_BEDTIME = "22:30"
DEFAULT_WAKE = "06:30"
DEFAULT_WIND_DOWN = 45
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class Targets:
    """One week's bed and wake targets (minutes after midnight) from ``week`` (a Monday)."""

    week: dt.date
    bedtime: int
    wake: int


@dataclass(frozen=True)
class SleepProfile:
    """What the sleep coach knows about one athlete (clock times in minutes after midnight)."""

    need_hours: float = DEFAULT_NEED_HOURS
    goal_bedtime: int = 22 * 60 + 30
    goal_wake: int = 6 * 60 + 30
    wind_down_minutes: int = DEFAULT_WIND_DOWN
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    targets: Targets | None = None

    @property
    def bedtime_target(self) -> int:
        """This week's bedtime target, else the goal."""
        return self.targets.bedtime if self.targets else self.goal_bedtime

    @property
    def wake_target(self) -> int:
        """This week's wake target, else the goal."""
        return self.targets.wake if self.targets else self.goal_wake


def _where(key: str) -> str:
    return f"domain_profiles.sleep.{key}"


def _number(section: Mapping[str, Any], key: str, low: float, high: float, default: float) -> float:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(_where(key), f"{value!r} is not a number")
    if not low <= value <= high:
        raise InputError(_where(key), f"{value} is outside {low:g}..{high:g}")
    return float(value)


def _workdays(section: Mapping[str, Any]) -> frozenset[int]:
    given = section.get("workdays", [0, 1, 2, 3, 4])
    if not isinstance(given, list | tuple):
        raise InputError(_where("workdays"), "expected a list of weekdays (0 = Monday or 'mon')")
    days = set()
    for item in given:
        if isinstance(item, int) and not isinstance(item, bool) and 0 <= item <= 6:
            days.add(item)
        elif isinstance(item, str) and item.strip().lower()[:3] in WEEKDAYS:
            days.add(WEEKDAYS.index(item.strip().lower()[:3]))
        else:
            raise InputError(_where("workdays"), f"{item!r} is not a weekday (0..6 or 'mon')")
    return frozenset(days)


def _targets(section: Mapping[str, Any]) -> Targets | None:
    given = section.get("targets")
    if given is None:
        return None
    if not isinstance(given, Mapping):
        raise InputError(_where("targets"), "expected {week, bedtime, wake}")
    try:
        week = dt.date.fromisoformat(str(given.get("week")))
    except ValueError:
        raise InputError(_where("targets.week"), f"{given.get('week')!r} is not a date") from None
    return Targets(
        week,
        parse_clock(given.get("bedtime"), _where("targets.bedtime")),
        parse_clock(given.get("wake"), _where("targets.wake")),
    )


def sleep_profile(athlete: AthleteProfile) -> SleepProfile:
    """The athlete's sleep profile, defaults filled in; :class:`InputError` naming the key
    of a wrong value."""
    section = athlete.domain_profiles.get(DOMAIN) or {}
    if not isinstance(section, Mapping):
        raise InputError("domain_profiles.sleep", "expected an object")
    return SleepProfile(
        need_hours=_number(section, "need_hours", 4, 12, DEFAULT_NEED_HOURS),
        goal_bedtime=parse_clock(
            section.get("goal_bedtime", DEFAULT_BEDTIME), _where("goal_bedtime")
        ),
        goal_wake=parse_clock(section.get("goal_wake", DEFAULT_WAKE), _where("goal_wake")),
        wind_down_minutes=int(_number(section, "wind_down_minutes", 0, 180, DEFAULT_WIND_DOWN)),
        workdays=_workdays(section),
        targets=_targets(section),
    )
