"""Analytics commands: ``momentum paces``, ``momentum analyze`` and ``momentum import``.

``paces`` needs nothing but its arguments. ``analyze`` and ``import`` use the athlete of
the local coach at ``--home`` (its zones and thresholds shape the record); ``analyze``
falls back to a default profile when there is no coach there, ``import`` stores into it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from momentum.adapters.local.cli import error_line, fail, home_of, warning_line
from momentum.core.errors import MomentumError
from momentum.core.model import Activity, AthleteProfile
from momentum.plugins.running.activity_metrics import running_metrics

DEFAULT_ATHLETE = AthleteProfile(athlete_id="me", name="Athlete")
"""Used when no local coach exists: Friel zones on the default heart-rate profile."""
VDOT_RANGE = (10.0, 100.0)


# -- paces -------------------------------------------------------------------------
def paces_data(distance: str, time: str) -> dict[str, Any]:
    """The ``--json`` payload of ``momentum paces`` (``ValueError`` on bad input)."""
    from momentum.plugins.running.analytics.units import parse_distance, parse_duration
    from momentum.plugins.running.analytics.vdot import (
        equivalent_times,
        training_paces,
        vdot_from_race,
    )

    metres = parse_distance(distance)
    seconds = parse_duration(time)
    vdot = vdot_from_race(metres, seconds)
    low, high = VDOT_RANGE
    if not low <= vdot <= high:
        raise ValueError(
            f"{distance} in {time} gives VDOT {vdot:.0f}, outside {low:.0f}–{high:.0f}; "
            "check the distance and the time"
        )
    return {
        "vdot": round(vdot, 2),
        "race_times": {k: round(v, 1) for k, v in equivalent_times(vdot).items()},
        "paces": {k: [round(a, 1), round(b, 1)] for k, (a, b) in training_paces(vdot).items()},
    }


def _print_paces(data: dict[str, Any], distance: str, time: str) -> None:
    from rich.console import Console
    from rich.table import Table

    from momentum.plugins.running.analytics.units import (
        format_duration,
        format_pace,
        parse_distance,
        parse_duration,
    )
    from momentum.plugins.running.analytics.vdot import RACE_DISTANCES, riegel

    console = Console()
    metres, seconds = parse_distance(distance), parse_duration(time)
    console.print(
        f"[bold]VDOT {data['vdot']:.1f}[/bold] from {distance} in {format_duration(seconds)}"
    )
    races = Table(title="Equivalent race times")
    races.add_column("Race")
    races.add_column("Daniels (VDOT)", justify="right")
    races.add_column("Pace /km", justify="right")
    races.add_column("Riegel (1.06)", justify="right")
    labels = {"5k": "5K", "10k": "10K", "half": "Half marathon", "marathon": "Marathon"}
    for key, value in data["race_times"].items():
        race_m = RACE_DISTANCES[key]
        races.add_row(
            labels[key],
            format_duration(value),
            format_pace(value / race_m * 1000.0),
            format_duration(riegel(metres, seconds, race_m)),
        )
    console.print(races)
    paces = Table(title="Training paces (Daniels)")
    paces.add_column("Pace")
    paces.add_column("per km", justify="right")
    paces.add_column("per mile", justify="right")
    names = {
        "E": "E  easy / long",
        "M": "M  marathon",
        "T": "T  threshold",
        "I": "I  interval",
        "R": "R  repetition",
    }
    for key, (fast, slow) in data["paces"].items():
        per_km = format_pace(fast) if fast == slow else f"{format_pace(fast)}–{format_pace(slow)}"
        mile = 1.609344
        per_mi = (
            format_pace(fast * mile)
            if fast == slow
            else f"{format_pace(fast * mile)}–{format_pace(slow * mile)}"
        )
        paces.add_row(names[key], per_km, per_mi)
    console.print(paces)


# -- athlete of the local coach ---------------------------------------------------------
def _local_athlete(home: Path, athlete_id: str | None) -> AthleteProfile | None:
    """The coach's athlete at ``home`` without creating a coach; ``None`` if there is none."""
    try:
        from momentum.adapters.local.bootstrap import database_path
        from momentum.adapters.local.sqlite_storage import SqliteStorage
    except ImportError:
        return None
    path = database_path(home)
    if not path.exists():
        return None
    storage = SqliteStorage(path)
    try:
        athletes = storage.list_athletes()
    finally:
        close = getattr(storage, "close", None)
        if callable(close):
            close()
    return _pick(athletes, athlete_id, home)


def _pick(
    athletes: list[AthleteProfile], athlete_id: str | None, home: Path
) -> AthleteProfile | None:
    if athlete_id:
        for athlete in athletes:
            if athlete.athlete_id == athlete_id:
                return athlete
        raise MomentumError(f"no athlete {athlete_id!r} in the coach at {home}")
    if len(athletes) > 1:
        ids = ", ".join(a.athlete_id for a in athletes)
        raise MomentumError(f"the coach at {home} has several athletes ({ids}); pick --athlete")
    return athletes[0] if athletes else None


def record_json(activity: Activity, *, streams: bool = False) -> dict[str, Any]:
    """The activity record as JSON data with the record's field names (plus ``gap_str``);
    raw streams are dropped unless ``streams``."""
    from momentum.core.model import to_dict

    data: dict[str, Any] = to_dict(activity)
    if not streams:
        data.pop("streams", None)
    # Running's numbers at the top level, under the names the record always printed.
    metrics = running_metrics(activity)
    sections = dict(data.pop("domain_metrics", {}))
    sections.pop("running", None)
    data.update(to_dict(metrics), gap_str=metrics.gap_str)
    if sections:
        data["domain_metrics"] = sections
    return data


def _print_record(activity: Activity) -> None:
    from rich.console import Console
    from rich.table import Table

    from momentum.plugins.running.analytics.units import format_duration, format_pace

    console = Console()
    title = f"{activity.name or activity.activity_type} · {activity.activity_type}"
    if activity.activity_subtype:
        title += f" ({activity.activity_subtype})"
    console.print(f"[bold]{title}[/bold]  {activity.start.isoformat()}  id {activity.activity_id}")
    for note in activity.notes:
        console.print(f"note: {note}", style="yellow", markup=False)
    summary = Table(show_header=False, box=None)
    summary.add_column(style="dim")
    summary.add_column()
    km = activity.distance_meters / 1000.0
    pace = activity.moving_time_seconds / km if km > 0 else None
    metrics = running_metrics(activity)

    def num(value: float | None, fmt: str) -> str:
        return "–" if value is None else format(value, fmt)

    rows = [
        ("Distance", f"{km:.2f} km"),
        ("Moving time", format_duration(activity.moving_time_seconds)),
        ("Elapsed time", format_duration(activity.elapsed_time_seconds)),
        ("Pace", f"{format_pace(pace)} min/km" if pace else "–"),
        (
            "GAP",
            f"{metrics.gap_str} ({metrics.gap_model})" if metrics.gap_seconds_per_km else "–",
        ),
        ("Avg / max HR", f"{num(activity.avg_hr, '.0f')} / {num(activity.max_hr, '.0f')} bpm"),
        (
            "Zones",
            "  ".join(
                f"Z{i}: {format_duration(s)}" for i, s in enumerate(activity.zone_seconds, 1) if s
            )
            or "–",
        ),
        ("EF", num(activity.efficiency_factor, ".3f")),
        (
            "Core EF",
            f"{num(activity.core_ef, '.3f')} ({format_duration(activity.core_ef_seconds)} steady)"
            if activity.core_ef is not None
            else "–",
        ),
        (
            "Decoupling",
            f"{activity.decoupling_percent:.1f} %"
            if activity.decoupling_percent is not None
            else "–",
        ),
        ("Elevation gain", f"{activity.elevation_gain_meters:.0f} m"),
        (
            "Avg incline",
            f"{activity.avg_incline:.1f} %" if activity.avg_incline is not None else "–",
        ),
        (
            "TRIMP / HRSS",
            f"{num(metrics.trimp, '.0f')} / {num(activity.hrss, '.0f')}",
        ),
    ]
    for label, value in rows:
        summary.add_row(label, value)
    console.print(summary)
    if activity.splits:
        table = Table(title="Splits")
        for column in ("km", "distance", "time", "pace", "GAP", "HR", "EF", "climb"):
            table.add_column(column, justify="right")
        for split in activity.splits:
            table.add_row(
                str(split.index),
                f"{split.distance_meters:.0f} m",
                format_duration(split.moving_time_seconds),
                format_pace(split.pace_seconds_per_km) if split.pace_seconds_per_km else "–",
                format_pace(split.gap_seconds_per_km) if split.gap_seconds_per_km else "–",
                num(split.avg_hr, ".0f"),
                num(split.efficiency_factor, ".2f"),
                f"{split.elevation_gain_meters:.0f} m",
            )
        console.print(table)


def register(cli: typer.Typer) -> None:
    """Add ``paces``, ``analyze`` and ``import`` to the root CLI."""

    @cli.command("paces")
    def paces(
        ctx: typer.Context,
        distance: str = typer.Argument(
            None, help="Race distance: 5k, 10k, half, marathon, or e.g. 15k, 3000m, 1mi."
        ),
        time: str = typer.Argument(None, help="Race time as m:ss or h:mm:ss."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
        athlete: str = typer.Option(None, "--athlete", help="Athlete id (default: the coach's)."),
    ) -> None:
        """VDOT, equivalent race times and E/M/T/I/R training paces from a race result; with
        no result given, the coach's own: its VDOT's source and confidence, paces and
        predictions."""
        if distance is None or time is None:
            if distance is not None:
                raise fail("give both DISTANCE and TIME, or neither for your own paces")
            from momentum.adapters.local.commands.race_cmds import show_paces

            show_paces(ctx, athlete, as_json)
            return
        try:
            data = paces_data(distance, time)
        except ValueError as exc:
            raise fail(str(exc)) from None
        if as_json:
            typer.echo(json.dumps(data))
            return
        _print_paces(data, distance, time)

    @cli.command("analyze")
    def analyze(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help="An activity file: FIT, GPX, TCX (or .gz)."),
        as_json: bool = typer.Option(False, "--json", help="Print the record as JSON."),
        streams: bool = typer.Option(False, "--streams", help="Keep raw streams in the JSON."),
        athlete_id: str = typer.Option(None, "--athlete", help="Athlete id in the local coach."),
        gap_model: str = typer.Option(
            "minetti2002", "--gap-model", help="GAP model: minetti2002 or strava_style."
        ),
    ) -> None:
        """Compute and print the activity record of a file (nothing is stored)."""
        from momentum.plugins.files.importer import read_path
        from momentum.plugins.running.analytics.gap import GAP_MODELS
        from momentum.plugins.running.analytics.record import RecordOptions

        if gap_model not in GAP_MODELS:
            raise fail(f"--gap-model must be one of {', '.join(GAP_MODELS)}, not {gap_model!r}")
        athlete = _local_athlete(home_of(ctx, must_exist=False), athlete_id) or DEFAULT_ATHLETE
        activities = read_path(file, athlete, RecordOptions(gap_model=gap_model))
        if as_json:
            payload = [record_json(a, streams=streams) for a in activities]
            typer.echo(json.dumps(payload[0] if len(payload) == 1 else payload))
            return
        for activity in activities:
            _print_record(activity)

    @cli.command("import")
    def import_(
        ctx: typer.Context,
        paths: list[Path] = typer.Argument(..., help="Files or folders to import."),
        athlete_id: str = typer.Option(None, "--athlete", help="Athlete id in the local coach."),
        unit: str = typer.Option("km", "--unit", help="Distance unit of Garmin CSVs: km or mi."),
        as_json: bool = typer.Option(
            False,
            "--json",
            help='Print {"imported": n, "unchanged": n, "failed": [{"file", "reason"}]}.',
        ),
    ) -> None:
        """Import activity files and folders into the local coach (re-imports change nothing).

        Each file (and each row or member of an export) succeeds or fails on its own.
        Exit status: 0 when nothing failed, 1 when any file failed (the rest are imported),
        130 when interrupted (what was done is kept and summarised).
        """
        if unit not in {"km", "mi"}:
            raise fail(f"--unit must be km or mi, not {unit!r}")
        _import(home_of(ctx), paths, athlete_id, unit, as_json=as_json)


def _open_local(home: Path) -> Any:
    try:
        from momentum.adapters.local.bootstrap import open_app
    except ImportError as exc:
        raise MomentumError(f"the local coach is not available ({exc})") from None
    return open_app(home)


def _close_local(app: Any) -> None:
    try:
        from momentum.adapters.local.bootstrap import close_app
    except ImportError:
        return
    close_app(app)


def _import(
    home: Path, paths: list[Path], athlete_id: str | None, unit: str, *, as_json: bool = False
) -> None:
    from rich.console import Console

    from momentum.adapters.local.progress import progress_bar
    from momentum.plugins.files.importer import ImportInterrupted, ImportReport, import_paths

    console = Console(stderr=True)
    app = _open_local(home)
    interrupted = False
    try:
        athlete = _pick(app.storage.list_athletes(), athlete_id, home)
        if athlete is None:
            athlete = DEFAULT_ATHLETE
            app.storage.put_athlete(athlete)
            console.print(
                f"no athlete in the coach at {home}; importing for {athlete.athlete_id!r}"
            )
        with progress_bar("importing", console, label=lambda item: Path(item).name) as on_progress:
            try:
                report: ImportReport = import_paths(
                    app, athlete, paths, on_progress, distance_unit=unit
                )
            except ImportInterrupted as stop:
                report, interrupted = stop.report, True
    finally:
        _close_local(app)
    if as_json:
        typer.echo(json.dumps(report.as_json()))
    else:
        typer.echo(
            f"imported {len(report.imported)} new, unchanged {len(report.unchanged)}, "
            f"failed {len(report.errors)}" + (" (interrupted)" if interrupted else "")
        )
        for label, note in report.notes:
            warning_line(f"{label}: {note}")
        for error in report.errors:
            error_line(str(error))
    if interrupted:
        raise typer.Exit(130)
    if report.errors:
        raise typer.Exit(1)
