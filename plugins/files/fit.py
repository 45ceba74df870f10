"""FIT files (Garmin, Coros, Wahoo, Zwift...) decoded with ``fitdecode``.

Conventions: one activity per ``session`` message (records belong to the session whose
start they follow); speed and altitude prefer the ``enhanced_`` fields; positions are
converted from semicircles to degrees; running cadence is reported by FIT per leg, so it
is doubled (plus ``fractional_cadence``) into steps per minute; cycling cadence stays in
rpm. Readings with the same timestamp are merged. A session whose sub-sport is indoor
(treadmill, indoor cycling, virtual...) is indoor, and so is a ride with no positions and
no distance (a trainer). A pool swim with ``length`` messages is built length by length
(see :func:`_pool_swim`).

Damage: a CRC mismatch or a header that is not FIT rejects the file. A file that ends
early, or has an undecodable message part-way, keeps everything before the damage and
says so in the activity's ``notes``; a field whose size is not a multiple of its type's
is read as bytes (as the FIT SDK and fitparse do) rather than refusing the file.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from dataclasses import dataclass, field, replace
from typing import Any

from momentum.core.errors import InputError
from momentum.plugins.files.common import (
    ParsedActivity,
    Summary,
    activity_type_of,
    is_indoor_sport,
    streams_from_columns,
)

SEMICIRCLE_DEGREES = 180.0 / 2**31
COLUMNS = (
    "timestamp",
    "distance",
    "enhanced_speed",
    "speed",
    "heart_rate",
    "cadence",
    "fractional_cadence",
    "power",
    "grade",
    "enhanced_altitude",
    "altitude",
    "position_lat",
    "position_long",
)
"""Record fields we keep, in the order of a decoded row."""
_COLUMN = {name: i for i, name in enumerate(COLUMNS)}


class _Session:
    __slots__ = (
        "avg_hr",
        "distance",
        "elapsed",
        "max_hr",
        "pool_length",
        "sport",
        "start",
        "sub_sport",
        "timer",
    )

    def __init__(self, values: dict[str, Any]) -> None:
        self.start = _time(values.get("start_time")) or _time(values.get("timestamp"))
        self.sport = _text(values.get("sport"))
        self.sub_sport = _text(values.get("sub_sport"))
        self.timer = _num(values.get("total_timer_time"))
        self.elapsed = _num(values.get("total_elapsed_time"))
        self.distance = _num(values.get("total_distance"))
        self.avg_hr = _num(values.get("avg_heart_rate"))
        self.max_hr = _num(values.get("max_heart_rate"))
        self.pool_length = _num(values.get("pool_length"))

    def is_pool(self, lengths: list[_Length]) -> bool:
        """A pool swim the file describes length by length."""
        return bool(lengths) and bool(self.pool_length) and self.sub_sport != "open_water"


class _Length:
    """One ``length`` message: a pool length swum (active) or rested (idle)."""

    __slots__ = ("active", "seconds", "start", "stroke_rate")

    def __init__(self, values: dict[str, Any]) -> None:
        self.start = _time(values.get("start_time"))
        self.seconds = _num(values.get("total_elapsed_time")) or _num(
            values.get("total_timer_time")
        )
        if self.seconds is not None and not 0.0 < self.seconds < 24 * 3600:
            self.seconds = None
        self.active = _text(values.get("length_type")) != "idle"
        self.stroke_rate = _num(values.get("avg_swimming_cadence"))


def _time(value: Any) -> dt.datetime | None:
    """An aware datetime, or ``None`` for anything else (a damaged or relative time)."""
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _num(value: Any) -> float | None:
    return _f(value)


_PROCESSOR_CLASS: Any = None


def lean_processor() -> Any:
    """A fitdecode data processor giving exactly ``DefaultDataProcessor``'s values, cheaper.

    The default processor looks its hooks up by building method names for every field
    (type, field and unit hooks); it only defines type hooks, so this one skips the field
    and unit lookups and caches the type hook per field type.
    """
    global _PROCESSOR_CLASS
    if _PROCESSOR_CLASS is None:
        import fitdecode

        class LeanProcessor(fitdecode.DefaultDataProcessor):  # type: ignore[misc]
            def __init__(self) -> None:
                super().__init__()
                self._type_hooks: dict[int, Any] = {}

            def on_process_type(self, reader: Any, field_data: Any) -> None:
                kind = field_data.type
                hook = self._type_hooks.get(id(kind), _MISSING)
                if hook is _MISSING:
                    hook = getattr(self, f"process_type_{kind.name}", None)
                    self._type_hooks[id(kind)] = hook
                if hook is not None:
                    hook(reader, field_data)

            def on_process_field(self, reader: Any, field_data: Any) -> None:
                """DefaultDataProcessor defines no ``process_field_*`` hooks."""

            def on_process_unit(self, reader: Any, field_data: Any) -> None:
                """DefaultDataProcessor defines no ``process_units_*`` hooks."""

        _PROCESSOR_CLASS = LeanProcessor
    return _PROCESSOR_CLASS()


_MISSING = object()
Row = list[Any]
"""One decoded record: values in :data:`COLUMNS` order (``None`` when absent)."""


@dataclass
class Decoded:
    """What :func:`decode_fit` read from a FIT file."""

    rows: list[Row] = field(default_factory=list)
    sessions: list[_Session] = field(default_factory=list)
    lengths: list[_Length] = field(default_factory=list)
    sport_name: str = ""
    notes: list[str] = field(default_factory=list)
    """Damage that was read past (a truncated end, a malformed message), one line each."""


def decode_fit(data: bytes, name: str) -> Decoded:
    """Every record (as a :data:`Row`), session and pool length of a FIT file.

    fitdecode is used as documented: each data message's fields by name (compressed
    timestamps and compressed speed/distance arrive expanded). The file CRC is checked;
    a definition with an odd field size is read the way other decoders read it (as
    bytes, with a warning) instead of rejecting the file. A file that ends early or
    breaks mid-way keeps the messages before the damage, with a note saying where.
    """
    import fitdecode

    out = Decoded()
    data_frame = fitdecode.FIT_FRAME_DATA
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with fitdecode.FitReader(
                io.BytesIO(data),
                processor=lean_processor(),
                check_crc=fitdecode.CrcCheck.RAISE,
                error_handling=fitdecode.ErrorHandling.WARN,
            ) as reader:
                for frame in reader:
                    if frame.frame_type == data_frame:
                        _take(frame, out)
        for warning in caught[:3]:
            out.notes.append(f"read past a malformed message ({_first_line(warning.message)})")
    except fitdecode.FitCRCError as exc:
        raise InputError(name, f"corrupt FIT file: CRC mismatch ({exc})") from None
    except fitdecode.FitHeaderError as exc:
        if out.rows or out.sessions:
            out.notes.append(f"FIT data after the first file is damaged ({_first_line(exc)})")
        else:
            raise InputError(name, f"not a FIT file ({_first_line(exc)})") from None
    except fitdecode.FitEOFError as exc:
        if not out.rows and not out.sessions:
            raise InputError(name, f"truncated FIT file ({exc})") from None
        out.notes.append(f"truncated FIT file: kept the {len(out.rows)} records before the end")
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError) as exc:
        if not out.rows and not out.sessions:
            raise InputError(name, f"corrupt FIT file ({_first_line(exc)})") from None
        out.notes.append(
            f"damaged FIT file: kept the {len(out.rows)} records before the damage "
            f"({_first_line(exc)})"
        )
    return out


def _take(frame: Any, out: Decoded) -> None:
    kind = frame.name
    if kind == "record":
        values = {f.name: f.value for f in frame.fields}
        row = [values.get(column) for column in COLUMNS]
        row[0] = _time(row[0])
        if row[0] is not None:
            out.rows.append(row)
    elif kind == "session":
        out.sessions.append(_Session({f.name: f.value for f in frame.fields}))
    elif kind == "length":
        length = _Length({f.name: f.value for f in frame.fields})
        if length.start is not None and length.seconds is not None:
            out.lengths.append(length)
    elif kind == "sport":
        out.sport_name = _text(frame.get_value("name", fallback=None))


def _first_line(exc: object) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def read_fit(data: bytes, name: str) -> list[ParsedActivity]:
    """Parse a FIT file's bytes into activities (``InputError`` naming ``name`` if bad)."""
    if not data:
        raise InputError(name, "empty file")
    decoded = decode_fit(data, name)
    rows, sessions = decoded.rows, decoded.sessions
    if not rows and not sessions:
        raise InputError(name, "FIT file holds no activity (no records or sessions)")
    if any(rows[i][0] > rows[i + 1][0] for i in range(len(rows) - 1)):
        rows.sort(key=lambda r: r[0])
    sessions = [s for s in sessions if s.start is not None] or [
        _Session({"start_time": rows[0][0] if rows else None, "sport": None})
    ]
    sessions.sort(key=lambda s: s.start or _EPOCH)
    groups = _split_by_session(rows, sessions)
    out = []
    for session, group in zip(sessions, groups, strict=True):
        lengths = [x for x in decoded.lengths if _within(x, session)]
        parsed = _activity(session, group, decoded.sport_name, lengths)
        if parsed is not None:
            out.append(replace(parsed, notes=tuple(decoded.notes)))
    if not out:
        raise InputError(name, "FIT file holds no activity data")
    return out


_EPOCH = dt.datetime(1989, 12, 31, tzinfo=dt.UTC)


def _within(length: _Length, session: _Session) -> bool:
    start = session.start
    if start is None or length.start is None or length.start < start:
        return False
    span = session.elapsed if session.elapsed is not None else session.timer
    return span is None or (length.start - start).total_seconds() <= span + 1.0


def _split_by_session(rows: list[Row], sessions: list[_Session]) -> list[list[Row]]:
    if len(sessions) == 1:
        return [rows]
    groups: list[list[Row]] = [[] for _ in sessions]
    k = 0
    for row in rows:
        while k + 1 < len(sessions) and (s := sessions[k + 1].start) is not None and row[0] >= s:
            k += 1
        groups[k].append(row)
    return groups


def _activity(
    session: _Session, group: list[Row], sport_name: str, lengths: list[_Length]
) -> ParsedActivity | None:
    activity_type = activity_type_of(session.sport or sport_name or None)
    running = activity_type in {"Run", "TrailRun", "Walk", "Hike"}
    start = session.start or (group[0][0] if group else None)
    if start is None:
        return None
    if activity_type == "Swim" and session.is_pool(lengths):
        return _pool_swim(session, start, group, lengths)
    if len(group) < 2:
        if session.timer is None and session.elapsed is None:
            return None
        summary = Summary(
            moving_time_seconds=session.timer or session.elapsed or 0.0,
            elapsed_time_seconds=session.elapsed,
            distance_meters=session.distance or 0.0,
            avg_hr=session.avg_hr,
            max_hr=session.max_hr,
        )
        return ParsedActivity(start=start, activity_type=activity_type, summary=summary)
    group = _merge_same_time(group)
    (
        stamps,
        distance,
        enhanced_speed,
        speed,
        heart,
        cadence,
        fraction,
        power,
        grade,
        enhanced_altitude,
        altitude,
        lat,
        lng,
    ) = (list(c) for c in zip(*group, strict=True))
    origin = start.timestamp()
    times = [ts.timestamp() - origin for ts in stamps]
    speed_col = _prefer(enhanced_speed, speed)
    altitude_col = _prefer(enhanced_altitude, altitude)
    if running:
        cadence_col = [
            None if (c := _f(raw)) is None else 2.0 * (c + (_f(f) or 0.0))
            for raw, f in zip(cadence, fraction, strict=True)
        ]
    else:
        cadence_col = _floats(cadence)
    lat_col, lng_col = _degrees(lat, lng)
    has_position = any(v is not None for v in lat_col)
    cols: dict[str, list[float | None]] = {
        "distance": _floats(distance),
        "speed": speed_col,
        "heart_rate": _floats(heart),
        "cadence": cadence_col,
        "power": _floats(power),
        "grade": _floats(grade),
        "altitude": altitude_col,
        "lat": lat_col,
        "lng": lng_col,
    }
    no_motion = not has_position and not any(d for d in cols["distance"] if d)
    indoor = is_indoor_sport(session.sub_sport) or (activity_type == "Ride" and no_motion)
    streams = streams_from_columns(times, cols, indoor=indoor)
    return ParsedActivity(
        start=start,
        activity_type=activity_type,
        streams=streams,
        subtype="Indoor" if indoor else "",
    )


def _degrees(lat: list[Any], lng: list[Any]) -> tuple[list[float | None], list[float | None]]:
    """Semicircles to degrees; a pair with a missing or impossible half is dropped."""
    lat_out: list[float | None] = []
    lng_out: list[float | None] = []
    for a, b in zip(lat, lng, strict=True):
        x, y = _f(a), _f(b)
        if x is None or y is None or abs(x * SEMICIRCLE_DEGREES) > 90.0:
            lat_out.append(None)
            lng_out.append(None)
        else:
            lat_out.append(x * SEMICIRCLE_DEGREES)
            lng_out.append(y * SEMICIRCLE_DEGREES)
    return lat_out, lng_out


def _pool_swim(
    session: _Session, start: dt.datetime, group: list[Row], lengths: list[_Length]
) -> ParsedActivity:
    """A pool swim from its ``length`` messages: the sport's own unit.

    Each length is one interval of the streams (a sample at its start, when it does not
    follow on from the last one, and one at its end). Active lengths add the pool length
    to the distance; idle lengths (rest at the wall) add none, so moving time is the time
    of the active lengths, as the watch counts it. Cadence is the length's stroke rate
    (strokes/min); heart rate is the last record's reading at or before each sample.
    """
    pool = session.pool_length or 0.0
    times: list[float] = []
    distance: list[float | None] = []
    cadence: list[float | None] = []
    origin = start.timestamp()
    covered = 0.0
    for length in sorted(lengths, key=lambda x: x.start or start):
        assert length.start is not None and length.seconds is not None
        t0 = length.start.timestamp() - origin
        t1 = t0 + length.seconds
        if not times or t0 > times[-1] + 0.5:
            times.append(t0)
            distance.append(covered)
            cadence.append(None)
        elif t1 <= times[-1]:
            continue
        if length.active:
            covered += pool
        times.append(t1)
        distance.append(covered)
        cadence.append(length.stroke_rate if length.active else 0.0)
    heart = _heart_at(times, origin, group)
    streams = streams_from_columns(
        times, {"distance": distance, "cadence": cadence, "heart_rate": heart}, indoor=True
    )
    return ParsedActivity(start=start, activity_type="Swim", streams=streams, subtype="Pool")


def _heart_at(times: list[float], origin: float, group: list[Row]) -> list[float | None]:
    readings = [(row[0].timestamp() - origin, _f(row[4])) for row in group if row[4] is not None]
    out: list[float | None] = []
    k = -1
    for t in times:
        while k + 1 < len(readings) and readings[k + 1][0] <= t:
            k += 1
        out.append(readings[k][1] if k >= 0 else None)
    return out


def _merge_same_time(group: list[Row]) -> list[Row]:
    """Rows sharing a timestamp become one (later readings fill in missing ones)."""
    if len({row[0] for row in group}) == len(group):
        return group
    merged: list[Row] = []
    for row in group:
        if merged and merged[-1][0] == row[0]:
            last = merged[-1]
            for i, value in enumerate(row):
                if value is not None:
                    last[i] = value
        else:
            merged.append(list(row))
    return merged


def _prefer(first: list[Any], second: list[Any]) -> list[float | None]:
    return [_f(a if a is not None else b) for a, b in zip(first, second, strict=True)]


def _floats(values: list[Any]) -> list[float | None]:
    return [_f(v) for v in values]


def _f(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) else None
