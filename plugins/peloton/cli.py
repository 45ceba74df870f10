"""``momentum peloton connect|sync|status``.

``connect`` stores a Peloton sign-in from a refresh token (``PELOTON_REFRESH_TOKEN``, or
typed at a hidden prompt): Peloton's sign-in is a browser flow on its own site, which
Momentum does not automate (see ``docs/sources/peloton.md``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from momentum import MomentumError, OAuthToken

ATHLETE_HELP = "Momentum athlete id (default: athlete_id from momentum.toml)."


@contextmanager
def _app(ctx: typer.Context) -> Iterator[Any]:
    from momentum.adapters.local.bootstrap import local_app
    from momentum.adapters.local.cli import fail, home_of

    try:
        with local_app(home_of(ctx)) as app:
            yield app
    except MomentumError as exc:
        raise fail(str(exc)) from None


def connect(app: Any, athlete_id: str, refresh_token: str) -> OAuthToken:
    """Exchange ``refresh_token``, read the member id, store the sign-in."""
    from momentum import InputError
    from momentum.plugins.peloton.poll import client_for
    from momentum.plugins.peloton.settings import peloton_settings
    from momentum.plugins.peloton.tokens import store_token, token_from

    if app.storage.get_athlete(athlete_id) is None:
        raise InputError("peloton connect", f"no athlete {athlete_id!r} (run momentum init)")
    if not refresh_token.strip():
        raise InputError("peloton connect", "the refresh token is empty")
    with client_for(app) as client:
        info = client.refresh(peloton_settings(app.settings).client_id, refresh_token.strip())
        member = client.me(str(info["access_token"]))
    user_id = str(member.get("id") or "")
    if not user_id:
        raise InputError("peloton connect", "Peloton did not say who signed in")
    token = token_from(
        info,
        athlete_id,
        app.clock.now(),
        refresh_token=refresh_token.strip(),
        provider_athlete_id=user_id,
    )
    return store_token(app, token)


def register(cli: typer.Typer) -> None:
    """Add the ``peloton`` command group to the root CLI."""
    peloton = typer.Typer(help="Peloton (unofficial API): connect and sync.", no_args_is_help=True)

    @peloton.command("connect")
    def connect_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        refresh_token: str = typer.Option(
            ...,
            envvar="PELOTON_REFRESH_TOKEN",
            prompt=True,
            hide_input=True,
            help="A refresh token from Peloton's web sign-in (never logged).",
        ),
    ) -> None:
        """Store a Peloton sign-in for the athlete."""
        with _app(ctx) as app:
            token = connect(app, athlete or str(app.settings.athlete_id), refresh_token)
            typer.echo(f"Connected Peloton member {token.provider_athlete_id}")

    @peloton.command("sync")
    def sync_cmd(
        ctx: typer.Context,
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
        days: int = typer.Option(90, min=1, help="How far back to read."),
    ) -> None:
        """Import the last days of workouts now (a backfill, with progress)."""
        from rich.progress import Progress

        from momentum.plugins.peloton.poll import poll

        with _app(ctx) as app, Progress() as bar:
            task = bar.add_task("Peloton workouts", total=None)
            result = poll(
                app,
                athlete or str(app.settings.athlete_id),
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
        from momentum.plugins.peloton.tokens import PROVIDER

        with _app(ctx) as app:
            athlete_id = athlete or str(app.settings.athlete_id)
            token = app.storage.get_token(athlete_id, PROVIDER)
            typer.echo(
                f"{athlete_id}: "
                + (f"Peloton member {token.provider_athlete_id}" if token else "not connected")
            )

    cli.add_typer(peloton, name="peloton")
