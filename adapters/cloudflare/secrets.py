"""The Secrets port on Worker secrets: each secret is a string on the Worker's ``env``
(``wrangler secret put``, or a secret binding from the Pulumi component). Other
bindings on ``env`` (D1, R2, the queue) are objects, never returned as secrets."""

from __future__ import annotations

from typing import Any

from momentum.core.ports.secrets import Secrets


class WorkerSecrets(Secrets):
    """Secrets read from ``env`` (the Worker's env object, or any object with
    attributes / a mapping in tests and tools)."""

    def __init__(self, env: Any) -> None:
        self._env = env

    def get(self, name: str) -> str | None:
        """The secret's value, or ``None`` when it is unset or is not a string."""
        if isinstance(self._env, dict):
            value = self._env.get(name)
        else:
            value = getattr(self._env, name, None)
        return value if isinstance(value, str) and value else None

    def __repr__(self) -> str:  # never show values
        return "WorkerSecrets(env)"
