"""The Azure function app end to end on Azurite: each registered function is called the
way the Functions host calls it (``app.get_functions()`` → ``get_user_function()``) with the
SDK's own ``func.HttpRequest``, ``TimerRequest`` and ``func.QueueMessage``.

Stand-ins: Azurite (Table, Queue and Blob Storage), the Slack and Strava fakes from
``tests/fakes`` (real slack_sdk/slack_bolt and stravalib talking to them). The model is
scripted. There is no ``func`` host here (Core Tools can't install), so
:class:`tests.integration.azure_stack.LocalAzure.drain` plays the host's queue loop.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.azure import function_app
from momentum.adapters.azure.bootstrap import build_azure_app
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from tests.integration.azure_stack import LocalAzure, azure_functions, local_azure, registered

pytestmark = [pytest.mark.integration, pytest.mark.azure]
func = azure_functions

WORDS = "Easy does it today: thirty minutes, conversational."
USER = "U123ADAM"
RUN_ID = 17321805264


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def azure() -> Iterator[LocalAzure]:
    with local_azure() as stack:
        yield stack


def deploy(
    azure: LocalAzure,
    home: Path,
    toml: str,
    settings: dict[str, str],
    clock: FixedClock,
    athlete: AthleteProfile,
    chat: Any = None,
) -> App:
    """Build the app as the first invocation would, from app settings, and cache it."""
    (home / "momentum.toml").write_text(toml, encoding="utf-8")
    app = build_azure_app(
        {**azure.env(home), **settings},
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    app.storage.put_athlete(athlete)
    function_app.set_app(app)
    return app


def call_http(
    method: str,
    path: str,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    params: dict[str, str] | None = None,
) -> Any:
    request = func.HttpRequest(
        method,
        f"https://momentum.azurewebsites.net{path}",
        headers=headers or {},
        params=params or {},
        route_params={"path": path.lstrip("/")},
        body=body,
    )
    return registered(function_app.app, "http")(request)


# -- Slack -----------------------------------------------------------------------------------
def slack_app(
    azure: LocalAzure, fake_slack: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> App:
    from tests.fakes import fake_slack as slack

    secrets = {"SLACK_SIGNING_SECRET": slack.SIGNING_SECRET, "SLACK_BOT_TOKEN": slack.BOT_TOKEN}
    toml = f'[slack]\nbase_url = "{fake_slack.api_url}"\n'
    return deploy(azure, tmp_path, toml, secrets, clock, athlete)


def test_a_signed_slack_dm_is_acked_then_answered_once_through_the_queue(
    azure: LocalAzure,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_slack as slack

    app = slack_app(azure, fake_slack, tmp_path, clock, athlete)
    assert type(app.chat).__name__ == "SlackChat"
    now = int(clock.now().timestamp())
    body = json.dumps(
        slack.event_callback(slack.dm_event(USER, "Legs are tired. Rest?", "1.1"), "Ev1", now)
    ).encode()

    first = call_http("POST", "/slack/events", body, slack.signed_headers(body, now))
    assert first.status_code == 200
    dm = fake_slack.dm_channel(USER)
    [thinking] = fake_slack.in_channel(dm)
    assert thinking.text.startswith("Thinking")
    [envelope] = azure.waiting()
    assert envelope["momentum"] == "deferred"

    retry = call_http("POST", "/slack/events", body, slack.signed_headers(body, now, retry_num=1))
    assert retry.status_code == 200
    assert len(azure.waiting()) == 1  # Slack's retry deferred nothing new

    assert azure.drain() == 1 and azure.failures == []
    [answer] = fake_slack.in_channel(dm)
    assert answer.ts == thinking.ts and WORDS in answer.text


@pytest.mark.parametrize("forgery", ["wrong secret", "stale"])
def test_forged_or_stale_slack_requests_get_401_and_leave_nothing(
    forgery: str,
    azure: LocalAzure,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_slack as slack

    slack_app(azure, fake_slack, tmp_path, clock, athlete)
    now = int(clock.now().timestamp())
    body = json.dumps(slack.event_callback(slack.dm_event(USER, "hi", "2.1"), "Ev2", now)).encode()
    if forgery == "stale":
        headers = slack.signed_headers(body, now - 3600)
    else:
        headers = slack.signed_headers(body, now, secret="not-the-secret")
    assert call_http("POST", "/slack/events", body, headers).status_code == 401
    assert azure.waiting() == [] and fake_slack.in_channel(fake_slack.dm_channel(USER)) == []


# -- the tick --------------------------------------------------------------------------------
def test_the_timer_tick_fans_out_one_checkin_per_local_day(
    azure: LocalAzure,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from azure.functions.timer import TimerRequest

    app = slack_app(azure, fake_slack, tmp_path, clock, athlete)
    bea = dataclasses.replace(athlete, athlete_id="bea", name="Bea", chat_user_id="U456BEA")
    lon = dataclasses.replace(athlete, athlete_id="lon", name="Lon", timezone="Europe/London")
    app.storage.put_athlete(bea)
    app.storage.put_athlete(lon)  # 11:00 in London: nothing due
    tick = registered(function_app.app, "tick")
    tick(TimerRequest(past_due=False))  # 11:00 UTC = 06:00 in Toronto: the check-in is due
    tick(TimerRequest(past_due=True))  # the same slot fired again
    queued = azure.waiting()
    assert sorted((e["kind"], e["payload"]["athlete_id"]) for e in queued) == [
        ("momentum.run_job", "adam"),
        ("momentum.run_job", "bea"),
    ]  # exactly one message per due athlete, none for London, none from the second firing
    assert {e["payload"]["job"] for e in queued} == {"checkin"}
    assert azure.drain() == 2 and azure.failures == []
    [checkin] = fake_slack.in_channel(fake_slack.dm_channel(USER))
    assert checkin.text
    assert len(fake_slack.in_channel(fake_slack.dm_channel("U456BEA"))) == 1

    clock.set(clock.now() + dt.timedelta(minutes=15))
    tick(TimerRequest(past_due=False))  # the next slot: nothing more today
    assert azure.waiting() == []
    assert azure.drain() == 0
    assert len(fake_slack.in_channel(fake_slack.dm_channel(USER))) == 1


def test_a_redelivered_queue_message_runs_once(
    azure: LocalAzure, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from momentum.core.ports.scheduler import DeferredJob

    app = deploy(azure, tmp_path, "", {}, clock, athlete, chat=RecordingChat())
    ran: list[dict[str, Any]] = []
    app.deferred_handlers["test.echo"] = lambda _app, job: ran.append(job.payload)
    app.scheduler.defer(DeferredJob("test.echo", {"n": 1}, key="k1"))
    [message] = list(azure.queue_client().receive_messages(visibility_timeout=1))
    deliver = registered(function_app.app, "deferred")
    body = message.content.encode()
    deliver(func.QueueMessage(id=message.id, body=body))
    deliver(func.QueueMessage(id=message.id, body=body))  # the host delivered it again
    assert ran == [{"n": 1}]


# -- Strava ----------------------------------------------------------------------------------
def strava_app(
    azure: LocalAzure,
    fake_strava: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
    chat: RecordingChat,
) -> App:
    from tests.fakes import fake_strava as strava

    settings = {
        "STRAVA_CLIENT_SECRET": strava.CLIENT_SECRET,
        "STRAVA_VERIFY_TOKEN": strava.VERIFY_TOKEN,
        "STRAVA_CLIENT_ID": str(strava.CLIENT_ID),
        "STRAVA_SUBSCRIPTION_ID": "1001",
    }
    toml = f'[strava]\nbase_url = "{fake_strava.base_url}"\n'
    return deploy(azure, tmp_path, toml, settings, clock, athlete, chat=chat)


def test_strava_challenge_and_a_run_arriving_twice_is_stored_and_reviewed_once(
    azure: LocalAzure,
    fake_strava: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_strava as strava

    chat = RecordingChat()
    app = strava_app(azure, fake_strava, tmp_path, clock, athlete, chat)
    strava.connect_athlete(app, fake_strava, "adam")
    fake_strava.add_activity(
        strava.OWNER_ID,
        RUN_ID,
        name="Evening Run",
        sport_type="Run",
        start=clock.now() - dt.timedelta(hours=3),
        streams=strava.synthetic_run(40),
    )
    params = {
        "hub.mode": "subscribe",
        "hub.challenge": "15f7d1a9",
        "hub.verify_token": strava.VERIFY_TOKEN,
    }
    challenge = call_http("GET", "/strava/webhook", params=params)
    assert challenge.status_code == 200
    assert json.loads(challenge.get_body()) == {"hub.challenge": "15f7d1a9"}
    assert challenge.headers["content-type"] == "application/json"
    wrong = call_http("GET", "/strava/webhook", params={**params, "hub.verify_token": "guess"})
    assert wrong.status_code == 403

    event = strava.FakeStrava.event("activity", "create", RUN_ID, strava.OWNER_ID, 1001)
    body, headers = json.dumps(event).encode(), {"content-type": "application/json"}
    assert call_http("POST", "/strava/webhook", body, headers).status_code == 200
    assert call_http("POST", "/strava/webhook", body, headers).status_code == 200
    assert app.storage.get_activity("adam", str(RUN_ID)) is None  # nothing before the ack

    azure.drain()
    assert azure.failures == []
    activity = app.storage.get_activity("adam", str(RUN_ID))
    assert activity is not None and activity.name == "Evening Run"
    streams = app.storage.get_streams("adam", str(RUN_ID))
    assert streams is not None and len(streams.time) == 40 * 60 + 1
    reviews = [m for m in chat.messages if m.channel == f"dm:{USER}"]
    assert len(reviews) == 1 and WORDS in reviews[0].text


def test_malformed_webhook_bodies_get_4xx_and_store_nothing(
    azure: LocalAzure,
    fake_strava: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    app = strava_app(azure, fake_strava, tmp_path, clock, athlete, RecordingChat())
    headers = {"content-type": "application/json"}
    for body in (b"{not json", b"[]", json.dumps({"object_type": "activity"}).encode()):
        response = call_http("POST", "/strava/webhook", body, headers)
        assert 400 <= response.status_code < 500, body
    assert azure.waiting() == []
    assert (
        app.storage.list_activities(
            "adam", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        == []
    )


def test_a_queue_message_that_is_not_an_envelope_is_dropped_and_poison_is_logged(
    azure: LocalAzure,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
    caplog: pytest.LogCaptureFixture,
) -> None:
    deploy(azure, tmp_path, "", {}, clock, athlete, chat=RecordingChat())
    caplog.set_level(logging.INFO, logger="momentum.azure")
    registered(function_app.app, "deferred")(func.QueueMessage(id="m1", body=b"{oops"))
    assert "dropped queue message m1: queue message: is not JSON" in caplog.text
    envelope = {
        "momentum": "deferred",
        "kind": "slack.reply",
        "key": "Ev9",
        "payload": {"token": "xoxb-secret"},
    }
    registered(function_app.app, "poison")(
        func.QueueMessage(id="m2", body=json.dumps(envelope).encode())
    )
    assert "message m2: slack.reply (key Ev9)" in caplog.text
    assert "xoxb-secret" not in caplog.text


def test_an_operator_run_message_posts_the_checkin_now(
    azure: LocalAzure,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    slack_app(azure, fake_slack, tmp_path, clock, athlete)
    run = {"momentum": "run", "job": "checkin", "athlete_id": "adam"}
    azure.queue_client().send_message(json.dumps(run))
    assert azure.drain() == 1 and azure.failures == []
    assert len(fake_slack.in_channel(fake_slack.dm_channel(USER))) == 1
    bad = {"momentum": "run", "job": "checkin", "athlete_id": "adam", "date": "tomorrow"}
    registered(function_app.app, "deferred")(func.QueueMessage(id="m3", body=json.dumps(bad)))
    assert len(fake_slack.in_channel(fake_slack.dm_channel(USER))) == 1
