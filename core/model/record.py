"""The base of every record: field-wise ``repr``, ``==`` and ``hash``, shared.

``@dataclass`` writes each method it adds as source text and compiles it, class by class,
and that compiling is most of what importing :mod:`momentum.core.model` costs, paid again on
every serverless cold start. Records are declared
``@dataclass(frozen=True, repr=False, eq=False)`` on this base, so dataclasses compiles
only ``__init__`` and the frozen guards; ``repr``, ``==`` and ``hash`` come from here and
behave exactly as the generated ones would (the same output, the same fields: those with
``repr``/``compare``/``hash`` set, compared only with the same class).
"""

from __future__ import annotations

import dataclasses
import operator
import reprlib
from collections.abc import Callable
from typing import Any

_Getter = Callable[[Any], tuple[Any, ...]]


def _getter(names: tuple[str, ...]) -> _Getter:
    """A C-speed function returning the named attributes as a tuple (always a tuple)."""
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        get_one = operator.attrgetter(names[0])
        return lambda obj: (get_one(obj),)
    many: _Getter = operator.attrgetter(*names)
    return many


class _Plan:
    """What a record class shows, compares and hashes; worked out on first use."""

    __slots__ = ("compare", "hash", "repr")

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        self.repr = tuple(f.name for f in fields if f.repr)
        self.compare = _getter(tuple(f.name for f in fields if f.compare))
        self.hash = _getter(
            tuple(f.name for f in fields if (f.compare if f.hash is None else f.hash))
        )


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = _Plan(cls)
    return plan


class Record:
    """Base class for the frozen dataclass records in :mod:`momentum.core.model`."""

    __slots__ = ()

    @reprlib.recursive_repr()
    def __repr__(self) -> str:
        cls = self.__class__
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in _plan(cls).repr)
        return f"{cls.__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        compare = _plan(self.__class__).compare
        return compare(self) == compare(other)

    def __hash__(self) -> int:
        return hash(_plan(self.__class__).hash(self))
