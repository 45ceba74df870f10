"""Teams through ``momentum serve`` on loopback: the real waitress server and local
scheduler (its fast lane sends typing right after the ack), SQLite storage, the coach with
a scripted model, and the fake Bot Framework over TLS.

1. The app is installed: the reference lands in SQLite, nothing is said.
2. The athlete writes: 200 at once, then typing, then the answer; a redelivery of the same
   activity gets nothing more.
3. The 6 am check-in goes out as a proactive DM, with its Adaptive Card.
4. A forged token is refused with 401 by the server itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from momentum.adapters.local.bootstrap import close_app, open_app
from momentum.adapters.local.server import chat_for, serve
from momentum.adapters.teams.chat import TeamsChat
from momentum.adapters.teams.references import load_reference
from momentum.core.config import load_settings
from momentum.core.memory import ScriptedModel
from momentum.core.model import AthleteProfile
from momentum.core.ports.model import Completion, CompletionRequest

fake_teams = pytest.importorskip("tests.fakes.fake_teams", reason="the Teams fake is not here")

pytestmark = [pytest.mark.integration, pytest.mark.teams]
USER = "29:1adam-local"
DM = fake_teams.dm_conversation(USER)


def scripted(request: CompletionRequest) -> Completion:
    said = request.messages[-1].content if request.messages else ""
    return Completion(text=f"Noted. ({len(said)} characters read)", model="s", provider="test")


def _noon_zone() -> str:
    """A zone where it is about noon now, so the real-time scheduler fires no job."""
    offset = (12 - dt.datetime.now(dt.UTC).hour + 11) % 24 - 11
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def _wait(predicate: Any, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def world(
    tmp_path: Path, athlete: AthleteProfile, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Any, Any, str]]:
    folder = tmp_path / "teams"
    folder.mkdir()
    with fake_teams.FakeBotFramework(folder) as fake:
        fake.trust(monkeypatch)
        monkeypatch.setenv("TEAMS_APP_PASSWORD", fake_teams.APP_PASSWORD)
        home = tmp_path / "coach"
        home.mkdir()
        (home / "momentum.toml").write_text(
            'athlete_id = "adam"\nchat = "teams"\n\n' + fake.settings_toml(), encoding="utf-8"
        )
        chat = chat_for(load_settings(home), socket_mode=False)  # what `momentum serve` does
        assert isinstance(chat, TeamsChat)
        app = open_app(home, chat=chat, model=ScriptedModel(respond=scripted))
        app.storage.put_athlete(
            dataclasses.replace(athlete, chat_user_id=USER, timezone=_noon_zone())
        )
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
            yield app, fake, urls[0]
        finally:
            stop.set()
            thread.join(30)
            close_app(app)


def _post(url: str, fake: Any, activity: dict[str, Any], **token: Any) -> int:
    status, _ = fake_teams.post(
        f"{url}/api/messages", json.dumps(activity).encode(), fake.headers(**token)
    )
    return status


def test_install_chat_and_a_proactive_check_in_through_momentum_serve(world: Any) -> None:
    app, fake, url = world

    # 1. installed: the reference is stored, nothing is said
    assert _post(url, fake, fake.installation(USER, "add")) == 200
    assert _wait(lambda: load_reference(app.storage, "adam") is not None)
    assert fake.sent == []

    # 2. a message: ack, typing on the fast lane, then the answer; a redelivery adds nothing
    activity = fake.message(USER, "legs are tired today", "serve-1")
    assert _post(url, fake, activity) == 200
    assert _wait(lambda: len(fake.in_conversation(DM)) == 1)
    assert [s.type for s in fake.sent] == ["typing", "message"]
    assert fake.in_conversation(DM)[0].text.startswith("Noted.")
    assert _post(url, fake, activity) == 200
    time.sleep(0.5)
    assert len(fake.in_conversation(DM)) == 1
    assert app.storage.get_message("adam", "chat:serve-1") is not None

    # 3. the 6 am check-in, proactively
    app.run_job("checkin", "adam", dt.date(2026, 3, 3))
    assert _wait(lambda: len(fake.in_conversation(DM)) == 2)
    checkin = fake.in_conversation(DM)[-1]
    assert checkin.cards and checkin.cards[0]["fallbackText"] == checkin.text

    # 4. a forged token never reaches the coach
    forged = fake.message(USER, "hi", "serve-2")
    assert _post(url, fake, forged, key=fake_teams.new_key()) == 401
    assert app.storage.get_message("adam", "chat:serve-2") is None
