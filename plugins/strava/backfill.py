"""``momentum strava backfill --weeks N``: import past activities, oldest first.

Activities already stored are skipped (``refetch`` imports them again). Each import is
one streams request (the list's summaries carry the rest), and the rate budget is
waited out rather than failed: a long backfill just pauses until Strava's window resets.
No reviews are sent for old activities.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from momentum.core.app import App
from momentum.core.errors import MomentumError, NotFoundError
from momentum.plugins.strava.ratelimit import RateLimited
from momentum.plugins.strava.records import sport_of
from momentum.plugins.strava.sync import api_for, import_activity, require_athlete

log = logging.getLogger("momentum.strava")
FULL_WINDOW = 15 * 60 + 5.0
"""Longest wait for the 15-minute window; a daily limit stops the backfill instead."""


@dataclass
class BackfillReport:
    """What a backfill did."""

    found: int = 0
    imported: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    stopped: str = ""
    """Why the backfill stopped early (Strava's daily limit), if it did."""


def backfill(
    app: App,
    athlete_id: str,
    weeks: int,
    *,
    refetch: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_item: Callable[[str], None] | None = None,
    on_wait: Callable[[float, str], None] | None = None,
) -> BackfillReport:
    """Import the last ``weeks`` weeks of ``athlete_id``'s Strava activities.

    ``on_start(total)`` once the list is known, ``on_item(label)`` after each activity,
    ``on_wait(seconds, which)`` before waiting for the rate limit.
    """
    if weeks < 1:
        raise MomentumError("--weeks must be at least 1")
    athlete = require_athlete(app, athlete_id)
    api = api_for(app, athlete_id, max_wait=FULL_WINDOW, on_wait=on_wait)
    after = app.clock.now() - dt.timedelta(weeks=weeks)
    summaries = sorted(api.activities(after=after), key=lambda s: s.start_date)
    report = BackfillReport(found=len(summaries))
    if on_start is not None:
        on_start(len(summaries))
    for summary in summaries:
        activity_id = str(summary.id)
        label = f"{summary.start_date:%Y-%m-%d} {sport_of(summary)} {summary.name or ''}".strip()
        if not refetch and app.storage.get_activity(athlete_id, activity_id) is not None:
            report.skipped += 1
        else:
            try:
                import_activity(app, athlete, api, int(activity_id), summary=summary)
                report.imported += 1
            except RateLimited as exc:
                report.stopped = f"{exc}; run the backfill again later to continue"
                break
            except (NotFoundError, MomentumError, ValueError) as exc:
                log.warning("could not import Strava activity %s: %s", activity_id, exc)
                report.failed.append((activity_id, str(exc)))
        if on_item is not None:
            on_item(label)
    return report
