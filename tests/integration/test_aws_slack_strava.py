"""The talk's two flows on the AWS adapter, end to end on loopback:

- **Slack's three seconds.** A signed DM arrives as a Function URL event; the handler
  answers 200 after posting "Thinking…", the work is a real boto3 asynchronous self-invoke,
  and the second invocation updates the same Slack message with the coach's answer.
- **A run arriving.** Strava's subscription challenge and a create event arrive as
  Function URL events; the second invocation fetches the run from Strava, stores the record
  in DynamoDB and its streams in S3, and the coach reviews it by DM.

Stand-ins: moto server (DynamoDB, S3, SSM), the Slack and Strava fakes from
``tests/fakes`` (real slack_sdk, slack_bolt and stravalib talking to them), and the loopback
Lambda Invoke endpoint for the self-invoke. Secrets come from SSM SecureString parameters;
endpoints come from a bundled ``momentum.toml``. The model is scripted.
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
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.storage_kv.layout import streams_key
from tests.integration.aws_stack import local_aws
from tests.support.aws import (
    LocalAws,
    function_url_event,
)

pytestmark = [pytest.mark.integration, pytest.mark.aws]

WORDS = "Easy does it today: thirty minutes, conversational."
USER = "U123ADAM"
RUN_ID = 17321805264


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    """The shared local AWS stack (tests/integration/aws_stack.py)."""
    with local_aws(monkeypatch, tmp_path, export_env=False) as stack:
        yield stack


def deploy(
    aws: LocalAws,
    monkeypatch: pytest.MonkeyPatch,
    home: Path,
    toml: str,
    secret_values: dict[str, str],
    plain: dict[str, str],
    clock: FixedClock,
    athlete: AthleteProfile,
    chat: Any = None,
) -> App:
    """Store secrets in SSM, write the bundled config, set the function's environment and
    build the app the way the handler does."""
    aws.put_secrets(secret_values)
    (home / "momentum.toml").write_text(toml, encoding="utf-8")
    for key, value in {**aws.env(), **plain}.items():
        monkeypatch.setenv(key, value)
    for name in secret_values:
        assert name not in os.environ  # only parameter names reach the environment
    app = build_aws_app(
        os.environ,
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    app.storage.put_athlete(athlete)
    handler.set_app(app)
    return app


# -- Slack -------------------------------------------------------------------------------------
@pytest.fixture
def fake_slack() -> Iterator[Any]:
    fakes = pytest.importorskip("tests.fakes.fake_slack", reason="the Slack fake is not here")
    with fakes.FakeSlack() as fake:
        yield fake


def test_a_slack_dm_is_acked_then_answered_by_the_self_invoked_function(
    aws: LocalAws,
    fake_slack: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_slack as slack

    app = deploy(
        aws,
        monkeypatch,
        tmp_path,
        f'[slack]\nbase_url = "{fake_slack.api_url}"\n',
        {"SLACK_SIGNING_SECRET": slack.SIGNING_SECRET, "SLACK_BOT_TOKEN": slack.BOT_TOKEN},
        {},
        clock,
        athlete,
    )
    assert type(app.chat).__name__ == "SlackChat"
    now = int(clock.now().timestamp())
    body = json.dumps(
        slack.event_callback(slack.dm_event(USER, "Legs are tired. Rest?", "1.1"), "Ev1", now)
    ).encode()

    def delivery(retry: int | None = None) -> dict[str, Any]:
        headers = slack.signed_headers(body, now, retry_num=retry)
        event = function_url_event("POST", "/slack/events", body=body, headers=headers)
        answer: dict[str, Any] = handler.handler(event, aws.fake_lambda.context())
        return answer

    assert delivery()["statusCode"] == 200
    dm = fake_slack.dm_channel(USER)
    [thinking] = fake_slack.in_channel(dm)
    thinking_ts, thinking_text = thinking.ts, thinking.text
    assert thinking_text.startswith("Thinking")
    [invoke] = aws.fake_lambda.received
    assert invoke.invocation_type == "Event" and invoke.payload["momentum"] == "deferred"

    assert delivery(retry=1)["statusCode"] == 200  # Slack's retry: deduplicated
    assert len(aws.fake_lambda.received) == 1

    assert aws.fake_lambda.drain() == 1
    [answer] = fake_slack.in_channel(dm)
    assert answer.ts == thinking_ts and answer.history == [thinking_text]
    assert WORDS in answer.text
    assert aws.fake_lambda.failures == []


def test_a_forged_slack_request_gets_401_and_defers_nothing(
    aws: LocalAws,
    fake_slack: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_slack as slack

    deploy(
        aws,
        monkeypatch,
        tmp_path,
        f'[slack]\nbase_url = "{fake_slack.api_url}"\n',
        {"SLACK_SIGNING_SECRET": slack.SIGNING_SECRET, "SLACK_BOT_TOKEN": slack.BOT_TOKEN},
        {},
        clock,
        athlete,
    )
    now = int(clock.now().timestamp())
    body = json.dumps(slack.event_callback(slack.dm_event(USER, "hi", "2.1"), "Ev2", now)).encode()
    headers = slack.signed_headers(body, now, secret="not-the-secret")
    event = function_url_event("POST", "/slack/events", body=body, headers=headers)
    assert handler.handler(event, aws.fake_lambda.context())["statusCode"] == 401
    assert (
        aws.fake_lambda.received == [] and fake_slack.in_channel(fake_slack.dm_channel(USER)) == []
    )


def test_slack_url_verification_works_before_the_bot_token_exists(
    aws: LocalAws,
    fake_slack: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    """The deploy guide's order: only the signing secret is set when Slack verifies the
    Events URL (the bot token comes with installing the app, afterwards)."""
    from tests.fakes import fake_slack as slack

    monkeypatch.setenv("MOMENTUM_CHAT", "slack")  # what the stack sets once Slack is chosen
    deploy(
        aws,
        monkeypatch,
        tmp_path,
        f'[slack]\nbase_url = "{fake_slack.api_url}"\n',
        {"SLACK_SIGNING_SECRET": slack.SIGNING_SECRET},
        {},
        clock,
        athlete,
    )
    now = int(clock.now().timestamp())
    body = json.dumps({"type": "url_verification", "challenge": "c0ffee"}).encode()
    event = function_url_event(
        "POST", "/slack/events", body=body, headers=slack.signed_headers(body, now)
    )
    response = handler.handler(event, aws.fake_lambda.context())
    assert response["statusCode"] == 200 and json.loads(response["body"]) == {"challenge": "c0ffee"}
    assert fake_slack.calls == []


# -- Strava ------------------------------------------------------------------------------------
@pytest.fixture
def fake_strava(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    fakes = pytest.importorskip("tests.fakes.fake_strava", reason="the Strava fake is not here")
    folder = tmp_path / "strava"
    folder.mkdir()
    with fakes.FakeStrava(folder, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server


def test_a_run_arriving_from_strava_is_stored_in_dynamodb_and_s3_and_reviewed(
    aws: LocalAws,
    fake_strava: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_strava as strava

    chat = RecordingChat()
    app = deploy(
        aws,
        monkeypatch,
        tmp_path,
        f'[strava]\nbase_url = "{fake_strava.base_url}"\n',
        {"STRAVA_CLIENT_SECRET": strava.CLIENT_SECRET, "STRAVA_VERIFY_TOKEN": strava.VERIFY_TOKEN},
        {"STRAVA_CLIENT_ID": str(strava.CLIENT_ID), "STRAVA_SUBSCRIPTION_ID": "1001"},
        clock,
        athlete,
        chat=chat,
    )
    strava.connect_athlete(app, fake_strava, "adam")
    start = clock.now() - dt.timedelta(hours=3)
    fake_strava.add_activity(
        strava.OWNER_ID,
        RUN_ID,
        name="Evening Run",
        sport_type="Run",
        start=start,
        streams=strava.synthetic_run(40),
    )
    context = aws.fake_lambda.context()

    challenge = function_url_event(
        "GET",
        "/strava/webhook",
        query=f"hub.mode=subscribe&hub.challenge=15f7d1a9&hub.verify_token={strava.VERIFY_TOKEN}",
    )
    answer = handler.handler(challenge, context)
    assert answer["statusCode"] == 200 and json.loads(answer["body"]) == {
        "hub.challenge": "15f7d1a9"
    }

    event = strava.FakeStrava.event("activity", "create", RUN_ID, strava.OWNER_ID, 1001)
    body = json.dumps(event).encode()
    post = function_url_event(
        "POST", "/strava/webhook", body=body, headers={"content-type": "application/json"}
    )
    assert handler.handler(post, context)["statusCode"] == 200
    assert handler.handler(post, context)["statusCode"] == 200  # delivered twice
    assert app.storage.get_activity("adam", str(RUN_ID)) is None  # nothing before the ack

    aws.fake_lambda.drain()

    assert aws.fake_lambda.failures == []
    activity = app.storage.get_activity("adam", str(RUN_ID))
    assert activity is not None and activity.name == "Evening Run"
    assert activity.distance_meters > 5000
    blobs = app.storage.blobs  # type: ignore[attr-defined]
    assert blobs.get(streams_key("adam", str(RUN_ID)))[:2] == b"\x1f\x8b"
    streams = app.storage.get_streams("adam", str(RUN_ID))
    assert streams is not None and len(streams.time) == 40 * 60 + 1
    reviews = [m for m in chat.messages if m.channel == "dm:U123ADAM"]
    assert len(reviews) == 1 and WORDS in reviews[0].text
    assert app.storage.get_message("adam", f"review:{RUN_ID}") is not None


def test_a_wrong_strava_verify_token_is_refused(
    aws: LocalAws,
    fake_strava: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_strava as strava

    deploy(
        aws,
        monkeypatch,
        tmp_path,
        f'[strava]\nbase_url = "{fake_strava.base_url}"\n',
        {"STRAVA_CLIENT_SECRET": strava.CLIENT_SECRET, "STRAVA_VERIFY_TOKEN": strava.VERIFY_TOKEN},
        {"STRAVA_CLIENT_ID": str(strava.CLIENT_ID)},
        clock,
        athlete,
        chat=RecordingChat(),
    )
    challenge = function_url_event(
        "GET",
        "/strava/webhook",
        query="hub.mode=subscribe&hub.challenge=x&hub.verify_token=guess",
    )
    assert handler.handler(challenge, aws.fake_lambda.context())["statusCode"] == 403
