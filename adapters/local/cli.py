"""The ``momentum`` command line: typer + rich.

Each command group lives in its own module under :mod:`momentum.adapters.local.commands` and
exposes ``register(cli)``; plugins add commands through the ``momentum_cli`` hook.
Errors are one clear line and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

import typer

from momentum.core.errors import MomentumError

COMMAND_MODULES = (
    "momentum.adapters.local.commands.init_cmds",
    "momentum.adapters.local.commands.serve_cmds",
    "momentum.adapters.local.commands.plugins_cmds",
    "momentum.adapters.local.commands.analytics_cmds",
    "momentum.adapters.local.commands.recompute_cmds",
    "momentum.adapters.local.commands.plan_cmds",
    "momentum.adapters.local.commands.race_cmds",
    "momentum.adapters.local.commands.activity_cmds",
    "momentum.adapters.local.commands.coach_cmds",
    "momentum.adapters.local.commands.slack_cmds",
    "momentum.adapters.local.commands.demo_cmds",
    "momentum.adapters.local.commands.migrate_cmds",
    "momentum.adapters.local.commands.new_cmds",
    "momentum.adapters.local.commands.dashboard_cmds",
)

DEFAULT_HOME = Path("~/.momentum")

HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
"""``-h`` is ``--help`` on every command (subcommands and plugin groups inherit it)."""

cli = typer.Typer(
    name="momentum",
    help="Momentum: your personal AI coach, running on your own machine or cloud.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    context_settings=HELP_OPTIONS,
)


def version() -> str:
    """The installed version of Momentum."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("momentum-coach")
    except PackageNotFoundError:
        import momentum

        return str(momentum.__version__)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"momentum {version()}")
        raise typer.Exit()


@cli.callback()
def _root(
    ctx: typer.Context,
    home: Path = typer.Option(
        None,
        "--home",
        envvar="MOMENTUM_HOME",
        help="Where the local coach lives (default: ~/.momentum).",
        show_default=False,
    ),
    _version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_show_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Momentum: your personal AI coach, running on your own machine or cloud."""
    ctx.obj = {"home": (home or DEFAULT_HOME).expanduser()}


def home_of(ctx: typer.Context, *, must_exist: bool = True) -> Path:
    """The coach home chosen with ``--home`` / ``MOMENTUM_HOME``.

    Only ``init`` and ``demo`` make a coach, so by default a home that holds no coach is
    refused (a mistyped ``--home`` must not silently become an empty coach) with a
    one-line error; ``must_exist=False`` is for the commands that create one or only
    read a file. A home that is a file is always refused.
    """
    root = ctx.find_root()
    obj = root.obj or {}
    home = obj.get("home")
    if home is None:
        env = os.environ.get("MOMENTUM_HOME")
        home = Path(env).expanduser() if env else DEFAULT_HOME.expanduser()
    home = Path(home)
    if home.exists() and not home.is_dir():
        raise fail(f"{home} is a file, not a coach's folder; pass --home DIR")
    if must_exist and not _has_coach(home):
        raise fail(f"no coach at {home}; run momentum init (or pass --home DIR)")
    return home


def _has_coach(home: Path) -> bool:
    from momentum.adapters.local.bootstrap import has_coach

    return has_coach(home)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    from momentum.core.plugins.host import load_plugins

    load_plugins().call("momentum_cli", cli=cli)  # a plugin whose commands fail is disabled


def no_color() -> bool:
    """True when the user asked for no colour (https://no-color.org: ``NO_COLOR`` set and
    not empty)."""
    return bool(os.environ.get("NO_COLOR"))


def error_line(message: str) -> None:
    """Print ``error: message`` on stderr: red on a terminal, plain under ``NO_COLOR``."""
    typer.secho(
        f"error: {message}",
        err=True,
        fg=None if no_color() else typer.colors.RED,
        color=False if no_color() else None,
    )


def warning_line(message: str) -> None:
    """Print ``warning: message`` on stderr (yellow unless ``NO_COLOR``)."""
    typer.secho(
        f"warning: {message}",
        err=True,
        fg=None if no_color() else typer.colors.YELLOW,
        color=False if no_color() else None,
    )


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise."""
    error_line(message)
    return typer.Exit(code)


class WarningLines(logging.Handler):
    """Warnings and errors of Momentum's loggers as one ``warning: …`` / ``error: …`` line
    on stderr (``serve`` installs its own, richer handler)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        if record.levelno >= logging.ERROR:
            error_line(message)
        else:
            warning_line(message)


def _configure_logging() -> None:
    logger = logging.getLogger("momentum")
    if not any(isinstance(h, WarningLines) for h in logger.handlers):
        logger.addHandler(WarningLines())


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``momentum`` script."""
    _configure_logging()
    _register_all()
    try:
        cli(args=argv, standalone_mode=True)
    except MomentumError as exc:
        error_line(str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
