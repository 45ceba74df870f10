"""The Secrets port on Secret Manager (google-cloud-secret-manager, imported lazily).

The function's environment holds only the *names* of secrets, never their values:
``MOMENTUM_SECRETS`` is ``SETTING=projects/P/secrets/NAME`` pairs separated by commas
(a version may be given, ``.../versions/3``; else ``latest``). Each value is read on first
use and kept for the instance's life, so a warm invocation makes no call. Values are never
logged; errors name the secret, not its value.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from momentum.core.errors import ConfigError
from momentum.core.ports.secrets import Secrets, parse_secret_map

log = logging.getLogger("momentum.gcp")

SECRETS_ENV = "MOMENTUM_SECRETS"
_RESOURCE = re.compile(r"^projects/[^/]+/secrets/[A-Za-z0-9_-]+(/versions/[A-Za-z0-9_-]+)?$")


def version_name(resource: str) -> str:
    """The secret version to read: ``resource`` itself when it names one, else its
    ``latest``; :class:`ConfigError` for anything that is not a secret's resource name."""
    if not _RESOURCE.match(resource):
        raise ConfigError(
            f"{SECRETS_ENV}: {resource!r} is not projects/PROJECT/secrets/NAME[/versions/V]"
        )
    return resource if "/versions/" in resource else f"{resource}/versions/latest"


def secret_names(env: Mapping[str, str]) -> dict[str, str]:
    """``{"SETTING": "projects/P/secrets/NAME/versions/V"}`` from ``MOMENTUM_SECRETS``."""
    pairs = parse_secret_map(env.get(SECRETS_ENV, ""), SECRETS_ENV, "projects/P/secrets/NAME")
    return {setting: version_name(resource) for setting, resource in pairs.items()}


class SecretManagerSecrets(Secrets):
    """Named settings read from Secret Manager versions. ``names`` maps a setting
    (``SLACK_BOT_TOKEN``) to its version's resource name; ``client`` is a
    ``SecretManagerServiceClient`` or a factory of one (made on first read)."""

    def __init__(
        self, names: Mapping[str, str], client: Any | Callable[[], Any] | None = None
    ) -> None:
        self.names = {setting: version_name(resource) for setting, resource in names.items()}
        self._client = client
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    @classmethod
    def from_env(cls, env: Mapping[str, str], client: Any = None) -> SecretManagerSecrets:
        """The secrets ``MOMENTUM_SECRETS`` names."""
        return cls(secret_names(env), client)

    def _secret_client(self) -> Any:
        client = self._client
        if client is None:
            from google.cloud import secretmanager

            client = secretmanager.SecretManagerServiceClient()
        elif callable(client) and not hasattr(client, "access_secret_version"):
            client = client()
        self._client = client
        return client

    def get(self, name: str) -> str | None:
        """The secret ``name`` (``None`` when it is not configured or empty)."""
        resource = self.names.get(name)
        if resource is None:
            return None
        with self._lock:
            if name not in self._values:
                self._values[name] = self._read(name, resource)
        return self._values[name] or None

    def _read(self, name: str, resource: str) -> str:
        from google.api_core import exceptions

        try:
            response = self._secret_client().access_secret_version(name=resource)
        except (exceptions.NotFound, exceptions.PermissionDenied) as error:
            reason = "not found" if isinstance(error, exceptions.NotFound) else "not readable"
            raise ConfigError(f"secret {name} ({resource}) is {reason}") from None
        try:
            value: str = response.payload.data.decode("utf-8")
        except UnicodeDecodeError:
            raise ConfigError(f"secret {name} ({resource}) is not UTF-8 text") from None
        return value

    def values(self) -> dict[str, str]:
        """Every configured secret by setting name (each read once)."""
        found = {name: self.get(name) for name in sorted(self.names)}
        values = {name: value for name, value in found.items() if value}
        if values:
            log.info("loaded %d secrets: %s", len(values), ", ".join(sorted(values)))
        return values

    def __repr__(self) -> str:  # never show values
        return f"{type(self).__name__}({len(self.names)} names)"
