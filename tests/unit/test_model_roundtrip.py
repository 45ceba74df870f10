"""Every core record survives JSON and back without loss (property-based)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import typing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from momentum.core import model
from momentum.core.model import from_json, to_json
from momentum.plugins.running.activity_metrics import (
    RunningMetrics,
    running_metrics,
    with_running_metrics,
)
from momentum.plugins.running.model import plan as running_plan
from momentum.plugins.running.profile import RunningProfile

RECORDS = [
    model.AthleteProfile,
    model.Activity,
    model.Streams,
    running_plan.Plan,
    running_plan.PlanWeek,
    running_plan.PlannedSession,
    model.Reflection,
    model.ActivityNote,
    model.MemoryItem,
    model.Message,
    model.LLMUsage,
    model.OAuthToken,
    RunningProfile,
    RunningMetrics,
]

aware_datetimes = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [
            dt.UTC,
            dt.timezone(dt.timedelta(hours=-5)),
            dt.timezone(dt.timedelta(hours=5, minutes=30)),
        ]
    ),
)
finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)
text = st.text(max_size=20)


def strategy_for(tp: typing.Any) -> st.SearchStrategy[typing.Any]:
    """A hypothesis strategy for any type used in momentum.core.model records."""
    if tp is typing.Any:  # JSON-ready values (a domain's profile section)
        leaves = st.none() | st.booleans() | st.integers(-(2**40), 2**40) | finite_floats | text
        return st.recursive(
            leaves,
            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
            max_leaves=6,
        )
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, __import__("types").UnionType):
        return st.one_of(*(strategy_for(a) for a in args))
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(strategy_for(args[0]), max_size=3).map(tuple)
        return st.tuples(*(strategy_for(a) for a in args))
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=3)
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=3)
    if tp is type(None):
        return st.none()
    if tp is str:
        return text
    if tp is int:
        return st.integers(-(2**40), 2**40)
    if tp is float:
        return finite_floats
    if tp is bool:
        return st.booleans()
    if tp is dt.datetime:
        return aware_datetimes
    if tp is dt.date:
        return st.dates()
    if isinstance(tp, type) and issubclass(tp, __import__("enum").Enum):
        return st.sampled_from(list(tp))
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(tp)}
        return st.fixed_dictionaries(fields).map(lambda kw: tp(**kw))
    raise TypeError(f"no strategy for {tp!r}")


@pytest.mark.parametrize("record_type", RECORDS, ids=lambda t: t.__name__)
def test_json_round_trip_is_lossless(record_type: type) -> None:
    @settings(max_examples=40, deadline=None)
    @given(strategy_for(record_type))
    def check(record: typing.Any) -> None:
        text_form = to_json(record)
        json.loads(text_form)  # valid JSON
        again = from_json(record_type, text_form)
        assert again == record
        assert to_json(again) == text_form

    check()


def test_aware_datetimes_keep_their_offset() -> None:
    at = dt.datetime(2026, 2, 19, 6, 31, tzinfo=dt.timezone(dt.timedelta(hours=-5)))
    note = model.Reflection("r1", "adam", at, "legs are tired")
    back = from_json(model.Reflection, to_json(note))
    assert back.at.utcoffset() == dt.timedelta(hours=-5)


def test_activity_json_uses_the_talks_field_names() -> None:
    activity = with_running_metrics(
        model.Activity(
            activity_id="17321805264",
            athlete_id="adam",
            activity_type="Run",
            activity_subtype="Indoor",
            start=dt.datetime(2026, 2, 19, 6, 0, tzinfo=dt.UTC),
            distance_meters=10713,
            moving_time_seconds=7260,
            avg_hr=137,
            zone1_seconds=1206,
        ),
        gap_seconds_per_km=679,
    )
    data = json.loads(to_json(activity))
    for name in (
        "activity_id",
        "activity_type",
        "activity_subtype",
        "distance_meters",
        "moving_time_seconds",
        "avg_hr",
        "zone1_seconds",
        "zone5_seconds",
        "avg_incline",
        "efficiency_factor",
        "core_ef",
        "splits",
    ):
        assert name in data
    assert running_metrics(activity).gap_str == "11:19 min/km"


def test_wrong_types_are_rejected() -> None:
    with pytest.raises(TypeError):
        from_json(
            model.Reflection,
            '{"reflection_id": 5, "athlete_id": "a", '
            '"at": "2026-01-01T00:00:00+00:00", "text": "x"}',
        )
