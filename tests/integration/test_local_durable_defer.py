"""Crash recovery: ``momentum serve`` killed with SIGKILL mid-batch loses no acked Slack
event and answers none twice.

A real ``momentum serve`` subprocess (SQLite home, the Slack adapter, the offline model)
talks to the fake Slack server in this process, which answers every Web API call slowly so
the batch is still being worked on when the process is killed. Every event the server
acked (HTTP 200) was written to ``deferred_jobs`` before the ack; a second ``serve`` on
the same home resumes the dead process's jobs at start.

What the restart must cope with (each has a focused test in
``tests/unit/test_scheduler_resume.py``): a reply job killed while the coach was writing
holds the lease on that reply (``once``), which the resumed job takes back at once
instead of waiting five minutes and answering with an apology; and a "Thinking…" job
killed after handing over to its reply job does not hand over a second time (which would
answer the event twice).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.slack.constants import APOLOGY, THINKING
from momentum.core.model import AthleteProfile
from tests.fakes.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    dm_event,
    event_callback,
    post,
    signed_headers,
)

pytestmark = [pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
USER = "U123ADAM"
EVENTS = 24
SERVE = ("serve", "--port", "0")
FAST_WORKERS = 2


def _start(home: Path, log: Path) -> subprocess.Popen[str]:
    """Start ``serve`` on ``home``; its log goes to the file ``log`` (a pipe nobody reads
    while the test waits could fill up and stall the server)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "GROQ_"))}
    env.update(PYTHONPATH=str(ROOT), SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_BOT_TOKEN=BOT_TOKEN)
    with log.open("w", encoding="utf-8") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home), *SERVE],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            cwd=ROOT,
            env=env,
        )


def _url(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if match := re.search(r"http://127\.0\.0\.1:\d+", line):
            return match.group(0)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"serve did not start: {process.communicate()}")


def _send(url: str, index: int) -> int:
    now = int(time.time())
    body = json.dumps(
        event_callback(dm_event(USER, f"question {index}", f"{1000 + index}.1"), f"Ev{index}", now)
    ).encode()
    status, _ = post(f"{url}/slack/events", body, signed_headers(body, now))
    return status


def _wait(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _answered(slack: FakeSlack) -> list[str]:
    return [
        m.text
        for m in slack.in_channel(slack.dm_channel(USER))
        if m.text not in (THINKING, APOLOGY)
    ]


def test_kill_9_mid_batch_loses_no_acked_event_and_answers_none_twice(
    tmp_path: Path, athlete: AthleteProfile
) -> None:
    with FakeSlack(latency=0.25) as slack:
        home = tmp_path / "coach"
        home.mkdir()
        (home / "momentum.toml").write_text(
            f'athlete_id = "adam"\nchat = "slack"\n\n[slack]\nbase_url = "{slack.api_url}"\n',
            encoding="utf-8",
        )
        app = open_app(home)
        app.storage.put_athlete(dataclasses.replace(athlete, chat_user_id=USER, timezone="UTC"))
        close_app(app)

        first = _start(home, tmp_path / "first.log")
        try:
            url = _url(first)
            with ThreadPoolExecutor(8) as pool:
                statuses = list(pool.map(lambda i: _send(url, i), range(EVENTS)))
            acked = statuses.count(200)
            assert acked == EVENTS, statuses
            assert _wait(lambda: len(_answered(slack)) >= 1, 30)
        finally:
            first.kill()  # SIGKILL: no shutdown, no cleanup
            first.communicate(timeout=10)
        answered_before = len(_answered(slack))
        assert answered_before < EVENTS, "the batch finished before the kill; slow it down"

        second = _start(home, tmp_path / "second.log")
        try:
            _url(second)
            assert _wait(lambda: len(_answered(slack)) >= EVENTS, 90), (
                f"{len(_answered(slack))} of {EVENTS} answered; the restarted serve logged:\n"
                + (tmp_path / "second.log").read_text(encoding="utf-8")[-4000:]
            )
            time.sleep(1.0)  # anything answered twice would arrive now
        finally:
            second.terminate()
            second.communicate(timeout=20)
    messages = slack.in_channel(slack.dm_channel(USER))
    assert len(_answered(slack)) == EVENTS  # every acked event answered exactly once
    # Known gap: a "Thinking…" job killed after posting its bubble and before it is
    # marked done runs again and posts another; one of the two stays "Thinking…" (the
    # answer still arrives once). At most one per fast-lane worker is caught mid-job.
    assert [m.text for m in messages].count(THINKING) <= FAST_WORKERS
