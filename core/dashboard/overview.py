"""The Overview page: what every coach shows (model cost, readiness and sleep) and the
sections the domains add (see :mod:`momentum.core.dashboard.registry`).

Cost per month is :func:`~momentum.core.coach.usage.summarize`, the ``momentum usage``
figures; nights come from the kept observations (:mod:`.observations`). The result is
plain JSON-ready data; the page only draws it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from momentum.core.coach.usage import summarize
from momentum.core.model import LLMUsage

COST_MONTHS = 12
DEFAULT_BUDGET_USD = 1.0
"""A month's model budget when none is set: the reference coach costs about a dollar."""


def cost_months(
    usage: Sequence[LLMUsage],
    tz: ZoneInfo,
    today: dt.date,
    budget_usd: float,
    months: int = COST_MONTHS,
) -> list[dict[str, Any]]:
    """Model cost per local month (the ``momentum usage`` figures) for the last
    ``months`` months, with the monthly budget beside each."""
    by_month = {row.key: row for row in summarize(usage, tz).months}
    year, month = today.year, today.month
    keys = []
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    rows = []
    for key in reversed(keys):
        row = by_month.get(key)
        rows.append(
            {
                "month": key,
                "cost_usd": round(row.cost_usd, 4) if row else 0.0,
                "calls": row.calls if row else 0,
                "budget_usd": budget_usd,
            }
        )
    return rows
