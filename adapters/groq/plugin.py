"""Groq registers as a model provider through the ``momentum`` entry-point group.

The groq SDK is imported only when a model is built (and even then lazily, on the first
call), so registering costs nothing at a cold start.
"""

from __future__ import annotations

from momentum.core.config import ModelSettings
from momentum.core.plugins.host import hookimpl
from momentum.core.plugins.types import ModelProvider
from momentum.core.ports.model import Model


def build(settings: ModelSettings, model: str) -> Model:
    """One :class:`~momentum.adapters.groq.model.GroqModel` of the chain."""
    from momentum.adapters.groq.model import GroqModel

    return GroqModel.from_settings(settings, model=model)


PROVIDER = ModelProvider(
    "groq",
    build=build,
    env={"api_key": "GROQ_API_KEY", "base_url": "GROQ_BASE_URL"},
    description="Groq's OpenAI-compatible API (openai/gpt-oss-120b first)",
)


@hookimpl
def momentum_model_providers() -> list[ModelProvider]:
    """Groq."""
    return [PROVIDER]
