"""The deployed coach's dashboard behind signed links, on every cloud's stand-ins, with one
test body (:func:`tests.integration.deployed_dashboard.check_signed_links`).

- **AWS**: the Lambda handler with Function URL events (payload 2.0), DynamoDB, S3 and
  SSM on moto server, the key a SecureString parameter; the job is the run event an
  operator or the scheduler sends.
- **GCP**: the real functions-framework entry on loopback, the Firestore emulator, the key
  from the Secret Manager fake; the job arrives as a Cloud Tasks delivery.
- **Azure**: the function app's registered functions called as the host calls them, Table,
  Queue and Blob Storage on Azurite, the key an app setting (a Key Vault reference there);
  the job is a Queue Storage message the host's loop hands to the queue trigger.
- **Cloudflare**: the Worker's ``fetch`` and ``queue`` logic on CPython with D1 and R2 in
  wrangler (the bridge), the key a Worker secret.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from momentum.core.dashboard.links import PUBLIC_URL_ENV
from momentum.core.dashboard.signing import KEY_SECRET
from momentum.core.memory import RecordingChat
from momentum.core.model import AthleteProfile
from momentum.core.ports.clock import FixedClock
from tests.integration.deployed_dashboard import KEY, START, Answer, Deployed, check_signed_links

pytestmark = [pytest.mark.integration]


@contextmanager
def on_aws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, athlete: AthleteProfile
) -> Iterator[Deployed]:
    from momentum.adapters.aws import handler
    from momentum.adapters.aws.bootstrap import build_aws_app
    from momentum.core.memory import ScriptedModel
    from momentum.core.plugins.host import load_plugins
    from tests.integration.aws_stack import local_aws
    from tests.support.aws import function_url_event

    domain = "abcdefghijklmnop.lambda-url.us-east-1.on.aws"
    with local_aws(monkeypatch, tmp_path) as aws:
        aws.put_secrets({KEY_SECRET: KEY})
        monkeypatch.setenv("MOMENTUM_SSM_PARAMETERS", aws.env()["MOMENTUM_SSM_PARAMETERS"])
        monkeypatch.setenv(PUBLIC_URL_ENV, f"https://{domain}")
        clock, chat = FixedClock(START), RecordingChat()
        app = build_aws_app(
            os.environ, chat=chat, model=ScriptedModel(), clock=clock, plugins=load_plugins()
        )
        app.storage.put_athlete(athlete)
        handler.set_app(app)
        context = aws.fake_lambda.context()

        def run(envelope: dict[str, str]) -> None:
            assert handler.handler(envelope, context)["ran"] == envelope["job"]

        def request(method: str, path: str, body: bytes) -> Answer:
            event = function_url_event(method, path, body=body, domain=domain)
            answer = handler.handler(event, context)
            raw = answer.get("body", "")
            data = base64.b64decode(raw) if answer.get("isBase64Encoded") else raw.encode()
            headers = {k.lower(): v for k, v in answer.get("headers", {}).items()}
            return Answer(answer["statusCode"], headers, data)

        yield Deployed(f"https://{domain}", app, chat, clock, run, request)


@contextmanager
def on_gcp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, athlete: AthleteProfile
) -> Iterator[Deployed]:
    from tests.integration.gcp_stack import bearer, call, opened
    from tests.integration.test_gcp_function import deploy

    with contextmanager(opened)(tmp_path) as gcp:
        gcp.put_secret(KEY_SECRET, KEY)
        clock, chat = FixedClock(START), RecordingChat()
        app = deploy(gcp, tmp_path, "", clock, athlete, chat=chat)

        def run(envelope: dict[str, str]) -> None:
            headers = {**bearer(gcp), "X-CloudTasks-TaskName": "monday"}
            assert call(gcp, "POST", "/tasks", json.dumps(envelope).encode(), headers).status == 200

        def request(method: str, path: str, body: bytes) -> Answer:
            answer = call(gcp, method, path, body)
            return Answer(answer.status, answer.headers, answer.body)

        yield Deployed(gcp.function.url, app, chat, clock, run, request)


@contextmanager
def on_azure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, athlete: AthleteProfile
) -> Iterator[Deployed]:
    from momentum.adapters.azure import function_app
    from tests.integration.azure_stack import local_azure
    from tests.integration.test_azure_function_app import call_http, deploy

    # The host serves routes as they are (no "/api" in front), so the link works as sent:
    # the function is called with the link's own path.
    host = json.loads(Path(function_app.__file__).with_name("host.json").read_text())
    assert host["extensions"]["http"]["routePrefix"] == ""
    url = "https://momentum.azurewebsites.net"
    with local_azure() as azure:
        clock, chat = FixedClock(START), RecordingChat()
        settings = {KEY_SECRET: KEY, PUBLIC_URL_ENV: url}
        app = deploy(azure, tmp_path, "", settings, clock, athlete, chat=chat)

        def run(envelope: dict[str, str]) -> None:
            azure.queue_client().send_message(json.dumps(envelope))
            assert azure.drain() == 1 and azure.failures == []

        def request(method: str, path: str, body: bytes) -> Answer:
            answer = call_http(method, path, body)
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Answer(answer.status_code, headers, answer.get_body())

        yield Deployed(url, app, chat, clock, run, request)


@contextmanager
def on_cloudflare(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, athlete: AthleteProfile
) -> Iterator[Deployed]:
    from momentum.adapters.cloudflare import handlers
    from tests.integration.test_cloudflare_worker import WORKER, deploy, wrangler_stack

    with wrangler_stack() as wrangler:
        clock, chat = FixedClock(START), RecordingChat()
        variables = {KEY_SECRET: KEY, PUBLIC_URL_ENV: WORKER}
        app = deploy(wrangler, tmp_path, variables, clock, athlete, chat=chat)

        def run(envelope: dict[str, str]) -> None:
            outcome = handlers.queue_message(app, "monday", json.dumps(envelope))
            assert outcome.get("ran") == envelope["job"], outcome

        def request(method: str, path: str, body: bytes) -> Answer:
            answer = handlers.fetch(app, method, WORKER + path, {}, body)
            headers = {k.lower(): v for k, v in answer.headers.items()}
            return Answer(answer.status, headers, answer.body)

        yield Deployed(WORKER, app, chat, clock, run, request)


CLOUDS = {"aws": on_aws, "gcp": on_gcp, "azure": on_azure, "cloudflare": on_cloudflare}


@pytest.mark.parametrize(
    "cloud", [pytest.param(name, marks=getattr(pytest.mark, name)) for name in CLOUDS]
)
def test_the_weekly_plans_link_opens_the_athletes_pages_from_the_function(
    cloud: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, athlete: AthleteProfile
) -> None:
    with CLOUDS[cloud](tmp_path, monkeypatch, athlete) as coach:
        check_signed_links(coach)
