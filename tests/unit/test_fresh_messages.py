"""Messages that are true and fresh: a month of check-ins with no repeated sentence, styles
that really differ, claims checked against their facts, runs named by their zones."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable

import pytest

from momentum.core.model import Activity, AthleteProfile, CoachingStyle
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import CompletionRequest, ModelMessage
from momentum.plugins.running.coach.claims import contradictions
from momentum.plugins.running.coach.offline import OfflineComposer
from momentum.plugins.running.coach.phrasing import sentences
from momentum.plugins.running.coach.session_type import run_type
from tests.unit.test_coach_support import at, offline_app, plan_for, run, strength

FIRST = dt.date(2026, 1, 19)
START = dt.date(2026, 3, 2)

Pattern = Callable[[int], list[Activity]]


def _steady(offset: int) -> list[Activity]:
    day = START + dt.timedelta(days=offset)
    if day.weekday() == 1:
        return [strength("adam", day)]
    return [run("adam", day, 45)] if day.weekday() in (0, 3, 5, 6) else []


def _stops(offset: int) -> list[Activity]:
    return _steady(offset) if offset < 3 else []


def _patchy(offset: int) -> list[Activity]:
    day = START + dt.timedelta(days=offset)
    return [run("adam", day, 40)] if offset % 4 == 0 else []


def _month(athlete: AthleteProfile, pattern: Pattern) -> tuple[list[str], set[str]]:
    clock = FixedClock(at(START, 6))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=12))
    for back in range(1, 43):  # six weeks of the steady pattern before the month
        for activity in _steady(-back):
            app.storage.put_activity(activity)
    texts, states = [], set()
    for offset in range(31):
        day = START + dt.timedelta(days=offset)
        for activity in pattern(offset - 1):
            app.storage.put_activity(activity)
        clock.set(at(day, 6))
        message = app.coach.checkin("adam", day)
        texts.append(message.text)
        states.add(message.state)
    return texts, states


@pytest.mark.parametrize("style", list(CoachingStyle))
def test_a_month_of_checkins_never_repeats_a_sentence(
    athlete: AthleteProfile, style: CoachingStyle
) -> None:
    seen_states: set[str] = set()
    for pattern in (_steady, _stops, _patchy):
        texts, states = _month(dataclasses.replace(athlete, coaching_style=style), pattern)
        seen_states |= states
        said = [s for text in texts for s in sentences(text)]
        repeated = {s for s in said if said.count(s) > 1}
        assert not repeated, (pattern.__name__, sorted(repeated)[:5])
    assert {"low", "fragile"} <= seen_states
    assert seen_states & {"thriving", "on_track"}


def _write(purpose: str, facts: dict[str, str]) -> str:
    body = "## Facts\n" + "\n".join(f"{k}: {v}" for k, v in facts.items())
    request = CompletionRequest(
        messages=(ModelMessage("system", "coach"), ModelMessage("user", body)),
        purpose=purpose,
        athlete_id="adam",
    )
    return OfflineComposer().complete(request).text


@pytest.mark.parametrize(
    "facts",
    [
        {"state": "low", "athlete": "Adam"},
        {"state": "fragile", "athlete": "Adam", "last_run_day": "Sunday"},
        {"state": "on_track", "athlete": "Adam", "runs_done": "1", "today_session": "45min Run"},
        {"state": "thriving", "athlete": "Adam", "runs_done": "3"},
    ],
)
def test_styles_use_different_words_for_the_same_facts(facts: dict[str, str]) -> None:
    words = {
        style.value: set(sentences(_write("checkin", {**facts, "style": style.value})))
        for style in CoachingStyle
    }
    for a in words:
        for b in words:
            if a != b:
                assert not words[a] & words[b], (a, b, words[a] & words[b])


def test_zero_runs_never_claims_momentum() -> None:
    for day in range(1, 29):
        text = _write(
            "checkin",
            {"state": "thriving", "athlete": "Adam", "runs_done": "0", "date": f"March {day}"},
        )
        assert "momentum is real" not in text.lower() and "runs banked" not in text
        assert not contradictions(text, {"runs_done": "0"})


def test_an_interval_run_is_not_an_aerobic_brick(athlete: AthleteProfile) -> None:
    clock = FixedClock(at(START, 19))
    app = offline_app(athlete, clock)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    seconds = 45 * 60
    intervals = dataclasses.replace(
        run("adam", START, 45, activity_id="vo2", hour=18),
        zone1_seconds=600,
        zone2_seconds=seconds - 600 - 300 - 240 - 720,
        zone3_seconds=300,
        zone4_seconds=240,
        zone5_seconds=720,  # 12 minutes in Z5
    )
    app.storage.put_activity(intervals)
    review = app.coach.on_activity("adam", "vo2")
    feedback = app.coach.feedback("adam", "vo2")
    for text in (review.text, feedback.text):
        assert "aerobic brick" not in text and "genuinely aerobic" not in text
    assert "Z4–Z5" in review.text
    assert "intervals" in feedback.text  # review and feedback agree on what it was


def test_a_model_contradicting_the_facts_is_replaced(athlete: AthleteProfile) -> None:
    from tests.unit.test_coach_support import recording_model

    clock = FixedClock(at(START, 6))
    model = recording_model("Momentum is real this week: five runs banked. Keep it rolling.")
    app = offline_app(athlete, clock, model)
    app.storage.put_plan(plan_for("adam", FIRST, weeks=8))
    message = app.coach.checkin("adam", START)  # Monday morning: nothing banked this week
    assert "five runs banked" not in message.text and message.model == "offline"


@pytest.mark.parametrize(
    ("zones", "kind"),
    [
        ((5, 35, 5, 0, 0), "easy"),
        ((5, 25, 15, 0, 0), "steady"),
        ((10, 15, 5, 12, 2), "tempo"),
        ((10, 15, 5, 4, 12), "intervals"),
        ((10, 30, 3, 2, 1), "easy"),  # a drift into Z4 at the end is not a workout
        ((0, 0, 0, 0, 0), "unknown"),
    ],
)
def test_run_type_from_zones(zones: tuple[float, ...], kind: str) -> None:
    assert run_type(zones) == kind
