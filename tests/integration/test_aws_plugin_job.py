"""A plugin's recurring job runs on AWS: the real handler, boto3 on moto server, the job's
own ``run`` called for the operator's ``run`` event and for the scheduler's tick."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum import RecurringJob, hookimpl
from momentum.adapters.aws import handler
from momentum.adapters.aws.bootstrap import build_aws_app
from momentum.core.plugins.host import load_plugins
from momentum.testing import FixedClock, RecordingChat, ScriptedModel, sample_athlete
from tests.integration.aws_stack import local_aws
from tests.support.aws import LocalAws

pytestmark = [pytest.mark.integration, pytest.mark.aws]


class Stretch:
    """A third-party plugin with one daily job at 06:30 local time."""

    @hookimpl
    def momentum_scheduled_jobs(self) -> list[RecurringJob]:
        def run(app: Any, athlete_id: str, local_date: dt.date) -> None:
            app.chat.direct_message(athlete_id, f"stretch {local_date.isoformat()}")

        return [RecurringJob("stretch", hour=6, minute=30, run=run)]


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalAws]:
    with local_aws(monkeypatch, tmp_path) as stack:
        yield stack


@pytest.fixture
def chat(aws: LocalAws) -> RecordingChat:
    recording = RecordingChat()
    app = build_aws_app(
        os.environ,
        chat=recording,
        model=ScriptedModel(),
        clock=FixedClock(dt.datetime(2026, 3, 3, 11, 35, tzinfo=dt.UTC)),  # 06:35 Toronto
        plugins=load_plugins(extra=[Stretch()]),
    )
    app.storage.put_athlete(sample_athlete("ada", chat_user_id=""))
    handler.set_app(app)
    return recording


def test_an_operators_run_event_runs_the_plugin_job(chat: RecordingChat) -> None:
    event = {"momentum": "run", "job": "stretch", "athlete_id": "ada", "date": "2026-03-03"}
    handler.handler(event, None)
    assert [m.text for m in chat.messages] == ["stretch 2026-03-03"]


def test_the_tick_runs_the_plugin_job_once(chat: RecordingChat, aws: LocalAws) -> None:
    tick = {"momentum": "tick", "job": "*", "at": "2026-03-03T11:35:00+00:00"}
    handler.handler(tick, None)
    handler.handler(tick, None)  # a redelivered tick fires nothing twice
    aws.fake_lambda.drain()  # the runs a fanning-out tick deferred (none when it runs inline)
    stretches = [m.text for m in chat.messages if m.text.startswith("stretch")]
    assert stretches == ["stretch 2026-03-03"]  # beside the running domain's 6 am check-in
