"""EventBridge Scheduler → the handler → core's tick → the real coach, on DynamoDB (moto).

Each schedule's Input is our tick event with ``<aws.scheduler.scheduled-time>`` filled in,
exactly what the Pulumi stack configures. The scheduler invokes the function
asynchronously, so the retry case goes through a real boto3 ``invoke(InvocationType=
"Event")`` to the loopback Lambda stand-in, which retries a failed event as Lambda does.
The model is scripted (the words are not under test); the chat records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.chat import ChatMessageRef
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from tests.integration.aws_stack import local_aws
from tests.support.aws import LocalAws, scheduler_input

pytestmark = [pytest.mark.integration, pytest.mark.aws]

WORDS = "Start with ten easy minutes; the rest follows."
FAR_PAST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FAR_FUTURE = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class FlakyChat(RecordingChat):
    """Fails the first ``fail_times`` direct messages (Slack down for a moment)."""

    def __init__(self) -> None:
        super().__init__()
        self.fail_times = 0

    def direct_message(
        self, user_id: str, text: str, blocks: list[dict[str, Any]] | None = None
    ) -> ChatMessageRef:
        if self.fail_times > 0:
            self.fail_times -= 1
            raise ConnectionError("chat unavailable")
        return super().direct_message(user_id, text, blocks)


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    """The shared local AWS stack (tests/integration/aws_stack.py)."""
    with local_aws(monkeypatch, tmp_path) as stack:
        yield stack


@pytest.fixture
def chat() -> FlakyChat:
    return FlakyChat()


@pytest.fixture
def app(aws: LocalAws, chat: FlakyChat, clock: FixedClock, athlete: AthleteProfile) -> App:
    built = build_aws_app(
        os.environ,
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    built.storage.put_athlete(athlete)
    handler.set_app(built)
    return built


def tick(job: str, scheduled: str, athlete_id: str | None = "adam") -> Any:
    return handler.handler(scheduler_input(job, athlete_id, scheduled), None)


def test_the_6am_schedule_checks_in_once_in_the_athletes_timezone(
    app: App, aws: LocalAws, chat: FlakyChat, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 3, 3, 11, 0, 2, tzinfo=dt.UTC))  # Tue 06:00:02 in Toronto
    assert tick("*", "2026-03-03T11:00:00Z") == {"fired": ["job:checkin:adam:2026-03-03"]}
    # The tick fanned the run out: one asynchronous self-invoke per athlete.
    assert aws.fake_lambda.drain() == 1
    [dm] = chat.messages
    assert dm.channel == "dm:U123ADAM" and WORDS in dm.text
    stored = app.storage.list_messages("adam", FAR_PAST, FAR_FUTURE)
    assert [m.kind.value for m in stored] == ["checkin"]

    clock.advance(dt.timedelta(minutes=3))  # the same schedule delivered again
    assert tick("*", "2026-03-03T11:00:00Z") == {"fired": []}
    assert len(chat.messages) == 1


def test_monday_6am_sends_the_week_not_a_checkin(app: App, clock: FixedClock) -> None:
    clock.set(dt.datetime(2026, 3, 2, 11, 0, 1, tzinfo=dt.UTC))  # Mon 06:00 EST
    assert tick("*", "2026-03-02T11:00:00Z") == {"fired": ["job:monday_plan:adam:2026-03-02"]}


def test_sunday_9pm_refresh_lands_on_the_evening_dst_began(app: App, clock: FixedClock) -> None:
    # 8 March 2026: Toronto springs forward at 02:00, so 21:00 is EDT (UTC-4) = 01:00Z Monday.
    clock.set(dt.datetime(2026, 3, 9, 1, 0, 1, tzinfo=dt.UTC))
    fired = tick("weekly_refresh", "2026-03-09T01:00:00Z")
    assert fired == {"fired": ["job:weekly_refresh:adam:2026-03-08"]}


def test_a_late_retry_cannot_check_in_at_noon(app: App, chat: FlakyChat, clock: FixedClock) -> None:
    clock.set(dt.datetime(2026, 3, 3, 17, 0, tzinfo=dt.UTC))  # noon in Toronto
    answer = tick("*", "2026-03-03T11:00:00Z")
    assert answer == {"skipped": "late", "at": "2026-03-03T11:00:00+00:00"}
    assert chat.messages == [] and app.storage.list_messages("adam", FAR_PAST, FAR_FUTURE) == []
    # Nothing was claimed: a correct tick tomorrow still works.
    clock.set(dt.datetime(2026, 3, 4, 11, 0, 1, tzinfo=dt.UTC))
    assert tick("*", "2026-03-04T11:00:00Z") == {"fired": ["job:checkin:adam:2026-03-04"]}


def test_a_schedule_for_another_athlete_sends_adam_nothing(
    app: App, chat: FlakyChat, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 3, 3, 11, 0, 1, tzinfo=dt.UTC))
    assert tick("*", "2026-03-03T11:00:00Z", athlete_id="mia") == {"fired": []}
    assert chat.messages == []


def test_a_failed_checkin_is_retried_by_lambda_and_sent_once(
    app: App, aws: LocalAws, chat: FlakyChat, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 3, 3, 11, 0, 1, tzinfo=dt.UTC))
    chat.fail_times = 1
    # EventBridge Scheduler invokes Lambda asynchronously; do what it does.
    response = aws.client("lambda").invoke(
        FunctionName="momentum-test",
        InvocationType="Event",
        Payload=json.dumps(scheduler_input("*", "adam", "2026-03-03T11:00:00Z")),
    )
    assert response["StatusCode"] == 202

    # The tick, then the run it fanned out (which fails once and is retried by Lambda).
    assert aws.fake_lambda.drain() == 2

    assert aws.fake_lambda.failures == []
    [dm] = chat.messages
    assert WORDS in dm.text


def test_an_operator_can_run_the_first_checkin_now(
    app: App, chat: FlakyChat, clock: FixedClock
) -> None:
    clock.set(dt.datetime(2026, 3, 3, 17, 0, tzinfo=dt.UTC))  # noon: no schedule is due
    answer = handler.handler({"momentum": "run", "job": "checkin", "athlete_id": "adam"}, None)
    assert answer == {"ran": "checkin", "athlete_id": "adam", "date": "2026-03-03"}
    [dm] = chat.messages
    assert WORDS in dm.text
    assert handler.handler({"momentum": "run", "job": "checkin", "athlete_id": "zed"}, None) == {
        "error": "no athlete 'zed'"
    }
    bad = handler.handler(
        {"momentum": "run", "job": "checkin", "athlete_id": "adam", "date": "x"}, None
    )
    assert "date" in bad["error"]


def test_a_retry_after_a_sandbox_died_mid_checkin_still_sends_it(
    app: App, aws: LocalAws, chat: FlakyChat, clock: FixedClock
) -> None:
    # The first delivery claimed the run's lease at 06:00 and its sandbox timed out.
    from momentum.core.schedule import RUN_LEASE

    scheduled = dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC)
    assert app.storage.claim("job:checkin:adam:2026-03-03", scheduled, RUN_LEASE)
    assert dt.timedelta(minutes=30) > RUN_LEASE
    clock.set(scheduled + dt.timedelta(minutes=5))  # Lambda retries: the lease is still held
    assert tick("*", "2026-03-03T11:00:00Z") == {"fired": []}
    assert chat.messages == []
    clock.set(scheduled + dt.timedelta(minutes=30, seconds=1))  # the 06:30 catch-up tick
    assert tick("*", "2026-03-03T11:30:00Z") == {"fired": ["job:checkin:adam:2026-03-03"]}
    aws.fake_lambda.drain()
    assert len(chat.messages) == 1
    clock.advance(dt.timedelta(minutes=1))  # and once done, nothing fires it again
    assert tick("*", "2026-03-03T11:30:00Z") == {"fired": []}
