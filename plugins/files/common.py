"""What every file reader shares: the parsed-activity shape, sport names, ids, limits.

Readers turn bytes into :class:`ParsedActivity` objects; :func:`to_activity` turns those
into records with :func:`momentum.plugins.running.analytics.record.build_activity` (streams) or
:func:`momentum.plugins.running.analytics.summary.summary_activity` (summary rows).

Activity ids are deterministic so re-importing changes nothing: ``<format>-<hash>`` from a
SHA-256 of the file's (decompressed) bytes, ``-<n>`` appended for the n-th activity of a
multi-activity file; Garmin CSV rows hash the row's identifying fields; Strava export
activities keep their Strava id (the id the Strava API uses, so the two sources agree).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import statistics
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from momentum.core.errors import InputError
from momentum.core.model import Activity, AthleteProfile, Streams
from momentum.plugins.running.analytics.record import RecordOptions, build_activity
from momentum.plugins.running.analytics.summary import summary_activity

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Largest activity file we read, as stored or once decompressed (a gzip, a zip member);
bigger is refused rather than exhausting memory. A day of 1 Hz GPX with heart rate is
about 25 MB; a decompression bomb is refused once it passes this."""
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
SOURCE = "files"


@dataclass(frozen=True)
class Summary:
    """Summary numbers of an activity that has no streams."""

    moving_time_seconds: float
    elapsed_time_seconds: float | None = None
    distance_meters: float = 0.0
    avg_hr: float | None = None
    max_hr: float | None = None
    elevation_gain_meters: float = 0.0


@dataclass(frozen=True)
class ParsedActivity:
    """One activity read from a file, before the analytics run."""

    start: dt.datetime
    activity_type: str
    streams: Streams | None = None
    summary: Summary | None = None
    subtype: str = ""
    name: str = ""
    activity_id: str = ""
    source_ids: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    """What the reader had to work around (damage read past, missing times), one line each."""


SPORTS = {
    "running": "Run",
    "run": "Run",
    "trail_running": "TrailRun",
    "trailrun": "TrailRun",
    "treadmill": "Run",
    "treadmill_running": "Run",
    "virtualrun": "Run",
    "virtual_run": "Run",
    "cycling": "Ride",
    "biking": "Ride",
    "ride": "Ride",
    "road_biking": "Ride",
    "mountain_biking": "Ride",
    "virtualride": "Ride",
    "virtual_ride": "Ride",
    "indoor_cycling": "Ride",
    "walking": "Walk",
    "walk": "Walk",
    "hiking": "Hike",
    "hike": "Hike",
    "swimming": "Swim",
    "lap_swimming": "Swim",
    "open_water_swimming": "Swim",
    "swim": "Swim",
    "training": "Workout",
    "strength_training": "WeightTraining",
    "weighttraining": "WeightTraining",
    "weight_training": "WeightTraining",
    "yoga": "Yoga",
    "rowing": "Rowing",
    "indoor_rowing": "Rowing",
    "elliptical": "Elliptical",
    "other": "Workout",
    "generic": "Workout",
}
"""Source sport names (FIT, TCX, GPX, Garmin, Strava) → our activity types (Strava's)."""
INDOOR_SUBSPORTS = {
    "treadmill",
    "indoor_cycling",
    "indoor_running",
    "indoor_walking",
    "indoor_rowing",
    "virtual_activity",
    "spin",
    "virtualrun",
    "virtualride",
    "virtual_run",
    "virtual_ride",
    "treadmill_running",
}


def activity_type_of(sport: str | None, default: str = "Workout") -> str:
    """Our activity type for a source's sport name (case, spaces and dashes ignored)."""
    if not sport:
        return default
    key = str(sport).strip().lower().replace(" ", "_").replace("-", "_")
    if key in SPORTS:
        return SPORTS[key]
    squashed = key.replace("_", "")
    for name, value in SPORTS.items():
        if name.replace("_", "") == squashed:
            return value
    if "run" in key:
        return "Run"
    if "ride" in key or "cycl" in key or "bik" in key:
        return "Ride"
    return default


def is_indoor_sport(*names: str | None) -> bool:
    """True when any of the sport or sub-sport names means an indoor session."""
    for name in names:
        if name and str(name).strip().lower().replace(" ", "_") in INDOOR_SUBSPORTS:
            return True
    return False


def content_id(prefix: str, data: bytes) -> str:
    """A deterministic id from a file's bytes."""
    return f"{prefix}-{hashlib.sha256(data).hexdigest()[:20]}"


def text_id(prefix: str, parts: Sequence[str]) -> str:
    """A deterministic id from identifying text fields."""
    joined = "\x1f".join(parts).encode("utf-8")
    return f"{prefix}-{hashlib.sha256(joined).hexdigest()[:20]}"


def maybe_gunzip(data: bytes, name: str) -> bytes:
    """``data`` decompressed when it is gzip (by magic bytes), size-limited."""
    if data[:2] != b"\x1f\x8b":
        return data
    try:
        out = _bounded_gunzip(data)
    except _TooBig:
        raise InputError(name, f"expands beyond {MAX_FILE_MB} MB when decompressed") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(name, f"corrupt gzip data ({exc})") from None
    if not out:
        raise InputError(name, "empty file inside the gzip")
    return out


class _TooBig(Exception):
    pass


def _bounded_gunzip(data: bytes, chunk: int = 1 << 20) -> bytes:
    """Decompress a megabyte at a time, stopping as soon as the limit is passed (one big
    ``decompress`` call would grow and copy its buffer up to the limit first)."""
    decompressor = zlib.decompressobj(16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = data
    while not decompressor.eof:
        piece = decompressor.decompress(pending, chunk)
        pending = decompressor.unconsumed_tail
        out += piece
        if len(out) > MAX_FILE_BYTES:
            raise _TooBig
        if not piece and not pending:
            break
    if not decompressor.eof:
        raise EOFError("truncated gzip stream")
    return bytes(out)


PLAUSIBLE = {
    "distance": (0.0, 1e8),
    "speed": (0.0, 300.0),
    "heart_rate": (0.0, 300.0),
    "cadence": (0.0, 1000.0),
    "power": (0.0, 10_000.0),
    "grade": (-100.0, 100.0),
    "altitude": (-1000.0, 10_000.0),
    "lat": (-90.0, 90.0),
    "lng": (-180.0, 180.0),
}
"""Readings outside these bounds (and NaN or infinity) are no reading: a damaged file or a
sensor's "invalid" value, never a measurement."""


def _plausible(name: str, values: Sequence[float | None]) -> tuple[float | None, ...]:
    low, high = PLAUSIBLE.get(name, (-1e12, 1e12))
    return tuple(v if v is not None and low <= v <= high else None for v in values)


def streams_from_columns(
    times: Sequence[float],
    columns: dict[str, list[float | None]],
    *,
    indoor: bool = False,
) -> Streams:
    """A :class:`Streams` from parallel columns, dropping implausible readings (see
    :data:`PLAUSIBLE`) and channels with no readings."""
    cleaned = {name: _plausible(name, values) for name, values in columns.items()}
    channels = {
        name: values for name, values in cleaned.items() if any(v is not None for v in values)
    }
    steps = [b - a for a, b in itertools.pairwise(times) if b > a]
    interval: float | None = None
    if steps:
        median = statistics.median(steps)
        interval = median if all(abs(s - median) < 1e-6 for s in steps) else None
    return Streams(time=tuple(times), channels=channels, is_indoor=indoor, sample_interval=interval)


def to_activity(
    parsed: ParsedActivity,
    athlete: AthleteProfile,
    activity_id: str,
    source: str = SOURCE,
    options: RecordOptions | None = None,
) -> Activity:
    """The activity record of a parsed activity (``options`` choose e.g. the GAP model)."""
    if parsed.streams is not None and len(parsed.streams.time) >= 2:
        activity = build_activity(
            parsed.streams,
            athlete,
            activity_id=activity_id,
            activity_type=parsed.activity_type,
            start=parsed.start,
            name=parsed.name,
            source=source,
            subtype=parsed.subtype,
            options=options,
        )
    else:
        summary = parsed.summary or Summary(moving_time_seconds=0.0)
        activity = summary_activity(
            athlete,
            activity_id=activity_id,
            activity_type=parsed.activity_type,
            start=parsed.start,
            moving_time_seconds=summary.moving_time_seconds,
            elapsed_time_seconds=summary.elapsed_time_seconds,
            distance_meters=summary.distance_meters,
            avg_hr=summary.avg_hr,
            max_hr=summary.max_hr,
            elevation_gain_meters=summary.elevation_gain_meters,
            name=parsed.name,
            source=source,
            subtype=parsed.subtype,
        )
    if parsed.source_ids:
        activity = replace(activity, source_ids=dict(parsed.source_ids))
    if parsed.notes:
        activity = replace(activity, notes=(*activity.notes, *parsed.notes))
    if not activity.name:
        activity = replace(
            activity, name=default_name(activity.activity_type, activity.start, athlete.timezone)
        )
    return activity


_TYPE_WORDS = {"WeightTraining": "Weight Training", "TrailRun": "Trail Run"}


def default_name(activity_type: str, start: dt.datetime, timezone: str) -> str:
    """A name like Strava's when the file has none: "Morning Run", "Evening Ride"."""
    try:
        from zoneinfo import ZoneInfo

        local = start.astimezone(ZoneInfo(timezone)) if start.tzinfo else start
    except (KeyError, ValueError):
        local = start
    hour = local.hour
    if 5 <= hour < 12:
        part = "Morning"
    elif 12 <= hour < 17:
        part = "Afternoon"
    elif 17 <= hour < 21:
        part = "Evening"
    else:
        part = "Night"
    return f"{part} {_TYPE_WORDS.get(activity_type, activity_type)}"
