"""Read one athlete's data through the Storage port and build each page's model.

:class:`DashboardData` is the only place the dashboard touches storage, and it only
reads: the pages are read-only by construction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from momentum.core.dashboard.activity import activity_list, activity_page
from momentum.core.dashboard.overview import DEFAULT_BUDGET_USD, PMC_DAYS, overview
from momentum.core.dashboard.plan import plan_page
from momentum.core.errors import NotFoundError
from momentum.core.model import Activity, AthleteProfile
from momentum.core.ports.storage import Storage
from momentum.plugins.running.coach.metrics import fitness
from momentum.plugins.running.coach.view import athlete_zone, load_view

HISTORY_DAYS = PMC_DAYS + 2 * 42
"""A year of charts plus room for the PMC's seed and the VDOT evidence of a year ago."""
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DashboardData:
    """One athlete's pages as of a local day, read from ``storage``."""

    storage: Storage
    athlete_id: str
    today: dt.date
    budget_usd: float = DEFAULT_BUDGET_USD

    def athlete(self) -> AthleteProfile:
        """The athlete (``NotFoundError`` when the home has none by that id)."""
        athlete = self.storage.get_athlete(self.athlete_id)
        if athlete is None:
            raise NotFoundError(f"no athlete {self.athlete_id!r} in this coach")
        return athlete

    def _end(self) -> dt.datetime:
        tz = athlete_zone(self.athlete())
        return dt.datetime.combine(self.today + dt.timedelta(days=1), dt.time(), tzinfo=tz)

    def activities(self, days: int = HISTORY_DAYS) -> list[Activity]:
        """Activities of the last ``days`` days up to the end of ``today``, oldest first."""
        end = self._end()
        found = self.storage.list_activities(self.athlete_id, end - dt.timedelta(days=days), end)
        return sorted((a for a in found if not a.is_deleted), key=lambda a: a.start)

    def overview(self) -> dict[str, Any]:
        """The Overview page's model."""
        athlete = self.athlete()
        end = self._end()
        usage = self.storage.list_usage(self.athlete_id, end - dt.timedelta(days=400), end)
        view = load_view(self.storage, self.athlete_id, self.today)
        return overview(
            athlete,
            self.activities(),
            view.plan,
            usage,
            self.today,
            fitness(view),
            budget_usd=self.budget_usd,
            tz=athlete_zone(athlete),
        )

    def activity(self, activity_id: str | None) -> dict[str, Any]:
        """The Activity page's model for ``activity_id`` (the latest when ``None``)."""
        athlete = self.athlete()
        recent = self.activities(days=PMC_DAYS)
        if activity_id is None:
            if not recent:
                raise NotFoundError("no activities yet")
            activity_id = recent[-1].activity_id
        activity = self.storage.get_activity(self.athlete_id, activity_id)
        if activity is None or activity.is_deleted:
            raise NotFoundError(f"no activity {activity_id!r}")
        if activity.streams is None:
            streams = self.storage.get_streams(self.athlete_id, activity_id)
            if streams is not None:
                from dataclasses import replace

                activity = replace(activity, streams=streams)
        model = activity_page(activity, athlete, self.storage.get_plan(self.athlete_id))
        model["recent"] = activity_list(recent, athlete)
        return model

    def plan(self) -> dict[str, Any]:
        """The Plan page's model."""
        athlete = self.athlete()
        return plan_page(
            athlete,
            self.storage.get_plan(self.athlete_id),
            self.activities(days=14),
            self.today,
        )
