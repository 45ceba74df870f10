"""One chat suite, two platforms: the behaviour an athlete relies on, checked on Slack and
on Teams alike, each against its loopback fake with the real SDKs and the real coach
(scripted model), on in-memory ports with no fast lane (a FaaS target's shape).

A platform is a driver with the same few verbs: connect the athlete, say something (as a
delivery the platform could repeat), forge a request, and read what the athlete saw.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Secret, Settings
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest

pytestmark = pytest.mark.integration
WORDS = "Noted: keep today easy and short."


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


def _app(settings: Settings, chat: Any, clock: FixedClock, athlete: AthleteProfile) -> App:
    storage = InMemoryStorage()
    storage.put_athlete(athlete)
    app = build_app(
        settings,
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=chat,
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.runner = app.run_deferred
    return app


class SlackDriver:
    """Slack: DMs as Events API callbacks signed with the signing secret."""

    user, stranger = "U123ADAM", "U999NOBODY"

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fakes = pytest.importorskip("tests.fakes.fake_slack", reason="no Slack fake")
        self.fake = self.fakes.FakeSlack()

    def __enter__(self) -> SlackDriver:
        self.fake.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self.fake.__exit__(*exc)

    def build(self, clock: FixedClock, athlete: AthleteProfile) -> App:
        from momentum.adapters.slack.chat import SlackChat
        from momentum.adapters.slack.settings import SlackSettings

        slack = SlackSettings(
            signing_secret=Secret(self.fakes.SIGNING_SECRET),
            bot_token=Secret(self.fakes.BOT_TOKEN),
            base_url=self.fake.api_url,
        )
        chat = SlackChat.from_settings(slack)
        self.app = _app(Settings(sections={"slack": slack}), chat, clock, athlete)
        return self.app

    def connect(self) -> None:
        """Slack needs no install step: the bot opens the DM itself."""

    def say(self, user: str, text: str, delivery: str, *, again: bool = False) -> HttpResponse:
        now = int(self.app.clock.now().timestamp())
        body = json.dumps(
            self.fakes.event_callback(self.fakes.dm_event(user, text, "1.1"), delivery, now)
        ).encode()
        headers = self.fakes.signed_headers(body, now, retry_num=1 if again else None)
        return self.app.handle_http(HttpRequest("POST", "/slack/events", headers, body=body))

    def forge(self, user: str, text: str, delivery: str) -> HttpResponse:
        now = int(self.app.clock.now().timestamp())
        body = json.dumps(
            self.fakes.event_callback(self.fakes.dm_event(user, text, "1.1"), delivery, now)
        ).encode()
        headers = self.fakes.signed_headers(body, now, secret="not-the-secret")
        return self.app.handle_http(HttpRequest("POST", "/slack/events", headers, body=body))

    def seen(self, user: str) -> list[str]:
        return [m.text for m in self.fake.in_channel(self.fake.dm_channel(user))]


class TeamsDriver:
    """Teams: activities on /api/messages with Bot Framework JWTs; DMs need an install."""

    user, stranger = "29:1adam", "29:1nobody"

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.fakes = pytest.importorskip("tests.fakes.fake_teams", reason="no Teams fake")
        self.fake = self.fakes.FakeBotFramework(tmp_path)
        self.monkeypatch = monkeypatch

    def __enter__(self) -> TeamsDriver:
        self.fake.__enter__()
        self.fake.trust(self.monkeypatch)
        return self

    def __exit__(self, *exc: object) -> None:
        self.fake.__exit__(*exc)

    def build(self, clock: FixedClock, athlete: AthleteProfile) -> App:
        from momentum.adapters.teams.plugin import build_chat

        settings = Settings(
            sections={
                "teams": {
                    "app_id": self.fakes.APP_ID,
                    "tenant_id": self.fakes.TENANT_ID,
                    "openid_metadata_url": self.fake.openid_url,
                    "login_endpoint": self.fake.url,
                }
            },
            env={"TEAMS_APP_PASSWORD": self.fakes.APP_PASSWORD},
        )
        self.app = _app(settings, build_chat(settings), clock, athlete)
        return self.app

    def _post(self, activity: dict[str, Any], **token: Any) -> HttpResponse:
        headers = self.fake.headers(now=self.app.clock.now().timestamp(), **token)
        body = json.dumps(activity).encode()
        return self.app.handle_http(HttpRequest("POST", "/api/messages", headers, body=body))

    def connect(self) -> None:
        assert self._post(self.fake.installation(self.user, "add")).status == 200

    def say(self, user: str, text: str, delivery: str, *, again: bool = False) -> HttpResponse:
        return self._post(self.fake.message(user, text, delivery))

    def forge(self, user: str, text: str, delivery: str) -> HttpResponse:
        return self._post(self.fake.message(user, text, delivery), key=self.fakes.new_key())

    def seen(self, user: str) -> list[str]:
        conversation = self.fakes.dm_conversation(user)
        return [s.text for s in self.fake.in_conversation(conversation)]


@pytest.fixture(
    params=[
        pytest.param(SlackDriver, id="slack"),
        pytest.param(TeamsDriver, id="teams", marks=pytest.mark.teams),
    ]
)
def platform(
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: FixedClock,
    athlete: AthleteProfile,
) -> Iterator[Any]:
    with request.param(tmp_path, monkeypatch) as driver:
        driver.build(clock, dataclasses.replace(athlete, chat_user_id=driver.user))
        driver.connect()
        yield driver


def drain(app: App) -> None:
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.run_pending()


def test_a_dm_gets_the_coach_s_answer_and_the_exchange_is_stored(platform: Any) -> None:
    assert platform.say(platform.user, "legs are tired today", "d-1").status == 200
    drain(platform.app)
    assert platform.seen(platform.user) == [WORDS]
    stored = platform.app.storage.get_message("adam", "chat:d-1")
    assert stored is not None and stored.text == WORDS


def test_a_repeated_delivery_is_answered_once(platform: Any) -> None:
    assert platform.say(platform.user, "legs are tired", "d-2").status == 200
    assert platform.say(platform.user, "legs are tired", "d-2", again=True).status == 200
    drain(platform.app)
    assert platform.seen(platform.user) == [WORDS]
    model = platform.app.model
    assert len([r for r in model.requests if r.purpose == "chat"]) == 1


def test_a_stranger_is_answered_politely_and_nothing_is_kept(platform: Any) -> None:
    before = platform.app.storage.list_athletes()
    assert platform.say(platform.stranger, "hello?", "d-3").status == 200
    drain(platform.app)
    [reply] = platform.seen(platform.stranger)
    assert "only coach the athletes I was set up for" in reply
    assert platform.app.storage.list_athletes() == before
    assert platform.app.storage.get_message("adam", "chat:d-3") is None


def test_a_forged_request_is_refused_and_nothing_answered(platform: Any) -> None:
    assert platform.forge(platform.user, "hi", "d-4").status == 401
    drain(platform.app)
    assert platform.seen(platform.user) == []
    assert platform.app.storage.get_message("adam", "chat:d-4") is None


def test_the_6am_check_in_reaches_the_athlete_s_dm(platform: Any) -> None:
    platform.app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    [checkin] = platform.seen(platform.user)
    assert WORDS in checkin
