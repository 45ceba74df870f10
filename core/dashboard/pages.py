"""Read one athlete's data through the Storage port and build each page's model.

:class:`DashboardData` is the only place the dashboard touches storage, and it only
reads: the pages are read-only by construction. Core builds the Overview's own parts
(model cost, readiness and sleep); the domains' sections and pages come from the
``momentum_dashboard`` hook (:mod:`.registry`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from momentum.core.dashboard.observations import readiness_model
from momentum.core.dashboard.overview import DEFAULT_BUDGET_USD, cost_months
from momentum.core.dashboard.registry import DashboardExtension, DashboardPage, DashboardSection
from momentum.core.errors import NotFoundError
from momentum.core.local_time import athlete_zone
from momentum.core.model import AthleteProfile
from momentum.core.ports.storage import Storage

COST_DAYS = 400
"""Usage read for the cost chart: a year of months and the current one."""


@dataclass(frozen=True)
class DashboardData:
    """One athlete's pages as of a local day, read from ``storage``; ``extensions`` are
    the domains' sections and pages."""

    storage: Storage
    athlete_id: str
    today: dt.date
    budget_usd: float = DEFAULT_BUDGET_USD
    extensions: tuple[DashboardExtension, ...] = ()

    def athlete(self) -> AthleteProfile:
        """The athlete (``NotFoundError`` when the coach has none by that id)."""
        athlete = self.storage.get_athlete(self.athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {self.athlete_id!r} in this coach")
        return athlete

    def day_end(self) -> dt.datetime:
        """The end of ``today`` in the athlete's zone (reads stop there)."""
        zone = athlete_zone(self.athlete())
        return dt.datetime.combine(self.today + dt.timedelta(days=1), dt.time(), tzinfo=zone)

    def sections(self) -> list[DashboardSection]:
        """Every domain's Overview sections, in plugin order."""
        return [s for ext in self.extensions for s in ext.sections]

    def pages(self) -> dict[str, DashboardPage]:
        """Every domain's pages by name (the first plugin wins a name)."""
        found: dict[str, DashboardPage] = {}
        for ext in self.extensions:
            for page in ext.pages:
                found.setdefault(page.name, page)
        return found

    def overview(self) -> dict[str, Any]:
        """The Overview page's model: core's parts, then each section's (keys merged;
        ``sections`` lists the names of those that showed something)."""
        athlete = self.athlete()
        end = self.day_end()
        usage = self.storage.list_usage(self.athlete_id, end - dt.timedelta(days=COST_DAYS), end)
        model: dict[str, Any] = {
            "page": "overview",
            "athlete": {"id": athlete.athlete_id, "name": athlete.name},
            "today": self.today.isoformat(),
            "cost": cost_months(usage, athlete_zone(athlete), self.today, self.budget_usd),
            **readiness_model(self.storage, self.athlete_id, self.today),
            "sections": [],
        }
        for section in self.sections():
            part = section.build(self)
            if part is None:
                continue
            clash = sorted(set(part) & set(model))
            if clash:
                raise ValueError(f"dashboard section {section.name!r} reuses keys {clash}")
            model.update(part)
            model["sections"].append(section.name)
        return model

    def page(self, name: str, rest: str | None) -> dict[str, Any]:
        """The model of a domain's page ``name`` (``rest``: what follows its path)."""
        page = self.pages().get(name)
        if page is None:
            raise NotFoundError(f"no page /{name}")
        return page.build(self, rest)
