"""``momentum sleep import export.xml``: Apple Health sleep into the local coach.

Registered through the plugin's ``momentum_cli`` hook; it opens the coach in ``--home``
(SQLite, settings from ``momentum.toml``).
"""

from __future__ import annotations

from pathlib import Path

import typer

from momentum.cli import ATHLETE_HELP, athlete_of, fail, local_coach


def register(cli: typer.Typer) -> None:
    """Add the ``sleep`` command group to the root CLI."""
    sleep = typer.Typer(help="Sleep coach: import nights.", no_args_is_help=True)

    @sleep.command("import")
    def import_cmd(
        ctx: typer.Context,
        export: Path = typer.Argument(
            ..., help="Apple Health export.xml (unzip export.zip from the Health app first)."
        ),
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
    ) -> None:
        """Import the sleep analysis records of an Apple Health export as nights (a
        re-import changes nothing)."""
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        from momentum.plugins.sleep.importer import import_export

        try:
            size = export.stat().st_size
        except OSError as exc:
            raise fail(f"{export}: {exc.strerror or 'cannot be read'}") from None
        with local_coach(ctx) as app:
            athlete_id = athlete_of(app, athlete)
            columns = (BarColumn(), DownloadColumn(), TimeRemainingColumn())
            with Progress(*Progress.get_default_columns()[:1], *columns) as bar:
                task = bar.add_task(f"Reading {export.name}", total=size)
                result = import_export(
                    app.storage,
                    athlete_id,
                    export,
                    progress=lambda n: bar.advance(task, n),
                )
        typer.echo(
            f"{result.records} sleep records, {result.nights} nights, "
            f"{result.changed} changed for {athlete_id}."
        )

    cli.add_typer(sleep, name="sleep")
