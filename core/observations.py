"""Daily observations: the numbers a source or a domain keeps per athlete, kind and day.

A ring's night (total sleep, efficiency, lowest heart rate, HRV), a day's readiness score,
a sleep diary entry from a file, a logged meal's nutrients: each is an
:class:`Observation` (``source``, ``kind``, ``day`` and named numbers). They are kept
through the Storage port's per-athlete series (``put_streams``) under
``<source>:<kind>:<day>``, one sample per number, so every target that stores streams
stores them too, with the athlete's other data (deleted with it). A write replaces that
day of that kind, so a re-fetch or a re-import changes nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from momentum.core.errors import InputError
from momentum.core.model import Streams

if TYPE_CHECKING:
    from momentum.core.ports.storage import Storage

_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")


@dataclass(frozen=True)
class Observation:
    """One kind of numbers from one source for one day (``None`` where none was given)."""

    source: str
    """Who measured or logged it: ``"oura"``, ``"apple_health"``, ``"meals"``."""
    kind: str
    """What it is: ``"sleep"``, ``"daily_readiness"``, ``"intake"``."""
    day: dt.date
    values: Mapping[str, float | None]

    def __post_init__(self) -> None:
        for label, name in (("source", self.source), ("kind", self.kind)):
            if not name or not set(name) <= _NAME_CHARS:
                raise InputError(f"observation {label}", f"{name!r}: use a-z, 0-9 and _ only")
        for name, value in self.values.items():
            if value is not None and (isinstance(value, bool) or not math.isfinite(value)):
                raise InputError(
                    f"observation {self.source}:{self.kind} on {self.day}",
                    f"{name} is {value!r}, expected a finite number or None",
                )


def series_key(source: str, kind: str, day: dt.date) -> str:
    """Where one source's numbers of one kind for one day are kept."""
    return f"{source}:{kind}:{day.isoformat()}"


def keep(storage: Storage, athlete_id: str, observations: Iterable[Observation]) -> int:
    """Keep each observation, replacing that day of that kind; returns how many changed
    (an identical re-write changes nothing and writes nothing)."""
    changed = 0
    for item in observations:
        series = Streams(
            time=(0.0,),
            channels={name: (value,) for name, value in sorted(item.values.items())},
            sample_interval=None,
        )
        key = series_key(item.source, item.kind, item.day)
        if storage.get_streams(athlete_id, key) == series:
            continue
        storage.put_streams(athlete_id, key, series)
        changed += 1
    return changed


def _observation(source: str, kind: str, day: dt.date, series: Streams) -> Observation:
    values = {name: values[0] for name, values in series.channels.items()}
    return Observation(source, kind, day, values)


def read(
    storage: Storage, athlete_id: str, source: str, kind: str, day: dt.date
) -> Observation | None:
    """One source's numbers of one kind for one day, or ``None`` when none are kept."""
    series = storage.get_streams(athlete_id, series_key(source, kind, day))
    return None if series is None else _observation(source, kind, day, series)


def read_days(
    storage: Storage, athlete_id: str, source: str, kind: str, start: dt.date, end: dt.date
) -> list[Observation]:
    """The kept observations from ``start`` to ``end`` inclusive, oldest first (days with
    none are left out), in one batch read (:meth:`Storage.get_many_streams`: one query on
    SQL stores)."""
    days = [start + dt.timedelta(days=k) for k in range((end - start).days + 1)]
    keys = {series_key(source, kind, day): day for day in days}
    found = storage.get_many_streams(athlete_id, list(keys))
    return [_observation(source, kind, keys[key], found[key]) for key in keys if key in found]
