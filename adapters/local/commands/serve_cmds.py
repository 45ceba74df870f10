"""``momentum serve``: run the coach as a long-lived process (jobs, webhooks, chat)."""

from __future__ import annotations

import logging

import typer
from rich.console import Console

from momentum.adapters.local.cli import fail, home_of
from momentum.core.config import load_settings
from momentum.core.errors import MomentumError


def register(cli: typer.Typer) -> None:
    """Add ``serve`` to the root CLI."""
    cli.command("serve")(serve)


def serve(
    ctx: typer.Context,
    port: int = typer.Option(
        8080, min=0, max=65535, help="HTTP port for webhooks (0 picks a free one)."
    ),
    host: str = typer.Option("127.0.0.1", help="Address to bind (0.0.0.0 for every interface)."),
    socket_mode: bool = typer.Option(
        False, "--socket-mode", help="Talk to Slack over Socket Mode (needs SLACK_APP_TOKEN)."
    ),
    tick_seconds: float = typer.Option(
        30.0, "--tick-seconds", help="How often the scheduler checks for due jobs.", min=1.0
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log every request and tick."),
) -> None:
    """Run the coach as a long-lived process: scheduled jobs, webhooks and chat.

    Stops cleanly on Ctrl-C or SIGTERM.
    """
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.adapters.local.scheduler import LocalScheduler
    from momentum.adapters.local.server import chat_for
    from momentum.adapters.local.server import serve as run_server

    _configure_logging(logging.DEBUG if verbose else logging.INFO)
    console = Console(highlight=False)
    home = home_of(ctx)
    try:
        chat = chat_for(load_settings(home), socket_mode=socket_mode)
        app = open_app(home, chat=chat)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    try:
        if isinstance(app.scheduler, LocalScheduler):
            app.scheduler.interval = tick_seconds
        run_server(
            app,
            host=host,
            port=port,
            socket_mode=socket_mode,
            announce=lambda line: console.print(line, markup=False),
        )
    except MomentumError as exc:
        raise fail(str(exc)) from None
    finally:
        close_app(app, timeout=5)


def _configure_logging(level: int) -> None:
    from rich.logging import RichHandler

    handler = RichHandler(console=Console(stderr=True), show_path=False, markup=False)
    handler.setFormatter(logging.Formatter("%(message)s"))
    root = logging.getLogger("momentum")
    root.handlers = [handler]
    root.setLevel(level)
    root.propagate = False
    if level > logging.DEBUG:
        logging.getLogger("momentum.http").setLevel(logging.WARNING)
