"""The meals plugin's hooks: its domain, chat tools, settings and commands. Imports only
``momentum``."""

from __future__ import annotations

from typing import Any

from momentum import Domain, Tool, hookimpl


@hookimpl
def momentum_domains() -> list[Domain]:
    """Meal planning: check-in, weekly plan and grocery list, weekly review, screen, demo."""
    from momentum.plugins.meals.domain import domain

    return [domain()]


@hookimpl
def momentum_tools() -> list[Tool]:
    """Find foods, log a meal, change the meals profile, suggest a meal."""
    from momentum.plugins.meals.tools import TOOLS

    return list(TOOLS)


@hookimpl
def momentum_settings() -> dict[str, type[Any]]:
    """``[meals]``: the FoodData Central API key and URL."""
    from momentum.plugins.meals.settings import MealsSettings

    return {"meals": MealsSettings}


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum meals profile|plan|targets``."""
    from momentum.plugins.meals.cli import register

    register(cli)
