"""A real local coach for the dashboard's tests: a SQLite home holding the demo athlete.

The demo's simulated history (fourteen weeks, streams and all, through the real record
builder), its first plan laid out by the real plan builder on the demo's plan day, a real
FIT track imported through the files plugin (the demo's runs carry no positions, and the
Activity page draws the route from one), two priced model calls so the cost chart has
something to show, and :data:`NIGHTS` nights kept as a ring keeps them (source ``oura``,
kind ``sleep``) for the readiness and sleep charts. Built once per test session and only
read afterwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.demo.history import DEFAULT_SEED, build_history
from momentum.adapters.local.demo.runner import ensure_config
from momentum.adapters.local.demo.script import PLAN_DAY
from momentum.adapters.local.demo.sync import HistorySync
from momentum.core.model import LLMUsage
from momentum.core.observations import Observation, keep
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.plans import build_plan

TRACK = Path("fit") / "activity-small-fenix2-run.fit"
"""A real run (Garmin Fenix 2: GPS, heart rate, altitude) under the shared data folder."""
NIGHTS = 60
"""Nights kept up to the last day: the first 30 build the baselines."""
USAGE = (
    (dt.datetime(2026, 2, 9, 11, 0, tzinfo=dt.UTC), 0.0123),
    (dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC), 0.0041),
)


@dataclass(frozen=True)
class DashboardHome:
    """The home, whose athlete, the day the pages are as of, and the imported track's id."""

    home: Path
    athlete_id: str
    today: dt.date
    route_activity_id: str | None


def make_dashboard_home(home: Path, data_dir: Path | None) -> DashboardHome:
    """Fill ``home`` with the demo athlete's coach (see the module doc); the track comes
    from ``data_dir`` (the shared activity files) when it is there."""
    history = build_history(DEFAULT_SEED)
    athlete = history.athlete
    end = dt.datetime.combine(history.last_day, dt.time(23, 0), tzinfo=dt.UTC)
    ensure_config(home, athlete.athlete_id)
    app = open_app(home, clock=FixedClock(end))
    route_id = None
    try:
        app.storage.put_athlete(athlete)
        HistorySync(app, history).until(end)
        everything = app.storage.list_activities(
            athlete.athlete_id, dt.datetime(2000, 1, 1, tzinfo=dt.UTC), end
        )
        plan = build_plan(athlete, everything, [], PLAN_DAY)
        app.storage.put_plan(plan, expected_version=0)
        for k, (at, cost) in enumerate(USAGE):
            app.storage.put_usage(
                LLMUsage(
                    usage_id=f"dash-{k}",
                    athlete_id=athlete.athlete_id,
                    at=at,
                    provider="groq",
                    model="llama",
                    purpose="checkin",
                    tokens_in=900,
                    tokens_out=120,
                    latency_ms=450.0,
                    cost_usd=cost,
                )
            )
        keep(app.storage, athlete.athlete_id, ring_nights(history.last_day))
        track = data_dir / TRACK if data_dir is not None else None
        if track is not None and track.exists():
            from momentum.plugins.files.importer import import_paths

            before = {a.activity_id for a in everything}
            import_paths(app, athlete, [track], None)
            after = app.storage.list_activities(
                athlete.athlete_id,
                dt.datetime(1990, 1, 1, tzinfo=dt.UTC),
                dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
            )
            added = [a.activity_id for a in after if a.activity_id not in before]
            route_id = added[0] if added else None
    finally:
        close_app(app)
    return DashboardHome(home, athlete.athlete_id, history.last_day, route_id)


def ring_nights(last: dt.date, count: int = NIGHTS) -> list[Observation]:
    """``count`` nights up to ``last`` as the Oura plugin keeps them, with a weekly rhythm
    in HRV, resting heart rate and sleep (deterministic)."""
    nights = []
    for k in range(count):
        day = last - dt.timedelta(days=count - 1 - k)
        rhythm = k % 7
        nights.append(
            Observation(
                "oura",
                "sleep",
                day,
                {
                    "average_hrv": 42.0 + 4 * rhythm,
                    "resting_hr": 54.0 - rhythm / 2,
                    "lowest_heart_rate": 54.0 - rhythm / 2,
                    "total_sleep_duration": (6.5 + 0.25 * rhythm) * 3600,
                },
            )
        )
    return nights
