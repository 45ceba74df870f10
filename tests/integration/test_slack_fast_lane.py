"""Slack on the local scheduler's fast lane, end to end on loopback: the ack only claims the
event and defers; "Thinking…" is posted by a short job right after the response (even
while every main worker waits on the model) and then updated in place with the answer.

The real slack_sdk and slack_bolt talk to the fake Slack Web API; requests are signed with
real HMAC; the scheduler is the real :class:`LocalScheduler` with its worker threads, and
one test goes through the real HTTP server.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.server import LocalServer
from momentum.adapters.slack.constants import APOLOGY, THINKING, event_claim_key
from momentum.core.ports.scheduler import DeferredJob
from tests.fakes.fake_slack import (
    FakeSlack,
    RecordingCoach,
    SlackApiFailure,
    build_slack_app,
    dm_event,
    event_callback,
    mention_event,
    signed_headers,
    slack_request,
)

pytestmark = pytest.mark.integration

USER = "U123ADAM"
WAIT = 10.0


class GatedCoach(RecordingCoach):
    """A coach whose replies wait until :attr:`go` is set, like a slow model call."""

    def __init__(self) -> None:
        super().__init__()
        self.go = threading.Event()
        self.started = threading.Semaphore(0)

    def reply(self, athlete_id: str, text: str, **kwargs: Any) -> Any:
        self.started.release()
        assert self.go.wait(WAIT), "the test never let the model answer"
        return super().reply(athlete_id, text, **kwargs)


class FlakyFastLane(LocalScheduler):
    """A local scheduler whose fast lane refuses its first ``failures`` jobs."""

    def __init__(self, failures: int = 1, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.refusals = failures

    def defer_fast(self, job: DeferredJob) -> None:
        if self.refusals > 0:
            self.refusals -= 1
            raise RuntimeError("fast lane unavailable")
        super().defer_fast(job)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as fake:
        yield fake


def local_app(fake_slack, clock, athlete, coach, scheduler: LocalScheduler | None = None):
    scheduler = scheduler or LocalScheduler(workers=1, interval=3600)
    app = build_slack_app(fake_slack, clock, [athlete], coach=coach, scheduler=scheduler)
    scheduler.attach(app)
    return app


@pytest.fixture
def made() -> Iterator[list[Any]]:
    apps: list[Any] = []
    yield apps
    for app in apps:
        app.scheduler.stop(timeout=WAIT)


def send_event(app, event: dict, event_id: str, *, retry_num: int | None = None):
    now = int(app.clock.now().timestamp())
    body = json.dumps(event_callback(event, event_id, now)).encode()
    return app.handle_http(slack_request(body, signed_headers(body, now, retry_num=retry_num)))


def dm_messages(fake_slack: FakeSlack, user: str = USER) -> list[Any]:
    return fake_slack.in_channel(fake_slack.dm_channel(user))


def test_the_ack_posts_nothing_and_thinking_follows_then_becomes_the_answer(
    fake_slack, clock, athlete, made
):
    coach = RecordingCoach()
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    answering = threading.Event()  # cleared: as if the HTTP server were still answering
    app.scheduler.yield_to(answering, limit=WAIT)

    response = send_event(app, dm_event(USER, "Legs are tired. Rest?", "1.1"), "EvF1")

    assert response.status == 200
    assert fake_slack.calls_of("chat.postMessage") == []  # the ack waited on no Web API call
    assert coach.replies == []
    answering.set()
    assert app.scheduler.wait_idle(WAIT)
    [answer] = dm_messages(fake_slack)
    assert answer.text == coach.answer
    assert answer.history == [THINKING]  # "Thinking…" first, then updated in place
    assert [c["text"] for c in fake_slack.calls_of("chat.postMessage")] == [THINKING]
    assert coach.replies[0]["event_id"] == "EvF1"


def test_thinking_appears_while_every_main_worker_waits_on_the_model(
    fake_slack, clock, athlete, made
):
    coach = GatedCoach()
    app = local_app(fake_slack, clock, athlete, coach)  # one main worker
    made.append(app)

    assert send_event(app, dm_event(USER, "first", "2.1"), "EvF2").status == 200
    assert coach.started.acquire(timeout=WAIT)  # the only main worker is now "at the model"
    assert send_event(app, dm_event(USER, "second", "2.2"), "EvF3").status == 200

    def two_thinking(fake: FakeSlack) -> bool:
        return [m.text for m in dm_messages(fake)] == [THINKING, THINKING]

    assert fake_slack.wait_for(two_thinking, WAIT)
    assert len(coach.replies) == 0  # neither model call has answered yet
    coach.go.set()
    assert app.scheduler.wait_idle(WAIT)
    assert [m.text for m in dm_messages(fake_slack)] == [coach.answer, coach.answer]
    assert all(m.history == [THINKING] for m in dm_messages(fake_slack))


def test_a_mention_gets_thinking_and_the_answer_in_the_dm_only(fake_slack, clock, athlete, made):
    coach = RecordingCoach()
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    event = mention_event(USER, "how's my week?", "C0GENERAL", "3.1")

    assert send_event(app, event, "EvF4").status == 200
    assert app.scheduler.wait_idle(WAIT)

    assert fake_slack.in_channel("C0GENERAL") == []
    [answer] = dm_messages(fake_slack)
    assert answer.text == coach.answer and answer.history == [THINKING]
    assert coach.replies[0]["text"] == "how's my week?"
    [pointer] = fake_slack.ephemerals
    assert pointer["channel"] == "C0GENERAL" and pointer["user"] == USER


def test_retries_are_deduplicated_on_the_fast_lane_too(fake_slack, clock, athlete, made):
    coach = RecordingCoach()
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    event = dm_event(USER, "easy 5k done", "4.1")

    assert send_event(app, event, "EvF5").status == 200
    assert send_event(app, event, "EvF5", retry_num=1).status == 200
    assert send_event(app, event, "EvF5", retry_num=2).status == 200
    assert app.scheduler.wait_idle(WAIT)

    assert len(coach.replies) == 1
    assert [m.text for m in dm_messages(fake_slack)] == [coach.answer]


def test_a_fast_lane_that_refuses_the_job_is_a_500_and_the_retry_is_processed(
    fake_slack, clock, athlete, made
):
    coach = RecordingCoach()
    scheduler = FlakyFastLane(workers=1, interval=3600)
    app = local_app(fake_slack, clock, athlete, coach, scheduler)
    made.append(app)
    event = dm_event(USER, "did 60 min strength", "5.1")

    assert send_event(app, event, "EvF6").status == 500
    assert dm_messages(fake_slack) == []  # nothing posted, so nothing left hanging
    # the claim was released: the retry is processed, and the one after it deduplicated
    assert send_event(app, event, "EvF6", retry_num=1).status == 200
    assert send_event(app, event, "EvF6", retry_num=2).status == 200
    assert app.scheduler.wait_idle(WAIT)
    [answer] = dm_messages(fake_slack)
    assert answer.text == coach.answer and answer.history == [THINKING]
    assert len(coach.replies) == 1


def test_slack_refusing_thinking_after_the_ack_still_delivers_the_answer(
    fake_slack, clock, athlete, made
):
    coach = RecordingCoach()
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    fake_slack.fail_next("chat.postMessage", SlackApiFailure("fatal_error"))

    assert send_event(app, dm_event(USER, "hi", "6.1", thread_ts="6.0"), "EvF7").status == 200
    assert app.scheduler.wait_idle(WAIT)

    [answer] = dm_messages(fake_slack)  # a new message, since there is no "Thinking…"
    assert answer.text == coach.answer and answer.history == []
    assert answer.thread_ts == "6.0"
    assert list(app.scheduler.failures) == []


def test_a_model_failure_after_a_fast_lane_thinking_becomes_the_apology(
    fake_slack, clock, athlete, made
):
    coach = RecordingCoach()
    coach.fail_times = 1
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    event = dm_event(USER, "calf is sore", "7.1")

    assert send_event(app, event, "EvF8").status == 200
    assert app.scheduler.wait_idle(WAIT)
    [apology] = dm_messages(fake_slack)
    assert apology.text == APOLOGY and apology.history == [THINKING]
    # the claim was released, so a redelivery is processed
    assert app.storage.claim(event_claim_key("EvF8"), app.clock.now(), dt.timedelta(0))


def test_through_the_local_http_server_with_deferred_work_yielding_to_requests(
    fake_slack, clock, athlete, made
):
    coach = RecordingCoach()
    app = local_app(fake_slack, clock, athlete, coach)
    made.append(app)
    now = int(app.clock.now().timestamp())
    body = json.dumps(event_callback(dm_event(USER, "tempo done", "8.1"), "EvF9", now)).encode()

    with LocalServer(app, port=0) as server:
        app.scheduler.yield_to(server.quiet, limit=WAIT)
        assert server.quiet.is_set()
        request = urllib.request.Request(
            f"{server.url}/slack/events", data=body, headers=signed_headers(body, now)
        )
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            assert response.status == 200
        assert server.quiet.wait(WAIT)
        assert app.scheduler.wait_idle(WAIT)

    [answer] = dm_messages(fake_slack)
    assert answer.text == coach.answer and answer.history == [THINKING]
