"""Teams on the AWS adapter, end to end on loopback: a Bot Framework activity arrives as
a Lambda Function URL event, the handler checks its JWT and answers 200 after the typing
indicator, and the self-invoked second half (a real boto3 asynchronous invoke) sends the
coach's answer. An install stores the reference in DynamoDB; the check-in goes out as a
proactive DM; an uninstall removes it.

Stand-ins: moto server (DynamoDB, S3, SSM), the loopback Lambda Invoke endpoint, and the
fake Bot Framework (OpenID/JWKS, Entra token, Connector) over TLS. TEAMS_APP_PASSWORD is an
SSM SecureString; the endpoints come from the bundled ``momentum.toml``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.adapters.teams.references import load_reference
from momentum.core.app import App
from momentum.core.memory import ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from tests.integration.aws_stack import local_aws
from tests.support.aws import LocalAws, function_url_event

fake_teams = pytest.importorskip("tests.fakes.fake_teams", reason="the Teams fake is not here")

pytestmark = [pytest.mark.integration, pytest.mark.aws, pytest.mark.teams]
USER = "29:1adam-on-aws"
DM = fake_teams.dm_conversation(USER)
WORDS = "Easy does it today: thirty minutes, conversational."


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    with local_aws(monkeypatch, tmp_path, export_env=False) as stack:
        yield stack


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    folder = tmp_path / "teams"
    folder.mkdir()
    with fake_teams.FakeBotFramework(folder) as server:
        server.trust(monkeypatch)
        yield server


@pytest.fixture
def app(
    aws: LocalAws,
    fake: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> App:
    aws.put_secrets({"TEAMS_APP_PASSWORD": fake_teams.APP_PASSWORD})
    (tmp_path / "momentum.toml").write_text(fake.settings_toml(), encoding="utf-8")
    for key, value in {**aws.env(), "MOMENTUM_CHAT": "teams"}.items():
        monkeypatch.setenv(key, value)
    assert "TEAMS_APP_PASSWORD" not in os.environ  # only its parameter name is there
    built = build_aws_app(
        os.environ, model=ScriptedModel(respond=scripted), clock=clock, plugins=load_plugins()
    )
    built.storage.put_athlete(dataclasses.replace(athlete, chat_user_id=USER))
    handler.set_app(built)
    return built


def post(aws: LocalAws, fake: Any, clock: FixedClock, activity: dict[str, Any], **token: Any):
    body = json.dumps(activity).encode()
    headers = fake.headers(now=clock.now().timestamp(), **token)
    event = function_url_event("POST", "/api/messages", body=body, headers=headers)
    return handler.handler(event, aws.fake_lambda.context())


def test_a_message_is_acked_after_typing_and_answered_by_the_second_invocation(
    app: App, aws: LocalAws, fake: Any, clock: FixedClock
) -> None:
    assert type(app.chat).__name__ == "TeamsChat"
    activity = fake.message(USER, "Legs are tired. Rest?", "aws-1")
    assert post(aws, fake, clock, activity)["statusCode"] == 200
    assert [s.type for s in fake.sent] == ["typing"]  # before the ack: nothing runs after it
    [invoke] = aws.fake_lambda.received
    assert invoke.invocation_type == "Event" and invoke.payload["momentum"] == "deferred"

    assert post(aws, fake, clock, activity)["statusCode"] == 200  # redelivery: deduplicated
    assert len(aws.fake_lambda.received) == 1

    assert aws.fake_lambda.drain() == 1
    [answer] = fake.in_conversation(DM)
    assert answer.text == WORDS and answer.cards
    assert aws.fake_lambda.failures == []


def test_a_forged_token_gets_401_and_defers_nothing(
    app: App, aws: LocalAws, fake: Any, clock: FixedClock
) -> None:
    forged = post(aws, fake, clock, fake.message(USER, "hi", "aws-2"), key=fake_teams.new_key())
    assert forged["statusCode"] == 401
    assert aws.fake_lambda.received == [] and fake.sent == []


def test_install_then_the_check_in_arrives_and_uninstall_stops_it(
    app: App, aws: LocalAws, fake: Any, clock: FixedClock
) -> None:
    assert post(aws, fake, clock, fake.installation(USER, "add"))["statusCode"] == 200
    reference = load_reference(app.storage, "adam")
    assert reference is not None and reference.conversation_id == DM
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    [checkin] = fake.in_conversation(DM)
    assert WORDS in checkin.text
    assert post(aws, fake, clock, fake.installation(USER, "remove"))["statusCode"] == 200
    assert load_reference(app.storage, "adam") is None
    app.run_job("checkin", "adam", dt.date(2026, 3, 4))
    assert len(fake.in_conversation(DM)) == 1
