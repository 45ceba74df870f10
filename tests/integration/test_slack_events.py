"""Slack over HTTP, end to end on loopback: a fake Slack Web API, the real slack_sdk and
slack_bolt, requests signed with real HMAC, the app's deferred path drained by hand.

Covers the 3-second rule ("Thinking…" then ``chat.update``), retries deduplicated on
``event_id`` (including the three-delivery case), apologies instead of a hanging
"Thinking…", strangers, and the bad-input answers (401/400 with nothing stored).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from momentum.adapters.slack.constants import APOLOGY, THINKING, event_claim_key
from momentum.core.memory import InMemoryScheduler
from tests.fakes.fake_slack import (
    BOT_USER_ID,
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


@pytest.fixture
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture
def coach() -> RecordingCoach:
    return RecordingCoach()


@pytest.fixture
def app(fake_slack, clock, athlete, coach):
    return build_slack_app(fake_slack, clock, [athlete], coach=coach)


def _now(app) -> int:
    return int(app.clock.now().timestamp())


def send_event(app, event: dict, event_id: str, *, retry_num: int | None = None, ts=None):
    body = json.dumps(event_callback(event, event_id, _now(app))).encode()
    headers = signed_headers(body, ts if ts is not None else _now(app), retry_num=retry_num)
    return app.handle_http(slack_request(body, headers))


def posted(fake_slack) -> list:
    """Web API calls other than Bolt's one-off ``auth.test``."""
    return [call for call in fake_slack.calls if call[0] != "auth.test"]


class FlakyScheduler(InMemoryScheduler):
    """A deferred queue that is unavailable for its first ``failures`` jobs."""

    def __init__(self, failures: int = 1) -> None:
        super().__init__()
        self.failures = failures

    def defer(self, job):
        if self.failures > 0:
            self.failures -= 1
            raise RuntimeError("queue unavailable")
        super().defer(job)


def drain(app) -> int:
    assert isinstance(app.scheduler, InMemoryScheduler)
    return app.scheduler.run_pending()


# -- the 3-second rule ----------------------------------------------------------------------


def test_dm_posts_thinking_before_the_ack_then_updates_it_with_the_answer(app, fake_slack, coach):
    response = send_event(app, dm_event(USER, "Legs are tired. Should I rest?", "1.1"), "Ev1")

    assert response.status == 200
    dm = fake_slack.dm_channel(USER)
    [thinking] = fake_slack.in_channel(dm)
    assert thinking.text == THINKING
    assert coach.replies == []  # the model runs after the ack, never before it

    assert drain(app) == 1
    assert coach.replies == [
        {
            "athlete_id": "adam",
            "text": "Legs are tired. Should I rest?",
            "activity_id": None,
            "event_id": "Ev1",
        }
    ]
    [answer] = fake_slack.in_channel(dm)
    assert answer.ts == thinking.ts  # the same message, updated in place
    assert answer.text == coach.answer
    assert answer.history == [THINKING]
    assert answer.blocks and answer.blocks[0]["type"] == "section"


def test_app_mention_in_a_channel_is_answered_in_the_dm_only(app, fake_slack, coach):
    response = send_event(app, mention_event(USER, "how's my week?", "C0GENERAL", "2.1"), "Ev2")
    assert response.status == 200
    drain(app)

    assert coach.replies[0]["text"] == "how's my week?"  # the @mention is stripped
    assert fake_slack.in_channel("C0GENERAL") == []  # athlete data never goes to a channel
    [answer] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert answer.text == coach.answer
    assert fake_slack.calls_of("conversations.open") == [{"users": USER}]
    [pointer] = fake_slack.ephemerals
    assert pointer["channel"] == "C0GENERAL" and pointer["user"] == USER


def test_reply_in_a_thread_stays_in_the_thread(app, fake_slack, coach):
    send_event(app, dm_event(USER, "that felt hard", "3.2", thread_ts="3.1"), "Ev3")
    drain(app)
    [answer] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert answer.thread_ts == "3.1"


def test_a_dm_with_a_photo_is_answered(app, fake_slack, coach):
    event = {**dm_event(USER, "treadmill screen after the run", "4.5"), "subtype": "file_share"}
    send_event(app, event, "EvFile")
    drain(app)
    assert coach.replies[0]["text"] == "treadmill screen after the run"


def test_messages_from_bots_and_edits_are_ignored(app, fake_slack, coach):
    bot = {**dm_event(USER, "Thinking…", "4.1"), "bot_id": "B0BOT", "user": BOT_USER_ID}
    edit = {**dm_event(USER, "edited", "4.2"), "subtype": "message_changed"}
    assert send_event(app, bot, "Ev4").status == 200
    assert send_event(app, edit, "Ev5").status == 200
    assert drain(app) == 0
    assert fake_slack.calls_of("chat.postMessage") == []


# -- retries and failures ---------------------------------------------------------------------


def test_three_deliveries_first_crashes_second_processes_third_is_deduplicated(
    fake_slack, clock, athlete, coach
):
    app = build_slack_app(fake_slack, clock, [athlete], coach=coach, scheduler=FlakyScheduler())
    event = dm_event(USER, "did 60 min strength, totally gassed", "5.1")

    first = send_event(app, event, "Ev6")
    assert first.status == 500  # the deferred queue was down: Slack will retry
    [apology] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert apology.text == APOLOGY and apology.history == [THINKING]  # not left hanging

    second = send_event(app, event, "Ev6", retry_num=1)
    assert second.status == 200
    third = send_event(app, event, "Ev6", retry_num=2)
    assert third.status == 200

    assert drain(app) == 1
    assert len(coach.replies) == 1
    apology, answer = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert answer.text == coach.answer and answer.history == [THINKING]


def test_a_crash_after_the_ack_becomes_an_apology_and_a_retry_is_processed(app, fake_slack, coach):
    coach.fail_times = 1
    event = dm_event(USER, "calf is sore", "6.1")

    assert send_event(app, event, "Ev7").status == 200
    drain(app)
    [apology] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert apology.text == APOLOGY  # never left "Thinking…"
    assert apology.history == [THINKING]

    assert send_event(app, event, "Ev7", retry_num=1).status == 200
    assert send_event(app, event, "Ev7", retry_num=2).status == 200
    drain(app)
    assert len(coach.replies) == 2  # the failed try and the retry; the third was deduped
    apology_then_answer = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert [m.text for m in apology_then_answer] == [APOLOGY, coach.answer]


def test_slack_down_when_posting_thinking_is_a_500_and_the_retry_is_processed(
    app, fake_slack, coach
):
    fake_slack.fail_next("chat.postMessage", SlackApiFailure("fatal_error"))
    assert send_event(app, dm_event(USER, "hi", "7.1"), "Ev8").status == 500
    assert fake_slack.in_channel(fake_slack.dm_channel(USER)) == []
    assert drain(app) == 0
    # the claim was released, so Slack's retry is processed
    assert send_event(app, dm_event(USER, "hi", "7.1"), "Ev8", retry_num=1).status == 200
    assert drain(app) == 1
    assert [m.text for m in fake_slack.in_channel(fake_slack.dm_channel(USER))] == [coach.answer]


# -- strangers ------------------------------------------------------------------------------


def test_an_unknown_user_gets_a_polite_reply_and_nothing_is_stored(app, fake_slack, coach):
    response = send_event(app, dm_event("U999STRANGER", "hello?", "8.1"), "Ev9")
    assert response.status == 200
    assert drain(app) == 1
    assert coach.replies == []
    [reply] = fake_slack.in_channel(fake_slack.dm_channel("U999STRANGER"))
    assert "U999STRANGER" in reply.text and "can't help" in reply.text
    assert app.storage.claim(event_claim_key("Ev9"), app.clock.now(), dt.timedelta(minutes=1))
    assert [a.athlete_id for a in app.storage.list_athletes()] == ["adam"]
    assert (
        app.storage.list_messages(
            "adam", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        == []
    )


def test_an_unknown_user_mentioning_the_bot_gets_an_ephemeral_reply(app, fake_slack):
    send_event(app, mention_event("U999STRANGER", "hi", "C0GENERAL", "9.1"), "Ev10")
    drain(app)
    assert fake_slack.calls_of("chat.postMessage") == []
    [note] = fake_slack.ephemerals
    assert note["user"] == "U999STRANGER"


def test_two_athletes_each_get_their_own_dm(fake_slack, clock, athlete, coach):
    other = dataclasses.replace(athlete, athlete_id="malcolm", name="Malcolm", chat_user_id="U2")
    app = build_slack_app(fake_slack, clock, [athlete, other], coach=coach)
    send_event(app, dm_event("U2", "ready for Mazinaw", "10.1"), "Ev11")
    drain(app)
    assert coach.replies[0]["athlete_id"] == "malcolm"
    assert fake_slack.in_channel(fake_slack.dm_channel(USER)) == []


# -- bad input ------------------------------------------------------------------------------


def _nothing_stored(app, event_id: str) -> None:
    assert app.storage.claim(event_claim_key(event_id), app.clock.now(), dt.timedelta(0))
    assert isinstance(app.scheduler, InMemoryScheduler) and app.scheduler.pending == []


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda h, b: {**h, "X-Slack-Signature": "v0=" + "0" * 64}, id="forged"),
        pytest.param(
            lambda h, b: signed_headers(b, 1772535600, secret="not-the-secret"), id="wrong-secret"
        ),
        pytest.param(lambda h, b: {"Content-Type": "application/json"}, id="unsigned"),
        pytest.param(
            lambda h, b: {**h, "X-Slack-Request-Timestamp": "yesterday"}, id="bad-timestamp"
        ),
    ],
)
def test_forged_signatures_get_401_and_nothing_is_stored(app, fake_slack, coach, mangle):
    body = json.dumps(event_callback(dm_event(USER, "hi", "11.1"), "EvBad", _now(app))).encode()
    headers = mangle(signed_headers(body, _now(app)), body)
    response = app.handle_http(slack_request(body, headers))
    assert response.status == 401
    _nothing_stored(app, "EvBad")
    assert fake_slack.calls == []  # rejected before Bolt even starts


@pytest.mark.parametrize("age", [301, -301, 3600])
def test_stale_signatures_get_401(app, fake_slack, age):
    body = json.dumps(event_callback(dm_event(USER, "hi", "12.1"), "EvOld", _now(app))).encode()
    response = app.handle_http(slack_request(body, signed_headers(body, _now(app) - age)))
    assert response.status == 401
    _nothing_stored(app, "EvOld")


def test_a_body_edited_after_signing_gets_401(app):
    body = json.dumps(event_callback(dm_event(USER, "hi", "13.1"), "EvEdit", _now(app))).encode()
    headers = signed_headers(body, _now(app))
    tampered = body.replace(b'"hi"', b'"ho"')
    assert app.handle_http(slack_request(tampered, headers)).status == 401


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"[1, 2, 3]",
        b'{"type": "event_callback", "event": {"type": "message"}}',
        b'{"type": "event_callback", "event_id": "Ev1"}',
        b'{"type": "something_else"}',
        b"",
    ],
    ids=["not-json", "not-object", "no-event-id", "no-event", "unknown-type", "empty"],
)
def test_malformed_signed_bodies_get_400_and_nothing_is_stored(app, fake_slack, body):
    response = app.handle_http(slack_request(body, signed_headers(body, _now(app))))
    assert response.status == 400
    assert fake_slack.calls == []
    assert isinstance(app.scheduler, InMemoryScheduler) and app.scheduler.pending == []


def test_oversized_bodies_get_400(app, fake_slack):
    body = json.dumps({"type": "event_callback", "pad": "x" * 300_000}).encode()
    response = app.handle_http(slack_request(body, signed_headers(body, _now(app))))
    assert response.status == 400
    assert fake_slack.calls == []


def test_url_verification_echoes_the_challenge(app):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "t"}).encode()
    response = app.handle_http(slack_request(body, signed_headers(body, _now(app))))
    assert response.status == 200
    assert json.loads(response.body) == {"challenge": "abc123"}


def test_secrets_never_reach_the_logs(app, fake_slack, caplog):
    caplog.set_level("DEBUG")
    body = json.dumps(event_callback(dm_event(USER, "hi", "14.1"), "EvLog", _now(app))).encode()
    app.handle_http(
        slack_request(body, {**signed_headers(body, _now(app)), "X-Slack-Signature": "v0=bad"})
    )
    send_event(app, dm_event(USER, "hi", "14.2"), "EvLog2")
    drain(app)
    from tests.fakes.fake_slack import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET

    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text
