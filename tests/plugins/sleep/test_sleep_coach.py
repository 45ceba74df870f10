"""The sleep domain end to end through ``momentum.testing.PluginHarness``: check-ins from
Oura observations and from an Apple Health import, the weekly plan's 15-minute steps, the
weekly review over a simulated month, and the wind-down nudge fired by the tick."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum import Brief, Observation
from momentum.core import observations
from momentum.plugins.sleep import plugin
from momentum.plugins.sleep.clock import clock_text, signed_difference
from momentum.plugins.sleep.importer import import_export
from momentum.plugins.sleep.nights import Night, keep_nights, read_nights
from momentum.plugins.sleep.profile import SleepProfile, Targets, sleep_profile
from momentum.plugins.sleep.simulate import simulate
from momentum.plugins.sleep.steps import checkin, weekly_plan, weekly_review
from momentum.plugins.sleep.targets import next_targets
from momentum.testing import PluginHarness
from tests.plugins.sleep.exports import export, night_lines

TUESDAY = dt.date(2026, 3, 3)
PROFILE = {"need_hours": 8, "goal_bedtime": "22:30", "goal_wake": "06:30", "wind_down_minutes": 45}


def harness(**sleep: object) -> PluginHarness:
    h = PluginHarness(plugin)
    h.add_athlete(
        "ada", timezone="America/Toronto", domain_profiles={"sleep": {**PROFILE, **sleep}}
    )
    return h


def domain(h: PluginHarness):  # type: ignore[no-untyped-def]
    (found,) = h.plugins.domains()
    return found


def test_the_domain_is_registered_with_its_parts() -> None:
    found = domain(harness())
    assert found.name == "sleep"
    assert (found.checkin, found.weekly_plan, found.weekly_review) == (
        checkin,
        weekly_plan,
        weekly_review,
    )
    assert found.prompt_dir is not None and (found.prompt_dir / "sleep_section.j2").is_file()
    assert len(found.recurring_jobs) == 20


def test_checkin_from_oura_observations() -> None:
    h = harness()
    oura = [
        Observation(
            "oura",
            "sleep",
            TUESDAY - dt.timedelta(days=k),
            {"total_sleep_duration": 7 * 3600.0, "time_in_bed": 7.5 * 3600, "efficiency": 93.0},
        )
        for k in range(14)
    ]
    observations.keep(h.storage, "ada", oura)
    brief = checkin(h.app, "ada", TUESDAY)
    assert isinstance(brief, Brief) and brief.domain == "sleep"
    assert brief.lines[0] == "Last night: 7 h 00 min asleep, efficiency 93%."
    assert brief.facts["sleep_debt"] == "14.0 h over 14 nights (14 with data)"
    # Oura keeps no clock times: the bedtime cannot be judged, so nothing counts as missed
    assert brief.missed_days == 0
    assert brief.next_step.startswith("Tonight, lights out by 22:30")  # 14 h of debt


def test_checkin_from_nights_the_oura_plugin_kept() -> None:
    from momentum.plugins.oura.days import parse, store
    from tests.fakes.fake_oura import night

    h = harness(goal_bedtime="22:15")
    docs = [night(TUESDAY - dt.timedelta(days=k), hrv=60, rhr=50, hours=7.5) for k in range(3)]
    store(h.storage, "ada", parse("sleep", [d["sleep"] for d in docs]))
    brief = checkin(h.app, "ada", TUESDAY)
    assert brief is not None
    # Oura: in bed 23:00 UTC, 10 min latency, 7 h 30 asleep, out of bed 30 min later;
    # efficiency is computed the same for every source: TST / time in bed = 7.5 / 8
    assert brief.lines[:2] == (
        "Last night: 7 h 30 min asleep (23:10 → 07:00), efficiency 94%.",
        "Bedtime 23:00 against the target 22:15 (+45 min).",
    )
    assert brief.missed_days == 3  # three nights in a row more than 30 minutes late


def test_checkin_from_an_apple_health_import(tmp_path: Path) -> None:
    h = harness()
    path = tmp_path / "export.xml"
    path.write_text(export(night_lines("2026-03-02", "2026-03-03")), encoding="utf-8")
    import_export(h.storage, "ada", path)
    brief = checkin(h.app, "ada", TUESDAY)
    assert brief is not None
    assert brief.lines == (
        "Last night: 7 h 20 min asleep (23:10 → 06:50), efficiency 90%.",
        "Bedtime 22:50 against the target 22:30 (+20 min).",
        "Sleep debt: 0.7 h over the last 14 nights.",
    )
    assert brief.facts["bedtime"] == "22:50 (+20 min vs target)"
    assert brief.missed_days == 0  # 20 minutes late is within the 30-minute margin
    assert "06:30" in brief.next_step


def _late_night(day: dt.date, bed: float) -> Night:
    return Night(day, "apple_health", 7 * 3600.0, 8 * 3600.0, bed + 10, bed + 430, bed)


def test_missed_days_count_late_nights_in_a_row_and_stop_at_missing_data() -> None:
    h = harness()
    nights = [_late_night(TUESDAY - dt.timedelta(days=k), -30) for k in range(3)]  # 23:30
    nights.append(_late_night(TUESDAY - dt.timedelta(days=4), -30))  # day 3 has no data
    keep_nights(h.storage, "ada", nights)
    brief = checkin(h.app, "ada", TUESDAY)
    assert brief is not None and brief.missed_days == 3
    assert brief.next_step.startswith("Start winding down at 21:45")


def test_no_nights_no_brief() -> None:
    assert checkin(harness().app, "ada", TUESDAY) is None


def test_weekly_plan_steps_15_minutes_and_is_idempotent() -> None:
    h = harness()
    keep_nights(
        h.storage, "ada", [_late_night(TUESDAY - dt.timedelta(days=k), 0) for k in range(7)]
    )
    monday = dt.date(2026, 3, 2)
    brief = weekly_plan(h.app, "ada", monday)
    assert brief is not None
    # habit: in bed at 00:00, up at 07:10 -> first week 23:45 and 06:55
    assert brief.lines[0] == "This week: in bed by 23:45, up at 06:55."
    assert brief.lines[1] == "Wind-down from 23:00."
    assert weekly_plan(h.app, "ada", monday + dt.timedelta(days=2)) == brief  # same week
    next_week = weekly_plan(h.app, "ada", monday + dt.timedelta(days=7))
    assert (
        next_week is not None and next_week.lines[0] == "This week: in bed by 23:30, up at 06:40."
    )
    stored = h.storage.get_athlete("ada")
    assert stored is not None
    assert stored.domain_profiles["sleep"]["targets"] == {
        "week": "2026-03-09",
        "bedtime": "23:30",
        "wake": "06:40",
    }


clock_minutes = st.integers(0, 1439)


@given(clock_minutes, clock_minutes, clock_minutes, clock_minutes, st.integers(1, 30))
def test_targets_move_at_most_15_minutes_a_week_toward_the_goal(
    bed: int, wake: int, goal_bed: int, goal_wake: int, weeks: int
) -> None:
    monday = dt.date(2026, 3, 2)
    profile = SleepProfile(
        goal_bedtime=goal_bed, goal_wake=goal_wake, targets=Targets(monday, bed, wake)
    )
    for week in range(1, weeks + 1):
        before = profile.targets
        assert before is not None
        after = next_targets(profile, [], monday + dt.timedelta(weeks=week))
        for old, new, goal in (
            (before.bedtime, after.bedtime, goal_bed),
            (before.wake, after.wake, goal_wake),
        ):
            assert abs(signed_difference(new, old)) <= 15
            assert abs(signed_difference(goal, new)) <= abs(signed_difference(goal, old))
            if abs(signed_difference(goal, old)) <= 15:
                assert new == goal
        profile = dataclasses.replace(profile, targets=after)


def test_simulation_is_deterministic_and_the_review_reads_it() -> None:
    h = harness()
    start, end = dt.date(2026, 2, 1), dt.date(2026, 3, 1)
    simulate(h.app, "ada", start, end)
    first = read_nights(h.storage, "ada", start, end)
    simulate(h.app, "ada", start, end)
    assert read_nights(h.storage, "ada", start, end) == first and len(first) == 29
    other = harness()
    other.add_athlete("bo", timezone="America/Toronto")
    simulate(other.app, "bo", start, end)
    assert read_nights(other.storage, "bo", start, end) != first
    review = weekly_review(h.app, "ada", end)
    assert review is not None
    facts = review.facts
    assert facts["nights_recorded"] == "7 of 7"
    assert -100 <= float(facts["sleep_regularity_index"]) <= 100
    assert "social_jet_lag" in facts and facts["bedtime_spread"].startswith("±")
    assert any(line.startswith("Sleep Regularity Index:") for line in review.lines)


def test_wind_down_nudge_fires_at_the_athletes_own_slot_once() -> None:
    h = harness()  # bedtime 22:30 - 45 min -> 21:45 in Toronto (02:45 UTC)
    h.add_athlete("bo", timezone="America/Toronto")  # no sleep profile: never nudged
    h.add_athlete(
        "cy", timezone="America/Toronto", domain_profiles={"sleep": {"goal_bedtime": "23:30"}}
    )
    at = dt.datetime(2026, 3, 4, 2, 45, tzinfo=dt.UTC)
    assert h.tick(at - dt.timedelta(minutes=15)) == []
    fired = h.tick(at)
    assert fired == ["sleep_wind_down_2145:ada:2026-03-03"]
    assert h.dms("ada") == ["Time to wind down: lights out by 22:30. Screens away, lights low."]
    assert h.tick(at) == [] and h.tick(at + dt.timedelta(minutes=5)) == []
    h.run_job("sleep_wind_down_2145", "ada", "2026-03-03")  # a redelivery sends nothing
    assert len(h.dms("ada")) == 1 and h.dms("bo") == []
    assert h.tick(at + dt.timedelta(minutes=60)) == ["sleep_wind_down_2245:cy:2026-03-03"]


def test_wind_down_follows_this_weeks_target() -> None:
    h = harness(targets={"week": "2026-03-02", "bedtime": "23:15", "wake": "07:00"})
    athlete = h.storage.get_athlete("ada")
    assert athlete is not None and clock_text(sleep_profile(athlete).bedtime_target) == "23:15"
    fired = h.tick(dt.datetime(2026, 3, 4, 3, 30, tzinfo=dt.UTC))  # 22:30 Toronto
    assert fired == ["sleep_wind_down_2230:ada:2026-03-03"]
    assert "lights out by 23:15" in h.dms("ada")[0]


@pytest.mark.parametrize(
    ("section", "where"),
    [
        ({"need_hours": "eight"}, "domain_profiles.sleep.need_hours"),
        ({"goal_bedtime": "25:00"}, "domain_profiles.sleep.goal_bedtime"),
        ({"workdays": ["funday"]}, "domain_profiles.sleep.workdays"),
    ],
)
def test_a_wrong_profile_names_its_key(section: dict[str, object], where: str) -> None:
    from momentum import InputError

    h = harness(**section)
    with pytest.raises(InputError, match=where):
        checkin(h.app, "ada", TUESDAY)


@pytest.mark.parametrize(
    ("section", "slot"),
    [
        ({"goal_bedtime": "22:30", "wind_down_minutes": 45}, "21:45"),
        ({"goal_bedtime": "22:40", "wind_down_minutes": 30}, "22:00"),  # 22:10, rounded down
        ({"goal_bedtime": "20:00", "wind_down_minutes": 90}, "19:00"),  # 18:30: the first slot
        ({"goal_bedtime": "01:00", "wind_down_minutes": 45}, "23:45"),  # 00:15: the last slot
    ],
)
def test_wind_down_slots(section: dict[str, object], slot: str) -> None:
    from momentum.plugins.sleep.winddown import slot_of
    from momentum.testing import sample_athlete

    found = slot_of(sample_athlete(domain_profiles={"sleep": section}))
    assert found is not None and clock_text(found) == slot
    assert slot_of(sample_athlete()) is None
    assert slot_of(sample_athlete(domain_profiles={"sleep": {"goal_bedtime": "late"}})) is None
