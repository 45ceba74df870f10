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
from collections.abc import Callable
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


Decoder = Callable[[Any], Any]
"""Turns JSON-ready data (never ``None``) into a value of one type."""

_DECODERS: dict[Any, Decoder] = {}


def from_dict(cls: Any, data: Any) -> Any:
    """Build a value of type ``cls`` from JSON-ready data made by :func:`to_dict`.

    Each type's decoder is worked out once (:func:`decoder`), so reading hundreds of
    records does not walk their type hints again for every field of every record.
    """
    if data is None:
        return None
    return decoder(cls)(data)


def decoder(cls: Any) -> Decoder:
    """The function that decodes non-``None`` data into ``cls`` (made once per type)."""
    found = _DECODERS.get(cls)
    if found is None:
        found = _make_decoder(cls)
        _DECODERS[cls] = found
    return found


def _identity(data: Any) -> Any:
    return data


def _or_none(decode: Decoder) -> Decoder:
    """``decode``, passing ``None`` through (a field or item may be absent)."""
    if decode is _identity:
        return decode

    def maybe(data: Any) -> Any:
        return None if data is None else decode(data)

    return maybe


def _make_decoder(cls: Any) -> Decoder:
    origin = get_origin(cls)
    if origin is typing.Union or origin is types.UnionType:
        return _union_decoder(cls)
    if origin is list:
        (item_type,) = get_args(cls) or (Any,)
        item = _or_none(decoder(item_type))
        return lambda data: [item(value) for value in data]
    if origin is tuple:
        return _tuple_decoder(cls)
    if origin is frozenset or origin is set:
        (item_type,) = get_args(cls)
        member = _or_none(decoder(item_type))
        return lambda data: origin(member(value) for value in data)
    if origin is dict:
        key_type, value_type = get_args(cls)
        key, value = _or_none(decoder(key_type)), _or_none(decoder(value_type))
        return lambda data: {key(k): value(v) for k, v in data.items()}
    if cls is Any or cls is object or not isinstance(cls, type):
        return _identity
    if dataclasses.is_dataclass(cls):
        return _dataclass_decoder(cls)
    if issubclass(cls, enum.Enum):
        return cls
    if cls is dt.datetime:
        return dt.datetime.fromisoformat
    if cls is dt.date:
        return dt.date.fromisoformat
    if cls is float:
        return lambda data: float(data) if isinstance(data, int | float) else data
    if cls is int:
        return _int
    if cls in (str, bool):
        return _exactly(cls)
    return _identity


def _int(data: Any) -> Any:
    if isinstance(data, bool):
        raise TypeError("expected an int, got a bool")
    if not isinstance(data, int):
        raise TypeError(f"expected int, got {type(data).__name__}")
    return data


def _exactly(cls: type) -> Decoder:
    def check(data: Any) -> Any:
        if not isinstance(data, cls):
            raise TypeError(f"expected {cls.__name__}, got {type(data).__name__}")
        return data

    return check


def _union_decoder(cls: Any) -> Decoder:
    options = [arg for arg in get_args(cls) if arg is not type(None)]
    if len(options) == 1:
        return decoder(options[0])
    choices = [decoder(option) for option in options]

    def first_that_fits(data: Any) -> Any:
        for choice in choices:
            try:
                return choice(data)
            except (TypeError, ValueError, KeyError):
                continue
        raise ValueError(f"{data!r} matches none of {options}")

    return first_that_fits


def _tuple_decoder(cls: Any) -> Decoder:
    args = get_args(cls)
    if len(args) == 2 and args[1] is Ellipsis:
        if args[0] in _FLOATISH:
            return lambda data: tuple(None if item is None else _to_float(item) for item in data)
        item = _or_none(decoder(args[0]))
        return lambda data: tuple(item(value) for value in data)
    parts = [_or_none(decoder(arg)) for arg in args]
    return lambda data: tuple(part(item) for part, item in zip(parts, data, strict=True))


def _dataclass_decoder(cls: type) -> Decoder:
    """Decode a record: each field present in the data, by its own decoder; absent
    fields take their defaults. The field decoders are looked up on first use, so a record
    type may refer to itself."""
    fields: list[tuple[str, Decoder]] = []

    def decode(data: Any) -> Any:
        if not fields:
            hints = _hints(cls)
            fields.extend([(f.name, decoder(hints[f.name])) for f in dataclasses.fields(cls)])
        kwargs = {}
        for name, field_decoder in fields:
            if name in data:
                value = data[name]
                kwargs[name] = (
                    value if value is None or field_decoder is _identity else field_decoder(value)
                )
        return cls(**kwargs)

    return decode
