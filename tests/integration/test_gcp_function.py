"""The GCP entry point end to end: functions-framework serves ``momentum`` on loopback;
storage is the Firestore emulator with the Cloud Storage emulator; deferred work goes
through the real google-cloud-tasks client to the Cloud Tasks fake, which delivers each
task back to the function over HTTP with an OIDC token from a local issuer; the Slack
secrets come from the Secret Manager fake through the real client. Slack and Strava are
the fakes in ``tests/fakes``; the model is scripted."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.gcp import main
from momentum.adapters.gcp.bootstrap import build_gcp_app
from momentum.core.app import App
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.ports.scheduler import DeferredJob
from tests.integration.gcp_stack import LocalGcp, bearer, call, opened

pytestmark = [pytest.mark.integration, pytest.mark.gcp]

WORDS = "Easy does it today: thirty minutes, conversational."
USER = "U123ADAM"
RUN_ID = 17321805264
FAR = (dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC))


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def gcp(tmp_path: Path) -> Iterator[LocalGcp]:
    yield from opened(tmp_path)


def deploy(
    gcp: LocalGcp,
    home: Path,
    toml: str,
    clock: FixedClock,
    athlete: AthleteProfile,
    *,
    settings: dict[str, str] | None = None,
    chat: Any = None,
) -> App:
    """Build the app as the first request would (from the environment, secrets read from
    Secret Manager) and hand it to the served function."""
    (home / "momentum.toml").write_text(toml, encoding="utf-8")
    app = build_gcp_app(
        {**gcp.env(home), **(settings or {})},
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
        clients=gcp.clients(),
    )
    app.storage.put_athlete(athlete)
    main.set_app(app, gcp.oidc)
    return app


# -- Slack -----------------------------------------------------------------------------------
def slack_app(
    gcp: LocalGcp, fake_slack: Any, home: Path, clock: FixedClock, athlete: AthleteProfile
) -> App:
    from tests.fakes import fake_slack as slack

    gcp.put_secret("SLACK_SIGNING_SECRET", slack.SIGNING_SECRET)
    gcp.put_secret("SLACK_BOT_TOKEN", slack.BOT_TOKEN)
    return deploy(gcp, home, f'[slack]\nbase_url = "{fake_slack.api_url}"\n', clock, athlete)


def test_a_signed_slack_dm_is_acked_then_answered_once_through_cloud_tasks(
    gcp: LocalGcp, fake_slack: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from tests.fakes import fake_slack as slack

    app = slack_app(gcp, fake_slack, tmp_path, clock, athlete)
    assert type(app.chat).__name__ == "SlackChat"  # the secrets came from Secret Manager
    now = int(clock.now().timestamp())
    body = json.dumps(
        slack.event_callback(slack.dm_event(USER, "Legs are tired. Rest?", "1.1"), "Ev1", now)
    ).encode()
    assert call(gcp, "POST", "/slack/events", body, slack.signed_headers(body, now)).status == 200
    dm = fake_slack.dm_channel(USER)
    [thinking] = fake_slack.in_channel(dm)
    assert thinking.text.startswith("Thinking")
    [task] = gcp.tasks.tasks.values()
    assert task.url == f"{gcp.function.url}/tasks" and task.audience == gcp.function.url
    assert json.loads(task.body)["momentum"] == "deferred"

    retry = slack.signed_headers(body, now, retry_num=1)
    assert call(gcp, "POST", "/slack/events", body, retry).status == 200
    assert len(gcp.tasks.tasks) == 1  # Slack's retry deferred nothing new

    assert [status for _, status in gcp.drain()] == [200]
    task.delivered = False  # Cloud Tasks delivers the same task again
    assert [status for _, status in gcp.drain()] == [200]
    [answer] = fake_slack.in_channel(dm)
    assert answer.ts == thinking.ts and WORDS in answer.text
    assert len(fake_slack.calls_of("chat.update")) == 1


@pytest.mark.parametrize("forgery", ["wrong secret", "stale"])
def test_forged_or_stale_slack_requests_get_401_and_leave_nothing(
    forgery: str,
    gcp: LocalGcp,
    fake_slack: Any,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_slack as slack

    slack_app(gcp, fake_slack, tmp_path, clock, athlete)
    now = int(clock.now().timestamp())
    body = json.dumps(slack.event_callback(slack.dm_event(USER, "hi", "2.1"), "Ev2", now)).encode()
    if forgery == "stale":
        headers = slack.signed_headers(body, now - 3600)
    else:
        headers = slack.signed_headers(body, now, secret="not-the-secret")
    assert call(gcp, "POST", "/slack/events", body, headers).status == 401
    assert gcp.tasks.tasks == {} and fake_slack.in_channel(fake_slack.dm_channel(USER)) == []


# -- the tick --------------------------------------------------------------------------------
def tick(gcp: LocalGcp, at: dt.datetime, **token: Any) -> Any:
    headers = {**bearer(gcp, **token), "X-CloudScheduler-ScheduleTime": at.isoformat()}
    return call(gcp, "POST", "/tick", b"", headers)


def test_the_scheduler_tick_fans_out_one_checkin_per_local_day(
    gcp: LocalGcp, fake_slack: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    slack_app(gcp, fake_slack, tmp_path, clock, athlete)
    dm = fake_slack.dm_channel(USER)
    first = tick(gcp, clock.now())  # 11:00 UTC = 06:00 in Toronto: the check-in is due
    assert first.status == 200 and json.loads(first.body)["fired"]
    assert tick(gcp, clock.now()).status == 200  # Cloud Scheduler retried the same slot
    assert len(gcp.tasks.tasks) == 1
    assert [status for _, status in gcp.drain()] == [200]
    [checkin] = fake_slack.in_channel(dm)
    assert checkin.text

    clock.set(clock.now() + dt.timedelta(minutes=15))
    assert tick(gcp, clock.now()).status == 200  # the next slot: nothing more today
    gcp.drain()
    assert len(fake_slack.in_channel(dm)) == 1


@pytest.mark.parametrize("path", ["/tick", "/tasks"])
def test_the_oidc_routes_refuse_missing_and_wrong_tokens(
    path: str, gcp: LocalGcp, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    deploy(gcp, tmp_path, "", clock, athlete, chat=RecordingChat())
    run = json.dumps({"momentum": "run", "job": "checkin", "athlete_id": "adam"}).encode()
    refused = [
        {},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        bearer(gcp, email="intruder@evil.iam.gserviceaccount.com"),
        bearer(gcp, aud="https://elsewhere.run.app"),
        bearer(gcp, exp=1_000_000_000, iat=999_999_000),
    ]
    for headers in refused:
        answer = call(gcp, "POST", path, run, {**headers, "X-CloudTasks-TaskName": "t1"})
        assert answer.status == 401, headers
        assert b"intruder" not in answer.body
    assert gcp.tasks.tasks == {}
    assert main.get_app().storage.list_messages("adam", *FAR) == []


# -- Cloud Tasks deliveries ------------------------------------------------------------------
def test_a_redelivered_task_runs_once_and_a_failing_one_is_retried(
    gcp: LocalGcp, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    app = deploy(gcp, tmp_path, "", clock, athlete, chat=RecordingChat())
    ran: list[dict[str, Any]] = []
    failures = [RuntimeError("the model timed out")]

    def echo(_app: App, job: DeferredJob) -> None:
        if failures:
            raise failures.pop()
        ran.append(job.payload)

    app.deferred_handlers["test.echo"] = echo
    app.scheduler.defer(DeferredJob("test.echo", {"n": 1}, key="k1"))
    [(name, status)] = gcp.drain()
    assert status == 500 and ran == []  # the claim was released: the retry runs it
    assert [s for _, s in gcp.drain()] == [200] and ran == [{"n": 1}]
    task = gcp.tasks.tasks[f"{gcp.queue}/tasks/{name}"]
    task.delivered = False
    assert [s for _, s in gcp.drain()] == [200]
    assert ran == [{"n": 1}]


def test_a_large_payload_spills_to_cloud_storage_and_arrives_whole(
    gcp: LocalGcp, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    app = deploy(gcp, tmp_path, "", clock, athlete, chat=RecordingChat())
    ran: list[dict[str, Any]] = []
    app.deferred_handlers["test.echo"] = lambda _app, job: ran.append(job.payload)
    rows = ["x" * 1000] * 120  # 120 KB: over a task's 100 KB
    app.scheduler.defer(DeferredJob("test.echo", {"rows": rows}))
    [task] = gcp.tasks.tasks.values()
    assert len(task.body) < 1000 and "payload_ref" in json.loads(task.body)
    assert app.blob is not None and list(app.blob.keys("deferred/"))
    gcp.drain()
    assert ran == [{"rows": rows}] and list(app.blob.keys("deferred/")) == []


def test_bad_task_bodies_are_dropped_and_an_operator_run_posts_now(
    gcp: LocalGcp, fake_slack: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    slack_app(gcp, fake_slack, tmp_path, clock, athlete)
    headers = {**bearer(gcp), "X-CloudTasks-TaskName": "op1"}
    for body in (b"{oops", b"[]", json.dumps({"momentum": "tick"}).encode()):
        answer = call(gcp, "POST", "/tasks", body, headers)
        assert answer.status == 200 and "error" in json.loads(answer.body), body
    bad = {"momentum": "run", "job": "checkin", "athlete_id": "adam", "date": "tomorrow"}
    answer = call(gcp, "POST", "/tasks", json.dumps(bad).encode(), headers)
    assert "'date' is not YYYY-MM-DD" in json.loads(answer.body)["error"]
    assert fake_slack.in_channel(fake_slack.dm_channel(USER)) == []
    run = {"momentum": "run", "job": "checkin", "athlete_id": "adam"}
    answer = call(gcp, "POST", "/tasks", json.dumps(run).encode(), headers)
    assert answer.status == 200 and json.loads(answer.body)["ran"] == "checkin"
    assert len(fake_slack.in_channel(fake_slack.dm_channel(USER))) == 1


# -- Strava ----------------------------------------------------------------------------------
def strava_app(
    gcp: LocalGcp,
    fake_strava: Any,
    home: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
    chat: RecordingChat,
) -> App:
    from tests.fakes import fake_strava as strava

    gcp.put_secret("STRAVA_CLIENT_SECRET", strava.CLIENT_SECRET)
    gcp.put_secret("STRAVA_VERIFY_TOKEN", strava.VERIFY_TOKEN)
    plain = {"STRAVA_CLIENT_ID": str(strava.CLIENT_ID), "STRAVA_SUBSCRIPTION_ID": "1001"}
    toml = f'[strava]\nbase_url = "{fake_strava.base_url}"\n'
    return deploy(gcp, home, toml, clock, athlete, settings=plain, chat=chat)


def test_strava_challenge_and_a_run_arriving_twice_is_stored_and_reviewed_once(
    gcp: LocalGcp, fake_strava: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from tests.fakes import fake_strava as strava

    chat = RecordingChat()
    app = strava_app(gcp, fake_strava, tmp_path, clock, athlete, chat)
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
    challenge = call(gcp, "GET", "/strava/webhook", params=params)
    assert challenge.status == 200
    assert json.loads(challenge.body) == {"hub.challenge": "15f7d1a9"}
    assert challenge.headers["content-type"] == "application/json"
    wrong = {**params, "hub.verify_token": "guess"}
    assert call(gcp, "GET", "/strava/webhook", params=wrong).status == 403

    event = strava.FakeStrava.event("activity", "create", RUN_ID, strava.OWNER_ID, 1001)
    body, headers = json.dumps(event).encode(), {"content-type": "application/json"}
    assert call(gcp, "POST", "/strava/webhook", body, headers).status == 200
    assert call(gcp, "POST", "/strava/webhook", body, headers).status == 200
    assert app.storage.get_activity("adam", str(RUN_ID)) is None  # nothing before the ack

    assert all(status == 200 for _, status in gcp.drain())
    activity = app.storage.get_activity("adam", str(RUN_ID))
    assert activity is not None and activity.name == "Evening Run"
    streams = app.storage.get_streams("adam", str(RUN_ID))
    assert streams is not None and len(streams.time) == 40 * 60 + 1
    reviews = [m for m in chat.messages if m.channel == f"dm:{USER}"]
    assert len(reviews) == 1 and WORDS in reviews[0].text


def test_malformed_webhook_bodies_get_4xx_and_store_nothing(
    gcp: LocalGcp, fake_strava: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    app = strava_app(gcp, fake_strava, tmp_path, clock, athlete, RecordingChat())
    headers = {"content-type": "application/json"}
    for body in (b"{not json", b"[]", json.dumps({"object_type": "activity"}).encode()):
        answer = call(gcp, "POST", "/strava/webhook", body, headers)
        assert 400 <= answer.status < 500, body
    assert gcp.tasks.tasks == {}
    assert app.storage.list_activities("adam", *FAR) == []


def test_a_missing_secret_is_named_without_its_value(
    gcp: LocalGcp, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> None:
    from momentum.core.errors import ConfigError

    env = {
        **gcp.env(tmp_path),
        "MOMENTUM_SECRETS": f"GROQ_API_KEY=projects/{gcp.project}/secrets/groq-api-key",
    }
    with pytest.raises(ConfigError, match=r"secret GROQ_API_KEY .* is not found"):
        build_gcp_app(env, chat=RecordingChat(), clock=clock, clients=gcp.clients())
    assert dataclasses.is_dataclass(gcp)
