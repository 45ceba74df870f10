"""Delayed work on AWS: ``LambdaScheduler.defer_at`` creates a one-time EventBridge
Scheduler schedule (real boto3 against moto server), and the schedule's target input,
handed to the handler, runs the job.

moto stores schedules but never fires them, so each test reads the schedule back and does
what Scheduler would at its time: an asynchronous invoke of the target with its input
(``LocalAws.fire``, through the loopback Lambda stand-in), or a direct ``handler()`` call.
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
from momentum.adapters.aws.bootstrap import build_aws_app, function_arn, one_time_schedules
from momentum.adapters.aws.scheduler import (
    DELIVERY_MAX_AGE_SECONDS,
    LambdaScheduler,
    schedule_name,
    whole_minute_after,
)
from momentum.core.app import App
from momentum.core.errors import ConfigError
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import hookimpl, load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from momentum.core.ports.scheduler import DeferredJob
from tests.integration.aws_stack import local_aws
from tests.support.aws import LocalAws, function_url_event

pytestmark = [pytest.mark.integration, pytest.mark.aws]

WORDS = "Easy run banked; the legs will thank you on Thursday."


class LaterPlugin:
    """A deferred handler ``later.work`` that records what it was given."""

    def __init__(self) -> None:
        self.runs: list[DeferredJob] = []

    @hookimpl
    def momentum_deferred_handlers(self) -> dict[str, Any]:
        return {"later.work": lambda app, job: self.runs.append(job)}


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    """The shared local AWS stack (tests/integration/aws_stack.py)."""
    with local_aws(monkeypatch, tmp_path) as stack:
        yield stack


@pytest.fixture
def plugin() -> LaterPlugin:
    return LaterPlugin()


@pytest.fixture
def app(aws: LocalAws, plugin: LaterPlugin, clock: FixedClock, athlete: AthleteProfile) -> App:
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


def test_defer_at_creates_a_one_time_utc_schedule_that_deletes_itself(
    app: App, aws: LocalAws, clock: FixedClock
) -> None:
    job = DeferredJob("later.work", {"athlete_id": "adam", "attempt": 1}, "strava:create:42")
    due = clock.now() + dt.timedelta(minutes=15, seconds=30)  # 11:15:30
    app.scheduler.defer_at(job, due)

    [schedule] = aws.delayed_schedules()
    assert schedule["ScheduleExpression"] == "at(2026-03-03T11:16:00)"  # never early
    assert schedule["ScheduleExpressionTimezone"] == "UTC"
    assert schedule["ActionAfterCompletion"] == "DELETE"
    assert schedule["FlexibleTimeWindow"] == {"Mode": "OFF"}
    assert schedule["State"] == "ENABLED"
    assert schedule["GroupName"] == aws.schedule_group
    assert schedule["Name"] == schedule_name(job, whole_minute_after(due))
    assert schedule["Name"].startswith("strava-create-42-") and len(schedule["Name"]) <= 64
    target = schedule["Target"]
    assert target["Arn"] == aws.function_arn
    assert target["RoleArn"] == aws.scheduler_role_arn
    assert target["RetryPolicy"]["MaximumEventAgeInSeconds"] == DELIVERY_MAX_AGE_SECONDS
    # The input is the same deferred event a self-invoke carries.
    assert json.loads(target["Input"]) == {
        "momentum": "deferred",
        "kind": "later.work",
        "key": "strava:create:42",
        "payload": {"athlete_id": "adam", "attempt": 1},
    }
    assert aws.fake_lambda.received == []  # nothing runs before its time


def test_the_schedule_firing_runs_the_job_once_through_the_handler(
    app: App, aws: LocalAws, clock: FixedClock, plugin: LaterPlugin
) -> None:
    job = DeferredJob("later.work", {"athlete_id": "adam"}, "k1")
    app.scheduler.defer_at(job, clock.now() + dt.timedelta(minutes=5))
    [schedule] = aws.delayed_schedules()

    clock.advance(dt.timedelta(minutes=5))
    aws.fire(schedule)  # Scheduler's asynchronous invoke, then ActionAfterCompletion
    assert aws.fake_lambda.drain() == 1
    assert plugin.runs == [job] and aws.fake_lambda.failures == []
    assert aws.delayed_schedules() == []

    # The same event handed to the handler directly (as in-process as it gets), twice
    # under one request id, as Lambda may deliver it: the work runs once more, not twice.
    context = aws.fake_lambda.context()
    event = json.loads(schedule["Target"]["Input"])
    assert handler.handler(event, context) == {"ran": "later.work"}
    assert handler.handler(event, context) == {"duplicate": True}
    assert plugin.runs == [job, job]


def test_deferring_the_same_job_and_time_twice_makes_one_schedule(
    app: App, aws: LocalAws, clock: FixedClock
) -> None:
    job = DeferredJob("later.work", {"attempt": 1}, "strava:create:7")
    due = clock.now() + dt.timedelta(minutes=15, seconds=10)
    app.scheduler.defer_at(job, due)
    app.scheduler.defer_at(job, due + dt.timedelta(seconds=20))  # fires the same minute
    app.scheduler.defer_at(DeferredJob("later.work", {"attempt": 2}, "strava:create:7"), due)
    assert len(aws.delayed_schedules()) == 1
    app.scheduler.defer_at(job, due + dt.timedelta(minutes=15))  # a later retry: a new one
    app.scheduler.defer_at(DeferredJob("later.work"), due)  # no key: each is its own
    app.scheduler.defer_at(DeferredJob("later.work"), due)
    assert len(aws.delayed_schedules()) == 4


def test_a_time_already_past_is_an_ordinary_self_invoke(
    app: App, aws: LocalAws, clock: FixedClock, plugin: LaterPlugin
) -> None:
    app.scheduler.defer_at(DeferredJob("later.work", {}, "now"), clock.now())
    assert aws.delayed_schedules() == []
    [invoke] = aws.fake_lambda.received
    assert invoke.invocation_type == "Event"
    assert aws.fake_lambda.drain() == 1 and [j.key for j in plugin.runs] == ["now"]


def test_without_the_stacks_schedule_group_a_delay_is_refused_naming_the_variables(
    aws: LocalAws, clock: FixedClock
) -> None:
    scheduler = LambdaScheduler("momentum-test", aws.client("lambda"), clock=clock)
    with pytest.raises(ConfigError, match="MOMENTUM_DEFERRED_SCHEDULE_GROUP"):
        scheduler.defer_at(DeferredJob("later.work"), clock.now() + dt.timedelta(hours=1))
    env = {**aws.env(), "MOMENTUM_SCHEDULER_ROLE_ARN": ""}
    with pytest.raises(ConfigError, match="MOMENTUM_SCHEDULER_ROLE_ARN"):
        one_time_schedules(env, "us-east-1")
    assert one_time_schedules({}, "us-east-1") is None
    with pytest.raises(ConfigError, match="not an IAM role ARN"):
        function_arn(aws.env(), "arn:aws:lambda:us-east-1:123456789012:function:x")
    gov = {"AWS_LAMBDA_FUNCTION_NAME": "coach-fn", "AWS_REGION": "us-gov-west-1"}
    role = "arn:aws-us-gov:iam::123456789012:role/coach-scheduler-role"
    assert (
        function_arn(gov, role)
        == "arn:aws-us-gov:lambda:us-gov-west-1:123456789012:function:coach-fn"
    )


# -- Strava rate-limited on AWS ------------------------------------------------------------------
def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def fake_strava(tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch) -> Any:
    fakes = pytest.importorskip("tests.fakes.fake_strava", reason="the Strava fake is not here")
    folder = tmp_path / "strava"
    folder.mkdir()
    with fakes.FakeStrava(folder, clock=lambda: clock.now().timestamp()) as server:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(server.cert_path))
        yield server


def test_a_rate_limited_strava_create_is_retried_by_a_schedule_and_reviewed_once(
    aws: LocalAws,
    fake_strava: Any,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> None:
    from tests.fakes import fake_strava as strava

    aws.put_secrets(
        {"STRAVA_CLIENT_SECRET": strava.CLIENT_SECRET, "STRAVA_VERIFY_TOKEN": strava.VERIFY_TOKEN}
    )
    (tmp_path / "momentum.toml").write_text(
        f'[strava]\nbase_url = "{fake_strava.base_url}"\n', encoding="utf-8"
    )
    for key, value in {
        **aws.env(),
        "STRAVA_CLIENT_ID": str(strava.CLIENT_ID),
        "STRAVA_SUBSCRIPTION_ID": "1001",
    }.items():
        monkeypatch.setenv(key, value)
    chat = RecordingChat()
    app = build_aws_app(
        os.environ,
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    app.storage.put_athlete(athlete)
    handler.set_app(app)
    strava.connect_athlete(app, fake_strava, "adam")
    run_id = 17321805265
    fake_strava.add_activity(
        strava.OWNER_ID,
        run_id,
        name="Lunch Run",
        sport_type="Run",
        start=clock.now() - dt.timedelta(hours=2),
        streams=strava.synthetic_run(30),
    )
    fake_strava.exhaust("15-minute")
    event = strava.FakeStrava.event("activity", "create", run_id, strava.OWNER_ID, 1001)
    post = function_url_event(
        "POST",
        "/strava/webhook",
        body=json.dumps(event).encode(),
        headers={"content-type": "application/json"},
    )
    context = aws.fake_lambda.context()
    assert handler.handler(post, context)["statusCode"] == 200
    assert aws.fake_lambda.drain() == 1  # fetched, got 429, scheduled itself: no failure
    assert aws.fake_lambda.failures == []
    [schedule] = aws.delayed_schedules()
    assert schedule["ScheduleExpression"] == "at(2026-03-03T11:16:00)"  # 11:15 + margin
    retry = json.loads(schedule["Target"]["Input"])
    assert retry["kind"] == "strava.activity_create" and retry["payload"]["attempt"] == 1

    answer = handler.handler(post, context)  # Strava redelivers while the retry waits
    assert answer["statusCode"] == 200 and answer["body"] == "duplicate"
    assert aws.fake_lambda.received[-1].payload["momentum"] == "deferred"
    assert len(aws.fake_lambda.received) == 1

    clock.set(dt.datetime(2026, 3, 3, 11, 16, 1, tzinfo=dt.UTC))
    fake_strava.reset_window()
    aws.fire(schedule)
    assert aws.fake_lambda.drain() == 1 and aws.fake_lambda.failures == []
    activity = app.storage.get_activity("adam", str(run_id))
    assert activity is not None and activity.name == "Lunch Run"
    reviews = [m for m in chat.messages if m.channel == "dm:U123ADAM"]
    assert len(reviews) == 1 and WORDS in reviews[0].text
    assert aws.delayed_schedules() == []
