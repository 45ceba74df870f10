"""``momentum migrate``: copy the local coach into a deployed one."""

from __future__ import annotations

import typer

from momentum.adapters.local.cli import fail, home_of
from momentum.core.errors import MomentumError

TARGETS = ("aws",)


def register(cli: typer.Typer) -> None:
    """Add ``migrate`` to the root CLI."""
    cli.command("migrate")(migrate)


def migrate(
    ctx: typer.Context,
    to: str = typer.Option(..., "--to", help="Where to: aws (DynamoDB table + S3 bucket)."),
    table: str = typer.Option(..., "--table", help="pulumi stack output tableName"),
    bucket: str = typer.Option(..., "--bucket", help="pulumi stack output bucketName"),
    athletes: list[str] = typer.Option(
        None, "--athlete", help="Only this athlete (repeatable; default: all)."
    ),
    region: str = typer.Option(None, "--region", help="AWS region (default: the environment's)."),
) -> None:
    """Copy the local coach (athletes, history, plans, tokens) into a deployed coach.

    Every write is an upsert, so running it again is safe. AWS credentials come from the
    usual environment.
    """
    if to not in TARGETS:
        raise fail(f"--to must be one of {', '.join(TARGETS)}, not {to!r}")
    home = home_of(ctx)
    try:
        from momentum.adapters.aws.migrate import migrate_home, summary
    except ImportError as exc:
        raise fail(
            f"AWS support is not installed ({exc}); pip install 'momentum-coach[aws]'"
        ) from None
    try:
        copied = migrate_home(home, table, bucket, athletes or None, region)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"copied {summary(copied)}")
