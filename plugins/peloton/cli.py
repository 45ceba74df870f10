"""``momentum peloton connect|disconnect|sync|status``.

``connect`` signs in to Peloton with an email (or username) and password: the password is
read from ``PELOTON_PASSWORD`` or a hidden prompt, sent once to Peloton's sign-in and never
stored or logged. ``--refresh-token`` (or ``PELOTON_REFRESH_TOKEN``) is the fallback: a
refresh token copied from Peloton's web app (see ``docs/sources/peloton.md``).
"""

from __future__ import annotations

import os

import typer

from momentum.cli import ATHLETE_HELP, athlete_of, local_coach


def register(cli: typer.Typer) -> None:
    """Add the ``peloton`` command group to the root CLI."""
    peloton = typer.Typer(
        help="Peloton (unofficial API): connect, disconnect and sync.", no_args_is_help=True
    )

    @peloton.command("connect")
    def connect_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        email: str = typer.Option(
            None, "--email", envvar="PELOTON_EMAIL", help="Peloton email or username."
        ),
        refresh_token: str = typer.Option(
            None,
            "--refresh-token",
            envvar="PELOTON_REFRESH_TOKEN",
            help="Instead of a password: a refresh token from Peloton's web app (never logged).",
        ),
    ) -> None:
        """Sign in to Peloton (email and password, asked at a hidden prompt) and keep the
        tokens for the athlete; the password itself is never stored."""
        from momentum.plugins.peloton.connect import with_password, with_refresh_token

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            if refresh_token:
                token = with_refresh_token(app, athlete_id, refresh_token)
            else:
                login = email or typer.prompt("Peloton email or username")
                password = os.environ.get("PELOTON_PASSWORD") or typer.prompt(
                    "Peloton password", hide_input=True
                )
                token = with_password(app, athlete_id, login, password)
            typer.echo(f"Connected Peloton member {token.provider_athlete_id} to {athlete_id}")

    @peloton.command("disconnect")
    def disconnect_cmd(
        ctx: typer.Context, athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP)
    ) -> None:
        """Forget the Peloton sign-in and stop polling (imported workouts stay)."""
        from momentum.plugins.peloton.connect import disconnect

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            had = disconnect(app, athlete_id)
            typer.echo(f"{athlete_id}: " + ("disconnected" if had else "was not connected"))

    @peloton.command("sync")
    def sync_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        days: int = typer.Option(90, min=1, help="How far back to read."),
    ) -> None:
        """Import the last days of workouts now (a backfill, with progress)."""
        from rich.progress import Progress

        from momentum.plugins.peloton.poll import poll

        with local_coach(ctx) as app, Progress() as bar:
            task = bar.add_task("Peloton workouts", total=None)
            result = poll(
                app,
                athlete_of(app, athlete),
                days=days,
                review=False,
                progress=lambda n: bar.advance(task, n),
            )
        typer.echo(
            f"{len(result.added)} added, {len(result.merged)} merged with another source, "
            f"{result.skipped} already in or not training"
        )

    @peloton.command("status")
    def status_cmd(
        ctx: typer.Context, athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP)
    ) -> None:
        """Show the Peloton connection (never the tokens)."""
        from momentum.plugins.peloton.connection import refused_at
        from momentum.plugins.peloton.tokens import PROVIDER

        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            token = app.storage.get_token(athlete_id, PROVIDER)
            refused = refused_at(app.storage.get_athlete(athlete_id))
            if refused:
                line = (
                    f"Peloton refused the sign-in at {refused}; polling stopped "
                    "(run: momentum peloton connect)"
                )
            elif token:
                line = f"Peloton member {token.provider_athlete_id}"
            else:
                line = "not connected"
            typer.echo(f"{athlete_id}: {line}")

    cli.add_typer(peloton, name="peloton")
