"""Shared fixtures: a fixed clock, a sample athlete and an app wired to in-memory ports."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile, HeartRateProfile, Weekday
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.plugins.running.profile import GoalRace, RaceResult, running_athlete
from tests.redaction import (  # noqa: F401  (hooks: greps every test's output for secrets)
    pytest_configure,
    pytest_runtest_makereport,
    pytest_runtest_setup,
)

# Two shared cores: generating examples may be slow while other suites run.
settings.register_profile("shared", suppress_health_check=[HealthCheck.too_slow], deadline=None)
# CI replays the same examples on every run (a red build is then a change, not a lucky draw);
# developers' runs keep exploring new ones. `.ci/run` sets MOMENTUM_HYPOTHESIS_PROFILE=ci.
settings.register_profile("ci", parent=settings.get_profile("shared"), derandomize=True)
settings.load_profile(os.environ.get("MOMENTUM_HYPOTHESIS_PROFILE", "shared"))

DATA_DIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "activities"
"""The real activity files (``../shared/data/activities`` beside the repo)."""


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the GCP emulators this process started (the Firestore emulator is a JVM that
    would outlive the test process)."""
    emulators = sys.modules.get("momentum.adapters.gcp.testing.emulators")
    if emulators is not None:
        emulators.stop_shared()


@pytest.fixture
def data_dir() -> Path:
    """The real activity files; tests that need them skip when the folder is absent."""
    if not DATA_DIR.exists():
        pytest.skip(f"real activity files not found at {DATA_DIR}")
    return DATA_DIR


@pytest.fixture
def clock() -> FixedClock:
    """Tuesday 3 March 2026, 11:00 UTC (06:00 in Toronto)."""
    return FixedClock(dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC))


@pytest.fixture
def athlete() -> AthleteProfile:
    """The talk's athlete: Toronto, a 10K at 1:12:23, training for a 30K trail race."""
    return running_athlete(
        athlete_id="adam",
        name="Adam",
        timezone="America/Toronto",
        heart_rate=HeartRateProfile(max_hr=182, resting_hr=52, threshold_hr=162),
        goal_race=GoalRace(
            name="Monster of Mazinaw 30K Trail",
            date=dt.date(2026, 9, 19),
            distance_meters=30000,
            course_notes="technical trails, rocky climbs",
        ),
        race_results=(RaceResult(dt.date(2025, 9, 27), 10000, 4343, "Mazinaw 10K"),),
        preferred_days=(Weekday.MON, Weekday.WED, Weekday.FRI, Weekday.SAT, Weekday.SUN),
        long_run_day=Weekday.SAT,
        chat_user_id="U123ADAM",
    )


@pytest.fixture
def memory_app(clock: FixedClock, athlete: AthleteProfile) -> App:
    """An app on in-memory ports with the built-in plugins and the sample athlete stored."""
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    app = build_app(
        Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(),
    )
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.runner = app.run_deferred
    return app
