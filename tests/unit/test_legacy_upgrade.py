"""Old record shapes upgrade in one place, core's decoder (issue 18): the keys a domain
registered move into its section, a value already in the section wins, keys nobody owns
are kept, and the upgrade is stable (old -> new -> serialise -> read gives the same
record)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.errors import InputError
from momentum.core.model import (
    Activity,
    AthleteProfile,
    Weekday,
    from_dict,
    from_json,
    to_dict,
    to_json,
)
from momentum.core.model.serde import (
    LEGACY_SECTION,
    claim_legacy,
    legacy_keys,
    register_legacy_keys,
)
from momentum.plugins.running import activity_metrics, profile
from momentum.plugins.running.activity_metrics import (
    RunningMetrics,
    running_metrics,
    with_running_metrics,
)
from momentum.plugins.running.profile import (
    CurrentTraining,
    GoalRace,
    RaceResult,
    RunningProfile,
    running_profile,
    with_running_profile,
)

dates = st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
seconds = st.floats(60, 50_000, allow_nan=False)
meters = st.floats(100, 100_000, allow_nan=False)
texts = st.text(max_size=12)

running_profiles = st.builds(
    RunningProfile,
    goal_race=st.none() | st.builds(GoalRace, texts, dates, meters, st.none() | seconds, texts),
    race_results=st.lists(st.builds(RaceResult, dates, meters, seconds, texts), max_size=3).map(
        tuple
    ),
    long_run_day=st.sampled_from(Weekday),
    current_training=st.none()
    | st.builds(CurrentTraining, dates, st.integers(0, 900), st.integers(0, 14)),
)
running_numbers = st.builds(
    RunningMetrics,
    gap_seconds_per_km=st.none() | st.floats(120, 1200, allow_nan=False),
    gap_model=st.sampled_from(["", "minetti2002", "strava_style"]),
    trimp=st.none() | st.floats(0, 500, allow_nan=False),
)
other_sections = st.dictionaries(
    st.sampled_from(["meals", "sleep", "peloton"]),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers() | texts, max_size=2),
    max_size=2,
)
unowned = st.dictionaries(st.sampled_from(["shoe_size_eu", "nickname"]), st.integers(), max_size=2)


def _old_athlete(rp: RunningProfile, sections: dict[str, Any], extra: dict[str, Any]) -> dict:  # type: ignore[type-arg]
    base = AthleteProfile("adam", "Adam", timezone="America/Toronto", domain_profiles=sections)
    return {**to_dict(base), **to_dict(rp), **extra}


@settings(max_examples=120, deadline=None)
@given(running_profiles, other_sections, unowned)
def test_an_old_athlete_upgrades_stably(rp: RunningProfile, sections: dict, extra: dict) -> None:  # type: ignore[type-arg]
    old = _old_athlete(rp, sections, extra)
    new = from_dict(AthleteProfile, old)
    assert running_profile(new) == rp
    for name, section in sections.items():
        assert new.domain_profiles[name] == section
    assert new.domain_profiles.get(LEGACY_SECTION, {}) == extra
    # serialise and read again: the same record, and the upgrade changes nothing more
    assert from_json(AthleteProfile, to_json(new)) == new
    assert from_dict(AthleteProfile, to_dict(new)) == new
    assert from_dict(AthleteProfile, json.loads(json.dumps(old))) == new
    # the running accessor's write leaves the other sections and the unowned keys alone
    moved = with_running_profile(new, rp)
    assert running_profile(moved) == rp
    assert {k: v for k, v in moved.domain_profiles.items() if k != "running"} == {
        k: v for k, v in new.domain_profiles.items() if k != "running"
    }


@settings(max_examples=120, deadline=None)
@given(running_numbers, unowned)
def test_an_old_activity_upgrades_stably(m: RunningMetrics, extra: dict) -> None:  # type: ignore[type-arg]
    base = Activity("a1", "adam", "Run", dt.datetime(2026, 3, 3, 11, tzinfo=dt.UTC))
    old = {**to_dict(base), **to_dict(m), **extra}
    old.pop("domain_metrics")
    new = from_dict(Activity, old)
    assert running_metrics(new) == m
    assert from_json(Activity, to_json(new)) == new
    assert from_dict(Activity, to_dict(new)) == new
    assert with_running_metrics(new, m) == with_running_metrics(with_running_metrics(new, m), m)


def test_a_value_already_in_the_section_wins() -> None:
    old = _old_athlete(RunningProfile(long_run_day=Weekday.SAT), {}, {})
    old["domain_profiles"] = {"running": {"long_run_day": int(Weekday.SUN)}}
    assert running_profile(from_dict(AthleteProfile, old)).long_run_day is Weekday.SUN


def test_running_registers_its_legacy_keys() -> None:
    assert legacy_keys(AthleteProfile, "running") == set(profile.FIELDS)
    assert legacy_keys(Activity, "running") == set(activity_metrics.FIELDS)
    assert {"goal_race", "long_run_day", "trimp", "gap_seconds_per_km"} <= set(
        profile.FIELDS + activity_metrics.FIELDS
    )


def test_keys_decoded_before_their_domain_registers_wait_and_are_claimed() -> None:
    @dataclass(frozen=True)
    class _Card:
        """A record class of its own, so registering here touches no real record."""

        __domain_field__ = "sections"

        card_id: str
        sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    early = from_dict(_Card, {"card_id": "c", "colour": "red", "size": 3})
    assert early.sections == {LEGACY_SECTION: {"colour": "red", "size": 3}}
    assert from_dict(_Card, to_dict(early)) == early  # written back as read
    register_legacy_keys(_Card, "paint", ["colour"])
    later = from_dict(_Card, to_dict(early))
    assert later.sections == {"paint": {"colour": "red"}, LEGACY_SECTION: {"size": 3}}
    section, rest = claim_legacy(early.sections, "paint", ["colour"])
    assert section == {"colour": "red"} and rest == {LEGACY_SECTION: {"size": 3}}
    with pytest.raises(ValueError, match="already owned"):
        register_legacy_keys(_Card, "ink", ["colour"])
    with pytest.raises(ValueError, match="current field"):
        register_legacy_keys(_Card, "paint", ["card_id"])


def test_a_record_class_without_a_domain_field_cannot_register() -> None:
    @dataclass(frozen=True)
    class Plain:
        x: int = 0

    with pytest.raises(TypeError, match="__domain_field__"):
        register_legacy_keys(Plain, "d", ["y"])


def test_a_broken_running_section_is_refused_by_name() -> None:
    bad = AthleteProfile("a", "A", domain_profiles={"running": {"long_run_day": "someday"}})
    with pytest.raises(InputError, match=r"domain_profiles\.running"):
        running_profile(bad)
    worse = AthleteProfile("a", "A", domain_profiles={"running": {"pace": 1}})
    with pytest.raises(InputError, match="unknown keys"):
        running_profile(worse)
    odd = dataclasses.replace(
        Activity("a1", "a", "Run", dt.datetime(2026, 1, 1, tzinfo=dt.UTC)),
        domain_metrics={"running": {"trimp": "high"}},
    )
    with pytest.raises(InputError, match=r"domain_metrics\.running\.trimp"):
        running_metrics(odd)
