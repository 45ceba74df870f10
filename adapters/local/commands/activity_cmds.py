"""Activity commands: ``momentum activities`` lists stored activities and ``momentum
activities show ID`` shows one, both with ``--json``. Views: they read, never write."""

from __future__ import annotations

import json

import typer

from momentum.adapters.local.cli import fail
from momentum.adapters.local.commands.plan_cmds import ATHLETE_OPTION, _coach

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _pace(seconds: float, meters: float) -> str:
    if meters <= 0 or seconds <= 0:
        return ""
    from momentum.plugins.running.plans.intensity import fmt_pace

    return f"{fmt_pace(seconds / meters * 1000)}/km"


def register(cli: typer.Typer) -> None:
    """Add ``activities`` (with ``show``) to the root CLI."""
    group = typer.Typer(help="Stored activities: list them, or show one.")

    @group.callback(invoke_without_command=True)
    def activities(
        ctx: typer.Context,
        days: int = typer.Option(28, "--days", min=1, max=3660, help="Days back to list."),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
        athlete: str | None = ATHLETE_OPTION,
    ) -> None:
        """List the activities of the last ``--days`` days, newest first."""
        if ctx.invoked_subcommand is not None:
            return
        from momentum.adapters.local.commands.analytics_cmds import record_json
        from momentum.plugins.running.analytics.load import local_day

        with _coach(ctx, athlete, None, history_days=days) as coach:
            found = sorted(coach.activities, key=lambda a: a.start, reverse=True)
            if as_json:
                typer.echo(json.dumps([record_json(a) for a in found], ensure_ascii=False))
                return
            if not found:
                typer.echo(f"No activities in the last {days} days.")
                return
            for a in found:
                day = local_day(a.start, coach.athlete.timezone)
                minutes = round((a.moving_time_seconds or a.elapsed_time_seconds) / 60)
                km = f"{a.distance_meters / 1000:.2f} km" if a.distance_meters else ""
                pace = _pace(a.moving_time_seconds, a.distance_meters) if a.is_run else ""
                hr = f"{a.avg_hr:.0f} bpm" if a.avg_hr else ""
                parts = [p for p in (km, f"{minutes} min", pace, hr, a.source) if p]
                typer.echo(
                    f"{DAY_NAMES[day.weekday()]} {day.isoformat()}  {a.activity_id}  "
                    f"{a.name or a.activity_type} ({a.activity_type})  " + " · ".join(parts)
                )

    @group.command("show")
    def show(
        ctx: typer.Context,
        activity_id: str = typer.Argument(..., metavar="ID", help="The activity's id."),
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
        athlete: str | None = ATHLETE_OPTION,
    ) -> None:
        """Show one stored activity: its numbers, zones and splits."""
        from momentum.adapters.local.commands.analytics_cmds import _print_record, record_json

        with _coach(ctx, athlete, None, history_days=1) as coach:
            activity = coach.app.storage.get_activity(coach.athlete.athlete_id, activity_id)
            if activity is None:
                raise fail(f"no activity {activity_id!r} (see `momentum activities`)")
            if as_json:
                typer.echo(json.dumps(record_json(activity), ensure_ascii=False))
                return
            _print_record(activity)
            for note in activity.notes:
                typer.echo(f"note: {note}")

    cli.add_typer(group, name="activities")
