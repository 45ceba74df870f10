"""Oura's daily documents, checked and kept per athlete, kind and day.

Oura's daily summaries are numbers: a night's total sleep (s), efficiency (%), latency
(s), lowest heart rate and average HRV (ms), the readiness score and its contributors.
They are kept as core observations (:mod:`momentum.core.observations`, source ``oura``):
a write replaces that day of that kind, so a re-fetch (a webhook delivered twice, a
backfill run again) changes nothing.

``resting_hr`` is the lowest heart rate of the night's main sleep, Oura's own definition of
resting heart rate in its app; Oura's API has no separate daily resting-HR document.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from momentum import InputError, Observation, Storage
from momentum.core import observations

DAILY_KINDS = ("daily_sleep", "sleep", "daily_readiness", "daily_activity")
"""The collections kept as daily numbers; ``workout`` becomes activities instead."""
KINDS = (*DAILY_KINDS, "workout")
"""Every collection the plugin reads."""

SLEEP_FIELDS = (
    "total_sleep_duration",
    "time_in_bed",
    "efficiency",
    "latency",
    "lowest_heart_rate",
    "average_heart_rate",
    "average_hrv",
    "deep_sleep_duration",
    "light_sleep_duration",
    "rem_sleep_duration",
    "awake_time",
)
ACTIVITY_FIELDS = (
    "score",
    "steps",
    "active_calories",
    "total_calories",
    "high_activity_time",
    "medium_activity_time",
    "low_activity_time",
    "sedentary_time",
    "equivalent_walking_distance",
)
MAIN_SLEEP = "long_sleep"


@dataclass(frozen=True)
class DayValues:
    """One kind's numbers for one day (``None`` where Oura gave none)."""

    kind: str
    day: dt.date
    values: Mapping[str, float | None]

    def get(self, name: str) -> float | None:
        """One number, or ``None``."""
        return self.values.get(name)


def series_key(kind: str, day: dt.date) -> str:
    """Where one kind's numbers for one day are kept."""
    return observations.series_key("oura", kind, day)


def _number(value: Any, where: str, name: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(where, f"{name} is not a number ({value!r})")
    return float(value)


def _day(doc: Mapping[str, Any], where: str) -> dt.date:
    value = doc.get("day")
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"day is missing or not a date ({value!r})") from None


def _where(kind: str, doc: Mapping[str, Any]) -> str:
    return f"oura {kind} {doc.get('id', '?')}"


def _score_and_contributors(kind: str, doc: Mapping[str, Any]) -> dict[str, float | None]:
    where = _where(kind, doc)
    values = {"score": _number(doc.get("score"), where, "score")}
    contributors = doc.get("contributors") or {}
    if not isinstance(contributors, dict):
        raise InputError(where, "contributors is not an object")
    for name, value in contributors.items():
        values[f"contributor_{name}"] = _number(value, where, f"contributors.{name}")
    if "temperature_deviation" in doc:
        values["temperature_deviation"] = _number(
            doc.get("temperature_deviation"), where, "temperature_deviation"
        )
    return values


def aware_datetime(value: Any, where: str, name: str) -> dt.datetime:
    """An ISO 8601 date-time with its UTC offset, as Oura sends them; :class:`InputError`
    naming ``where`` and ``name`` for anything else."""
    try:
        parsed = dt.datetime.fromisoformat(str(value))
    except ValueError:
        raise InputError(where, f"{name} is missing or not a date-time ({value!r})") from None
    if parsed.tzinfo is None:
        raise InputError(where, f"{name} has no UTC offset ({value!r})")
    return parsed


def _clock_minutes(doc: Mapping[str, Any], name: str, where: str) -> float | None:
    """``bedtime_start``/``bedtime_end`` as minutes from midnight of the document's
    ``day`` (the morning the sleep ends), in the offset the instant carries: 23:10 the
    evening before is -50. ``None`` when Oura gave none."""
    value = doc.get(name)
    if value is None:
        return None
    instant = aware_datetime(value, where, name)
    midnight = dt.datetime.combine(_day(doc, where), dt.time(), tzinfo=instant.tzinfo)
    return (instant - midnight).total_seconds() / 60


def _sleep(doc: Mapping[str, Any]) -> dict[str, float | None]:
    where = _where("sleep", doc)
    values = {name: _number(doc.get(name), where, name) for name in SLEEP_FIELDS}
    values["resting_hr"] = values["lowest_heart_rate"]
    for name in ("bedtime_start", "bedtime_end"):  # when the night was (the sleep coach)
        values[f"{name}_min"] = _clock_minutes(doc, name, where)
    return values


def _activity(doc: Mapping[str, Any]) -> dict[str, float | None]:
    where = _where("daily_activity", doc)
    return {name: _number(doc.get(name), where, name) for name in ACTIVITY_FIELDS}


def _main_sleep(periods: list[Mapping[str, Any]]) -> Mapping[str, Any]:
    """The night's main sleep: Oura's ``long_sleep``, else the longest period."""
    return max(
        periods,
        key=lambda p: (p.get("type") == MAIN_SLEEP, float(p.get("total_sleep_duration") or 0)),
    )


def parse(kind: str, documents: Iterable[Mapping[str, Any]]) -> list[DayValues]:
    """Each day's numbers in a page of ``kind`` documents; :class:`InputError` naming the
    document and field for anything malformed (checked before anything is stored)."""
    if kind not in DAILY_KINDS:
        raise ValueError(f"not a daily kind: {kind}")
    by_day: dict[dt.date, list[Mapping[str, Any]]] = {}
    for doc in documents:
        if not isinstance(doc, Mapping):
            raise InputError(f"oura {kind}", "a document is not an object")
        if kind == "sleep" and doc.get("type") == "deleted":
            continue
        by_day.setdefault(_day(doc, _where(kind, doc)), []).append(doc)
    out = []
    for day, docs in sorted(by_day.items()):
        if kind == "sleep":
            values = _sleep(_main_sleep(docs))
        elif kind == "daily_activity":
            values = _activity(docs[-1])
        else:
            values = _score_and_contributors(kind, docs[-1])
        out.append(DayValues(kind, day, values))
    return out


def store(storage: Storage, athlete_id: str, days: Iterable[DayValues]) -> int:
    """Keep each day's numbers as core observations (source ``oura``), replacing what was
    there; returns how many changed."""
    return observations.keep(
        storage, athlete_id, (Observation("oura", d.kind, d.day, d.values) for d in days)
    )


def load(storage: Storage, athlete_id: str, kind: str, day: dt.date) -> DayValues | None:
    """One kind's numbers for one day, or ``None`` when none are kept."""
    found = observations.read(storage, athlete_id, "oura", kind, day)
    return None if found is None else DayValues(kind, day, dict(found.values))
