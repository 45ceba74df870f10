"""Helpers for a plugin's command-line group (the ``momentum_cli`` hook), public API.

A plugin adds ``momentum <name> …`` commands with typer. Each command opens the local
coach in ``--home`` (SQLite, settings from ``momentum.toml`` and the environment) with
:func:`local_coach`, which turns a :class:`~momentum.MomentumError` into the CLI's one-line
``error: …`` and exit code 1::

    from momentum.cli import ATHLETE_HELP, athlete_of, fail, local_coach

    @group.command("sync")
    def sync_cmd(ctx: typer.Context, athlete: str = typer.Option(None, help=ATHLETE_HELP)):
        with local_coach(ctx) as app:
            sync(app, athlete_of(app, athlete))

The local adapter is imported when a command runs, never when the plugin loads.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["ATHLETE_HELP", "athlete_of", "fail", "local_coach"]

ATHLETE_HELP = "Momentum athlete id (default: athlete_id from momentum.toml)."
"""The help text of an ``--athlete`` option."""


@contextmanager
def local_coach(ctx: typer.Context) -> Iterator[Any]:
    """The local coach in the ``--home`` the command was given (an ``App``), closed after
    the block; a :class:`~momentum.MomentumError` inside becomes ``error: …`` and exit 1."""
    from momentum.adapters.local.bootstrap import local_app
    from momentum.adapters.local.cli import home_of
    from momentum.core.errors import MomentumError

    try:
        with local_app(home_of(ctx)) as app:
            yield app
    except MomentumError as exc:
        raise fail(str(exc)) from None


def athlete_of(app: Any, given: str | None) -> str:
    """The athlete a command is for: ``given`` (``--athlete``), else the coach's own."""
    return given or str(app.settings.athlete_id)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one ``error: …`` line on stderr and return the exit to raise."""
    from momentum.adapters.local.cli import fail as local_fail

    return local_fail(message, code)
