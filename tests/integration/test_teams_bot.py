"""The Teams adapter against a fake Bot Framework on loopback (real PyJWT, MSAL and the
Teams SDK's connector client): tokens, bad activities, chat turns, install and uninstall,
proactive check-ins, redeliveries, strangers.

The app runs on in-memory ports with the Teams chat the plugin builds; deferred work is
drained by the in-memory scheduler (no fast lane, as on a FaaS target: typing goes out
before the ack).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.teams.constants import MESSAGES_PATH, PROVIDER
from momentum.adapters.teams.plugin import build_chat
from momentum.adapters.teams.references import load_reference
from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import Settings
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.memory import InMemoryScheduler, InMemoryStorage, ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest, ToolCall

fake_teams = pytest.importorskip("tests.fakes.fake_teams", reason="the Teams fake is not here")

pytestmark = [pytest.mark.integration, pytest.mark.teams]
USER = "29:1adam-teams-user"
STRANGER = "29:1someone-else"
WORDS = "Noted: easy thirty today, keep it conversational."


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with fake_teams.FakeBotFramework(tmp_path) as server:
        server.trust(monkeypatch)
        yield server


def teams_app(fake: Any, clock: FixedClock, athlete: AthleteProfile, model: Any = None) -> App:
    """An app whose chat is Teams, configured for the fake, the athlete known by USER."""
    settings = Settings(
        sections={
            "teams": {
                "app_id": fake_teams.APP_ID,
                "tenant_id": fake_teams.TENANT_ID,
                "openid_metadata_url": fake.openid_url,
                "login_endpoint": fake.url,
            }
        },
        env={"TEAMS_APP_PASSWORD": fake_teams.APP_PASSWORD},
    )
    storage = InMemoryStorage()
    storage.put_athlete(dataclasses.replace(athlete, chat_user_id=USER))
    app = build_app(
        settings,
        storage=storage,
        scheduler=InMemoryScheduler(),
        chat=build_chat(settings),
        model=model or ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.runner = app.run_deferred
    return app


@pytest.fixture
def app(fake: Any, clock: FixedClock, athlete: AthleteProfile) -> App:
    return teams_app(fake, clock, athlete)


def deliver(app: App, fake: Any, activity: dict[str, Any] | bytes, **token: Any) -> HttpResponse:
    """POST an activity to /api/messages as the Connector would, then drain deferred work."""
    body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
    token.setdefault("now", app.clock.now().timestamp())
    headers = fake.headers(**token)
    response = app.handle_http(HttpRequest("POST", MESSAGES_PATH, headers, body=body))
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.run_pending()
    return response


def install(app: App, fake: Any, user: str = USER) -> None:
    assert deliver(app, fake, fake.installation(user, "add")).status == 200


DM = fake_teams.dm_conversation(USER)


# -- authentication --------------------------------------------------------------------------
def test_a_valid_token_is_accepted(app: App, fake: Any) -> None:
    assert deliver(app, fake, fake.message(USER, "hi", "m1")).status == 200
    assert [s.text for s in fake.in_conversation(DM)] == [WORDS]


@pytest.mark.parametrize(
    ("case", "token"),
    [
        ("forged", {"key": "other"}),
        ("expired", {"expires_in": -3600}),
        ("wrong audience", {"audience": "someone-elses-bot"}),
        ("wrong issuer", {"issuer": "https://evil.example"}),
        ("other service", {"service_url": "https://evil.example/teams/"}),
        ("not yet valid", {"now_shift": 3600}),
    ],
)
def test_a_bad_token_gets_401_and_nothing_happens(
    app: App, fake: Any, case: str, token: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    claims = dict(token)
    if claims.pop("key", None) == "other":
        claims["key"] = fake_teams.new_key()
    now = app.clock.now().timestamp() + claims.pop("now_shift", 0)
    caplog.set_level(logging.DEBUG)
    raw = fake.token(now=now, **claims)
    response = deliver(app, fake, fake.message(USER, "hi", "m1"), token=raw)
    assert response.status == 401, case
    assert fake.sent == []
    assert app.storage.get_token("adam", PROVIDER) is None
    assert raw not in caplog.text and raw.split(".")[2] not in caplog.text
    # Not claimed either: the same activity with a good token is answered.
    assert deliver(app, fake, fake.message(USER, "hi", "m1")).status == 200
    assert len(fake.in_conversation(DM)) == 1


def test_a_missing_or_non_bearer_authorization_gets_401(app: App, fake: Any) -> None:
    body = json.dumps(fake.message(USER, "hi", "m1")).encode()
    for headers in ({}, {"Authorization": "Basic abc"}, {"Authorization": "Bearer not.a.jwt"}):
        response = app.handle_http(HttpRequest("POST", MESSAGES_PATH, headers, body=body))
        assert response.status == 401
    assert fake.sent == []


def test_keys_come_from_the_openid_metadata(app: App, fake: Any) -> None:
    deliver(app, fake, fake.message(USER, "hi", "m1"))
    gets = [path for method, path in fake.requests if method == "GET"]
    assert gets[:2] == ["/v1/.well-known/openidconfiguration", "/v1/.well-known/keys"]


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (lambda a: b"{not json", "not JSON"),
        (lambda a: b"[1, 2]", "not a JSON object"),
        (lambda a: {**a, "conversation": None}, "conversation"),
        (lambda a: {**a, "from": {"name": "no id"}}, "from.id"),
        (lambda a: {**a, "serviceUrl": "ftp://x"}, "serviceUrl"),
        (lambda a: {**a, "type": 7}, "type"),
        (lambda a: {**a, "text": ["list"]}, "text"),
        (lambda a: {k: v for k, v in a.items() if k != "id"}, "id"),
    ],
)
def test_a_malformed_activity_gets_400_naming_the_field_and_stores_nothing(
    app: App, fake: Any, mutate: Any, named: str
) -> None:
    activity = fake.message(USER, "hi", "m1")
    bad = mutate(activity)
    response = deliver(app, fake, bad)
    assert response.status == 400
    assert named in response.body.decode()
    assert fake.sent == []
    assert app.storage.get_token("adam", PROVIDER) is None
    assert app.storage.get_message("adam", "chat:m1") is None


def test_get_is_refused(app: App) -> None:
    assert app.handle_http(HttpRequest("GET", MESSAGES_PATH)).status == 405


# -- chat -----------------------------------------------------------------------------------------
def test_a_chat_turn_with_tool_calls_shows_typing_then_the_answer(
    fake: Any, clock: FixedClock, athlete: AthleteProfile
) -> None:
    model = ScriptedModel(
        [
            Completion(
                "",
                model="scripted",
                provider="test",
                tool_calls=(
                    ToolCall(
                        "log_activity",
                        {"activity_type": "strength", "duration": 60, "intensity": "hard"},
                        "c1",
                    ),
                ),
            ),
            Completion("Logged. Easy on the legs tomorrow.", model="scripted", provider="test"),
        ]
    )
    app = teams_app(fake, clock, athlete, model=model)
    activity = fake.message(USER, "did 60 min strength, totally gassed", "m-tools")
    assert deliver(app, fake, activity).status == 200
    kinds = [s.type for s in fake.sent]
    assert kinds == ["typing", "message"]
    [answer] = fake.in_conversation(DM)
    assert answer.text == "Logged. Easy on the legs tomorrow."
    assert answer.cards and answer.cards[0]["type"] == "AdaptiveCard"
    assert [r.purpose for r in model.requests] == ["chat", "chat_reply"]
    logged = app.storage.list_activities(
        "adam", clock.now() - dt.timedelta(days=2), clock.now() + dt.timedelta(days=1)
    )
    assert [round(a.elapsed_time_seconds / 60) for a in logged] == [60], logged
    stored = app.storage.get_message("adam", "chat:m-tools")
    assert stored is not None and stored.text == answer.text


def test_a_redelivered_activity_gets_one_reply(app: App, fake: Any) -> None:
    activity = fake.message(USER, "legs are heavy", "m-dup")
    assert deliver(app, fake, activity).status == 200
    assert deliver(app, fake, activity).status == 200
    assert len(fake.in_conversation(DM)) == 1
    assert len(fake.in_conversation(DM, "typing")) == 1
    assert isinstance(app.model, ScriptedModel)
    assert len([r for r in app.model.requests if r.purpose == "chat"]) == 1


def test_a_failed_answer_apologises_and_a_redelivery_is_answered(app: App, fake: Any) -> None:
    fake.failures["message"] = 1
    activity = fake.message(USER, "legs are heavy", "m-fail")
    assert deliver(app, fake, activity).status == 200
    assert [s.text for s in fake.in_conversation(DM)] == [
        "Sorry, something went wrong on my side and I couldn't finish that. "
        "Please try again in a minute."
    ]
    assert deliver(app, fake, activity).status == 200  # the claim was released
    assert fake.in_conversation(DM)[-1].text == WORDS


def test_a_stranger_is_answered_politely_and_nothing_is_kept(app: App, fake: Any) -> None:
    before = app.storage.list_athletes()
    assert deliver(app, fake, fake.message(STRANGER, "hello?", "m-s")).status == 200
    [reply] = fake.in_conversation(fake_teams.dm_conversation(STRANGER))
    assert "only coach the athletes I was set up for" in reply.text and STRANGER in reply.text
    assert app.storage.list_athletes() == before
    assert app.storage.find_identity(PROVIDER, STRANGER) is None
    assert deliver(app, fake, fake.installation(STRANGER, "add")).status == 200
    assert app.storage.find_identity(PROVIDER, STRANGER) is None


def test_week_shows_the_weekly_card(app: App, fake: Any) -> None:
    deliver(app, fake, fake.message(USER, "week", "m-week"))
    [answer] = fake.in_conversation(DM)
    assert answer.text.startswith("Week of Mar 2–8")
    [card] = answer.cards
    assert card["body"][1]["text"].startswith("Aerobic:")
    assert card["fallbackText"] == answer.text


# -- install, proactive messages, uninstall ----------------------------------------------------
def test_install_stores_the_reference_and_the_check_in_arrives_as_a_dm(app: App, fake: Any) -> None:
    install(app, fake)
    reference = load_reference(app.storage, "adam")
    assert reference is not None
    assert reference.conversation_id == DM and reference.service_url == fake.service_url
    assert fake.sent == []  # an install is stored, not answered
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    [checkin] = fake.in_conversation(DM)
    assert WORDS in checkin.text
    [card] = checkin.cards
    assert card["fallbackText"] == checkin.text
    stored = app.storage.get_message("adam", "checkin:2026-03-03")
    assert stored is not None and stored.ref == f"{DM}/{checkin.activity_id}"


def test_a_redelivered_install_changes_nothing(app: App, fake: Any) -> None:
    install(app, fake)
    first = app.storage.get_token("adam", PROVIDER)
    install(app, fake)
    assert app.storage.get_token("adam", PROVIDER) == first


def test_conversation_update_adding_the_bot_is_an_install(app: App, fake: Any) -> None:
    deliver(app, fake, fake.conversation_update(USER))
    assert load_reference(app.storage, "adam") is not None
    deliver(app, fake, fake.conversation_update(USER, added=False))
    assert load_reference(app.storage, "adam") is None


def test_a_user_who_uninstalled_gets_nothing(app: App, fake: Any) -> None:
    install(app, fake)
    assert deliver(app, fake, fake.installation(USER, "remove")).status == 200
    assert load_reference(app.storage, "adam") is None
    assert app.storage.find_identity(PROVIDER, USER) is None
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    app.run_job("monday_plan", "adam", dt.date(2026, 3, 2))
    assert fake.in_conversation(DM) == []


def test_the_monday_plan_and_a_review_arrive_as_dms(app: App, fake: Any) -> None:
    install(app, fake)
    app.run_job("monday_plan", "adam", dt.date(2026, 3, 2))
    assert len(fake.in_conversation(DM)) == 1
    assert app.storage.get_message("adam", "monday_plan:2026-03-02") is not None


def test_no_secret_or_token_reaches_a_log_line(
    app: App, fake: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every library's debug lines too (MSAL, httpx)
    token = fake.token(now=app.clock.now().timestamp())
    install(app, fake)
    body = json.dumps(fake.message(USER, "legs are heavy", "m-log")).encode()
    headers = fake.headers(token=token)
    assert app.handle_http(HttpRequest("POST", MESSAGES_PATH, headers, body=body)).status == 200
    assert isinstance(app.scheduler, InMemoryScheduler)
    app.scheduler.run_pending()
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    assert len(fake.in_conversation(DM)) == 2
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    assert fake_teams.APP_PASSWORD not in logged
    assert token not in logged and token.split(".")[2] not in logged
    issued = fake._issued
    assert issued and not any(bot_token in logged for bot_token in issued)


def test_a_post_run_review_arrives_as_a_dm_with_its_card(app: App, fake: Any) -> None:
    from momentum.core.model import Activity

    install(app, fake)
    run = Activity(
        activity_id="run-1",
        athlete_id="adam",
        activity_type="Run",
        start=app.clock.now() - dt.timedelta(hours=2),
        name="Easy loop",
        source="strava",
        distance_meters=6000.0,
        moving_time_seconds=2100.0,
        elapsed_time_seconds=2200.0,
    )
    app.storage.put_activity(run)
    app.coach.on_activity("adam", "run-1")  # what a synced run does: review, then deliver
    [review] = fake.in_conversation(DM)
    assert WORDS in review.text and review.cards
    stored = app.storage.get_message("adam", "review:run-1")
    assert stored is not None and stored.ref == f"{DM}/{review.activity_id}"
