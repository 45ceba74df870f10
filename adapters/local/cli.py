"""The ``momentum`` command line: typer + rich.

Each command group lives in its own module under :mod:`momentum.adapters.local.commands` and
exposes ``register(cli)``; plugins add commands through the ``momentum_cli`` hook.
Errors are one clear line and a non-zero exit code, never a traceback.
"""

from __future__ import annotations

import importlib
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
)

DEFAULT_HOME = Path("~/.momentum")

cli = typer.Typer(
    name="momentum",
    help="Momentum: your personal AI coach, running on your own machine or cloud.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
) -> None:
    """Momentum: your personal AI coach, running on your own machine or cloud."""
    ctx.obj = {"home": (home or DEFAULT_HOME).expanduser()}


def home_of(ctx: typer.Context) -> Path:
    """The coach home chosen with ``--home`` / ``MOMENTUM_HOME``."""
    root = ctx.find_root()
    obj = root.obj or {}
    home = obj.get("home")
    if home is None:
        env = os.environ.get("MOMENTUM_HOME")
        home = Path(env).expanduser() if env else DEFAULT_HOME.expanduser()
    return Path(home)


def _register_all() -> None:
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(cli)
    from momentum.core.plugins.host import load_plugins

    load_plugins().pm.hook.momentum_cli(cli=cli)


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``message`` as one line on stderr and return the exit to raise."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    return typer.Exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``momentum`` script."""
    _register_all()
    try:
        cli(args=argv, standalone_mode=True)
    except MomentumError as exc:
        typer.secho(f"error: {exc}", err=True, fg=typer.colors.RED)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
