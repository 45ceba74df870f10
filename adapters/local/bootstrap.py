"""Open the local coach that lives in a home folder: SQLite, in-process scheduler, console.

``open_app(home)`` is what every local command (and the demo) calls. It wires the local
ports and hands the rest to the composition root, :func:`momentum.core.compose.build_app`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from momentum.adapters.local.console_chat import ConsoleChat
from momentum.adapters.local.private import FILE_MODE, make_private_dir, tighten
from momentum.adapters.local.scheduler import LocalScheduler
from momentum.adapters.local.secrets import LocalSecrets
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.core.app import App
from momentum.core.compose import build_app
from momentum.core.config import CONFIG_FILE, load_settings
from momentum.core.errors import ConfigError
from momentum.core.plugins.host import PluginHost
from momentum.core.ports.chat import Chat
from momentum.core.ports.clock import Clock
from momentum.core.ports.model import Model

DATABASE_FILE = "momentum.db"
SECRETS_DIR = "secrets"
"""Owner-only secret files (``LocalSecrets``), after the environment."""


def database_path(home: Path) -> Path:
    """Where the coach in ``home`` keeps its data."""
    return Path(home).expanduser() / DATABASE_FILE


def has_coach(home: Path) -> bool:
    """True when ``home`` is a folder holding a coach (its database or settings file)."""
    return home.is_dir() and any((home / name).exists() for name in (DATABASE_FILE, CONFIG_FILE))


def prepare_home(home: Path) -> Path:
    """``home`` as a private folder (0700, created if missing; its settings file 0600).

    :class:`ConfigError` when ``home`` is a file (or otherwise not a folder).
    """
    if home.exists() and not home.is_dir():
        raise ConfigError(f"{home} is a file, not a coach's folder; pass --home DIR")
    try:
        make_private_dir(home)
    except OSError as exc:
        raise ConfigError(f"cannot create the coach's folder {home} ({exc.strerror})") from None
    tighten(home / CONFIG_FILE, FILE_MODE)
    return home


def open_app(
    home: Path,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
    workers: int = 4,
) -> App:
    """The coach in ``home`` (created if missing and private: :func:`prepare_home`),
    wired to the local ports.

    Settings come from ``home/momentum.toml``, the environment and the owner-only files in
    ``home/secrets`` (the dashboard's signing key lives there); data from
    ``home/momentum.db``. ``chat`` defaults to the console; ``model``, ``clock`` and
    ``plugins`` default to what the settings and entry points give. The scheduler is
    attached but its loop is not started: ``momentum serve`` starts it. Close with
    :func:`close_app`.
    """
    home = prepare_home(Path(home).expanduser())
    settings = load_settings(home, secrets=LocalSecrets(home / SECRETS_DIR))
    storage = SqliteStorage(database_path(home))
    scheduler = LocalScheduler(workers=workers)
    try:
        app = build_app(
            settings,
            storage=storage,
            scheduler=scheduler,
            chat=chat if chat is not None else ConsoleChat(),
            model=model,
            clock=clock,
            plugins=plugins,
        )
    except BaseException:
        storage.close()
        raise
    scheduler.attach(app)
    return app


def close_app(app: App, timeout: float = 30.0) -> None:
    """Let deferred work finish, stop the scheduler and close the database."""
    if isinstance(app.scheduler, LocalScheduler):
        app.scheduler.stop(timeout)
    if isinstance(app.storage, SqliteStorage):
        app.storage.close()


@contextmanager
def local_app(
    home: Path,
    *,
    chat: Chat | None = None,
    model: Model | None = None,
    clock: Clock | None = None,
    plugins: PluginHost | None = None,
) -> Iterator[App]:
    """``open_app`` as a context manager that always calls :func:`close_app`."""
    app = open_app(home, chat=chat, model=model, clock=clock, plugins=plugins)
    try:
        yield app
    finally:
        close_app(app)
