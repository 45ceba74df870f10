"""The safety classifier: pain, illness and red flags in English, with negation; and the
property that a red-flag phrase never leaves a run on the day's plan."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core.memory import InMemoryStorage
from momentum.plugins.running.coach import safety
from momentum.plugins.running.coach.safety.classify import Concern, Triage, classify
from momentum.plugins.running.coach.safety.guard import problems
from momentum.plugins.running.coach.safety.records import from_memory, health_records, to_memory
from tests.unit.test_coach_support import at, plan_for

SAT = dt.date(2026, 3, 7)


@pytest.mark.parametrize(
    ("text", "concern", "triage"),
    [
        ("my shin hurts", Concern.INJURY, Triage.SELF_CARE),
        ("knee is sore after yesterday", Concern.INJURY, Triage.SELF_CARE),
        ("I have a fever", Concern.ILLNESS, Triage.DOCTOR),
        ("think I've got the flu", Concern.ILLNESS, Triage.DOCTOR),
        ("tested positive for covid", Concern.ILLNESS, Triage.DOCTOR),
        ("sharp pain in one spot on my shin bone", Concern.INJURY, Triage.PHYSIO),
        ("my knee is swollen", Concern.INJURY, Triage.PHYSIO),
        ("achilles hurts more when I run", Concern.INJURY, Triage.PHYSIO),
        ("chest pain on the run this morning", Concern.ILLNESS, Triage.URGENT),
        ("I fainted after the long run", Concern.ILLNESS, Triage.URGENT),
        ("short of breath just sitting on the couch", Concern.ILLNESS, Triage.URGENT),
        ("runny nose and sneezing", Concern.ILLNESS, Triage.SELF_CARE),
    ],
)
def test_reports_are_read(text: str, concern: Concern, triage: Triage) -> None:
    finding = classify(text)
    assert finding.concern is concern
    assert finding.triage is triage


@pytest.mark.parametrize(
    "text",
    [
        "no pain today",
        "pain-free run, finally",
        "not sick, just busy",
        "no fever anymore",
        "legs are sore from the DOMS",
        "Trouble walking from DOMS. Barely get down stairs",
        "I was going to pass out several times, lots of squats and lunges",
        "out of breath on the hill repeats",
        "That run felt harder than expected",
        "I'm not injured, just lazy",
    ],
)
def test_negated_and_training_words_are_not_reports(text: str) -> None:
    assert not classify(text).is_concern


def test_the_neck_rule() -> None:
    above = classify("head cold, runny nose")
    below = classify("chest congestion and body aches")
    assert above.concern is Concern.ILLNESS and not above.below_neck
    assert below.below_neck and below.triage is Triage.DOCTOR


def test_better_now_names_the_area() -> None:
    finding = classify("shin feels fine now")
    assert "shin" in finding.resolved_areas and not finding.is_concern
    assert classify("I feel better").resolved_all
    assert not classify("legs feel good").resolves  # a good run is not a recovery


def test_records_round_trip_through_memory() -> None:
    storage = InMemoryStorage()
    screened = safety.screen(
        storage, "adam", (), "sharp pain in my shin", day=SAT, at=at(SAT), source="chat"
    )
    (record,) = screened.opened
    assert record.areas >= {"shin"} and record.since == SAT and record.active
    assert record.text == "sharp pain in my shin" and record.bone
    item = to_memory(record)
    assert "injury:shin" in item.tags  # the plan engine's rules spare the shin
    assert from_memory(item) == record
    again = safety.screen(
        storage,
        "adam",
        screened.memory,
        "sharp pain in my shin",
        day=SAT,
        at=at(SAT),
        source="chat",
    )
    assert not again.changed  # the same words twice keep one record
    later = SAT + dt.timedelta(days=3)
    better = safety.screen(
        storage,
        "adam",
        screened.memory,
        "shin feels fine now",
        day=later,
        at=at(later),
        source="chat",
    )
    (closed,) = better.closed
    assert closed.resolved == later
    (stored,) = health_records(storage.list_memory("adam"))
    assert not stored.active and "injury:shin" not in to_memory(stored).tags


def test_the_guard_allows_ruling_running_out_but_not_proposing_it() -> None:
    storage = InMemoryStorage()
    screened = safety.screen(
        storage, "adam", (), "my shin hurts", day=SAT, at=at(SAT), source="chat"
    )
    rule = safety.day_of(screened.memory, None, SAT).rule
    assert not problems("Don't run through pain; swap the run for a swim.", rule)
    assert not problems("Logged it: 30min run (easy).", rule)  # looking back is fine
    assert problems("Today's plan is Long Run (80min). Enjoy!", rule)
    assert problems("Go for an easy jog and see how it feels.", rule)


# -- property: a red-flag phrase never leaves a run on the day ---------------------------

AREAS = ("shin", "foot", "knee", "hip", "heel", "ankle", "achilles", "calf")
RED_FLAGS = st.one_of(
    st.builds(
        "{} pain in my {}".format,
        st.sampled_from(("sharp", "stabbing", "shooting", "bone", "localised")),
        st.sampled_from(AREAS),
    ),
    st.builds("my {} is {}".format, st.sampled_from(AREAS), st.sampled_from(("swollen",))),
    st.builds(
        "my {} hurts more {} I run".format,
        st.sampled_from(AREAS),
        st.sampled_from(("when", "as", "the longer")),
    ),
    st.builds("{} on my run".format, st.sampled_from(("chest pain", "tightness in my chest"))),
    st.builds(
        "I {} {} the run".format,
        st.sampled_from(("fainted", "passed out", "blacked out", "collapsed")),
        st.sampled_from(("after", "during")),
    ),
    st.builds(
        "I have {}".format,
        st.sampled_from(("a fever", "a temperature", "the flu", "covid", "chills")),
    ),
    st.builds(
        "{} {}".format,
        st.sampled_from(("short of breath", "can't catch my breath")),
        st.sampled_from(("at rest", "sitting on the couch", "all morning")),
    ),
)
PREFIX = st.sampled_from(("", "ugh, ", "heads up: ", "so this morning ", "Coach, "))
SUFFIX = st.sampled_from(("", " today", " since yesterday", "!", ". Should I still go?"))


@settings(max_examples=150, deadline=None)
@given(prefix=PREFIX, flag=RED_FLAGS, suffix=SUFFIX, weekday=st.integers(0, 6))
def test_a_red_flag_never_leaves_a_run_on_the_day(
    prefix: str, flag: str, suffix: str, weekday: int
) -> None:
    text = prefix + flag + suffix
    day = dt.date(2026, 3, 2) + dt.timedelta(days=weekday)
    finding = classify(text)
    assert finding.is_red_flag, text
    storage = InMemoryStorage()
    screened = safety.screen(storage, "adam", (), text, day=day, at=at(day), source="chat")
    plan = safety.overlay(plan_for("adam", dt.date(2026, 1, 19), weeks=8), screened.memory, day)
    today = safety.day_of(screened.memory, plan, day)
    assert today.active
    assert not any(s.kind.is_run for s in today.sessions), (text, today.sessions)
    assert today.check(today.message()), today.message()  # the layer's words pass its guard


@pytest.mark.parametrize(
    "text", ["my shin hurts", "sharp pain on my shin bone", "I have a fever", "chest pain"]
)
def test_the_layer_s_own_words_pass_its_guard_every_day(text: str) -> None:
    storage = InMemoryStorage()
    screened = safety.screen(storage, "adam", (), text, day=SAT, at=at(SAT), source="chat")
    plan = safety.overlay(plan_for("adam", dt.date(2026, 1, 19), weeks=8), screened.memory, SAT)
    for offset in range(10):
        day = SAT + dt.timedelta(days=offset)
        for opening in (True, False):
            today = safety.day_of(screened.memory, plan, day, opening=opening)
            assert today.check(today.message()), today.message()
