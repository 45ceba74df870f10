"""Builders shared by the plan-engine tests: the talk's athlete and weeks, random athletes.

The talk's weeks (``/work/shared/seeds/000_…``): after the Fall Reset the athlete runs about
5 h a week; Fri Feb 6 a 2:01 treadmill run; the week of Feb 16–22 is Mon 1:12, Wed 46 min,
Sat 1:32 long run and a Sunday strength session ("Aerobic: 3:30h").
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from momentum.core.model import (
    Activity,
    AthleteProfile,
    Equipment,
    HeartRateProfile,
    MemoryItem,
    MemorySection,
    Weekday,
    ZoneModel,
)
from momentum.plugins.running.analytics.vdot import race_time
from momentum.plugins.running.plans.rules import SEPARATE_STRENGTH_LONG_RUN
from momentum.plugins.running.profile import FIELDS as RUNNING_FIELDS
from momentum.plugins.running.profile import (
    CurrentTraining,
    GoalRace,
    RaceResult,
    running_athlete,
    with_running_profile,
)

TORONTO = "America/Toronto"
FEB_23 = dt.date(2026, 2, 23)


def talk_athlete(**changes: object) -> AthleteProfile:
    """The talk's athlete (same as ``tests/conftest.py``'s ``athlete``), with changes."""
    base = running_athlete(
        athlete_id="adam",
        name="Adam",
        timezone=TORONTO,
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
    running = {k: v for k, v in changes.items() if k in RUNNING_FIELDS}
    fields = {**base.__dict__, **{k: v for k, v in changes.items() if k not in RUNNING_FIELDS}}
    return with_running_profile(AthleteProfile(**fields), **running)  # type: ignore[arg-type]


_counter = iter(range(1, 10**9))


def activity(
    day: dt.date,
    minutes: float,
    kind: str = "Run",
    *,
    hour: int = 12,
    tz: str = TORONTO,
    athlete_id: str = "adam",
) -> Activity:
    """An activity at ``hour`` local time on ``day`` (stored in UTC, like synced data)."""
    local = dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(tz))
    return Activity(
        activity_id=f"act{next(_counter)}",
        athlete_id=athlete_id,
        activity_type=kind,
        start=local.astimezone(dt.UTC),
        moving_time_seconds=minutes * 60,
        elapsed_time_seconds=minutes * 60,
    )


def week_of_runs(monday: dt.date, runs: dict[int, float], **kw: object) -> list[Activity]:
    """Runs on weekday offsets from ``monday``: ``{0: 45, 5: 120}``."""
    return [activity(monday + dt.timedelta(days=d), m, **kw) for d, m in runs.items()]  # type: ignore[arg-type]


def talk_history() -> list[Activity]:
    """Four weeks before Feb 23, 2026: about 5 h a week, then the talk's Feb 16–22 week."""
    acts: list[Activity] = []
    acts += week_of_runs(dt.date(2026, 1, 26), {0: 50, 2: 55, 4: 45, 5: 130})
    acts += week_of_runs(dt.date(2026, 2, 2), {0: 48, 2: 60, 4: 121, 6: 60})
    acts.append(activity(dt.date(2026, 2, 7), 35, "WeightTraining"))
    acts += week_of_runs(dt.date(2026, 2, 9), {0: 60, 2: 50, 4: 45, 5: 135})
    acts += week_of_runs(dt.date(2026, 2, 16), {0: 72, 2: 46, 5: 92})
    acts.append(activity(dt.date(2026, 2, 22), 60, "WeightTraining"))
    return acts


def steady_history(
    first_monday: dt.date, weeks: int, weekly: float = 300, days: tuple[int, ...] = (0, 2, 4, 5)
) -> list[Activity]:
    """``weeks`` steady weeks of ``weekly`` minutes, 40 % of it in the day-5 long run."""
    acts: list[Activity] = []
    long_part = weekly * 0.4
    rest = (weekly - long_part) / (len(days) - 1)
    for w in range(weeks):
        monday = first_monday + dt.timedelta(weeks=w)
        acts += week_of_runs(monday, {d: (long_part if d == days[-1] else rest) for d in days})
    return acts


def declared(athlete: AthleteProfile, day: dt.date, weekly: int | None = None) -> AthleteProfile:
    """``athlete`` who told ``momentum init`` on ``day`` that they run ``weekly`` minutes a
    week (default 80 % of their target) in three runs: a new athlete's plan starts there
    (:mod:`momentum.plugins.running.plans.comeback`) instead of with walk-run."""
    minutes = weekly if weekly is not None else round(0.8 * athlete.weekly_minutes_target)
    said = CurrentTraining(day, max(60, minutes), 3, 0)
    return with_running_profile(athlete, current_training=said)


def memory_item(tag: str, athlete_id: str = "adam", text: str = "") -> MemoryItem:
    """An active memory item with one tag."""
    return MemoryItem(
        memory_id=f"m-{tag}",
        athlete_id=athlete_id,
        section=MemorySection.DISCOVERIES,
        text=text or tag,
        created=dt.datetime(2026, 2, 23, 12, tzinfo=dt.UTC),
        tags=(tag,),
    )


DOMS_MEMORY = memory_item(
    SEPARATE_STRENGTH_LONG_RUN,
    text="Strength + LR on the same day caused multi-day quad DOMS; separate by a day",
)

# -- random athletes ---------------------------------------------------------------------

INJURY_TEXTS = (
    "calf strain",
    "sore left knee",
    "shoulder impingement",
    "plantar fasciitis",
    "lower back",
    "achilles tendinopathy",
    "tight hamstring",
)
TIMEZONES = ("America/Toronto", "Europe/London", "Australia/Sydney", "UTC", "Asia/Tokyo")
DISTANCES = (5000.0, 10000.0, 21097.5, 30000.0, 42195.0, 50000.0)
weekdays = st.sampled_from(list(Weekday))


@st.composite
def athletes(draw: st.DrawFn, today: dt.date) -> AthleteProfile:
    """A random but plausible athlete relative to ``today``."""
    max_hr = draw(st.integers(160, 205))
    threshold = draw(st.integers(int(max_hr * 0.80), int(max_hr * 0.95)))
    hr = HeartRateProfile(
        max_hr=max_hr,
        resting_hr=draw(st.integers(38, 70)),
        threshold_hr=threshold,
        zone_model=draw(st.sampled_from(list(ZoneModel))),
    )
    race = None
    if draw(st.booleans()):
        race = GoalRace(
            name="Goal race",
            date=today + dt.timedelta(days=draw(st.integers(0, 300))),
            distance_meters=draw(st.sampled_from(DISTANCES)),
            goal_time_seconds=None,
            course_notes=draw(st.sampled_from(("", "trail, hilly", "flat road"))),
        )
    results: tuple[RaceResult, ...] = ()
    if draw(st.booleans()):
        vdot = draw(st.floats(25, 65))
        distance = draw(st.sampled_from((5000.0, 10000.0, 21097.5)))
        results = (
            RaceResult(
                today - dt.timedelta(days=draw(st.integers(1, 400))),
                distance,
                race_time(vdot, distance),
            ),
        )
    preferred = tuple(sorted(draw(st.sets(weekdays, min_size=2, max_size=7))))
    unavailable = tuple(sorted(draw(st.sets(weekdays, max_size=3))))
    equipment = tuple(draw(st.sets(st.sampled_from(list(Equipment)), max_size=3)))
    injuries = tuple(draw(st.sets(st.sampled_from(INJURY_TEXTS), max_size=2)))
    return running_athlete(
        athlete_id="rnd",
        name="Random",
        timezone=draw(st.sampled_from(TIMEZONES)),
        heart_rate=hr,
        goal_race=race,
        race_results=results,
        preferred_days=preferred,
        long_run_day=draw(weekdays),
        unavailable_days=unavailable,
        equipment=equipment or (Equipment.BODYWEIGHT,),
        injuries=injuries,
        weekly_minutes_target=draw(st.integers(90, 600)),
    )


@st.composite
def histories(draw: st.DrawFn, athlete: AthleteProfile, today: dt.date) -> list[Activity]:
    """Up to eight weeks of random training before ``today`` (possibly none, or a gap)."""
    weeks = draw(st.integers(0, 8))
    acts: list[Activity] = []
    monday = today - dt.timedelta(days=today.weekday())
    for back in range(weeks, 0, -1):
        start = monday - dt.timedelta(weeks=back)
        volume = draw(st.integers(0, 600))
        if volume == 0:
            continue
        days = sorted(draw(st.sets(st.integers(0, 6), min_size=1, max_size=6)))
        for index, d in enumerate(days):
            share = 0.4 if index == len(days) - 1 and len(days) > 1 else 0.6 / max(1, len(days) - 1)
            minutes = max(10.0, volume * (share if len(days) > 1 else 1.0))
            kind = draw(st.sampled_from(("Run", "Run", "Run", "Ride", "WeightTraining")))
            acts.append(
                activity(
                    start + dt.timedelta(days=d),
                    minutes,
                    kind,
                    tz=athlete.timezone,
                    athlete_id=athlete.athlete_id,
                )
            )
    return acts


memories = st.lists(
    st.sampled_from(
        [
            memory_item("separate_strength_long_run", "rnd"),
            memory_item("strength_on_long_run_day", "rnd"),
            memory_item("no_strength", "rnd"),
            memory_item("injury:calf", "rnd"),
        ]
    ),
    max_size=2,
    unique_by=lambda m: m.memory_id,
)


def aerobic(week: object) -> int:
    """Planned aerobic minutes of a plan week (race excluded)."""
    from momentum.plugins.running.plans.guardrails import aerobic_minutes

    return aerobic_minutes(week)  # type: ignore[arg-type]


def test_talk_history_matches_the_talks_feb_16_week() -> None:
    """The fixture's Feb 16–22 week is the talk's: 1:12 + 46 min + 1:32 = 3:30 aerobic."""
    from momentum.plugins.running.plans.history import History

    history = History.of(talk_history(), TORONTO)
    assert history.aerobic_minutes(dt.date(2026, 2, 16), FEB_23) == 72 + 46 + 92 == 210
    assert history.weekly_minutes(FEB_23, 4) == [280, 289, 290, 210]


def test_activity_lands_on_the_local_day() -> None:
    """An evening run in Toronto is stored in UTC the next day but counts on its local day."""
    from momentum.plugins.running.plans.history import day_of

    late = activity(dt.date(2026, 2, 23), 30, hour=21)
    assert late.start.date() == dt.date(2026, 2, 24)
    assert day_of(late, TORONTO) == dt.date(2026, 2, 23)
