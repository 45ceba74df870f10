"""Activity records and the raw streams they are computed from.

Field names follow the talk's activity record (``distance_meters``,
``moving_time_seconds``, ``zone1_seconds`` ... ``core_ef``) so the JSON reads the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from momentum.core.model.record import Record

STREAM_CHANNELS = (
    "distance",
    "speed",
    "heart_rate",
    "cadence",
    "power",
    "grade",
    "altitude",
    "lat",
    "lng",
)
"""Channels a :class:`Streams` may carry besides ``time``. Units: metres, m/s, bpm, spm,
watts, percent grade, metres, degrees."""


@dataclass(frozen=True, repr=False, eq=False)
class SourceRange(Record):
    """Which source supplied a field, over which sample indices (``end`` exclusive).

    ``start``/``end`` of ``None`` mean the whole stream, as in the talk's
    ``{"field": "heart_rate", "source": "coros"}``.
    """

    field: str
    source: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True, repr=False, eq=False)
class Streams(Record):
    """Sampled channels of one activity on a common time axis (seconds from the start).

    ``channels`` maps a name from :data:`STREAM_CHANNELS` to a list as long as ``time``;
    ``None`` marks a missing sample.
    """

    time: tuple[float, ...]
    channels: dict[str, tuple[float | None, ...]] = field(default_factory=dict)
    source_ranges: tuple[SourceRange, ...] = ()
    is_indoor: bool = False
    sample_interval: float | None = 1.0

    def channel(self, name: str) -> tuple[float | None, ...] | None:
        """The named channel, or ``None`` when the activity has no such data."""
        return self.channels.get(name)


@dataclass(frozen=True, repr=False, eq=False)
class Split(Record):
    """One kilometre (or the final part-kilometre) of an activity."""

    index: int
    distance_meters: float
    moving_time_seconds: float
    pace_seconds_per_km: float | None
    gap_seconds_per_km: float | None
    avg_hr: float | None
    efficiency_factor: float | None
    elevation_gain_meters: float = 0.0


@dataclass(frozen=True, repr=False, eq=False)
class Activity(Record):
    """One activity: a run, ride, strength session or anything else the athlete did.

    Numbers are computed by a domain's analytics (running's
    :mod:`momentum.plugins.running.analytics`); ``None`` means "could not be computed from
    the data" (for example no heart rate), never zero. Numbers only one domain computes live
    in that domain's section of :attr:`domain_metrics`; activities stored before a number
    moved there read back through :func:`~momentum.core.model.serde.from_dict`, which
    moves the old top-level keys into the owning domain's section.
    """

    __domain_field__ = "domain_metrics"

    activity_id: str
    athlete_id: str
    activity_type: str
    start: dt.datetime
    activity_subtype: str = ""
    """``"Indoor"`` for treadmill or trainer sessions, else ``""`` or a source's subtype."""
    name: str = ""
    source: str = ""
    distance_meters: float = 0.0
    moving_time_seconds: float = 0.0
    elapsed_time_seconds: float = 0.0
    avg_hr: float | None = None
    max_hr: float | None = None
    zone1_seconds: float = 0.0
    zone2_seconds: float = 0.0
    zone3_seconds: float = 0.0
    zone4_seconds: float = 0.0
    zone5_seconds: float = 0.0
    avg_incline: float | None = None
    elevation_gain_meters: float = 0.0
    efficiency_factor: float | None = None
    core_ef: float | None = None
    core_ef_seconds: float = 0.0
    decoupling_percent: float | None = None
    hrss: float | None = None
    intensity: str = ""
    """Self-reported intensity for logged sessions with no data: easy, moderate or hard."""
    splits: tuple[Split, ...] = ()
    streams: Streams | None = None
    source_ids: dict[str, str] = field(default_factory=dict)
    """Ids of this activity in the systems it came from, e.g. ``{"peloton": "17321805264"}``."""
    notes: tuple[str, ...] = ()
    domain_metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per-domain numbers a domain plugin computes and owns, keyed by the domain's name
    (``{"running": {...}}``). JSON-ready values only; each domain reads its own section
    through its typed accessor."""
    deleted_at: dt.datetime | None = None
    """When the source confirmed the activity deleted. A deleted activity is kept (hidden
    from :meth:`~momentum.core.ports.storage.Storage.list_activities` and so from the
    coach) for a grace period, so a mistaken or forged delete can be undone, then purged."""

    @property
    def is_deleted(self) -> bool:
        """True once the activity is marked deleted (see :attr:`deleted_at`)."""
        return self.deleted_at is not None

    @property
    def is_run(self) -> bool:
        """True for any kind of run (outdoor, treadmill, trail)."""
        return "run" in self.activity_type.lower()

    @property
    def is_indoor(self) -> bool:
        """True for treadmill and trainer sessions."""
        return self.activity_subtype.lower() in {"indoor", "treadmill", "virtual"}

    @property
    def zone_seconds(self) -> tuple[float, float, float, float, float]:
        """Seconds in zones 1–5."""
        return (
            self.zone1_seconds,
            self.zone2_seconds,
            self.zone3_seconds,
            self.zone4_seconds,
            self.zone5_seconds,
        )
