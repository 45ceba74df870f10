"""One night's sleep, whatever measured it, kept as core observations.

A night is dated by the local day it ends on (the morning you wake up). Clock times are
minutes from that day's local midnight: an onset at 23:10 the evening before is -50, a
wake at 06:50 is 410.

Apple Health nights are kept by this plugin as observations of source ``apple_health``,
kind ``night``. Oura's nights are kept by the Oura plugin (source ``oura``, kind
``sleep``): total sleep, time in bed, latency, and ``bedtime_start_min`` /
``bedtime_end_min`` (Oura's time into and out of bed). From those, the onset is the time
into bed plus the latency and the final waking is Oura's bedtime end (Oura does not say
how long you lay awake before getting up). When both sources have a night, Apple
Health's is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, fields

from momentum import Observation, Storage
from momentum.core import observations

SOURCE = "apple_health"
KIND = "night"
OURA = ("oura", "sleep")


@dataclass(frozen=True)
class Night:
    """One night's numbers (durations in seconds, clock times in minutes from the wake
    day's midnight, ``None`` where the source does not say)."""

    day: dt.date
    source: str
    total_sleep_s: float
    time_in_bed_s: float | None = None
    onset_min: float | None = None
    offset_min: float | None = None
    bed_start_min: float | None = None
    awake_s: float | None = None
    deep_s: float | None = None
    rem_s: float | None = None
    core_s: float | None = None
    utc_offset_min: float | None = None

    @property
    def hours(self) -> float:
        """Total sleep in hours."""
        return self.total_sleep_s / 3600

    @property
    def timed(self) -> bool:
        """Whether the night has its onset and final waking."""
        return self.onset_min is not None and self.offset_min is not None

    def observation(self) -> Observation:
        """The night as an observation of its source."""
        skip = {"day", "source"}
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in skip}
        return Observation(self.source, KIND, self.day, values)


def _night(found: Observation) -> Night:
    names = {f.name for f in fields(Night)} - {"day", "source"}
    values = {k: v for k, v in found.values.items() if k in names}
    values.setdefault("total_sleep_s", 0.0)
    return Night(day=found.day, source=found.source, **values)  # type: ignore[arg-type]


def _oura_night(found: Observation) -> Night | None:
    values = found.values
    total = values.get("total_sleep_duration")
    if total is None:
        return None
    bed, end = values.get("bedtime_start_min"), values.get("bedtime_end_min")
    timed = bed is not None and end is not None and end > bed
    onset = bed + (values.get("latency") or 0.0) / 60 if timed and bed is not None else None
    return Night(
        found.day,
        "oura",
        float(total),
        values.get("time_in_bed"),
        onset_min=onset,
        offset_min=end if timed else None,
        bed_start_min=bed if timed else None,
        awake_s=values.get("awake_time"),
        deep_s=values.get("deep_sleep_duration"),
        rem_s=values.get("rem_sleep_duration"),
        core_s=values.get("light_sleep_duration"),
    )


def keep_nights(storage: Storage, athlete_id: str, nights: Iterable[Night]) -> int:
    """Keep each night (replacing that day's); returns how many changed."""
    return observations.keep(storage, athlete_id, (n.observation() for n in nights))


def read_night(storage: Storage, athlete_id: str, day: dt.date) -> Night | None:
    """The night ending on ``day``: Apple Health's when kept, else Oura's, else ``None``."""
    found = observations.read(storage, athlete_id, SOURCE, KIND, day)
    if found is not None:
        return _night(found)
    oura = observations.read(storage, athlete_id, *OURA, day)
    return None if oura is None else _oura_night(oura)


def read_nights(storage: Storage, athlete_id: str, start: dt.date, end: dt.date) -> list[Night]:
    """The nights ending from ``start`` to ``end`` inclusive, oldest first (days without
    data are left out)."""
    out = []
    day = start
    while day <= end:
        night = read_night(storage, athlete_id, day)
        if night is not None:
            out.append(night)
        day += dt.timedelta(days=1)
    return out
