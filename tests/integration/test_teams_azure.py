"""Teams on the Azure Functions adapter, on Azurite: an activity arrives at the HTTP
trigger, the JWT is checked, typing goes out before the 200, and the queue-triggered second
half sends the coach's answer; a redelivery defers nothing new. ``MOMENTUM_CHAT=teams``
picks the Teams chat through core's chat choice.

Stand-ins: Azurite (Table, Queue, Blob Storage) and the fake Bot Framework over TLS.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.azure import function_app
from momentum.adapters.azure.bootstrap import build_azure_app
from momentum.adapters.teams.references import load_reference
from momentum.core.app import App
from momentum.core.memory import ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.plugins.host import load_plugins
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.model import Completion, CompletionRequest
from tests.integration.azure_stack import LocalAzure, azure_functions, local_azure, registered

fake_teams = pytest.importorskip("tests.fakes.fake_teams", reason="the Teams fake is not here")

pytestmark = [pytest.mark.integration, pytest.mark.azure, pytest.mark.teams]
func = azure_functions
USER = "29:1adam-on-azure"
DM = fake_teams.dm_conversation(USER)
WORDS = "Easy does it today: thirty minutes, conversational."


def scripted(request: CompletionRequest) -> Completion:
    return Completion(text=WORDS, model="scripted", provider="test")


@pytest.fixture
def azure() -> Iterator[LocalAzure]:
    with local_azure() as stack:
        yield stack


@pytest.fixture
def fake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    folder = tmp_path / "teams"
    folder.mkdir()
    with fake_teams.FakeBotFramework(folder) as server:
        server.trust(monkeypatch)
        yield server


@pytest.fixture
def app(
    azure: LocalAzure, fake: Any, tmp_path: Path, clock: FixedClock, athlete: AthleteProfile
) -> App:
    (tmp_path / "momentum.toml").write_text(fake.settings_toml(), encoding="utf-8")
    settings = {"MOMENTUM_CHAT": "teams", "TEAMS_APP_PASSWORD": fake_teams.APP_PASSWORD}
    built = build_azure_app(
        {**azure.env(tmp_path), **settings},
        model=ScriptedModel(respond=scripted),
        clock=clock,
        plugins=load_plugins(),
    )
    built.storage.put_athlete(dataclasses.replace(athlete, chat_user_id=USER))
    function_app.set_app(built)
    return built


def call(fake: Any, clock: FixedClock, activity: dict[str, Any], **token: Any) -> Any:
    body = json.dumps(activity).encode()
    request = func.HttpRequest(
        "POST",
        "https://momentum.azurewebsites.net/api/messages",
        headers=fake.headers(now=clock.now().timestamp(), **token),
        params={},
        route_params={"path": "api/messages"},
        body=body,
    )
    return registered(function_app.app, "http")(request)


def test_a_message_is_acked_after_typing_and_answered_from_the_queue(
    app: App, azure: LocalAzure, fake: Any, clock: FixedClock
) -> None:
    assert type(app.chat).__name__ == "TeamsChat"
    activity = fake.message(USER, "Legs are tired. Rest?", "az-1")
    assert call(fake, clock, activity).status_code == 200
    assert [s.type for s in fake.sent] == ["typing"]
    [envelope] = azure.waiting()
    assert envelope["momentum"] == "deferred"
    assert call(fake, clock, activity).status_code == 200
    assert len(azure.waiting()) == 1  # the redelivery deferred nothing new
    assert azure.drain() == 1 and azure.failures == []
    [answer] = fake.in_conversation(DM)
    assert answer.text == WORDS


def test_install_then_a_proactive_check_in_and_a_forged_token_refused(
    app: App, azure: LocalAzure, fake: Any, clock: FixedClock
) -> None:
    assert call(fake, clock, fake.installation(USER, "add")).status_code == 200
    assert load_reference(app.storage, "adam") is not None  # in Table Storage
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    assert [WORDS in s.text for s in fake.in_conversation(DM)] == [True]
    forged = call(fake, clock, fake.message(USER, "hi", "az-2"), audience="another-bot")
    assert forged.status_code == 401 and azure.waiting() == []
