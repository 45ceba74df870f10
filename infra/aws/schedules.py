"""The one EventBridge Scheduler schedule: a UTC tick every 15 minutes.

Resources no longer grow with athletes. Each tick is core's
(:mod:`momentum.core.runtime.tick`): it reads the zone directory, works out in which zones
a recurring job falls due (right for +5:30, +5:45 and across DST), reads only those zones'
athletes and fans each run out as one asynchronous self-invoke. The next quarter hour is
the catch-up for a tick that failed: a failed run releases its claim, and the following
tick, inside core's two-hour grace window, runs it. :class:`AthleteSchedule` stays for the
stack's configuration check (an unknown timezone is refused naming the athlete).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DAY_NAMES = ("MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN")
"""EventBridge's day-of-week names, indexed like :meth:`datetime.date.weekday`."""
NAME_LIMIT = 64


@dataclass(frozen=True)
class AthleteSchedule:
    """Whose local time the schedules follow."""

    athlete_id: str
    timezone: str

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"athlete {self.athlete_id!r}: unknown timezone {self.timezone!r}"
            ) from None
        if not self.athlete_id:
            raise ValueError("athlete_id must not be empty")


TICK_EXPRESSION = "cron(0/15 * * * ? *)"
"""Every quarter hour, in UTC: the one schedule the stack creates, however many athletes."""


@dataclass(frozen=True)
class ScheduleSpec:
    """One schedule to create."""

    key: str
    """Stable, name-safe id for the Pulumi resource and schedule name."""
    expression: str
    timezone: str = "UTC"

    def tick_input(self) -> dict[str, str]:
        """The target's Input: core's tick envelope with the scheduled instant templated in,
        so a retry still knows which quarter hour it was for."""
        return {"momentum": "tick", "at": "<aws.scheduler.scheduled-time>"}


def tick_schedule() -> ScheduleSpec:
    """The one 15-minute UTC tick (``cron(0/15 * * * ? *)``)."""
    return ScheduleSpec(key="tick", expression=TICK_EXPRESSION)


def cron(hour: int, minute: int, weekdays: Sequence[int]) -> str:
    """An EventBridge cron expression (``cron(min hour dom month dow year)``)."""
    days = sorted(set(weekdays))
    if not days:
        raise ValueError("a schedule needs at least one weekday")
    if days == list(range(7)):
        return f"cron({minute} {hour} * * ? *)"
    return f"cron({minute} {hour} ? * {','.join(DAY_NAMES[d] for d in days)} *)"


def safe_name(text: str, limit: int = NAME_LIMIT) -> str:
    """``text`` with only the characters schedule names allow, shortened with a hash."""
    cleaned = re.sub(r"[^0-9A-Za-z_.-]", "-", text)
    if len(cleaned) <= limit and cleaned == text:
        return cleaned
    digest = hashlib.sha256(text.encode()).hexdigest()[:8]
    return f"{cleaned[: limit - 9]}-{digest}"
