"""``momentum dashboard``: the training, the plan and the cost in the browser, offline."""

from __future__ import annotations

from pathlib import Path

import typer

from momentum.adapters.local.cli import fail, home_of
from momentum.core.errors import MomentumError


def dashboard(
    ctx: typer.Context,
    port: int = typer.Option(
        8765, min=0, max=65535, help="Port on 127.0.0.1 (0 picks a free one)."
    ),
    no_open: bool = typer.Option(False, "--no-open", help="Don't open a browser."),
    home: Path | None = typer.Option(
        None, "--home", help="The coach's folder (same as the global --home).", show_default=False
    ),
    athlete: str | None = typer.Option(
        None, "--athlete", help="Whose dashboard (default: the coach's athlete)."
    ),
    as_of: str | None = typer.Option(
        None, "--date", help="Show the pages as of this day (YYYY-MM-DD; default today)."
    ),
    budget: float = typer.Option(
        1.0,
        "--budget",
        min=0.0,
        help="Monthly model budget in US dollars, drawn on the cost chart.",
    ),
    new_key: bool = typer.Option(
        False,
        "--new-key",
        help="Print a fresh signing key for a deployed coach's dashboard links "
        "(pulumi config set --secret momentum:dashboardKey KEY) and exit.",
    ),
) -> None:
    """Serve the dashboard on 127.0.0.1: Overview, Activity and Plan pages.

    Works offline (the chart scripts ship with Momentum) and reads the coach without
    changing anything. Stops on Ctrl-C. A deployed coach serves the same pages under
    /dashboard/ behind the signed links its weekly messages carry.
    """
    import webbrowser

    from rich.console import Console

    if new_key:
        from momentum.core.dashboard.signing import new_key as make_key

        typer.echo(make_key())
        return

    from momentum.adapters.local.bootstrap import has_coach
    from momentum.adapters.local.dashboard import open_dashboard, serve_dashboard
    from momentum.adapters.local.dates import parse_date

    folder = home.expanduser() if home is not None else home_of(ctx, must_exist=False)
    if not has_coach(folder):
        raise fail(f"no coach at {folder}; run momentum init or momentum demo --home {folder}")
    console = Console(highlight=False)
    try:
        day = parse_date(as_of, "--date") if as_of else None
        with open_dashboard(folder, athlete_id=athlete, today=day, budget_usd=budget) as site:
            serve_dashboard(
                site,
                port=port,
                open_browser=None if no_open else webbrowser.open,
                announce=lambda line: console.print(line, markup=False),
            )
    except MomentumError as exc:
        raise fail(str(exc)) from None


def register(cli: typer.Typer) -> None:
    """Add ``momentum dashboard`` to the root CLI."""
    cli.command("dashboard")(dashboard)
