"""The coach loop over domains (issue 18): each installed domain brings a Brief and the
athlete gets ONE message, whether running holds the conversation or core's loop does.

The second domain here is a small test plugin defined in this file, registered through
``momentum.testing.PluginHarness`` exactly as a third-party domain would be.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from momentum import Brief, Domain, hookimpl
from momentum.core.coach.loop import CoachLoop, join, tone
from momentum.core.coach.state import MotivationState, StateThresholds
from momentum.plugins.running import plugin as running_plugin
from momentum.testing import PluginHarness

ALERT = "Loud snoring with pauses in breathing: please see a doctor about it."


class Calm:
    """A tiny breathing-practice domain: one number a day, a plan it can miss."""

    def __init__(self, *, missed: int = 0, alert: str = "") -> None:
        self.missed = missed
        self.alert = alert
        self.calls: list[tuple[str, str, dt.date]] = []

    def _brief(self, step: str, athlete_id: str, day: dt.date) -> Brief:
        self.calls.append((step, athlete_id, day))
        return Brief(
            domain="calm",
            title="Calm",
            facts={"minutes_breathing": "12 min yesterday"},
            lines=(f"Breathing: 12 min on {day:%a}", "Goal: 10 min a day"),
            next_step="Two minutes of box breathing after lunch",
            missed_days=self.missed,
            alert=self.alert,
        )

    @hookimpl
    def momentum_domains(self) -> list[Domain]:
        return [
            Domain(
                "calm",
                "A breathing coach (test)",
                checkin=lambda app, a, d: self._brief("checkin", a, d),
                weekly_plan=lambda app, a, d: self._brief("weekly_plan", a, d),
                weekly_review=lambda app, a, d: self._brief("weekly_review", a, d),
                screen=lambda text: ALERT if "snoring" in text.lower() else None,
            )
        ]


TUESDAY = dt.date(2026, 3, 3)


def _checkin_requests(harness: PluginHarness) -> list[str]:
    return [
        "\n".join(m.content for m in r.messages)
        for r in harness.model.requests
        if r.purpose == "checkin"
    ]


def test_a_coach_without_running_joins_the_briefs_into_one_message() -> None:
    calm = Calm(alert=ALERT)
    harness = PluginHarness(calm)
    harness.add_athlete("ada")
    harness.run_job("checkin", "ada", TUESDAY)
    [message] = harness.dms("ada")
    assert message.startswith(ALERT)  # alerts first, verbatim
    assert "*Calm*\nBreathing: 12 min on Tue\nGoal: 10 min a day" in message
    assert message.rstrip().endswith("Next: Two minutes of box breathing after lunch")
    [prompt] = _checkin_requests(harness)  # one model call, over the domain's facts
    assert "calm_minutes_breathing: 12 min yesterday" in prompt
    assert "(checkin)" in message  # the model's words are in the message
    assert calm.calls == [("checkin", "ada", TUESDAY)]


def test_a_delivery_that_comes_twice_sends_once_and_pays_once() -> None:
    harness = PluginHarness(Calm())
    harness.add_athlete("ada")
    harness.run_job("checkin", "ada", TUESDAY)
    harness.run_job("checkin", "ada", TUESDAY)
    assert len(harness.dms("ada")) == 1
    assert len(_checkin_requests(harness)) == 1


def test_running_and_a_second_domain_give_one_checkin_with_both_sections() -> None:
    harness = PluginHarness(running_plugin, Calm(alert=ALERT))
    harness.add_athlete("ada")
    harness.run_job("checkin", "ada", TUESDAY)
    [message] = harness.dms("ada")
    assert message.startswith(ALERT)
    assert "*Calm*\nBreathing: 12 min on Tue" in message
    assert message.count("(checkin)") == 1  # the running coach's words, written once
    [prompt] = _checkin_requests(harness)  # one model call over both domains' facts
    assert "calm_minutes_breathing: 12 min yesterday" in prompt
    assert "last_run: none in 6 weeks" in prompt  # running's own facts


def test_the_monday_plan_and_weekly_review_ask_the_other_domains_too() -> None:
    calm = Calm()
    harness = PluginHarness(running_plugin, calm)
    harness.add_athlete("ada")
    harness.run_job("monday_plan", "ada", dt.date(2026, 3, 2))
    harness.run_job("weekly_refresh", "ada", dt.date(2026, 3, 8))
    steps = [step for step, _, _ in calm.calls]
    assert steps == ["weekly_plan", "weekly_review"]
    assert all("*Calm*" in dm for dm in harness.dms("ada"))
    assert len(harness.dms("ada")) == 2


def test_running_alone_is_unchanged_by_the_loop() -> None:
    harness = PluginHarness(running_plugin)
    harness.add_athlete("ada")
    harness.run_job("checkin", "ada", TUESDAY)
    [message] = harness.dms("ada")
    assert "*Calm*" not in message and "Next:" not in message


def test_the_tone_reads_the_largest_missed_days() -> None:
    class Sleepy(Calm):
        def _brief(self, step: str, athlete_id: str, day: dt.date) -> Brief:
            return Brief("sleepy", "Sleep", facts={"slept": "6 h"}, missed_days=6)

    harness = PluginHarness(Calm(missed=0), Sleepy())
    harness.add_athlete("ada")
    harness.run_job("checkin", "ada", TUESDAY)
    stored = harness.storage.get_message("ada", "checkin:2026-03-03")
    assert stored is not None and stored.state == "low"


def test_chat_screens_untrusted_words_with_the_domains_code_before_any_model() -> None:
    harness = PluginHarness(Calm())
    harness.add_athlete("ada")
    answer = harness.say("my partner says my snoring stops and starts", event_id="E1")
    assert answer.text == ALERT
    assert [r for r in harness.model.requests if r.purpose == "chat"] == []
    again = harness.app.coach.reply("ada", "my snoring", event_id="E1")  # a retry
    assert again.message_id == answer.message_id and len(harness.dms("ada")) == 1


def test_an_unknown_job_is_named() -> None:
    harness = PluginHarness(Calm())
    harness.add_athlete("ada")
    with pytest.raises(Exception, match="no coach job named 'lunch'"):
        CoachLoop(harness.app).message("lunch", "ada", TUESDAY)


@given(st.lists(st.one_of(st.none(), st.integers(0, 60)), max_size=6))
def test_join_keeps_the_largest_missed_days_and_every_alert(missed: list[int | None]) -> None:
    parts = [
        Brief(f"d{i}", f"D{i}", facts={"x": str(i)}, missed_days=m, alert=f"a{i}" if m else "")
        for i, m in enumerate(missed)
    ]
    joined = join(parts)
    known = [m for m in missed if m is not None]
    assert joined.missed_days == (max(known) if known else None)
    assert joined.alerts == tuple(f"a{i}" for i, m in enumerate(missed) if m)
    assert set(joined.facts) == {f"d{i}_x" for i in range(len(missed))}
    state = tone(joined.missed_days, StateThresholds(2, 5))
    if joined.missed_days is not None and joined.missed_days >= 5:
        assert state is MotivationState.LOW
