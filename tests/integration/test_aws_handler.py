"""The Lambda handler in-process with AWS's real event shapes, boto3 talking to moto server.

A plugin webhook arrives as a Function URL event (payload format 2.0, base64 body); the
plugin acks and defers; the deferral is a real boto3 ``lambda.invoke(InvocationType=
"Event")`` on the function's own name. Moto runs no Lambda code, so that one call goes to
:class:`~tests.support.aws.FakeLambdaServer`, a loopback stand-in for Lambda's Invoke
API that queues the event and hands it back to ``handler()`` when drained, as Lambda
would in a new invocation. Everything else (DynamoDB, S3, SSM) is moto server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.adapters.aws.s3_blobs import DEFERRED_PREFIX, S3BlobStore
from momentum.adapters.aws.scheduler import ASYNC_PAYLOAD_LIMIT, LambdaScheduler
from momentum.core.app import App
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile, Reflection
from momentum.core.plugins.host import hookimpl, load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from tests.integration.aws_stack import local_aws
from tests.support.aws import (
    LocalAws,
    function_url_event,
)

pytestmark = [pytest.mark.integration, pytest.mark.aws]

REPO = Path(__file__).resolve().parents[2]
TOKEN = "echo-shared-token"
FUNCTION = "momentum-test"


class EchoSource:
    """A plugin webhook at ``/hooks/echo``: it checks its caller, acks and defers."""

    name = "echo"
    description = "test webhook"
    webhook_path = "/hooks/echo"

    def handle_webhook(self, app: App, request: HttpRequest) -> HttpResponse:
        """401 for strangers; GET answers bytes; POST defers ``echo.work``."""
        if request.header("x-echo-token") != TOKEN:
            return HttpResponse.text(401, "who are you?")
        if request.method == "GET":
            return HttpResponse(
                200, bytes(range(256)), {"content-type": "application/octet-stream"}
            )
        data = json.loads(request.body)
        if data.get("boom"):
            raise RuntimeError("secret internals: do not leak")
        pad = "p" * int(data.get("pad", 0))  # a big payload made here: bodies are capped
        payload = {"athlete_id": data["athlete_id"], "text": data["text"], "pad": pad}
        app.scheduler.defer(DeferredJob("echo.work", payload, key=f"echo:{data['id']}"))
        return HttpResponse.json(202, {"queued": data["id"]})


class EchoPlugin:
    """Registers :class:`EchoSource` and its deferred work (which may fail on purpose)."""

    def __init__(self) -> None:
        self.fail_times = 0
        self.runs: list[str] = []

    @hookimpl
    def momentum_data_sources(self) -> list[Any]:
        return [EchoSource()]

    @hookimpl
    def momentum_deferred_handlers(self) -> dict[str, Any]:
        return {"echo.work": self.work}

    def work(self, app: App, job: DeferredJob) -> None:
        self.runs.append(job.key)
        if self.fail_times > 0:
            self.fail_times -= 1
            raise RuntimeError("model unavailable")
        athlete_id = job.payload["athlete_id"]
        app.storage.put_reflection(
            Reflection(job.key, athlete_id, app.clock.now(), job.payload["text"], "echo")
        )
        app.chat.direct_message(athlete_id, f"noted: {job.payload['text']}")


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    """The shared local AWS stack (tests/integration/aws_stack.py)."""
    with local_aws(monkeypatch, tmp_path) as stack:
        yield stack


@pytest.fixture
def plugin() -> EchoPlugin:
    return EchoPlugin()


@pytest.fixture
def app(aws: LocalAws, plugin: EchoPlugin, clock: FixedClock, athlete: AthleteProfile) -> App:
    """The coach as the handler builds it, with a recording chat and a scripted model."""
    built = build_aws_app(
        os.environ,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(extra=[plugin]),
    )
    built.storage.put_athlete(athlete)
    handler.set_app(built)
    return built


def echo(body: dict[str, Any], token: str = TOKEN) -> dict[str, Any]:
    """The Function URL event for a POST to the echo webhook, body base64 as Lambda sends
    binary-typed bodies."""
    return function_url_event(
        "POST",
        "/hooks/echo",
        body=json.dumps(body).encode(),
        headers={"content-type": "application/octet-stream", "x-echo-token": token},
    )


def reflections(app: App) -> list[str]:
    import datetime as dt

    found = app.storage.list_reflections(
        "adam", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    )
    return [r.text for r in found]


def test_webhook_acks_then_lambda_invokes_itself_to_do_the_work(
    app: App, aws: LocalAws, plugin: EchoPlugin
) -> None:
    event = echo({"id": "1", "athlete_id": "adam", "text": "legs tired"})
    assert event["isBase64Encoded"] is True

    answer = handler.handler(event, aws.fake_lambda.context())

    assert answer["statusCode"] == 202 and json.loads(answer["body"]) == {"queued": "1"}
    assert plugin.runs == []  # acked before any work
    [invoke] = aws.fake_lambda.received
    assert invoke.function_name == FUNCTION and invoke.invocation_type == "Event"
    assert invoke.payload == {
        "momentum": "deferred",
        "kind": "echo.work",
        "key": "echo:1",
        "payload": {"athlete_id": "adam", "text": "legs tired", "pad": ""},
    }

    assert aws.fake_lambda.drain() == 1
    assert plugin.runs == ["echo:1"] and reflections(app) == ["legs tired"]
    assert isinstance(app.chat, RecordingChat)
    assert [(m.channel, m.text) for m in app.chat.messages] == [("dm:adam", "noted: legs tired")]
    assert aws.fake_lambda.failures == []


def test_a_duplicate_async_delivery_does_the_work_once(
    app: App, aws: LocalAws, plugin: EchoPlugin
) -> None:
    handler.handler(echo({"id": "2", "athlete_id": "adam", "text": "x"}), aws.fake_lambda.context())
    [invoke] = aws.fake_lambda.received
    aws.fake_lambda.drain()
    aws.fake_lambda.redeliver(invoke)  # same request id, as Lambda's at-least-once delivery

    aws.fake_lambda.drain()

    assert plugin.runs == ["echo:2"] and reflections(app) == ["x"]


def test_failed_deferred_work_is_retried_by_lambda_then_done_once(
    app: App, aws: LocalAws, plugin: EchoPlugin
) -> None:
    plugin.fail_times = 1
    handler.handler(echo({"id": "3", "athlete_id": "adam", "text": "y"}), aws.fake_lambda.context())

    aws.fake_lambda.drain()

    assert plugin.runs == ["echo:3", "echo:3"]  # Lambda's retry ran it again...
    assert reflections(app) == ["y"] and aws.fake_lambda.failures == []  # ...and it stuck


def test_the_caller_is_checked_in_code_and_strangers_defer_nothing(app: App, aws: LocalAws) -> None:
    event = echo({"id": "4", "athlete_id": "adam", "text": "z"}, token="guess")
    assert handler.handler(event, aws.fake_lambda.context())["statusCode"] == 401
    assert aws.fake_lambda.received == []


def test_errors_answer_404_400_and_500_without_details(app: App, aws: LocalAws) -> None:
    context = aws.fake_lambda.context()
    missing = handler.handler(function_url_event("GET", "/nope"), context)
    assert missing["statusCode"] == 404
    garbled = function_url_event("POST", "/hooks/echo", body=b"{}", base64_body=True)
    garbled["body"] = "%%% not base64"
    assert handler.handler(garbled, context)["statusCode"] == 400
    crash = handler.handler(echo({"boom": True}), context)
    assert crash["statusCode"] == 500 and "secret" not in crash["body"]


def test_binary_responses_go_back_base64(app: App, aws: LocalAws) -> None:
    event = function_url_event("GET", "/hooks/echo", headers={"x-echo-token": TOKEN})
    answer = handler.handler(event, aws.fake_lambda.context())
    assert answer["isBase64Encoded"] is True
    import base64

    assert base64.b64decode(answer["body"]) == bytes(range(256))


def test_a_payload_too_big_to_invoke_with_waits_in_s3(
    app: App, aws: LocalAws, plugin: EchoPlugin
) -> None:
    handler.handler(
        echo({"id": "5", "athlete_id": "adam", "text": "big", "pad": ASYNC_PAYLOAD_LIMIT + 10}),
        aws.fake_lambda.context(),
    )
    [invoke] = aws.fake_lambda.received
    ref = invoke.payload["payload_ref"]
    assert ref.startswith(DEFERRED_PREFIX) and "payload" not in invoke.payload
    blobs = S3BlobStore(aws.bucket, aws.client("s3"))
    assert list(blobs.keys(DEFERRED_PREFIX)) == [ref]

    aws.fake_lambda.drain()

    assert reflections(app) == ["big"]
    assert list(blobs.keys(DEFERRED_PREFIX)) == []  # cleaned up after the work


def test_the_scheduler_refuses_a_failed_invoke(aws: LocalAws) -> None:
    scheduler = LambdaScheduler("someone-else", aws.client("lambda"))
    with pytest.raises(Exception, match="Function not found"):
        scheduler.defer(DeferredJob("echo.work"))


def test_unknown_and_malformed_events_are_dropped_not_retried(app: App, aws: LocalAws) -> None:
    context = aws.fake_lambda.context()
    assert handler.handler({"hello": "world"}, context) == {"ignored": True}
    assert "error" in handler.handler({"momentum": "deferred", "kind": ""}, context)
    assert "error" in handler.handler({"momentum": "tick", "job": ""}, context)


def _run_cold(code: str, env: dict[str, str]) -> Any:
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


HEAVY = ("boto3", "botocore", "slack_sdk", "slack_bolt", "groq", "stravalib", "jinja2")
LIST_HEAVY = (
    "import sys, json; print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & "
    f"set({HEAVY!r}))))"
)


def test_importing_the_handler_loads_no_sdk() -> None:
    loaded = _run_cold(f"import momentum.adapters.aws.handler; {LIST_HEAVY}", dict(os.environ))
    assert loaded == []


def test_a_cold_build_without_slack_loads_boto3_but_no_slack_or_groq(
    aws: LocalAws, tmp_path: Path
) -> None:
    env = {**os.environ, **aws.env(), "MOMENTUM_HOME": str(tmp_path)}
    code = (
        "from momentum.adapters.aws import handler; "
        "r = handler.handler({'version': '2.0', 'rawPath': '/nope', "
        "'requestContext': {'http': {'method': 'GET'}}}, None); "
        "assert r['statusCode'] == 404, r; "
        "import sys; assert 'boto3' not in sys.modules, 'a 404 touches no AWS service'; "
        "r = handler.handler({'momentum': 'tick', 'job': '*'}, None); "
        "assert r == {'fired': []}, r; "
        f"{LIST_HEAVY}"
    )
    loaded = _run_cold(code, env)
    assert "boto3" in loaded  # the tick read the athletes from DynamoDB
    assert not {"slack_sdk", "slack_bolt", "groq"} & set(loaded)


def test_the_app_is_built_once_per_sandbox(aws: LocalAws) -> None:
    handler.set_app(None)
    context = aws.fake_lambda.context()
    handler.handler(function_url_event("GET", "/nope"), context)
    first = handler.get_app()
    handler.handler(function_url_event("GET", "/nope"), context)
    assert handler.get_app() is first
    assert isinstance(first.scheduler, LambdaScheduler)
    assert first.scheduler.function_name == FUNCTION
    assert {job.name for job in first.scheduler.recurring_jobs()} >= {
        "checkin",
        "monday_plan",
        "weekly_refresh",
    }
