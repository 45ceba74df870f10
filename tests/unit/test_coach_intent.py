"""The talk's chat examples as tool calls, from the offline intent heuristics."""

from __future__ import annotations

import pytest

from momentum.plugins.running.coach.intent import guess_tool_calls


def calls(text: str, *, in_context: bool = False) -> list[tuple[str, dict[str, object]]]:
    return [(c.name, c.arguments) for c in guess_tool_calls(text, activity_in_context=in_context)]


def test_completed_strength_is_logged_hard() -> None:
    [(name, args)] = calls("did 60 min strength, totally gassed")
    assert name == "log_activity"
    assert args == {"activity_type": "strength", "duration": 60, "intensity": "hard"}


def test_an_opinion_is_a_reflection_not_a_completion() -> None:
    assert [n for n, _ in calls("60 minutes is a long time for strength")] == ["save_reflection"]


def test_how_a_run_felt_depends_on_context() -> None:
    text = "that run felt harder than expected"
    assert [n for n, _ in calls(text, in_context=True)] == ["save_activity_note"]
    assert [n for n, _ in calls(text, in_context=False)] == ["save_reflection"]


def test_tired_legs_question_is_reflection_plus_question() -> None:
    found = calls("legs are tired, should I rest?")
    assert [n for n, _ in found] == ["save_reflection", "coaching_question"]
    assert found[1][1]["topic"] == "rest"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I can't run today, work is crazy", "today"),
        ("need to skip tomorrow's long run", "tomorrow"),
    ],
)
def test_plan_changes(text: str, day: str) -> None:
    [(name, args)] = calls(text)
    assert name == "adjust_session" and args["day"] == day


def test_profile_facts() -> None:
    assert calls("my max heart rate is 186") == [
        ("update_profile", {"field": "max_hr", "value": "186"})
    ]
    assert calls("long runs on sundays work better for me") == [
        ("update_profile", {"field": "long_run_day", "value": "sunday"})
    ]


def test_small_talk_calls_nothing() -> None:
    assert calls("thanks!") == []
    assert calls("ok") == []


def test_hours_are_converted() -> None:
    [(_, args)] = calls("just finished a 1.5h easy ride")
    assert (
        args["duration"] == 90 and args["activity_type"] == "ride" and args["intensity"] == "easy"
    )
