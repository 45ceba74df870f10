"""The shared record base (:mod:`momentum.core.model.record`) behaves exactly like the methods
``@dataclass`` would generate: same ``repr``, same ``==``, same ``hash``.

Records skip the generated ``repr``/``eq``/``hash`` to import faster. Each record is
checked against a twin: the same fields, declared with plain ``@dataclass(frozen=True)``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core import model
from momentum.core.model.record import Record
from momentum.plugins.running import activity_metrics as running_metrics
from momentum.plugins.running import profile as running_profile
from momentum.plugins.running.model import plan as running_plan
from tests.unit.test_model_roundtrip import strategy_for

RECORDS = sorted(
    (
        cls
        for module in (model, running_plan, running_profile, running_metrics)
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if dataclasses.is_dataclass(cls)
    ),
    key=lambda cls: cls.__name__,
)
"""Core's records, running's plan records and the ones running keeps in their per-domain
sections."""


def _twin(cls: type) -> type:
    """``cls`` declared as a plain frozen dataclass (generated repr/eq/hash)."""
    namespace: dict[str, typing.Any] = {
        "__annotations__": {f.name: f.type for f in dataclasses.fields(cls)},
        "__qualname__": cls.__qualname__,
        "__module__": __name__,
    }
    for f in dataclasses.fields(cls):
        namespace[f.name] = dataclasses.field(
            default=f.default,
            default_factory=f.default_factory,
            repr=f.repr,
            hash=f.hash,
            compare=f.compare,
        )
    twin: type = dataclasses.dataclass(frozen=True)(type(cls.__name__, (), namespace))
    return twin


def _as_twin(record: typing.Any, twin: type) -> typing.Any:
    return twin(**{f.name: getattr(record, f.name) for f in dataclasses.fields(record)})


def _hash(value: typing.Any) -> int | str:
    try:
        return hash(value)
    except TypeError as exc:  # a dict field: unhashable, and must say so the same way
        return f"TypeError: {exc}"


def test_every_record_uses_the_base_and_skips_the_generated_methods() -> None:
    assert len(RECORDS) >= 20
    for cls in RECORDS:
        assert issubclass(cls, Record), cls
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert params.frozen and not params.repr and not params.eq, cls
        for method in ("__repr__", "__eq__", "__hash__"):
            assert method not in vars(cls), (cls, method)


@pytest.mark.parametrize("record_type", RECORDS, ids=lambda t: t.__name__)
def test_repr_eq_and_hash_match_a_plain_dataclass(record_type: type) -> None:
    twin = _twin(record_type)
    strategy = strategy_for(record_type)

    names = [f.name for f in dataclasses.fields(record_type)]

    @settings(max_examples=30, deadline=None)
    @given(strategy, strategy, st.sampled_from(names), st.booleans())
    def check(a: typing.Any, other: typing.Any, name: str, same: bool) -> None:
        # ``b`` differs from ``a`` in at most one field, where a slip would hide.
        b = dataclasses.replace(a, **({} if same else {name: getattr(other, name)}))
        ta, tb = _as_twin(a, twin), _as_twin(b, twin)
        assert repr(a) == repr(ta) and repr(b) == repr(tb)
        assert (a == b) is (ta == tb)
        assert (a != b) is (ta != tb)
        assert _hash(a) == _hash(ta) and _hash(b) == _hash(tb)
        if same:
            assert a == b and _hash(a) == _hash(b)

    check()


def test_records_of_other_types_are_never_equal() -> None:
    note = model.Reflection("r1", "adam", dt.datetime(2026, 3, 3, 6, 30, tzinfo=dt.UTC), "tired")
    assert note != ("r1", "adam", note.at, "tired", "chat")
    assert note.__eq__(object()) is NotImplemented
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.text = "fresh"  # type: ignore[misc]
