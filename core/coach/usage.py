"""Model usage rolled up for ``momentum usage``: cost per day, per month, per model.

Every model call was recorded as an :class:`~momentum.core.model.LLMUsage` by the model chain.
Days and months are the athlete's (or the given time zone's) calendar, so "today's cost"
matches the check-ins the athlete received today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from momentum.core.model import LLMUsage


@dataclass
class UsageRow:
    """Totals for one day, month or model."""

    key: str
    calls: int = 0
    failed: int = 0
    tokens_in: int = 0
    tokens_out: int = 0
    cost_usd: float = 0.0
    latency_ms: list[float] = field(default_factory=list)

    def add(self, usage: LLMUsage) -> None:
        """Count one call."""
        self.calls += 1
        self.failed += 0 if usage.ok else 1
        self.tokens_in += usage.tokens_in
        self.tokens_out += usage.tokens_out
        self.cost_usd += usage.cost_usd
        if usage.ok and usage.latency_ms:
            self.latency_ms.append(usage.latency_ms)

    @property
    def median_latency_ms(self) -> float | None:
        """Median latency of successful calls."""
        if not self.latency_ms:
            return None
        values = sorted(self.latency_ms)
        mid = len(values) // 2
        return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


@dataclass
class UsageSummary:
    """Usage grouped by local day, local month and model."""

    days: list[UsageRow]
    months: list[UsageRow]
    models: list[UsageRow]
    total: UsageRow


def summarize(records: Iterable[LLMUsage], tz: ZoneInfo | None = None) -> UsageSummary:
    """Group ``records`` by day (``2026-03-03``), month (``2026-03``) and model."""
    zone = tz or ZoneInfo("UTC")
    days: dict[str, UsageRow] = {}
    months: dict[str, UsageRow] = {}
    models: dict[str, UsageRow] = {}
    total = UsageRow("total")
    for usage in records:
        at = usage.at if usage.at.tzinfo else usage.at.replace(tzinfo=dt.UTC)
        local = at.astimezone(zone)
        day, month = local.strftime("%Y-%m-%d"), local.strftime("%Y-%m")
        days.setdefault(day, UsageRow(day)).add(usage)
        months.setdefault(month, UsageRow(month)).add(usage)
        key = (
            f"{usage.provider}/{usage.model}" if usage.provider not in usage.model else usage.model
        )
        models.setdefault(key, UsageRow(key)).add(usage)
        total.add(usage)
    return UsageSummary(
        days=[days[k] for k in sorted(days)],
        months=[months[k] for k in sorted(months)],
        models=sorted(models.values(), key=lambda r: -r.cost_usd),
        total=total,
    )
