"""Checking a model's tool arguments against the tool's JSON schema.

Models send arguments as JSON they wrote themselves, sometimes after reading text an
attacker controls. Only the declared properties are accepted (an ``athlete_id`` the
schema does not declare is refused, not ignored), types and enums are enforced, strings
are capped, and numbers the model sent as strings are converted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class ToolArgumentError(ValueError):
    """The arguments do not fit the tool's schema; the message names the field."""


def _check(name: str, schema: Mapping[str, Any], value: Any) -> Any:
    kind = schema.get("type")
    if kind == "integer":
        if isinstance(value, bool):
            raise ToolArgumentError(f"{name} must be an integer")
        if isinstance(value, str) and value.strip().lstrip("-").isdigit():
            value = int(value.strip())
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise ToolArgumentError(f"{name} must be an integer")
    elif kind == "number":
        if isinstance(value, str):
            try:
                value = float(value)
            except ValueError as exc:
                raise ToolArgumentError(f"{name} must be a number") from exc
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ToolArgumentError(f"{name} must be a number")
    elif kind == "string":
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ToolArgumentError(f"{name} must be a string")
        value = value.strip()
        limit = int(schema.get("maxLength", 1000))
        if len(value) > limit:
            raise ToolArgumentError(f"{name} is longer than {limit} characters")
        if schema.get("minLength") and len(value) < int(schema["minLength"]):
            raise ToolArgumentError(f"{name} is empty")
    elif kind == "boolean" and not isinstance(value, bool):
        raise ToolArgumentError(f"{name} must be true or false")
    if "enum" in schema:
        options = list(schema["enum"])
        if isinstance(value, str):
            lowered = {str(o).lower(): o for o in options}
            value = lowered.get(value.lower(), value)
        if value not in options:
            raise ToolArgumentError(f"{name} must be one of {', '.join(map(str, options))}")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            raise ToolArgumentError(f"{name} must be at least {schema['minimum']}")
        if "maximum" in schema and value > schema["maximum"]:
            raise ToolArgumentError(f"{name} must be at most {schema['maximum']}")
    return value


def validate_arguments(schema: Mapping[str, Any], arguments: Any) -> dict[str, Any]:
    """The arguments checked and converted, or :class:`ToolArgumentError`."""
    if not isinstance(arguments, Mapping):
        raise ToolArgumentError("arguments must be an object")
    properties: Mapping[str, Any] = schema.get("properties", {})
    unknown = sorted(set(arguments) - set(properties))
    if unknown:
        raise ToolArgumentError(f"unexpected argument(s): {', '.join(unknown)}")
    missing = [k for k in schema.get("required", []) if arguments.get(k) in (None, "")]
    if missing:
        raise ToolArgumentError(f"missing argument(s): {', '.join(missing)}")
    return {
        key: _check(key, properties[key], value)
        for key, value in arguments.items()
        if value is not None
    }
