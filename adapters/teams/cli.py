"""``momentum teams package``: the Teams app package to sideload or upload.

Registered through the plugin's ``momentum_cli`` hook. The bot's app id comes from
``--bot-id`` or the coach's ``[teams]`` settings (``TEAMS_APP_ID``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from momentum.core.errors import MomentumError


def register(cli: typer.Typer) -> None:
    """Add the ``teams`` command group to the root CLI."""
    teams = typer.Typer(help="Microsoft Teams: the app package.", no_args_is_help=True)

    @teams.command("package")
    def package_cmd(
        ctx: typer.Context,
        out: Path = typer.Option(Path("app.zip"), "--out", "-o", help="Where to write the zip."),
        bot_id: str = typer.Option(
            "", "--bot-id", help="The Azure Bot's Microsoft App ID (default: [teams] app_id)."
        ),
        name: str = typer.Option("Momentum", "--name", help="The app's name in Teams."),
        version: str = typer.Option("1.0.0", "--version", help="The app's version (x.y.z)."),
    ) -> None:
        """Write the Teams app package (manifest.json, colour and outline icons)."""
        from momentum.adapters.local.cli import fail
        from momentum.adapters.teams.manifest import MANIFEST_VERSION, AppDetails, write_package

        try:
            app_id = bot_id or _configured_app_id(ctx)
            if not app_id:
                raise fail("no bot app id: pass --bot-id or set TEAMS_APP_ID / [teams] app_id")
            written = write_package(AppDetails(app_id, name=name, version=version), out)
        except MomentumError as exc:
            raise fail(str(exc)) from None
        typer.echo(f"wrote {written}: manifest {MANIFEST_VERSION}, personal bot {app_id}")

    cli.add_typer(teams, name="teams")


def _configured_app_id(ctx: typer.Context) -> str:
    """``[teams] app_id`` of the coach in ``--home`` (or ``TEAMS_APP_ID``); the package can
    be built before any coach exists, so a missing home is not an error here."""
    from momentum.adapters.local.cli import home_of
    from momentum.adapters.teams.settings import teams_settings
    from momentum.core.config import load_settings

    return teams_settings(load_settings(home_of(ctx, must_exist=False))).app_id
