"""Slack's own set-up order, and Slack being down, never cost an ack.

- With only the signing secret set (Slack's deploy guide order: the Events URL is verified
  before the app is installed, so before a bot token exists) ``/slack/events`` is mounted
  and answers ``url_verification`` with no call to Slack.
- No request calls ``auth.test``.
- With Slack's Web API a black hole, a burst of events is still acked within Slack's 3
  seconds and the server's threads stay bounded (``benchmarks/slack_unreachable.py`` is
  the 1,000-event version).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.slack_unreachable import BlackHole
from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.server import serve
from momentum.core.model import AthleteProfile
from tests.fakes.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    dm_event,
    event_callback,
    signed_headers,
)
from tests.fakes.fake_strava import VERIFY_TOKEN

ROOT = Path(__file__).resolve().parents[2]


class Serving:
    """``serve`` on a thread for a home; ``url`` once it is up."""

    def __init__(self, home: Path) -> None:
        self.app = open_app(home)
        self.stop = threading.Event()
        self.lines: list[str] = []
        self.thread = threading.Thread(
            target=serve,
            kwargs={"app": self.app, "port": 0, "stop": self.stop, "announce": self.lines.append},
            daemon=True,
        )

    def __enter__(self) -> Serving:
        self.thread.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if found := re.search(r"http://127\.0\.0\.1:\d+", "\n".join(self.lines)):
                self.url = found.group(0)
                return self
            time.sleep(0.02)
        raise AssertionError(f"serve did not start: {self.lines}")

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join(30)
        close_app(self.app)


def post(url: str, body: bytes, headers: dict[str, str], timeout: float = 3.0) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def make_home(tmp_path: Path, slack_url: str) -> Path:
    home = tmp_path / "coach"
    home.mkdir(mode=0o700)
    (home / "momentum.toml").write_text(
        f'athlete_id = "adam"\n\n[slack]\nbase_url = "{slack_url}"\n', encoding="utf-8"
    )
    (home / "momentum.toml").chmod(0o600)
    app = open_app(home)
    try:
        for i in range(20):
            app.storage.put_athlete(
                AthleteProfile(
                    "adam" if i == 0 else f"a{i}",
                    "Adam",
                    "America/Toronto",
                    chat_user_id=f"U{i:04d}",
                )
            )
    finally:
        close_app(app)
    return home


def test_url_verification_works_before_the_bot_token_exists(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    with FakeSlack() as slack:
        home = make_home(tmp_path, slack.api_url)
        with Serving(home) as running:
            body = json.dumps({"type": "url_verification", "challenge": "3eZbrw1aBm2r"}).encode()
            now = int(time.time())
            status, answer = post(f"{running.url}/slack/events", body, signed_headers(body, now))
            assert status == 200 and json.loads(answer) == {"challenge": "3eZbrw1aBm2r"}
            # unsigned or forged: refused, still without a call to Slack
            forged = {**signed_headers(body, now), "X-Slack-Signature": "v0=" + "0" * 64}
            assert post(f"{running.url}/slack/events", body, forged)[0] == 401
            # an event before the bot token exists: a clear 503, not a 500
            event = json.dumps(event_callback(dm_event("U0000", "hi", "1.1"), "Ev1", now)).encode()
            status, text = post(f"{running.url}/slack/events", event, signed_headers(event, now))
            assert status == 503 and b"bot token" in text
        assert slack.calls == []


def test_events_never_call_auth_test(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    with FakeSlack() as slack:
        home = make_home(tmp_path, slack.api_url)
        with Serving(home) as running:
            now = int(time.time())
            event = json.dumps(event_callback(dm_event("U0000", "hi", "1.1"), "Ev1", now)).encode()
            assert post(f"{running.url}/slack/events", event, signed_headers(event, now))[0] == 200
            assert slack.wait_for(lambda fake: any(c[0] == "chat.postMessage" for c in fake.calls))
        assert "auth.test" not in [call[0] for call in slack.calls]


def test_with_slack_unreachable_acks_stay_fast_and_threads_bounded(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    hole = BlackHole()
    try:
        home = make_home(tmp_path, hole.url)
        with Serving(home) as running:
            before = threading.active_count()

            def one(n: int) -> tuple[int, float]:
                now = int(time.time())
                user = f"U{n % 20:04d}"
                event = dm_event(user, f"run {n}", f"{now}.{n:06d}")
                body = json.dumps(event_callback(event, f"Ev{n}", now)).encode()
                started = time.perf_counter()
                try:
                    status = post(f"{running.url}/slack/events", body, signed_headers(body, now))[0]
                except OSError:
                    status = 0
                return status, time.perf_counter() - started

            with ThreadPoolExecutor(20) as pool:
                results = list(pool.map(one, range(200)))
            statuses = [s for s, _ in results]
            assert statuses.count(200) == 200, statuses
            assert max(t for _, t in results) < 3.0
            assert threading.active_count() - before < 40
    finally:
        hole.close()


@pytest.mark.shows_secrets
def test_serve_verbose_never_logs_the_verify_token(tmp_path) -> None:
    """``serve -v`` logs every request, but the path only: Strava's challenge carries the
    verify token in its query string. (Marked: this test reads the token back itself.)"""
    home = tmp_path / "coach"
    home.mkdir(mode=0o700)
    (home / "momentum.toml").touch(mode=0o600)
    env = {**os.environ, "STRAVA_VERIFY_TOKEN": VERIFY_TOKEN, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home)]
    process = subprocess.Popen(
        [*command, "serve", "-v", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = ""
        deadline = time.monotonic() + 30
        while not url and time.monotonic() < deadline:
            if found := re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline()):
                url = found.group(0)
        assert url, "serve did not start"
        query = f"hub.mode=subscribe&hub.challenge=abc&hub.verify_token={VERIFY_TOKEN}"
        with urllib.request.urlopen(f"{url}/strava/webhook?{query}", timeout=5) as response:
            assert json.loads(response.read()) == {"hub.challenge": "abc"}
    finally:
        process.terminate()
        out, err = process.communicate(timeout=30)
    assert "/strava/webhook" in err  # the request was logged …
    assert VERIFY_TOKEN not in out + err  # … without its token
