"""The offline composer: a sensible message from the state and the examples, no LLM."""

from __future__ import annotations

import re

from momentum.core.coach.fence import fence
from momentum.core.ports.model import CompletionRequest, ModelMessage, ToolSpec
from momentum.plugins.running.coach.offline import CHAT_SOURCE, OfflineComposer, parse_facts


def ask(
    purpose: str, facts: dict[str, str], *, tools: tuple[ToolSpec, ...] = (), extra: str = ""
) -> str:
    body = "## Facts\n" + "\n".join(f"{k}: {v}" for k, v in facts.items()) + "\n\n" + extra
    request = CompletionRequest(
        messages=(ModelMessage("system", "coach"), ModelMessage("user", body)),
        purpose=purpose,
        athlete_id="adam",
        tools=tools,
    )
    completion = OfflineComposer().complete(request)
    assert completion.model == "offline" and completion.cost_usd == 0
    return completion.text


def sentences(text: str) -> int:
    return len([s for s in re.split(r"(?<=[.?!])\s+", text.strip()) if s])


def test_facts_parse() -> None:
    assert parse_facts("## Facts\nstate: low\nshow: Dune\n\n## Next\nx: y") == {
        "state": "low",
        "show": "Dune",
    }


def test_fragile_names_the_gap_and_asks_one_question() -> None:
    text = ask("checkin", {"athlete": "Adam", "state": "fragile", "last_run_day": "Sunday"})
    assert "since Sunday" in text and "Adam" in text
    assert text.count("?") == 1
    assert 2 <= sentences(text) <= 3
    assert "█" not in text and "✓" not in text


def test_fragile_uses_the_show_they_enjoy() -> None:
    text = ask(
        "checkin",
        {
            "athlete": "Adam",
            "state": "fragile",
            "last_run_day": "Sunday",
            "show": "Stranger Things",
        },
    )
    assert "Stranger Things" in text


def test_low_starts_with_a_prime_not_a_workout() -> None:
    text = ask("checkin", {"athlete": "Adam", "state": "low", "today_session": "45min Z2 Run"})
    first = re.split(r"(?<=[.?!])\s+", text)[0].lower()
    assert "workout" in first or "training" in first  # "let's not talk workouts today"
    assert "45min" not in text
    assert any(word in text.lower() for word in ("show", "friend", "routes"))


def test_thriving_gives_one_easy_step_for_today() -> None:
    text = ask(
        "checkin",
        {
            "athlete": "Adam",
            "state": "thriving",
            "runs_done": "3",
            "today_session": "Long Run (2:00)",
        },
    )
    assert "Long Run (2:00)" in text and "3 runs" in text


def test_doms_lesson_appears_when_it_applies() -> None:
    guard = "Last time strength and a long run shared a day it cost you days of DOMS."
    text = ask(
        "checkin",
        {"state": "on_track", "today_session": "Strength (60min)", "doms_guard": guard},
    )
    assert "DOMS" in text


def test_review_reacts_and_asks() -> None:
    text = ask(
        "review",
        {
            "activity_kind": "run",
            "z2_share": "80%",
            "fitness_delta": "+5.2",
            "fatigue_delta": "+2.9",
            "momentum": "up",
            "next_session": "Thu's Strength (60min)",
        },
    )
    assert "+5.2" in text and "momentum is up" in text and text.endswith("?")


def test_feedback_has_three_parts() -> None:
    text = ask("feedback", {"went_well": "Steady.", "watch": "Z3 drift.", "next_time": "Cap HR."})
    assert "*Went well:* Steady." in text and "*Watch:* Z3 drift." in text
    assert "*Next time:* Cap HR." in text


def test_weekly_review_flags_junk_miles() -> None:
    text = ask(
        "weekly_review",
        {"aerobic_time": "3:30h", "sessions": "4", "z3_share": "28%", "junk": "yes"},
    )
    assert "28% in Z3" in text and "*Next week:*" in text


def test_chat_with_tools_returns_tool_calls() -> None:
    tool = ToolSpec("log_activity", "log", {})
    body = fence(CHAT_SOURCE, "did 60 min strength, totally gassed")
    request = CompletionRequest(
        messages=(ModelMessage("user", "## Facts\nstate: on_track\n\n" + body),),
        purpose="chat",
        athlete_id="adam",
        tools=(tool,),
    )
    completion = OfflineComposer().complete(request)
    assert [c.name for c in completion.tool_calls] == ["log_activity"]
    assert completion.tool_calls[0].arguments["intensity"] == "hard"


def test_tools_not_offered_are_not_called() -> None:
    body = fence(CHAT_SOURCE, "did 60 min strength, totally gassed")
    request = CompletionRequest(
        messages=(ModelMessage("user", body),),
        purpose="chat",
        athlete_id="adam",
        tools=(ToolSpec("save_reflection", "", {}),),
    )
    assert OfflineComposer().complete(request).tool_calls == ()


def test_chat_reply_confirms_and_answers() -> None:
    actions = (
        "## What you did\n"
        "- save_reflection → ok: reflection saved\n"
        "- coaching_question → topic: rest; planned today: 45min easy; "
        "form (fitness - fatigue): -5\n\n" + fence(CHAT_SOURCE, "legs are tired, should I rest?")
    )
    text = ask("chat_reply", {"state": "on_track"}, extra=actions)
    assert "45min easy" in text and "20–30 minutes" in text


def test_off_track_weekly_review_is_short_and_kind() -> None:
    text = ask("weekly_review", {"athlete": "Adam", "state": "low", "aerobic_time": "0:30h"})
    assert "*Zones:*" not in text and text.count("?") == 1
    assert "quieter week" in text


def test_low_monday_plan_primes_instead_of_prescribing() -> None:
    text = ask(
        "monday_plan",
        {"athlete": "Adam", "state": "low", "today_session": "45min Z2 Run", "show": "Dune"},
    )
    assert "45min" not in text and "Dune" in text and "no workout talk" in text
