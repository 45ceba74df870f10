"""open_app wires the local ports from a home folder."""

from __future__ import annotations

import importlib.util
import threading
from pathlib import Path

import pytest

from momentum.adapters.local.bootstrap import close_app, local_app, open_app
from momentum.adapters.local.console_chat import ConsoleChat
from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.errors import ConfigError
from momentum.core.memory import RecordingChat, ScriptedModel
from momentum.core.ports.clock import FixedClock
from momentum.core.ports.scheduler import DeferredJob
from tests.contract import records as r


def test_open_app_creates_home_and_wires_local_ports(tmp_path: Path, clock: FixedClock) -> None:
    home = tmp_path / "coach"
    chat, model = RecordingChat(), ScriptedModel()
    app = open_app(home, chat=chat, model=model, clock=clock)
    try:
        assert home.is_dir() and (home / "momentum.db").exists()
        assert isinstance(app.storage, SqliteStorage)
        assert app.storage.path == home / "momentum.db"
        assert isinstance(app.scheduler, LocalScheduler) and app.scheduler.app is app
        assert not app.scheduler.running  # `serve` starts the loop, not open_app
        assert app.chat is chat and app.model is model and app.clock is clock
        assert app.settings.home == home
        assert {j.name for j in app.recurring_jobs()} >= {"checkin", "monday_plan"}
    finally:
        close_app(app)


def test_settings_come_from_momentum_toml(tmp_path: Path) -> None:
    (tmp_path / "momentum.toml").write_text('athlete_id = "zed"\n')
    with local_app(tmp_path, chat=RecordingChat(), model=ScriptedModel()) as app:
        assert app.settings.athlete_id == "zed"


def test_console_chat_is_the_default(tmp_path: Path) -> None:
    with local_app(tmp_path, model=ScriptedModel()) as app:
        assert isinstance(app.chat, ConsoleChat)


def test_default_model_chain_is_built_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec("momentum.core.coach.fallback") is None:
        pytest.skip("momentum.core.coach.fallback is not written yet")
    monkeypatch.delenv("GROQ_API_KEY", raising=False)
    with local_app(tmp_path, chat=RecordingChat()) as app:
        assert type(app.model).__name__ == "FallbackModel"


def test_deferred_jobs_run_against_the_app(tmp_path: Path) -> None:
    ran = threading.Event()
    seen: list[App] = []

    with local_app(tmp_path, chat=RecordingChat(), model=ScriptedModel()) as app:

        def handler(got: App, job: DeferredJob) -> None:
            seen.append(got)
            got.storage.put_athlete(r.athlete(job.payload["athlete_id"]))
            ran.set()

        app.deferred_handlers["store"] = handler
        app.scheduler.defer(DeferredJob("store", {"athlete_id": "from-job"}))
        assert isinstance(app.scheduler, LocalScheduler) and app.scheduler.wait_idle(5)
    assert ran.is_set() and seen == [app]

    with local_app(tmp_path, chat=RecordingChat(), model=ScriptedModel()) as again:
        assert again.storage.get_athlete("from-job") is not None  # survived the restart


def test_bad_config_is_a_one_line_config_error(tmp_path: Path) -> None:
    (tmp_path / "momentum.toml").write_text("athlete_id = [unclosed\n")
    with pytest.raises(ConfigError, match=r"momentum\.toml: not valid TOML"):
        open_app(tmp_path, chat=RecordingChat(), model=ScriptedModel())


def test_close_app_closes_the_database(tmp_path: Path) -> None:
    app = open_app(tmp_path, chat=RecordingChat(), model=ScriptedModel())
    close_app(app)
    with pytest.raises(RuntimeError, match="closed"):
        app.storage.list_athletes()
