"""Chooses the cloud's Pulumi program by ``momentum:cloud`` (default ``aws``): each cloud's
``momentum.infra.<cloud>.program`` has a ``main()``."""

from __future__ import annotations

import importlib
from typing import Any

CLOUDS = ("aws", "azure", "gcp")


def main() -> Any:
    """Run the chosen cloud's program."""
    import pulumi

    cloud = pulumi.Config("momentum").get("cloud") or "aws"
    if cloud not in CLOUDS:
        raise ValueError(f"momentum:cloud must be one of {', '.join(CLOUDS)}, not {cloud!r}")
    return importlib.import_module(f"momentum.infra.{cloud}.program").main()
