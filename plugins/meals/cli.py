"""``momentum meals profile show|set``, ``momentum meals targets`` and ``momentum meals
plan``: the local coach in ``--home``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import typer

from momentum.cli import ATHLETE_HELP, athlete_of, local_coach


def _parse_pairs(pairs: list[str]) -> dict[str, Any]:
    """``key=value`` pairs; lists as ``allergies=peanut,sesame`` (empty: ``allergies=``)."""
    from momentum import InputError

    changes: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise InputError(f"meals profile argument {pair!r}", "write key=value")
        key = key.strip()
        if key in ("allergies", "intolerances", "dislikes"):
            changes[key] = [w for w in value.split(",") if w.strip()]
        else:
            changes[key] = value
    return changes


def _who_and_when(app: Any, athlete: str | None, day: str | None) -> tuple[str, dt.date]:
    """The athlete (default: ``athlete_id`` from momentum.toml) and the day (default: the
    athlete's today); a malformed ``--day`` is refused by name."""
    athlete_id = athlete_of(app, athlete)
    if not day:
        return athlete_id, app.coach.today(athlete_id)
    try:
        return athlete_id, dt.date.fromisoformat(day)
    except ValueError:
        raise typer.BadParameter(
            f"{day!r} is not a date (YYYY-MM-DD)", param_hint="--day"
        ) from None


def register(cli: typer.Typer) -> None:
    """Add the ``meals`` command group to the root CLI."""
    meals = typer.Typer(help="Meal planning: profile, targets, weekly plan.", no_args_is_help=True)
    profile = typer.Typer(help="Show or change the meals profile.", no_args_is_help=True)

    @profile.command("show")
    def show_cmd(
        ctx: typer.Context, athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP)
    ) -> None:
        """Print the meals profile."""
        from momentum.plugins.meals.profile import load_profile

        with local_coach(ctx) as app:
            current = load_profile(app.storage, athlete_of(app, athlete))
            for key, value in current.to_json().items():
                shown = ", ".join(value) if isinstance(value, list) else value
                typer.echo(f"{key}: {shown}")

    @profile.command("set")
    def set_cmd(
        ctx: typer.Context,
        pairs: list[str] = typer.Argument(
            ..., help="key=value, e.g. diet=vegan allergies=peanut,sesame"
        ),
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
    ) -> None:
        """Change keys of the meals profile (all checked before anything is saved)."""
        from momentum.plugins.meals.profile import update_profile

        with local_coach(ctx) as app:
            updated = update_profile(app.storage, athlete_of(app, athlete), _parse_pairs(pairs))
            typer.echo("saved: " + ", ".join(f"{k}={v}" for k, v in updated.to_json().items()))

    @meals.command("targets")
    def targets_cmd(
        ctx: typer.Context,
        day: str = typer.Option(None, help="YYYY-MM-DD (default: today)"),
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
    ) -> None:
        """Print the day's energy, protein and carbohydrate targets."""
        from momentum.plugins.meals.domain import day_targets
        from momentum.plugins.meals.profile import load_profile

        with local_coach(ctx) as app:
            athlete_id, when = _who_and_when(app, athlete, day)
            goal = day_targets(app, athlete_id, load_profile(app.storage, athlete_id), when)
            typer.echo(
                f"{when}: {goal.energy_kcal:.0f} kcal (resting {goal.resting_kcal:.0f}, "
                f"training {goal.training_kcal:.0f}), protein {goal.protein_g:.0f} g, "
                f"carbohydrate {goal.carbs_g:.0f} g ({goal.load} day)"
            )

    @meals.command("plan")
    def plan_cmd(
        ctx: typer.Context,
        day: str = typer.Option(None, help="A day of the week to plan (default: today)"),
        athlete: str = typer.Option(None, "--athlete", help=ATHLETE_HELP),
    ) -> None:
        """Print the week's meal plan and grocery list."""
        from momentum.plugins.meals.domain import weekly_plan

        with local_coach(ctx) as app:
            athlete_id, when = _who_and_when(app, athlete, day)
            brief = weekly_plan(app, athlete_id, when)
            if brief is not None:
                typer.echo("\n".join(brief.lines))

    meals.add_typer(profile, name="profile")
    cli.add_typer(meals, name="meals")
