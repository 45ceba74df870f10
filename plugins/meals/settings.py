"""The ``[meals]`` section of ``momentum.toml``: the FoodData Central API key (from the
environment or the Secrets port as ``FDC_API_KEY``, never logged) and where the API lives."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from momentum import Secret, Settings

SECTION = "meals"
FDC_URL = "https://api.nal.usda.gov/fdc"


@dataclass(frozen=True)
class MealsSettings:
    """FoodData Central: the user's API key (free from api.data.gov), the API's base URL (a
    fake FDC in tests), the timeout and the number of attempts on 429/5xx."""

    ENV: ClassVar[Mapping[str, str]] = {"fdc_api_key": "FDC_API_KEY"}

    fdc_api_key: Secret = field(default_factory=lambda: Secret(""))
    fdc_url: str = FDC_URL
    timeout_seconds: float = 10.0
    attempts: int = 4


def meals_settings(settings: Settings) -> MealsSettings:
    """The coach's ``[meals]`` settings (file, environment, Secrets port)."""
    return settings.section(SECTION, MealsSettings)
