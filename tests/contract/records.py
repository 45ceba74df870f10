"""Fully populated records for the contract suite: every field set away from its default,
so a store that drops or mangles a field fails the round trip."""

from __future__ import annotations

import datetime as dt

from momentum.core.model import (
    Activity,
    ActivityNote,
    AthleteProfile,
    CoachingStyle,
    Equipment,
    HeartRateProfile,
    LLMUsage,
    MemoryItem,
    MemorySection,
    Message,
    MessageKind,
    OAuthToken,
    Reflection,
    Role,
    SourceRange,
    Split,
    Streams,
    Weekday,
    ZoneModel,
)
from momentum.plugins.running.activity_metrics import with_running_metrics
from momentum.plugins.running.model.plan import (
    Exercise,
    MinimumViableWeek,
    Phase,
    Plan,
    PlannedSession,
    PlanWeek,
    SessionKind,
    SessionStatus,
    StrengthWorkout,
)
from momentum.plugins.running.profile import GoalRace, RaceResult, running_athlete

T0 = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
TORONTO = dt.timezone(dt.timedelta(hours=-5), "EST")
"""A fixed non-UTC offset: stores must keep it on the record yet compare instants."""


def athlete(athlete_id: str = "adam", name: str = "Adam") -> AthleteProfile:
    """An athlete with every field set."""
    return running_athlete(
        athlete_id=athlete_id,
        name=name,
        timezone="America/Toronto",
        heart_rate=HeartRateProfile(182, 52, 162, ZoneModel.HRR),
        goal_race=GoalRace(
            "Monster of Mazinaw 30K Trail", dt.date(2026, 9, 19), 30000.0, 12600.0, "rocky"
        ),
        race_results=(RaceResult(dt.date(2025, 9, 27), 10000.0, 4343.0, "Mazinaw 10K"),),
        preferred_days=(Weekday.MON, Weekday.WED, Weekday.SAT),
        long_run_day=Weekday.SUN,
        unavailable_days=(Weekday.THU,),
        equipment=(Equipment.BODYWEIGHT, Equipment.KETTLEBELLS),
        injuries=("left achilles",),
        coaching_style=CoachingStyle.TOUGH_LOVE,
        weekly_minutes_target=345,
        checkin_hour=7,
        chat_user_id="U123ADAM",
        created=dt.datetime(2026, 1, 5, 8, 30, tzinfo=TORONTO),
    )


def streams() -> Streams:
    """Four samples on every channel, with a gap and two sources."""
    return Streams(
        time=(0.0, 1.0, 2.0, 3.0),
        channels={
            "distance": (0.0, 2.9, 5.8, 8.8),
            "speed": (2.9, 2.9, 3.0, None),
            "heart_rate": (120.0, 125.0, None, 131.0),
            "grade": (0.5, 0.5, 1.0, 1.5),
        },
        source_ranges=(
            SourceRange("heart_rate", "coros"),
            SourceRange("speed", "strava", 0, 3),
        ),
        is_indoor=True,
        sample_interval=1.0,
    )


def activity(
    activity_id: str = "a1",
    athlete_id: str = "adam",
    start: dt.datetime = T0,
    *,
    with_streams: bool = False,
) -> Activity:
    """A treadmill run with every computed field set."""
    return with_running_metrics(
        Activity(
            activity_id=activity_id,
            athlete_id=athlete_id,
            activity_type="Run",
            start=start,
            activity_subtype="Indoor",
            name="Treadmill Z2",
            source="coros",
            distance_meters=8012.5,
            moving_time_seconds=3120.0,
            elapsed_time_seconds=3200.0,
            avg_hr=138.4,
            max_hr=151.0,
            zone1_seconds=100.0,
            zone2_seconds=2800.0,
            zone3_seconds=200.0,
            zone4_seconds=20.0,
            zone5_seconds=0.0,
            avg_incline=1.5,
            elevation_gain_meters=42.0,
            efficiency_factor=1.23,
            core_ef=1.25,
            core_ef_seconds=2400.0,
            decoupling_percent=3.2,
            hrss=55.5,
            intensity="easy",
            splits=(Split(1, 1000.0, 390.0, 390.0, 385.0, 135.0, 1.2, 3.0),),
            streams=streams() if with_streams else None,
            source_ids={"coros": "c-1", "strava": "17321805264"},
            notes=("felt smooth",),
        ),
        gap_seconds_per_km=389.4,
        gap_model="strava",
        trimp=61.0,
    )


def plan(athlete_id: str = "adam") -> Plan:
    """A plan with a phase, an MVW and a week holding a run and a strength session."""
    monday = dt.date(2026, 3, 2)
    return Plan(
        athlete_id=athlete_id,
        created=T0,
        phases=(Phase("Winter Engine", monday, dt.date(2026, 4, 26), "aerobic base", 0.9),),
        mvw=MinimumViableWeek(3, (40, 55), 1, (80, 110), 2),
        weeks=(
            PlanWeek(
                start=monday,
                phase="Winter Engine",
                sessions=(
                    PlannedSession(
                        date=monday,
                        kind=SessionKind.EASY,
                        minutes=45,
                        zone="Z2",
                        pace=(400.0, 430.0),
                        purpose="aerobic base",
                        title="Easy Z2",
                        distance_meters=6500.0,
                        optional=True,
                        status=SessionStatus.DONE,
                        activity_id="a1",
                    ),
                    PlannedSession(
                        date=monday + dt.timedelta(days=2),
                        kind=SessionKind.STRENGTH,
                        minutes=30,
                        strength=StrengthWorkout(
                            warm_up=("hip circles",),
                            main_set=(
                                Exercise(
                                    "goblet squat",
                                    3,
                                    "8-10",
                                    "slow down",
                                    "kettlebells",
                                    ("knee",),
                                ),
                            ),
                            cool_down=("calf stretch",),
                            intensity="hard",
                        ),
                    ),
                ),
                is_recovery=True,
            ),
        ),
        vdot=38.2,
        goal="30K trail",
        version=0,
    )


def message(
    message_id: str = "checkin:2026-03-03",
    athlete_id: str = "adam",
    at: dt.datetime = T0,
    text: str = "Good morning",
) -> Message:
    """A coach message with every field set."""
    return Message(
        message_id=message_id,
        athlete_id=athlete_id,
        at=at,
        kind=MessageKind.CHECKIN,
        role=Role.COACH,
        text=text,
        rendered="Mon ✓ Tue ·",
        ref="dm:U123ADAM/1",
        state="thriving",
        model="openai/gpt-oss-120b",
    )


def reflection(
    reflection_id: str = "r1", athlete_id: str = "adam", at: dt.datetime = T0
) -> Reflection:
    """A reflection from chat."""
    return Reflection(reflection_id, athlete_id, at, "work is busy this month", "slack")


def note(
    note_id: str = "n1",
    athlete_id: str = "adam",
    activity_id: str = "a1",
    at: dt.datetime = T0,
) -> ActivityNote:
    """A note on an activity."""
    return ActivityNote(note_id, athlete_id, activity_id, at, "legs heavy after strength")


def memory(
    memory_id: str = "m1", athlete_id: str = "adam", created: dt.datetime = T0
) -> MemoryItem:
    """A tagged, inactive memory item."""
    return MemoryItem(
        memory_id,
        athlete_id,
        MemorySection.DISCOVERIES,
        "strength + long run on one day means multi-day DOMS",
        created,
        ("separate_strength_long_run",),
        False,
    )


def usage(usage_id: str = "u1", athlete_id: str = "adam", at: dt.datetime = T0) -> LLMUsage:
    """A failed model call."""
    return LLMUsage(
        usage_id,
        athlete_id,
        at,
        "groq",
        "openai/gpt-oss-120b",
        "checkin",
        1200,
        180,
        812.5,
        0.00042,
        False,
        "rate limited",
    )


def token(athlete_id: str = "adam", provider: str = "strava", access: str = "acc-1") -> OAuthToken:
    """A Strava token set (version left at 0: the store assigns it)."""
    return OAuthToken(
        athlete_id=athlete_id,
        provider=provider,
        access_token=access,
        refresh_token=f"ref-{access}",
        expires_at=T0 + dt.timedelta(hours=6),
        provider_athlete_id="98765",
        scope="activity:read_all",
    )
