"""Strava's rate limits, read from every response's headers.

Strava counts requests per application in a 15-minute window (reset on the quarter hour,
UTC) and per UTC day: ``X-RateLimit-Limit``/``-Usage`` for all requests and
``X-ReadRateLimit-Limit``/``-Usage`` for reads, each ``"<15-min>,<daily>"``. The budget
remembers the last figures and says how long to wait before the next request; a 429
means the same thing, too late. Callers either wait (the CLI, with a progress note) or
raise :class:`RateLimited` (a deferred webhook job, which must not sleep for minutes).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping
from dataclasses import dataclass

from momentum.core.errors import MomentumError

RESERVE = 2
"""Requests kept back in each window, so a burst of webhooks can't tip us into 429s."""


class RateLimited(MomentumError):
    """Strava's rate limit is used up; try again in ``retry_after`` seconds."""

    def __init__(self, retry_after: float, which: str) -> None:
        super().__init__(f"Strava {which} rate limit reached; retry in {retry_after:.0f} s")
        self.retry_after = retry_after
        self.which = which


@dataclass(frozen=True)
class Rates:
    """Usage and limits from one response: 15-minute and daily."""

    short_usage: int
    long_usage: int
    short_limit: int
    long_limit: int


def parse(headers: Mapping[str, str], prefix: str) -> Rates | None:
    """Rates from ``<prefix>-Limit`` / ``<prefix>-Usage`` headers (case-insensitive)."""
    lowered = {k.lower(): v for k, v in headers.items()}
    limit, usage = lowered.get(f"{prefix}-limit"), lowered.get(f"{prefix}-usage")
    if not limit or not usage:
        return None
    try:
        short_limit, long_limit = (int(v) for v in limit.split(","))
        short_usage, long_usage = (int(v) for v in usage.split(","))
    except ValueError:
        return None
    return Rates(short_usage, long_usage, short_limit, long_limit)


def next_quarter(now: dt.datetime) -> dt.datetime:
    """When the 15-minute window containing ``now`` ends."""
    start = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return start + dt.timedelta(minutes=15)


def next_midnight(now: dt.datetime) -> dt.datetime:
    """When the UTC day containing ``now`` ends."""
    return dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), dt.UTC)


class RateBudget:
    """The application's remaining Strava requests, shared by every client in a process."""

    def __init__(self, reserve: int = RESERVE) -> None:
        self.reserve = reserve
        self._seen: dict[str, tuple[Rates, dt.datetime]] = {}
        self._lock = threading.Lock()

    def record(self, headers: Mapping[str, str], now: dt.datetime) -> None:
        """Remember the figures in a response's headers."""
        for key, prefix in (("all", "x-ratelimit"), ("read", "x-readratelimit")):
            rates = parse(headers, prefix)
            if rates is not None:
                with self._lock:
                    self._seen[key] = (rates, now)

    def wait_seconds(self, method: str, now: dt.datetime) -> tuple[float, str]:
        """Seconds to wait before a ``method`` request (0 when there is room), and which
        limit (``15-minute``, ``daily``, ``15-minute read`` …) is the reason."""
        kinds = ("all", "read") if method.upper() == "GET" else ("all",)
        wait, which = 0.0, ""
        for kind in kinds:
            with self._lock:
                seen = self._seen.get(kind)
            if seen is None:
                continue
            rates, at = seen
            label = "" if kind == "all" else " read"
            if at.date() == now.date() and rates.long_usage >= rates.long_limit - self.reserve:
                seconds = (next_midnight(now) - now).total_seconds()
                if seconds > wait:
                    wait, which = seconds, f"daily{label}"
            if next_quarter(at) > now and rates.short_usage >= rates.short_limit - self.reserve:
                seconds = (next_quarter(now) - now).total_seconds()
                if seconds > wait:
                    wait, which = seconds, f"15-minute{label}"
        return wait, which


_BUDGETS: dict[str, RateBudget] = {}
_BUDGETS_LOCK = threading.Lock()


def budget_for(client_id: str, server: str = "") -> RateBudget:
    """The process-wide budget of one Strava application (on one server: tests use
    several fake Stravas in one process, each with its own counters)."""
    with _BUDGETS_LOCK:
        return _BUDGETS.setdefault(f"{client_id}@{server}", RateBudget())
