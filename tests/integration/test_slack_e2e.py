"""The whole loop as ``momentum serve`` runs it, on loopback: the local HTTP server and
scheduler (``momentum.adapters.local.server.serve``), SQLite storage, the real coach engine with a
scripted model, the Slack adapter talking to a fake Slack, the Strava plugin talking to a
fake Strava over TLS.

1. The athlete DMs the coach: signed POST → "Thinking…" → the deferred reply → updated.
2. A run syncs: Strava's webhook → fetch, build, store → the coach's review arrives by DM.
3. The athlete answers in the review's thread: the reply knows which run it is about.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time

import pytest

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.server import serve
from momentum.adapters.slack.chat import SlackChat
from momentum.adapters.slack.constants import THINKING
from momentum.core.memory import ScriptedModel
from momentum.core.ports.model import Completion, CompletionRequest
from tests.fakes.fake_slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    dm_event,
    event_callback,
    post,
    signed_headers,
    slack_settings,
)
from tests.fakes.fake_strava import (
    CLIENT_ID,
    CLIENT_SECRET,
    OWNER_ID,
    SUBSCRIPTION_ID,
    VERIFY_TOKEN,
    FakeStrava,
    connect_athlete,
    synthetic_run,
)

pytestmark = pytest.mark.integration
USER = "U123ADAM"


def scripted(request: CompletionRequest) -> Completion:
    said = request.messages[-1].content if request.messages else ""
    if request.purpose == "review":
        text = "Steady treadmill work: Z2 held the whole way. What made starting easy?"
    else:
        text = f"Noted. ({len(said)} characters read)"
    return Completion(text=text, model="scripted", provider="test")


@pytest.fixture
def world(tmp_path, athlete, monkeypatch):
    with FakeSlack() as slack, FakeStrava(tmp_path) as strava:
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(strava.cert_path))
        monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
        monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("STRAVA_CLIENT_SECRET", CLIENT_SECRET)
        home = tmp_path / "coach"
        home.mkdir()
        (home / "momentum.toml").write_text(
            'athlete_id = "adam"\nchat = "slack"\n\n'
            f'[slack]\nbase_url = "{slack.api_url}"\n\n'
            f'[strava]\nclient_id = "{CLIENT_ID}"\nbase_url = "{strava.base_url}"\n'
            f'verify_token = "{VERIFY_TOKEN}"\nsubscription_id = "{SUBSCRIPTION_ID}"\n',
            encoding="utf-8",
        )
        chat = SlackChat.from_settings(slack_settings(slack).sections["slack"])
        app = open_app(home, chat=chat, model=ScriptedModel(respond=scripted))
        app.storage.put_athlete(
            dataclasses.replace(athlete, chat_user_id=USER, timezone=_noon_zone())
        )
        connect_athlete(app, strava, "adam")
        urls: list[str] = []
        started = threading.Event()
        stop = threading.Event()

        def announce(line: str) -> None:
            if line.startswith("momentum: serving on "):
                urls.append(line.split()[3])
                started.set()

        thread = threading.Thread(
            target=serve,
            kwargs={"app": app, "port": 0, "stop": stop, "announce": announce},
            daemon=True,
        )
        thread.start()
        assert started.wait(20), "momentum serve did not start"
        try:
            yield app, slack, strava, urls[0]
        finally:
            stop.set()
            thread.join(30)
            close_app(app)


def _noon_zone() -> str:
    """A zone where it is about noon now, so the real-time scheduler that ``serve``
    starts fires no 6 am check-in or 9 pm refresh into the DMs this test counts."""
    offset = (12 - dt.datetime.now(dt.UTC).hour + 11) % 24 - 11  # -11 .. +12 hours
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def _wait(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _replies(app, slack, dm):
    """The coach's DMs other than the scheduled jobs' (``momentum serve`` catches up the
    day's check-in when the test runs after 6 am in the athlete's time zone)."""
    jobs = {
        m.ref
        for m in app.storage.list_messages(
            "adam", dt.datetime(2000, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
        )
        if m.kind.value in ("checkin", "monday_plan", "weekly_review")
    }
    return [m for m in slack.in_channel(dm) if f"{dm}/{m.ts}" not in jobs]


def test_chat_and_a_synced_run_end_to_end(world):
    app, slack, strava, url = world
    dm = slack.dm_channel(USER)

    # 1. a DM, answered through "Thinking…"
    now = int(time.time())
    body = json.dumps(event_callback(dm_event(USER, "legs are tired today", "1.1"), "EvE1", now))
    status, _ = post(f"{url}/slack/events", body.encode(), signed_headers(body.encode(), now))
    assert status == 200

    # Wait for the exact state: the message that was "Thinking…" now holds the answer. (The
    # scheduler's first tick may DM a scheduled message meanwhile, depending on the hour.)
    def answered() -> list:
        return [m for m in slack.in_channel(dm) if m.history == [THINKING]]

    assert _wait(lambda: len(answered()) == 1 and answered()[0].text != THINKING)
    [answer] = answered()
    assert answer.history == [THINKING]
    assert answer.text.startswith("Noted.")
    stored = app.storage.get_message("adam", "chat:EvE1")
    assert stored is not None and stored.text == answer.text

    # 2. a run syncs on Strava and the webhook fires
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    strava.add_activity(
        OWNER_ID,
        4242001,
        name="Treadmill Z2",
        sport_type="Run",
        start=start,
        streams=synthetic_run(40),
        trainer=True,
    )
    event = FakeStrava.event("activity", "create", 4242001, OWNER_ID, SUBSCRIPTION_ID)
    status, _ = post(
        f"{url}/strava/webhook", json.dumps(event).encode(), {"Content-Type": "application/json"}
    )
    assert status == 200

    def reviews() -> list:
        return [m for m in slack.in_channel(dm) if "Steady treadmill work" in m.text]

    assert _wait(lambda: len(reviews()) == 1), slack.calls
    [review] = reviews()
    assert "Steady treadmill work" in review.text
    quick = review.blocks[-1]  # coach DMs carry "This week" / "Plan" buttons
    assert quick["type"] == "actions" and len(quick["elements"]) == 2
    activity = app.storage.get_activity("adam", "4242001")
    assert activity is not None and activity.is_indoor and activity.source == "strava"
    # The coach records where the review went right after Slack answers the post.
    assert _wait(lambda: getattr(app.storage.get_message("adam", "review:4242001"), "ref", ""))
    stored_review = app.storage.get_message("adam", "review:4242001")
    assert stored_review is not None and stored_review.ref == f"{dm}/{review.ts}"

    # 3. a reply in the review's thread is about that run
    body = json.dumps(
        event_callback(dm_event(USER, "that felt easy", "3.1", thread_ts=review.ts), "EvE3", now)
    )
    post(f"{url}/slack/events", body.encode(), signed_headers(body.encode(), now))
    assert _wait(lambda: any(m.thread_ts == review.ts and m.history for m in slack.messages))
    athlete_note = app.storage.get_message("adam", "athlete:EvE3")
    assert athlete_note is not None
    assert isinstance(app.model, ScriptedModel)
    last_chat = [r for r in app.model.requests if r.purpose == "chat"][-1]
    assert any("4242001" in m.content for m in last_chat.messages)  # the run in context
    # nothing went to a channel, ever
    assert all(m.channel.startswith("D") for m in slack.messages)
