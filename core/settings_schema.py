"""Validating one section of ``momentum.toml`` (plus its environment variables and secrets)
against a typed schema.

A schema is a frozen dataclass. Each field's value comes, first found wins, from:

1. its environment variable: the name in the schema's ``ENV`` mapping (``{"bot_token":
   "SLACK_BOT_TOKEN"}``), else ``MOMENTUM_<SECTION>_<FIELD>``;
2. for a :class:`~momentum.core.config.Secret` field, the Secrets port under that name;
3. the section's key in the file;
4. the field's default.

Values are converted with msgspec (one well-kept, fast library that Pyodide ships too),
imported only here, when a coach starts. Every error names the file, the key, the
expected type and the value received: ``momentum.toml: [slack] port: expected int, got
'abc'``; keys the schema does not know are errors too, so a typo never passes silently.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any, TypeVar

from momentum.core.errors import ConfigError

if typing.TYPE_CHECKING:
    from momentum.core.ports.secrets import Secrets

T = TypeVar("T")


def env_name(section: str, schema: type[Any], field: str) -> str:
    """The environment variable that sets ``field`` of ``section``."""
    names: Mapping[str, str] = getattr(schema, "ENV", {}) or {}
    return names.get(field) or f"MOMENTUM_{section}_{field}".upper().replace("-", "_")


def validate_section(
    section: str,
    schema: type[T],
    values: Mapping[str, Any] | None,
    *,
    env: Mapping[str, str] | None = None,
    secrets: Secrets | None = None,
    source: str = "momentum.toml",
) -> T:
    """An instance of ``schema`` from the file's ``values`` for ``[section]``, the
    environment and the Secrets port; :class:`ConfigError` naming the first wrong key."""
    from momentum.core.config import Secret

    if not dataclasses.is_dataclass(schema):
        raise ConfigError(f"settings schema for [{section}] must be a dataclass, got {schema!r}")
    values = dict(values or {})
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema) if f.init}
    unknown = sorted(set(values) - set(fields))
    if unknown:
        raise ConfigError(
            f"{source}: [{section}] unknown key {unknown[0]!r} "
            f"(known: {', '.join(sorted(fields)) or 'none'})"
        )
    env = env or {}
    chosen: dict[str, Any] = {}
    where: str
    raw: Any
    for name in fields:
        wanted = hints.get(name, Any)
        variable = env_name(section, schema, name)
        secret = secrets.get(variable) if wanted is Secret and secrets is not None else None
        if env.get(variable):
            where, raw, strict = variable, env[variable], False
        elif secret:
            where, raw, strict = f"secret {variable}", secret, False
        elif name in values:
            where, raw, strict = f"{source}: [{section}] {name}", values[name], True
        else:
            continue
        if name.endswith("_id") and wanted is str and type(raw) is int:
            raw = str(raw)  # an id written as a number: client_id = 12345
        chosen[name] = convert(raw, wanted, where=where, strict=strict)
    return schema(**chosen)


def convert(value: Any, wanted: Any, *, where: str, strict: bool = True) -> Any:
    """``value`` as type ``wanted``, or :class:`ConfigError` saying where, what was
    expected and what came (a secret's value is never shown)."""
    from momentum.core.config import Secret

    if wanted is Secret:
        if isinstance(value, Secret):
            return value
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected str (a secret), got {type(value).__name__}")
        return Secret(value)
    if wanted is str and isinstance(value, str):
        return value  # the common case needs no library (msgspec loads on first real use)
    import msgspec

    if not strict and isinstance(value, str) and _is_sequence(wanted):
        value = [item.strip() for item in value.split(",") if item.strip()]
    try:
        return msgspec.convert(value, type=wanted, strict=strict)
    except msgspec.ValidationError:
        raise ConfigError(f"{where}: expected {type_name(wanted)}, got {value!r}") from None


def _is_sequence(wanted: Any) -> bool:
    return typing.get_origin(wanted) in (tuple, list, set, frozenset)


def type_name(wanted: Any) -> str:
    """A short, readable name for a type hint: ``int``, ``tuple[str, ...]``."""
    if isinstance(wanted, type) and typing.get_origin(wanted) is None:
        return wanted.__name__
    return str(wanted).replace("typing.", "")
