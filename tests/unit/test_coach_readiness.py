"""Readiness in the check-in: a source's facts reach the prompt, a poor reading softens
today's session (stored, said in one line), and without a source nothing changes."""

from __future__ import annotations

import datetime as dt

from momentum import Readiness, hookimpl
from momentum.plugins.running.model.plan import Plan, SessionKind
from momentum.testing import PluginHarness, sample_athlete

DAY = dt.date(2026, 3, 3)  # a Tuesday; the harness clock is 06:00 in Toronto


class Ring:
    """A stand-in source whose reading the test sets."""

    def __init__(self, reading: Readiness | None) -> None:
        self.reading = reading

    @hookimpl
    def momentum_readiness(self, app: object, athlete_id: str, day: dt.date) -> object:
        return self.reading if day == DAY else None


def _harness(reading: Readiness | None) -> PluginHarness:
    harness = PluginHarness(Ring(reading), builtins=True)
    harness.add_athlete(sample_athlete("ada"))
    return harness


def _today(harness: PluginHarness) -> list[tuple[SessionKind, int, str]]:
    plan = harness.storage.get_plan(Plan, "ada")
    assert plan is not None
    week = plan.week_of(DAY)
    assert week is not None
    return [(s.kind, s.minutes, s.purpose) for s in week.sessions if s.date == DAY]


def _checkin(harness: PluginHarness) -> str:
    message = harness.app.coach.checkin("ada", DAY)
    return message.display


def test_without_a_source_the_checkin_is_the_same_as_before() -> None:
    plain = _harness(None)
    text = _checkin(plain)
    assert "Readiness" not in text
    facts = plain.model.requests[-1].messages[-1].content if plain.model.requests else ""
    assert "readiness_" not in facts


def test_a_good_reading_adds_facts_and_changes_no_session() -> None:
    good = Readiness("ring", {"hrv": "52 ms, 4 % above your 30-day baseline"})
    harness = _harness(good)
    baseline = _harness(None)
    _checkin(baseline)
    text = _checkin(harness)
    assert "Readiness" not in text
    assert _today(harness) == _today(baseline)
    prompt = "\n".join(m.content for r in harness.model.requests for m in r.messages)
    assert "readiness_hrv: 52 ms, 4 % above your 30-day baseline" in prompt


def test_a_poor_reading_softens_today_and_says_why_in_one_line() -> None:
    reason = "HRV 31 ms is 35 % below your 30-day baseline and you slept 5.1 h of 8 h"
    poor = Readiness("ring", {"sleep": "5.1 h of 8 h"}, soften=True, reason=reason)
    baseline = _harness(None)
    _checkin(baseline)
    planned = _today(baseline)
    harness = _harness(poor)
    text = _checkin(harness)
    lines = [line for line in text.splitlines() if line.startswith("Readiness")]
    assert lines == [f"Readiness (ring): {reason}. Today is softer for it."]
    softer = _today(harness)
    if any(kind is not SessionKind.REST for kind, _, _ in planned):
        assert softer != planned
        assert sum(m for _, m, _ in softer) <= sum(m for _, m, _ in planned)
    # generated once: a second call is read back, and softens nothing again
    assert _checkin(harness) == text
    assert _today(harness) == softer
