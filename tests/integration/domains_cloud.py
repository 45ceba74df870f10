"""One coach with running + sleep + meals on a cloud stand-in: the test bodies every cloud
shares (``test_aws_domains.py``, ``test_cloudflare_domains.py``). A cloud's test builds
the coach on its own ports and hands over how that cloud delivers a 15-minute tick (its
real handler, each delivery twice, then whatever fan-out the tick deferred); the bodies
here say what must come out of it.

The athlete: Toronto (UTC−5 in March), sleep goal 22:30–06:30 with a 45-minute
wind-down (so the nudge is the 21:45 slot), a peanut allergy, a running plan, a week of
nights. Tuesday 3 March 2026, 06:00 local is 11:00 UTC; 21:45 local is 02:45 UTC the next
day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from momentum import App, Completion, CompletionRequest, ToolCall
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.plugins.meals.intake import day_log, intake_on
from momentum.plugins.meals.profile import load_profile, update_profile
from momentum.plugins.running.plans import build_plan
from momentum.plugins.sleep.nights import Night, keep_nights
from momentum.plugins.sleep.winddown import message_id as wind_down_id
from momentum.testing import sample_athlete

ATHLETE = "ada"
TUESDAY = dt.date(2026, 3, 3)
CHECKIN_TICK = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)  # 06:00 Toronto
EVENING_TICKS = tuple(
    dt.datetime(2026, 3, 4, 2, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=15 * k) for k in range(5)
)  # 21:00 … 22:00 Toronto: only 21:45 is Ada's wind-down slot
SLEEP = {"need_hours": 8, "goal_bedtime": "22:30", "goal_wake": "06:30", "wind_down_minutes": 45}
PEANUT_BUTTER = 172470
"""FDC SR Legacy "Peanut butter, smooth style, without salt" (served by the fake FDC)."""
WORDS = "Morning, Ada: one message for the day."

Tick = Callable[[dt.datetime], None]
"""Delivers the cloud's tick for an instant through its real entry point."""


@dataclass
class ModelLog:
    """A scripted model that records every request and answers chat with ``calls``."""

    calls: list[list[ToolCall]] = field(default_factory=list)
    requests: list[CompletionRequest] = field(default_factory=list)

    def respond(self, request: CompletionRequest) -> Completion:
        """The next tool calls for a chat turn; else a fixed line."""
        self.requests.append(request)
        if request.purpose == "chat" and self.calls:
            return Completion(
                text="", model="script", provider="test", tool_calls=tuple(self.calls.pop(0))
            )
        if request.purpose == "chat_reply":
            return Completion(
                text=request.messages[-1].content[-1500:], model="script", provider="test"
            )
        return Completion(text=WORDS, model="script", provider="test")

    def model(self) -> ScriptedModel:
        """The model to build the coach with."""
        return ScriptedModel(respond=self.respond)


def prepare(app: App) -> None:
    """Ada with the three domains' profiles, a running plan from Monday and six nights
    (Wed–Mon) of about 7 h, in the coach's storage."""
    athlete = sample_athlete(ATHLETE, domain_profiles={"sleep": dict(SLEEP)})
    app.storage.put_athlete(athlete)
    update_profile(app.storage, ATHLETE, {"allergies": ["peanut"], "weight_kg": 60})
    app.storage.put_plan(build_plan(athlete, [], [], TUESDAY - dt.timedelta(days=1)))
    keep_nights(
        app.storage,
        ATHLETE,
        [
            Night(
                day=TUESDAY - dt.timedelta(days=k),
                source="apple_health",
                total_sleep_s=7 * 3600,
                time_in_bed_s=7.5 * 3600,
                onset_min=-40,
                offset_min=6 * 60 + 20,
            )
            for k in range(6)
        ],
    )


def one_checkin_covers_three_domains(
    app: App, chat: RecordingChat, log: ModelLog, tick: Tick
) -> None:
    """The 6 am tick (delivered twice) sends Ada one check-in: running's message with the
    sleep and meals sections, from one model call over all three domains' facts."""
    tick(CHECKIN_TICK)
    tick(CHECKIN_TICK)
    sent = [m.text for m in chat.messages]
    assert len(sent) == 1, sent
    (text,) = sent
    assert text.count("*Sleep*") == 1 and text.count("*Meals*") == 1
    assert "Last night: 7 h 00 min asleep (23:20 → 06:20)" in text
    assert "kcal" in text and "Breakfast:" in text
    assert "peanut" not in text.lower()  # the day's meals keep to her allergy
    assert WORDS in text  # the model's words under the sections
    calls = [r for r in log.requests if r.purpose == "checkin"]
    assert len(calls) == 1  # one model call over the three domains' facts
    facts = calls[0].messages[-1].content
    for key in ("today_session:", "mvw:", "sleep_sleep_debt:", "meals_energy_target:"):
        assert key in facts, key
    stored = app.storage.get_message(ATHLETE, f"checkin:{TUESDAY.isoformat()}")
    assert stored is not None and stored.text == WORDS  # running's check-in, kept once
    assert "*Sleep*" in stored.rendered and "*Meals*" in stored.rendered


def wind_down_once_at_her_evening_time(app: App, chat: RecordingChat, tick: Tick) -> None:
    """The evening ticks, each delivered twice: the nudge goes out once, at 21:45 local."""
    for at in EVENING_TICKS:
        app.clock.set(at)  # type: ignore[attr-defined]
        tick(at)
        tick(at)
    nudges = [m.text for m in chat.messages if m.text.startswith("Time to wind down")]
    assert nudges == ["Time to wind down: lights out by 22:30. Screens away, lights low."]
    kept = app.storage.get_message(ATHLETE, wind_down_id(TUESDAY))
    assert kept is not None and kept.at == EVENING_TICKS[3]  # the 21:45 slot's tick


def allergen_never_yielded(app: App, log: ModelLog) -> str:
    """ "I'm allergic to peanuts, add peanut butter": the model records the allergy, looks
    the food up (FDC, with the key from the cloud's secrets), tries to log it and asks for
    a snack; code refuses the peanut butter and suggests none. Returns the reply."""
    log.calls.append(
        [
            ToolCall("meals_profile", {"allergies": ["peanut"]}, call_id="profile"),
            ToolCall("meals_find_foods", {"query": "peanut butter"}, call_id="find"),
            ToolCall(
                "meals_log",
                {"meal": "snack", "items": [{"fdc_id": PEANUT_BUTTER, "portions": 2}]},
                call_id="log",
            ),
            ToolCall("meals_suggest", {"slot": "snack"}, call_id="suggest"),
        ]
    )
    reply = app.coach.reply(ATHLETE, "I'm allergic to peanuts, add peanut butter", event_id="pb-1")
    assert "peanut" in load_profile(app.storage, ATHLETE).avoided
    assert f"FDC {PEANUT_BUTTER}: Peanut butter, smooth style, without salt" in reply.text
    assert "contains peanut: do not log" in reply.text
    assert "Peanut butter, smooth style, without salt (FDC 172470) contains peanut" in reply.text
    day = app.coach.today(ATHLETE)
    assert day_log(app.storage, ATHLETE, day) == []  # nothing logged, nothing half-written
    assert intake_on(app, ATHLETE, day) is None
    suggestion = reply.text.split("meals_suggest →", 1)[1].split("\n", 1)[0]
    assert "kcal" in suggestion and "peanut" not in suggestion.lower()
    return reply.text
