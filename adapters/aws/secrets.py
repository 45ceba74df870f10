"""Secrets read once per Lambda sandbox from SSM Parameter Store or Secrets Manager.

The function's environment holds only the *names* of secrets, never their values:

- ``MOMENTUM_SSM_PARAMETERS`` – ``SETTING=parameter-name`` pairs separated by commas, e.g.
  ``GROQ_API_KEY=/momentum/dev/GROQ_API_KEY,SLACK_BOT_TOKEN=/momentum/dev/SLACK_BOT_TOKEN``.
  Each parameter is a SecureString read with ``WithDecryption`` (ten names per request).
- ``MOMENTUM_SECRET_ID`` – optionally, one Secrets Manager secret whose value is a JSON
  object ``{"SETTING": "value", ...}``.

The values come back keyed by setting name (the usual environment names core's
:func:`momentum.core.config.load_settings` reads) and are cached for the sandbox's life, so a warm
invocation makes no call. Values are never logged; errors name parameters, not values.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping
from typing import Any

from momentum.core.errors import ConfigError
from momentum.core.ports.secrets import Secrets, parse_secret_map, parse_secret_object

log = logging.getLogger("momentum.aws")

SSM_PARAMETERS_ENV = "MOMENTUM_SSM_PARAMETERS"
SECRET_ID_ENV = "MOMENTUM_SECRET_ID"
SSM_BATCH = 10

_cache: dict[tuple[str, str], dict[str, str]] = {}
_lock = threading.Lock()


def parse_parameter_map(text: str) -> dict[str, str]:
    """``{"SETTING": "parameter-name"}`` from ``MOMENTUM_SSM_PARAMETERS`` (core's
    :func:`~momentum.core.ports.secrets.parse_secret_map`).

    Raises :class:`ConfigError` naming the malformed entry.
    """
    return parse_secret_map(text, SSM_PARAMETERS_ENV, "parameter-name")


def load_secrets(
    env: Mapping[str, str],
    *,
    ssm: Any = None,
    secretsmanager: Any = None,
) -> dict[str, str]:
    """Every configured secret by setting name, fetched on first call and then cached.

    ``ssm`` and ``secretsmanager`` are boto3 clients; by default cached ones are made only
    if a name is configured.
    """
    cache_key = (env.get(SSM_PARAMETERS_ENV, ""), env.get(SECRET_ID_ENV, ""))
    with _lock:
        if cache_key in _cache:
            return dict(_cache[cache_key])
        values: dict[str, str] = {}
        if cache_key[1]:
            values.update(_from_secrets_manager(cache_key[1], secretsmanager))
        if cache_key[0]:
            values.update(_from_ssm(parse_parameter_map(cache_key[0]), ssm))
        _cache[cache_key] = values
        if values:
            log.info("loaded %d secrets: %s", len(values), ", ".join(sorted(values)))
        return dict(values)


def _from_ssm(mapping: dict[str, str], ssm: Any) -> dict[str, str]:
    if ssm is None:
        from momentum.adapters.aws.clients import client

        ssm = client("ssm")
    by_name: dict[str, str] = {}
    names = sorted(set(mapping.values()))
    for offset in range(0, len(names), SSM_BATCH):
        batch = names[offset : offset + SSM_BATCH]
        response = ssm.get_parameters(Names=batch, WithDecryption=True)
        missing = response.get("InvalidParameters") or []
        if missing:
            raise ConfigError(f"SSM parameters not found (or not readable): {', '.join(missing)}")
        for parameter in response.get("Parameters", []):
            by_name[parameter["Name"]] = parameter["Value"]
            # GetParameters also answers to a parameter's ARN; keep both spellings.
            if parameter.get("ARN"):
                by_name[parameter["ARN"]] = parameter["Value"]
    return {setting: by_name[name] for setting, name in mapping.items()}


def _from_secrets_manager(secret_id: str, secretsmanager: Any) -> dict[str, str]:
    if secretsmanager is None:
        from momentum.adapters.aws.clients import client

        secretsmanager = client("secretsmanager")
    response = secretsmanager.get_secret_value(SecretId=secret_id)
    return parse_secret_object(response.get("SecretString"), f"Secrets Manager secret {secret_id}")


def clear_cache() -> None:
    """Forget cached secrets (tests; a rotated secret reaches new sandboxes anyway)."""
    with _lock:
        _cache.clear()


class AwsSecrets(Secrets):
    """The Secrets port on SSM Parameter Store and Secrets Manager: the names come from the
    function's environment (see the module docstring), the values on first use, cached."""

    def __init__(
        self, env: Mapping[str, str], *, ssm: Any = None, secretsmanager: Any = None
    ) -> None:
        self.env = env
        self.ssm = ssm
        self.secretsmanager = secretsmanager

    def get(self, name: str) -> str | None:
        """The secret ``name`` or ``None`` (empty counts as unset)."""
        values = load_secrets(self.env, ssm=self.ssm, secretsmanager=self.secretsmanager)
        return values.get(name) or None

    def __repr__(self) -> str:  # never show values
        return f"{type(self).__name__}()"
