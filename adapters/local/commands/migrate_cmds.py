"""``momentum migrate``: copy the local coach into a deployed one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from momentum.adapters.local.cli import fail, home_of
from momentum.core.errors import ConfigError, MomentumError

if TYPE_CHECKING:
    from momentum.core.ports.storage import Storage

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
        from momentum.adapters.aws.dynamodb_storage import DynamoDbStorage
    except ImportError as exc:
        raise fail(
            f"AWS support is not installed ({exc}); pip install 'momentum-coach[aws]'"
        ) from None
    try:
        target = DynamoDbStorage.connect(table, bucket, region=region)
        copied = copy_home(home, target, athletes or None)
    except MomentumError as exc:
        raise fail(str(exc)) from None
    typer.echo(f"copied {summary(copied)}")


def copy_home(
    home: Path, target: Storage, athlete_ids: Sequence[str] | None = None
) -> Counter[str]:
    """Copy the local coach in ``home`` into ``target`` (core's
    :func:`~momentum.core.runtime.copy.copy_coach`: every write an upsert), with the
    tokens of every installed data source and the plans of every installed domain."""
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.core.plugins.host import load_plugins
    from momentum.core.runtime.copy import copy_coach

    database = Path(home).expanduser() / "momentum.db"
    if not database.exists():
        raise ConfigError(f"{database}: no local coach here (run momentum init first)")
    with SqliteStorage(database) as source:
        plugins = load_plugins()
        providers = [s.name for s in plugins.data_sources()]
        plans = [d.plan_record for d in plugins.domains() if d.plan_record is not None]
        return copy_coach(source, target, athlete_ids, providers, plans)


def summary(copied: Counter[str]) -> str:
    """``3 activities, 1 athletes, …`` (or ``nothing``)."""
    return ", ".join(f"{count} {kind}" for kind, count in sorted(copied.items())) or "nothing"
