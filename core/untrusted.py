"""Reading untrusted JSON (webhook and chat bodies) so that a malformed body is an
:class:`~momentum.core.errors.InputError` (a 400), never a crash (a 500).

The standard library's parser accepts ``NaN``, ``Infinity`` and ``-Infinity`` (not JSON)
and raises RecursionError, not a decode error, on deeply nested arrays. Bodies from the
outside are plain: a few levels of objects and finite numbers.
"""

from __future__ import annotations

import json
from typing import Any

from momentum.core.errors import InputError

MAX_DEPTH = 32
"""Nesting deeper than this is refused (Slack's and the data sources' payloads use fewer
than 10)."""


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def parse_json(data: bytes | str, source: str, what: str = "body") -> Any:
    """The JSON value in ``data``, or :class:`InputError` (from ``source``) naming what is
    wrong: not UTF-8, not JSON, ``NaN``/``Infinity``, or nested over :data:`MAX_DEPTH`."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(source, f"{what} is not valid JSON (not UTF-8)") from None
    try:
        value = json.loads(data, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"{what} is not valid JSON ({exc.msg})") from None
    except ValueError as exc:
        raise InputError(source, f"{what} is not valid JSON ({exc})") from None
    except RecursionError:
        raise InputError(source, f"{what} is nested deeper than {MAX_DEPTH} levels") from None
    if _depth_over(value, MAX_DEPTH):
        raise InputError(source, f"{what} is nested deeper than {MAX_DEPTH} levels")
    return value


def _depth_over(value: Any, limit: int) -> bool:
    """True when ``value`` nests more than ``limit`` containers (iterative: no recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
