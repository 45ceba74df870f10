"""``momentum recompute``: bring stored activities in step with the athlete's profile.

Zone times and load (TRIMP/HRSS) are computed at import from the heart-rate anchors,
zone model and sex. After editing them (``momentum init --force``, a profile change in
chat queues this by itself), this rebuilds every stored activity from its stored streams
(:func:`momentum.plugins.running.coach.recompute.recompute_activities`). Running it again changes
nothing.
"""

from __future__ import annotations

from pathlib import Path

import typer

from momentum.adapters.local.cli import error_line, fail, home_of
from momentum.core.errors import MomentumError


def register(cli: typer.Typer) -> None:
    """Add ``recompute`` to the root CLI."""

    @cli.command("recompute")
    def recompute(
        ctx: typer.Context,
        athlete_id: str = typer.Option(
            None, "--athlete", help="Athlete id in the local coach (needed if it has several)."
        ),
    ) -> None:
        """Rebuild zone times and TRIMP/HRSS load of every stored activity from its streams
        for the profile as it is now (after a heart-rate, zone model or sex change).
        Running it again changes nothing."""
        try:
            _recompute(home_of(ctx), athlete_id)
        except MomentumError as exc:
            raise fail(str(exc)) from None


def _athlete_id(storage_ids: list[str], chosen: str | None, home: Path) -> str:
    if chosen:
        if chosen not in storage_ids:
            raise MomentumError(f"no athlete {chosen!r} in the coach at {home}")
        return chosen
    if not storage_ids:
        raise MomentumError(f"no athlete in the coach at {home} (run momentum init first)")
    if len(storage_ids) > 1:
        ids = ", ".join(storage_ids)
        raise MomentumError(f"the coach at {home} has several athletes ({ids}); pick --athlete")
    return storage_ids[0]


def _recompute(home: Path, chosen: str | None) -> None:
    from rich.console import Console

    from momentum.adapters.local.bootstrap import database_path
    from momentum.adapters.local.progress import progress_bar
    from momentum.adapters.local.sqlite_storage import SqliteStorage
    from momentum.plugins.running.coach.recompute import recompute_activities

    path = database_path(home)
    if not path.exists():
        raise MomentumError(f"no coach at {home} (run momentum init first)")
    console = Console(stderr=True)
    with SqliteStorage(path) as storage:
        athlete_id = _athlete_id([a.athlete_id for a in storage.list_athletes()], chosen, home)
        with progress_bar("recomputing", console) as on_progress:
            report = recompute_activities(storage, athlete_id, on_progress=on_progress)
    typer.echo(report.summary())
    for skipped in report.skipped:
        error_line(skipped.line())
    if not report.ok:
        raise typer.Exit(1)
