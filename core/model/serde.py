"""Lossless conversion between dataclass records and JSON-ready dicts.

Dates are ISO strings, aware datetimes keep their offset, enums store their value and
tuples stay tuples. ``from_dict(Type, to_dict(x)) == x`` holds for every record in
:mod:`momentum.core.model`; the round-trip test proves it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from functools import cache
from typing import Any, TypeVar, get_args, get_origin

T = TypeVar("T")

_PLAIN = frozenset({int, float, str, bool, type(None)})
_FLOATISH = (float, float | None, typing.Optional[float])  # noqa: UP045


def to_dict(record: Any) -> Any:
    """Turn a record (or any nesting of records, lists and dicts) into JSON-ready data."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_dict(getattr(record, f.name)) for f in dataclasses.fields(record)}
    if isinstance(record, enum.Enum):
        return record.value
    if isinstance(record, dt.datetime | dt.date):
        return record.isoformat()
    if isinstance(record, list | tuple):
        # Streams hold thousands of plain numbers: copy them in one C-level pass.
        if set(map(type, record)) <= _PLAIN:
            return list(record)
        return [to_dict(item) for item in record]
    if isinstance(record, frozenset | set):
        return sorted(to_dict(item) for item in record)
    if isinstance(record, dict):
        return {str(key): to_dict(value) for key, value in record.items()}
    return record


def to_json(record: Any) -> str:
    """Serialise a record to compact JSON text."""
    return json.dumps(to_dict(record), separators=(",", ":"), ensure_ascii=False)


def from_json(cls: type[T], text: str | bytes) -> T:
    """Parse JSON text into a record of type ``cls``."""
    record: T = from_dict(cls, json.loads(text))
    return record


def _to_float(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_dict(cls: Any, data: Any) -> Any:
    """Build a value of type ``cls`` from JSON-ready data made by :func:`to_dict`."""
    if data is None:
        return None
    origin = get_origin(cls)
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in get_args(cls) if arg is not type(None)]
        if len(options) == 1:
            return from_dict(options[0], data)
        for option in options:
            try:
                return from_dict(option, data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"{data!r} matches none of {options}")
    if origin is list:
        (item_type,) = get_args(cls) or (Any,)
        return [from_dict(item_type, item) for item in data]
    if origin is tuple:
        args = get_args(cls)
        if len(args) == 2 and args[1] is Ellipsis:
            if args[0] in _FLOATISH:
                return tuple(None if item is None else _to_float(item) for item in data)
            return tuple(from_dict(args[0], item) for item in data)
        return tuple(from_dict(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is frozenset or origin is set:
        (item_type,) = get_args(cls)
        return origin(from_dict(item_type, item) for item in data)
    if origin is dict:
        key_type, value_type = get_args(cls)
        return {from_dict(key_type, k): from_dict(value_type, v) for k, v in data.items()}
    if cls is Any or cls is object:
        return data
    if isinstance(cls, type):
        if dataclasses.is_dataclass(cls):
            hints = _hints(cls)
            kwargs = {}
            for field in dataclasses.fields(cls):
                if field.name in data:
                    kwargs[field.name] = from_dict(hints[field.name], data[field.name])
            return cls(**kwargs)
        if issubclass(cls, enum.Enum):
            return cls(data)
        if cls is dt.datetime:
            return dt.datetime.fromisoformat(data)
        if cls is dt.date:
            return dt.date.fromisoformat(data)
        if cls is float and isinstance(data, int | float):
            return float(data)
        if cls is int and isinstance(data, bool):
            raise TypeError("expected an int, got a bool")
        if cls in (int, str, bool) and not isinstance(data, cls):
            raise TypeError(f"expected {cls.__name__}, got {type(data).__name__}")
    return data
