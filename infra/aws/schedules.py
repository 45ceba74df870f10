"""EventBridge Scheduler schedules from core's recurring jobs, in the athlete's timezone.

Jobs that fire at the same local time share one schedule whose cron lists the union of
their weekdays; the tick then asks core for every job due at that moment (``job: "*"``),
and core's once-per-local-day claims pick the right one. For the running coach that is
``cron(0 6 * * ? *)`` (check-in Tue–Sun and the Monday plan) and
``cron(0 21 ? * SUN *)`` (the weekly refresh).

Each schedule has a catch-up twin ``catch_up_minutes`` later (30 by default). Core claims a
run with a short lease while it works; if the sandbox dies mid-job (a timeout), Lambda's
retries come back within minutes, find the lease still held and stop. The catch-up tick
comes after the lease has expired and, still inside core's grace window, runs the job.
When the first tick succeeded it finds the day's claim and does nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from momentum.core.ports.scheduler import RecurringJob

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


@dataclass(frozen=True)
class ScheduleSpec:
    """One schedule to create."""

    key: str
    """Stable, name-safe id (e.g. ``adam-0600``) for the Pulumi resource and schedule name."""
    athlete_id: str
    timezone: str
    expression: str
    job: str
    jobs: tuple[str, ...]
    catch_up: bool = False
    """A second tick after the run lease has expired (see the module docstring)."""


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


def _shift(
    hour: int, minute: int, weekdays: Sequence[int], minutes: int
) -> tuple[int, int, list[int]]:
    """``hour:minute`` moved ``minutes`` later, with the weekdays carried past midnight."""
    total = hour * 60 + minute + minutes
    carry, total = divmod(total, 24 * 60)
    return total // 60, total % 60, sorted({(day + carry) % 7 for day in weekdays})


def schedule_specs(
    jobs: Sequence[RecurringJob],
    athletes: Sequence[AthleteSchedule],
    catch_up_minutes: int = 30,
) -> list[ScheduleSpec]:
    """One schedule per athlete and distinct local time of day, each with a catch-up twin
    ``catch_up_minutes`` later (``0``: none)."""
    if not 0 <= catch_up_minutes < 120:
        raise ValueError("catch_up_minutes must be 0 (off) or less than core's 2-hour grace")
    by_time: dict[tuple[int, int], list[RecurringJob]] = {}
    for job in jobs:
        by_time.setdefault((job.hour, job.minute), []).append(job)
    specs = []
    for athlete in athletes:
        for (hour, minute), group in sorted(by_time.items()):
            weekdays = [day for job in group for day in job.weekdays]
            names = tuple(job.name for job in group)
            key = safe_name(f"{athlete.athlete_id}-{hour:02d}{minute:02d}", 40)
            tick_job = names[0] if len(names) == 1 else "*"
            specs.append(
                ScheduleSpec(
                    key=key,
                    athlete_id=athlete.athlete_id,
                    timezone=athlete.timezone,
                    expression=cron(hour, minute, weekdays),
                    job=tick_job,
                    jobs=names,
                )
            )
            if catch_up_minutes:
                late_hour, late_minute, late_days = _shift(hour, minute, weekdays, catch_up_minutes)
                specs.append(
                    ScheduleSpec(
                        key=f"{key}-catch-up",
                        athlete_id=athlete.athlete_id,
                        timezone=athlete.timezone,
                        expression=cron(late_hour, late_minute, late_days),
                        job=tick_job,
                        jobs=names,
                        catch_up=True,
                    )
                )
    return specs
