"""The Secrets port: API keys and tokens, read by name, never logged or put in a prompt.

Each target keeps secrets its own way: files readable only by the owner (local), SSM or
Secrets Manager (AWS), Secret Manager (GCP), Key Vault references surfaced as app settings
(Azure), Worker secrets (Cloudflare). Core only ever asks for a name.
"""

from __future__ import annotations

import abc
import json
import re
from collections.abc import Mapping

from momentum.core.errors import ConfigError

_SETTING = re.compile(r"^[A-Z][A-Z0-9_]*$")


class Secrets(abc.ABC):
    """Read-only access to named secrets (``GROQ_API_KEY``, ``SLACK_BOT_TOKEN``, ...)."""

    @abc.abstractmethod
    def get(self, name: str) -> str | None:
        """The secret called ``name``, or ``None`` if it is not set (empty counts as unset)."""

    def require(self, name: str) -> str:
        """The secret called ``name``; :class:`ConfigError` naming it (never its value) when
        it is not set."""
        value = self.get(name)
        if not value:
            raise ConfigError(f"secret {name} is not set")
        return value


class MappingSecrets(Secrets):
    """Secrets from a mapping: the process environment, a Worker's ``env``, app settings
    that Key Vault references resolve into, or a dict in tests."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = values

    def get(self, name: str) -> str | None:
        """The value under ``name`` in the mapping, or ``None`` when missing or empty."""
        value = self._values.get(name)
        return value if value else None

    def __repr__(self) -> str:  # never show values
        return f"{type(self).__name__}({len(self._values)} names)"


def parse_secret_map(text: str, variable: str, what: str = "secret-name") -> dict[str, str]:
    """``{"SETTING": "where"}`` from ``SETTING=where`` pairs separated by commas (how a
    cloud function's environment names its secrets without holding them: SSM parameter
    names on AWS, Secret Manager resource names on GCP).

    Raises :class:`ConfigError` naming ``variable`` and the malformed entry."""
    mapping: dict[str, str] = {}
    for entry in (part.strip() for part in text.split(",")):
        if not entry:
            continue
        setting, sep, name = (x.strip() for x in entry.partition("="))
        if not sep or not _SETTING.match(setting) or not name:
            raise ConfigError(f"{variable}: entry {entry!r} is not SETTING={what}")
        mapping[setting] = name
    return mapping


def parse_secret_object(text: object, where: str) -> dict[str, str]:
    """``{"SETTING": "value"}`` from a secret whose value is one JSON object of strings (a
    Secrets Manager secret, a Key Vault secret holding several settings).

    Raises :class:`ConfigError` naming ``where`` (never a value) when it is not JSON, not
    an object, or maps something other than SETTING names to strings."""
    try:
        data = json.loads(text) if isinstance(text, str | bytes) else None
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: value must be a JSON object of strings")
    if not all(_SETTING.match(str(k)) and isinstance(v, str) for k, v in data.items()):
        raise ConfigError(f"{where}: value must map SETTING names to strings")
    return {str(k): v for k, v in data.items()}
