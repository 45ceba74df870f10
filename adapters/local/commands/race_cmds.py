"""Race commands: ``momentum race add``, ``race goal``, ``race list``, ``momentum paces`` and
``momentum predict``.

``race add`` and ``race goal`` write the athlete's profile (checked first, stored whole);
``paces`` and ``predict`` are views: the VDOT the coach trains by, where it came from and
how far to trust it, the Daniels paces and race predictions with their trend. The logic
lives in :mod:`momentum.plugins.running.coach.races`,
:mod:`momentum.plugins.running.analytics.evidence` and
:mod:`momentum.plugins.running.analytics.prediction`.
"""

from __future__ import annotations

import json
from typing import Any

import typer

from momentum.adapters.local.commands.plan_cmds import (
    ATHLETE_OPTION,
    DATE_OPTION,
    _coach,
    _run,
    parse_date,
)
from momentum.plugins.running.profile import running_profile, with_running_profile

TREND_DAYS = 7 * 13


def _evidence_json(found: Any) -> dict[str, Any] | None:
    if found is None:
        return None
    return {
        "vdot": round(found.vdot, 2),
        "source": found.source,
        "confidence": found.confidence,
        "detail": found.detail,
    }


def show_paces(ctx: typer.Context, athlete: str | None, as_json: bool) -> None:
    """``momentum paces`` with no race given: the coach's VDOT (source and confidence),
    training paces and predictions (a view)."""
    from momentum.plugins.running.analytics.evidence import best_evidence
    from momentum.plugins.running.analytics.prediction import predictions
    from momentum.plugins.running.analytics.vdot import training_paces
    from momentum.plugins.running.coach.grammar import clock_text
    from momentum.plugins.running.plans.intensity import pace_text

    with _coach(ctx, athlete, None) as coach:
        found = best_evidence(coach.athlete, coach.activities, coach.today)
        if as_json:
            data: dict[str, Any] = {"evidence": _evidence_json(found)}
            if found is not None:
                data["paces"] = {
                    k: [round(v[0]), round(v[1])] for k, v in training_paces(found.vdot).items()
                }
                data["predictions"] = {k: round(v) for k, v in predictions(found.vdot).items()}
            typer.echo(json.dumps(data, ensure_ascii=False))
            return
        if found is None:
            typer.echo(
                "No paces yet: add a race (`momentum race add`) or run with a heart-rate "
                "monitor; until then, run by heart-rate zone and feel."
            )
            return
        typer.echo(found.describe())
        names = {"E": "Easy", "M": "Marathon", "T": "Threshold", "I": "Interval", "R": "Rep"}
        for key, pace in training_paces(found.vdot).items():
            typer.echo(f"  {names.get(key, key):<10} {pace_text(pace)}")
        typer.echo(
            "Predicted: "
            + " · ".join(f"{k} {clock_text(v)}" for k, v in predictions(found.vdot).items())
        )


def register(cli: typer.Typer) -> None:
    """Add ``race`` (add, goal, list) and ``predict`` to the root CLI (``paces`` without a
    race shows :func:`show_paces`)."""
    race_app = typer.Typer(help="Race results and the goal race.", no_args_is_help=True)

    @race_app.command("add")
    def add(
        ctx: typer.Context,
        distance: str = typer.Option(..., "--distance", "-d", help="e.g. 10k, 5 km, 13.1 mi."),
        time: str = typer.Option(..., "--time", "-t", help="Finish time, e.g. 45:30, 1:05:00."),
        day: str = typer.Option(..., "--date", help="Race day, YYYY-MM-DD."),
        name: str = typer.Option("", "--name", "-n", help="The race's name."),
        surface: str = typer.Option("", "--surface", help="road, track or trail."),
        elevation: float = typer.Option(0.0, "--elevation", help="Elevation gain in metres."),
        athlete: str | None = ATHLETE_OPTION,
    ) -> None:
        """Record a race result; the coach's VDOT and paces follow the best recent one."""
        from momentum.plugins.running.analytics.evidence import best_evidence
        from momentum.plugins.running.coach.races import race_result, store_profile, with_result

        when = _run(lambda: parse_date(day, "--date"))
        with _coach(ctx, athlete, None, writes=True) as coach:
            result = _run(
                lambda: race_result(
                    distance,
                    time,
                    when,
                    name=name,
                    surface=surface,
                    elevation_gain=elevation,
                    today=coach.today,
                )
            )
            profile = store_profile(coach.app.storage, with_result(coach.athlete, result))
            typer.echo(f"Saved {result.name or 'race'} on {result.date.isoformat()}.")
            found = best_evidence(profile, coach.activities, coach.today)
            if found is not None:
                typer.echo(f"Training by {found.describe()}")

    @race_app.command("goal")
    def goal(
        ctx: typer.Context,
        name: str = typer.Option(..., "--name", "-n", help="The race's name."),
        day: str = typer.Option(..., "--date", help="Race day, YYYY-MM-DD."),
        distance: str = typer.Option(..., "--distance", "-d", help="e.g. 10k, half marathon."),
        time: str = typer.Option("", "--time", "-t", help="Goal time, e.g. 1:45:00 (optional)."),
        notes: str = typer.Option("", "--notes", help="Course notes, e.g. trail, hilly."),
        athlete: str | None = ATHLETE_OPTION,
    ) -> None:
        """Set the goal race (and goal time); the coach checks it against your fitness."""

        from momentum.plugins.running.coach.races import goal_race, store_profile
        from momentum.plugins.running.plans.goal_check import check_goal

        when = _run(lambda: parse_date(day, "--date"))
        with _coach(ctx, athlete, None, writes=True) as coach:
            race = _run(
                lambda: goal_race(name, when, distance, time, course_notes=notes, today=coach.today)
            )
            profile = with_running_profile(coach.athlete, goal_race=race)
            store_profile(coach.app.storage, profile)
            typer.echo(f"Goal set: {race.name} on {race.date.isoformat()}.")
            verdict = check_goal(profile, coach.activities, coach.today)
            if verdict is not None:
                typer.echo(verdict.sentence(race))

    @race_app.command("list")
    def list_results(
        ctx: typer.Context,
        athlete: str | None = ATHLETE_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    ) -> None:
        """The race results on file and the goal race."""
        from momentum.plugins.running.analytics.vdot import vdot_from_race
        from momentum.plugins.running.coach.grammar import clock_text

        with _coach(ctx, athlete, None) as coach:
            results = running_profile(coach.athlete).race_results
            rows = [
                {
                    "date": r.date.isoformat(),
                    "name": r.name,
                    "distance_m": r.distance_meters,
                    "time": clock_text(r.time_seconds),
                    "surface": r.surface,
                    "elevation_gain_m": r.elevation_gain_meters,
                    "vdot": round(vdot_from_race(r.distance_meters, r.time_seconds), 1),
                }
                for r in results
            ]
            if as_json:
                typer.echo(json.dumps(rows, ensure_ascii=False))
                return
            if not rows:
                typer.echo("No race results yet: `momentum race add --distance 10k ...`.")
            for row in rows:
                extra = f" · {row['surface']}" if row["surface"] else ""
                typer.echo(
                    f"{row['date']}  {row['name'] or '-'}  {row['distance_m'] / 1000:g} km  "
                    f"{row['time']}  VDOT {row['vdot']}{extra}"
                )

    cli.add_typer(race_app, name="race")

    @cli.command("predict")
    def predict(
        ctx: typer.Context,
        athlete: str | None = ATHLETE_OPTION,
        date: str | None = DATE_OPTION,
        as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
    ) -> None:
        """Race predictions from your VDOT and how they moved over 12 weeks."""
        from momentum.plugins.running.analytics.prediction import DISTANCES, trend, trend_line
        from momentum.plugins.running.coach.grammar import clock_text

        with _coach(ctx, athlete, date, history_days=TREND_DAYS) as coach:
            points = trend(coach.athlete, coach.activities, coach.today)
            if as_json:
                rows = [
                    {
                        "date": p.day.isoformat(),
                        "evidence": _evidence_json(p.evidence),
                        "predictions": {
                            label: round(s)
                            for label, meters in DISTANCES
                            if (s := p.seconds(meters)) is not None
                        },
                    }
                    for p in points
                ]
                typer.echo(json.dumps(rows, ensure_ascii=False))
                return
            latest = points[-1]
            if latest.evidence is None:
                typer.echo("No prediction yet: add a race or run with heart rate.")
                return
            typer.echo(latest.evidence.describe())
            for label, meters in DISTANCES:
                seconds = latest.seconds(meters)
                line = trend_line(points, meters, label)
                shown = line or f"{label}: {clock_text(seconds or 0)}"
                typer.echo(f"  {shown}")
