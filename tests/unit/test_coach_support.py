"""Builders shared by the coach tests (no tests here): activities, plans, an app wired
to the offline composer, and a clock set to the athlete's local morning."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from momentum.core.app import App
from momentum.core.coach.fallback import FallbackModel
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, RecordingChat, ScriptedModel
from momentum.core.model import Activity, AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest, Model
from momentum.plugins.running.coach.offline import OfflineComposer
from momentum.plugins.running.model.plan import (
    MinimumViableWeek,
    Phase,
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
)

TORONTO = ZoneInfo("America/Toronto")


def at(day: dt.date, hour: int = 7, minute: int = 0) -> dt.datetime:
    """A Toronto wall time as an aware UTC instant."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TORONTO).astimezone(dt.UTC)


def run(
    athlete_id: str,
    day: dt.date,
    minutes: float = 45,
    *,
    activity_id: str | None = None,
    z3_share: float = 0.15,
    indoor: bool = False,
    name: str = "Morning Run",
    core_ef: float | None = 1.0,
    hour: int = 7,
) -> Activity:
    """A run with heart-rate zones (mostly Z2)."""
    seconds = minutes * 60
    z3 = seconds * z3_share
    z1 = seconds * 0.1
    return Activity(
        activity_id=activity_id or f"run-{day.isoformat()}-{hour}",
        athlete_id=athlete_id,
        activity_type="Run",
        activity_subtype="Indoor" if indoor else "",
        start=at(day, hour),
        name=name,
        source="strava",
        distance_meters=minutes * 160,
        moving_time_seconds=seconds,
        elapsed_time_seconds=seconds,
        avg_hr=138,
        zone1_seconds=z1,
        zone2_seconds=seconds - z1 - z3,
        zone3_seconds=z3,
        core_ef=core_ef,
        core_ef_seconds=seconds * 0.9,
        efficiency_factor=core_ef,
        avg_incline=8.0 if indoor else None,
    )


def strength(athlete_id: str, day: dt.date, minutes: float = 60, hour: int = 18) -> Activity:
    """A strength class (no heart-rate zones)."""
    return Activity(
        activity_id=f"str-{day.isoformat()}-{hour}",
        athlete_id=athlete_id,
        activity_type="WeightTraining",
        start=at(day, hour),
        name="Strength class",
        source="peloton",
        moving_time_seconds=minutes * 60,
        elapsed_time_seconds=minutes * 60,
    )


def week_plan(athlete_id: str, monday: dt.date, *, phase: str = "Winter Engine") -> PlanWeek:
    """The talk's week: Mon run, Tue strength, Wed rest, Thu run, Fri optional, Sat long,
    Sun recovery run."""
    d = [monday + dt.timedelta(days=i) for i in range(7)]
    sessions = (
        PlannedSession(d[0], SessionKind.EASY, 45, zone="Z1-Z2"),
        PlannedSession(d[1], SessionKind.STRENGTH, 60),
        PlannedSession(d[2], SessionKind.REST, 0),
        PlannedSession(d[3], SessionKind.EASY, 45, zone="Z1-Z2"),
        PlannedSession(d[4], SessionKind.EASY, 30, zone="Z1", optional=True),
        PlannedSession(d[5], SessionKind.LONG, 120),
        PlannedSession(d[6], SessionKind.EASY, 60, zone="Z1"),
    )
    return PlanWeek(start=monday, phase=phase, sessions=sessions)


def plan_for(athlete_id: str, first_monday: dt.date, weeks: int = 6) -> Plan:
    """A plan of ``weeks`` talk-style weeks inside a Winter Engine phase."""
    return Plan(
        athlete_id=athlete_id,
        created=at(first_monday),
        phases=(
            Phase("Fall Reset", dt.date(2025, 10, 1), dt.date(2025, 12, 31), "rebuild, 5h/week"),
            Phase(
                "Winter Engine",
                dt.date(2026, 1, 1),
                dt.date(2026, 3, 31),
                "diesel building: treadmill long runs and incline hiking in Z2",
            ),
            Phase("Spring Specificity", dt.date(2026, 4, 1), dt.date(2026, 6, 30), "trails"),
        ),
        mvw=MinimumViableWeek(),
        weeks=tuple(
            week_plan(athlete_id, first_monday + dt.timedelta(days=7 * i)) for i in range(weeks)
        ),
        goal="Monster of Mazinaw 30K Trail",
    )


def offline_app(
    athlete: AthleteProfile,
    clock: FixedClock,
    model: Model | None = None,
    settings: Settings | None = None,
) -> App:
    """An app on in-memory ports whose model chain is ``model`` then the offline composer."""
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    models: list[Model] = [m for m in (model,) if m is not None]
    chain = FallbackModel(
        [*models, OfflineComposer()], storage=storage, clock=clock, sleep=lambda s: None
    )
    app = build_app(
        settings or Settings(),
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=RecordingChat(),
        model=chain,
        clock=clock,
        plugins=load_plugins(),
    )
    return app


def talk_history(
    storage: InMemoryStorage, athlete_id: str, first_monday: dt.date, last_day: dt.date
) -> None:
    """Talk-style training from ``first_monday`` through ``last_day``: Mon 45min run, Tue
    strength, Thu 45min run, Sat long run (90–120 min, treadmill), Sun 60min easy."""
    day = first_monday
    week = 0
    while day <= last_day:
        weekday = day.weekday()
        if weekday in (0, 3):
            storage.put_activity(run(athlete_id, day, 45))
        elif weekday == 1:
            storage.put_activity(strength(athlete_id, day))
        elif weekday == 5:
            storage.put_activity(run(athlete_id, day, 90 + 5 * (week % 6), indoor=True))
        elif weekday == 6:
            storage.put_activity(run(athlete_id, day, 60))
            week += 1
        day += dt.timedelta(days=1)


def recording_model(
    text: str = "Nice and steady. What made starting easy today?",
    name: str = "openai/gpt-oss-120b",
) -> ScriptedModel:
    """A model that always answers ``text`` (1,500 tokens in, 120 out) and keeps every
    request in ``.requests``."""
    model = ScriptedModel(
        respond=lambda request: Completion(
            text, model=name, provider="groq", tokens_in=1500, tokens_out=120
        )
    )
    model.name = name
    return model


def prompt_text(request: CompletionRequest) -> str:
    """System and user prompt of a request, joined."""
    return "\n".join(m.content for m in request.messages)
