"""What a model call costs: list prices in USD per million tokens.

Prices are Groq's published on-demand list prices (console.groq.com/docs/models and
groq.com/pricing, checked for this release). A coach can add or override entries with
``[pricing."model-id"] input = … output = …`` in ``momentum.toml`` (``Settings.extra``).
Unknown models cost nothing rather than guessing; the usage record still shows tokens.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Price:
    """USD per one million input and output tokens."""

    input_per_million: float
    output_per_million: float

    def cost(self, tokens_in: int, tokens_out: int) -> float:
        """USD for one call."""
        return (
            tokens_in * self.input_per_million + tokens_out * self.output_per_million
        ) / 1_000_000


LIST_PRICES: dict[str, Price] = {
    "openai/gpt-oss-120b": Price(0.15, 0.60),
    "openai/gpt-oss-20b": Price(0.075, 0.30),
    "llama-3.3-70b-versatile": Price(0.59, 0.79),
    "llama-3.1-8b-instant": Price(0.05, 0.08),
    "meta-llama/llama-4-scout-17b-16e-instruct": Price(0.11, 0.34),
    "qwen/qwen3-32b": Price(0.29, 0.59),
    "moonshotai/kimi-k2-instruct-0905": Price(1.00, 3.00),
    "offline": Price(0.0, 0.0),
    "scripted": Price(0.0, 0.0),
}


class PriceTable:
    """Prices by model id, list prices first, overrides on top."""

    def __init__(self, overrides: Mapping[str, Price] | None = None) -> None:
        self._prices = {**LIST_PRICES, **(overrides or {})}

    @classmethod
    def from_extra(cls, extra: Mapping[str, Any]) -> PriceTable:
        """A table with ``[pricing]`` overrides from the settings' extra section."""
        section = extra.get("pricing") or {}
        overrides: dict[str, Price] = {}
        if isinstance(section, Mapping):
            for model, entry in section.items():
                if isinstance(entry, Mapping):
                    overrides[str(model)] = Price(
                        float(entry.get("input", 0.0)), float(entry.get("output", 0.0))
                    )
        return cls(overrides)

    def price(self, model: str) -> Price | None:
        """The price of ``model``, if known."""
        return self._prices.get(model)

    def cost(self, model: str, tokens_in: int, tokens_out: int) -> float:
        """USD for one call of ``model``; 0 for unknown models."""
        price = self.price(model)
        return price.cost(tokens_in, tokens_out) if price else 0.0
