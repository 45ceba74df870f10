"""A full deferred work queue on the local scheduler: Slack is answered "busy, try again"
(a 503 that Slack retries; a slash command's ephemeral answer) and the refusal is logged,
instead of the queue and its threads growing without bound.

The real slack_bolt/slack_sdk talk to the fake Slack Web API; requests are signed with
real HMAC; the scheduler is the real :class:`LocalScheduler` with its worker threads.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.slack.constants import BUSY, THINKING, event_claim_key
from momentum.core.ports.scheduler import DeferredJob
from tests.fakes.fake_slack import (
    FakeSlack,
    RecordingCoach,
    build_slack_app,
    command_fields,
    dm_event,
    event_callback,
    form_body,
    signed_headers,
    slack_request,
)

pytestmark = pytest.mark.integration

USER = "U123ADAM"
WAIT = 10.0
CLAIM_TTL = dt.timedelta(seconds=60)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def gate() -> Iterator[threading.Event]:
    opened = threading.Event()
    yield opened
    opened.set()  # never leave a worker blocked


@pytest.fixture
def app(fake_slack: FakeSlack, clock: Any, athlete: Any, gate: threading.Event) -> Iterator[Any]:
    scheduler = LocalScheduler(workers=1, fast_workers=1, interval=3600, max_queued=1)
    built = build_slack_app(
        fake_slack, clock, [athlete], coach=RecordingCoach(), scheduler=scheduler
    )
    scheduler.attach(built)
    built.deferred_handlers["test.block"] = lambda _app, _job: gate.wait(WAIT)
    yield built
    gate.set()
    scheduler.stop(timeout=WAIT)


def send_dm(app: Any, event_id: str, *, retry_num: int | None = None) -> Any:
    now = int(app.clock.now().timestamp())
    event = dm_event(USER, "Legs are heavy, rest today?", "7.1")
    body = json.dumps(event_callback(event, event_id, now)).encode()
    return app.handle_http(slack_request(body, signed_headers(body, now, retry_num=retry_num)))


def send_command(app: Any, text: str) -> Any:
    body = form_body(command_fields(text, USER, "C0GENERAL"))
    now = int(app.clock.now().timestamp())
    headers = signed_headers(body, now, content_type="application/x-www-form-urlencoded")
    return app.handle_http(slack_request(body, headers))


def test_a_dm_while_the_fast_lane_is_full_gets_503_busy_and_slacks_retry_is_answered(
    app: Any, fake_slack: FakeSlack, gate: threading.Event, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    app.scheduler.defer_fast(DeferredJob("test.block"))  # the lane's one place is taken

    busy = send_dm(app, "EvBusy1")
    assert busy.status == 503 and busy.body == b"busy, try again"
    assert busy.headers.get("retry-after") == "60"
    assert app.scheduler.refused == 1
    assert "deferred work queue full (1 fast jobs queued or running)" in caplog.text
    assert "Slack EvBusy1 answered 503 busy" in caplog.text
    # nothing posted, and the claim was released so Slack's retry is processed
    assert fake_slack.in_channel(fake_slack.dm_channel(USER)) == []
    assert app.storage.claim(event_claim_key("EvBusy1"), app.clock.now(), CLAIM_TTL)
    app.storage.release(event_claim_key("EvBusy1"))

    gate.set()
    assert app.scheduler.wait_idle(WAIT)
    assert send_dm(app, "EvBusy1", retry_num=1).status == 200
    assert app.scheduler.wait_idle(WAIT)
    [answer] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert answer.text == app.coach.answer


def test_a_command_while_the_main_lane_is_full_is_told_busy_at_once(
    app: Any, fake_slack: FakeSlack, gate: threading.Event, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    app.scheduler.defer(DeferredJob("test.block"))

    response = send_command(app, "week")
    assert response.status == 200
    assert json.loads(response.body) == {"text": BUSY, "response_type": "ephemeral"}
    assert "/momentum week answered busy" in caplog.text

    gate.set()
    assert app.scheduler.wait_idle(WAIT)
    assert json.loads(send_command(app, "week").body)["text"] == "On its way to our DM."
    assert app.scheduler.wait_idle(WAIT)
    assert len(fake_slack.in_channel(fake_slack.dm_channel(USER))) == 1


def test_thinking_becomes_busy_when_the_model_lane_is_full(
    app: Any, fake_slack: FakeSlack, gate: threading.Event
) -> None:
    app.scheduler.defer(DeferredJob("test.block"))  # the main lane is full, the fast one not
    assert send_dm(app, "EvBusy3").status == 200
    assert app.scheduler.wait_idle(0.5) is False  # the blocker still runs
    gate.set()
    assert app.scheduler.wait_idle(WAIT)
    [said] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert said.text == BUSY and said.history == [THINKING]
    # the claim was released: the athlete's resend (a new event) or a redelivery is answered
    assert app.storage.claim(event_claim_key("EvBusy3"), app.clock.now(), CLAIM_TTL)
