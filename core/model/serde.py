"""Lossless conversion between dataclass records and JSON-ready dicts.

Dates are ISO strings, aware datetimes keep their offset, enums store their value and
tuples stay tuples. ``from_dict(Type, to_dict(x)) == x`` holds for every record in
:mod:`momentum.core.model`; the round-trip test proves it.

Records stored by an older version keep reading back: a record class that holds per-domain
sections names that field in ``__domain_field__`` (``AthleteProfile.domain_profiles``,
``Activity.domain_metrics``), and a domain registers the top-level keys it once kept on
that record with :func:`register_legacy_keys`. Decoding moves such keys into the domain's
section (a value already in the section wins), so every backend upgrades old shapes in this
one place, with no migration step. A key no installed domain claims is not dropped: it
waits in the :data:`LEGACY_SECTION` section and is written back as it was read, until its
domain claims it (see :func:`claim_legacy`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import types
import typing
from collections.abc import Callable, Iterable, Mapping
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


LEGACY_SECTION = "_legacy"
"""The section of a record's per-domain field holding old top-level keys that no installed
domain has claimed yet (kept so a read and write-back loses nothing)."""

_LEGACY_OWNERS: dict[type, dict[str, str]] = {}
"""Per record class: old top-level key -> the domain whose section it moves into."""


def register_legacy_keys(cls: type, domain: str, keys: Iterable[str]) -> None:
    """Declare that ``domain`` owns the old top-level ``keys`` of records of ``cls``.

    ``cls`` must name its per-domain field in ``__domain_field__``. From then on
    :func:`from_dict` moves those keys of a stored record into ``field[domain]``. Calling it
    again with the same keys is harmless; a key already owned by another domain is refused.
    """
    holder = getattr(cls, "__domain_field__", None)
    if not isinstance(holder, str):
        raise TypeError(f"{cls.__name__} declares no __domain_field__ to upgrade into")
    fields = {f.name for f in dataclasses.fields(cls)}
    owners = _LEGACY_OWNERS.setdefault(cls, {})
    for key in keys:
        if key in fields:
            raise ValueError(f"{cls.__name__}.{key} is a current field, not a legacy key")
        if owners.get(key, domain) != domain:
            raise ValueError(
                f"{cls.__name__} legacy key {key!r} is already owned by {owners[key]!r}"
            )
        owners[key] = domain


def legacy_keys(cls: type, domain: str) -> frozenset[str]:
    """The old top-level keys of ``cls`` registered for ``domain``."""
    return frozenset(k for k, d in _LEGACY_OWNERS.get(cls, {}).items() if d == domain)


def claim_legacy(
    sections: Mapping[str, Any], domain: str, keys: Iterable[str]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Split a domain's values out of the :data:`LEGACY_SECTION` of ``sections``.

    For a record decoded before its domain registered: returns ``(section, rest)``, the
    domain's section with its waiting legacy ``keys`` merged under it (section values win)
    and the per-domain mapping without them (the legacy section dropped once empty).
    """
    section = dict(sections.get(domain) or {})
    rest = dict(sections)
    waiting = dict(rest.get(LEGACY_SECTION) or {})
    claimed = {k: waiting.pop(k) for k in list(waiting) if k in set(keys)}
    if claimed:
        section = claimed | section
        if waiting:
            rest[LEGACY_SECTION] = waiting
        else:
            rest.pop(LEGACY_SECTION, None)
    return section, rest


def _upgrade(cls: type, holder: str, data: Mapping[str, Any]) -> Mapping[str, Any]:
    """Move a stored record's keys that are not fields into its per-domain ``holder``."""
    fields = _field_names(cls)
    extra = [k for k in data if k not in fields]
    owners = _LEGACY_OWNERS.get(cls, {})
    if not extra and not (owners and LEGACY_SECTION in (data.get(holder) or ())):
        return data
    out = {k: v for k, v in data.items() if k in fields}
    sections = dict(out.get(holder) or {})
    for key in extra:
        domain = owners.get(key, LEGACY_SECTION)
        section = _section(cls, holder, sections, domain)
        section.setdefault(key, data[key])
        sections[domain] = section
    if owners and isinstance(sections.get(LEGACY_SECTION), dict):
        waiting = dict(sections[LEGACY_SECTION])
        for key in [k for k in waiting if k in owners]:
            section = _section(cls, holder, sections, owners[key])
            section.setdefault(key, waiting.pop(key))
            sections[owners[key]] = section
        if waiting:
            sections[LEGACY_SECTION] = waiting
        else:
            del sections[LEGACY_SECTION]
    out[holder] = sections
    return out


def _section(cls: type, holder: str, sections: Mapping[str, Any], domain: str) -> dict[str, Any]:
    found = sections.get(domain)
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise TypeError(f"{cls.__name__}.{holder}[{domain!r}] is not an object")
    return dict(found)


@cache
def _field_names(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls))


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

    holder = getattr(cls, "__domain_field__", None)

    def decode(data: Any) -> Any:
        if holder is not None:
            data = _upgrade(cls, holder, data)
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
