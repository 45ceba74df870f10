"""``momentum oura connect|backfill|sync|subscribe|status``.

Registered through the plugin's ``momentum_cli`` hook; each command opens the local coach
in ``--home`` (SQLite, settings from ``momentum.toml`` and the environment).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from momentum.cli import ATHLETE_HELP, athlete_of, local_coach


def backfill(app: Any, athlete_id: str, days: int, *, chunk: int = 30) -> dict[str, int]:
    """Fetch the last ``days`` days in chunks, with a progress bar; returns changes per kind."""
    from rich.progress import Progress

    from momentum.plugins.oura.days import KINDS
    from momentum.plugins.oura.sync import fetch_range

    today = app.clock.now().date()
    first = today - dt.timedelta(days=days - 1)
    spans = []
    start = first
    while start <= today:
        end = min(start + dt.timedelta(days=chunk - 1), today)
        spans.append((start, end))
        start = end + dt.timedelta(days=1)
    totals: dict[str, int] = dict.fromkeys(KINDS, 0)
    with Progress(transient=False) as bar:
        task = bar.add_task(f"Oura {first} → {today}", total=len(spans) * len(KINDS))
        for start, end in spans:
            changed = fetch_range(
                app, athlete_id, start, end, progress=lambda kind, n: bar.advance(task)
            )
            for kind, count in changed.items():
                totals[kind] += count
    return totals


def register(cli: typer.Typer) -> None:
    """Add the ``oura`` command group to the root CLI."""
    oura = typer.Typer(help="Oura: connect, backfill, webhooks.", no_args_is_help=True)

    @oura.command("connect")
    def connect_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        port: int = typer.Option(8726, help="Local port for Oura's redirect (127.0.0.1)."),
        browser: bool = typer.Option(True, "--browser/--no-browser", help="Open the page."),
        timeout: float = typer.Option(300.0, help="Seconds to wait for the redirect."),
    ) -> None:
        """Authorize Momentum on Oura (OAuth2) and store the tokens."""
        from momentum.plugins.oura.connect import connect, describe

        with local_coach(ctx) as app:
            token = connect(
                app,
                athlete_of(app, athlete),
                port=port,
                open_browser=browser,
                timeout=timeout,
                announce=typer.echo,
            )
            typer.echo(f"Connected: {describe(token, app.clock.now())}")

    @oura.command("backfill")
    def backfill_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        days: int = typer.Option(None, help="Days back (default: [oura] backfill_days, 90)."),
    ) -> None:
        """Fetch sleep, readiness, activity and workouts for the last days."""
        from momentum.plugins.oura.settings import oura_settings

        with local_coach(ctx) as app:
            span = days or oura_settings(app.settings).backfill_days
            if span < 1:
                raise typer.BadParameter("--days must be at least 1")
            totals = backfill(app, athlete_of(app, athlete), span)
            typer.echo(", ".join(f"{kind}: {n} changed" for kind, n in totals.items()))

    @oura.command("sync")
    def sync_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
    ) -> None:
        """Re-read the last three days (what a missed webhook would have brought)."""
        from momentum.plugins.oura.jobs import sync_recent

        with local_coach(ctx) as app:
            sync_recent(app, athlete_of(app, athlete), app.clock.now().date())
            typer.echo("Oura's last three days are in.")

    @oura.command("subscribe")
    def subscribe_cmd(
        ctx: typer.Context,
        url: str = typer.Option(None, help="Callback URL (default: public_url/oura/webhook)."),
    ) -> None:
        """Create (or renew) the webhook subscriptions; Oura checks the callback first."""
        from momentum.plugins.oura.subscriptions import ensure

        with local_coach(ctx) as app:
            outcome = ensure(app, url)
            typer.echo(
                f"created {len(outcome.created)}, renewed {len(outcome.renewed)}, "
                f"already fine {len(outcome.kept)}"
            )

    @oura.command("status")
    def status_cmd(
        ctx: typer.Context, athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP)
    ) -> None:
        """Show the Oura connection (never the tokens)."""
        from momentum.plugins.oura.connect import describe
        from momentum.plugins.oura.tokens import PROVIDER

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            token = app.storage.get_token(athlete_id, PROVIDER)
            if token is None:
                typer.echo(f"{athlete_id}: not connected (run: momentum oura connect)")
            else:
                typer.echo(f"{athlete_id}: {describe(token, app.clock.now())}")

    cli.add_typer(oura, name="oura")
