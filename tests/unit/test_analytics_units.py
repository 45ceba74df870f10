"""Distances and times as people type them."""

from __future__ import annotations

import pytest

from momentum.plugins.running.analytics.units import (
    format_duration,
    format_pace,
    parse_distance,
    parse_duration,
)


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("5k", 5000),
        ("10K", 10000),
        ("half", 21097.5),
        ("Half Marathon", 21097.5),
        ("marathon", 42195),
        ("15k", 15000),
        ("3000m", 3000),
        ("1mi", 1609.344),
        ("26.2 miles", 26.2 * 1609.344),
        ("mile", 1609.344),
    ],
)
def test_parse_distance(text: str, metres: float) -> None:
    assert parse_distance(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "10x", "k10", "-5k", "0k", "five k"])
def test_bad_distances(text: str) -> None:
    with pytest.raises(ValueError, match="distance"):
        parse_distance(text)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("40:00", 2400), ("1:12:23", 4343), ("3:10:49", 11449), ("19:57.5", 1197.5), ("0:59", 59)],
)
def test_parse_duration(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["40", "40:75", "1:60:00", "a:bc", "0:00", "1::2", "-1:00"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ValueError, match="time"):
        parse_duration(text)


def test_formatting() -> None:
    assert format_duration(2400) == "40:00"
    assert format_duration(4343) == "1:12:23"
    assert format_pace(679.4) == "11:19"
