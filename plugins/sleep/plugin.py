"""The sleep plugin's hooks: the sleep domain (its steps, wind-down jobs and prompts) and
the ``momentum sleep`` commands. Imports only ``momentum``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from momentum import Domain, hookimpl


@hookimpl
def momentum_domains() -> list[Domain]:
    """The sleep coach."""
    from momentum.plugins.sleep.screen import screen
    from momentum.plugins.sleep.simulate import simulate
    from momentum.plugins.sleep.steps import checkin, weekly_plan, weekly_review
    from momentum.plugins.sleep.winddown import JOBS

    return [
        Domain(
            name="sleep",
            description=(
                "A sleep coach: nights from Oura and Apple Health, debt, regularity and "
                "timing by code, weekly bed and wake targets, an evening wind-down nudge."
            ),
            recurring_jobs=JOBS,
            prompt_dir=Path(__file__).parent / "prompts",
            checkin=checkin,
            weekly_plan=weekly_plan,
            weekly_review=weekly_review,
            screen=screen,
            simulate=simulate,
        )
    ]


@hookimpl
def momentum_cli(cli: Any) -> None:
    """``momentum sleep import export.xml``."""
    from momentum.plugins.sleep.cli import register

    register(cli)
