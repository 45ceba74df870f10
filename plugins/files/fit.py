"""FIT files (Garmin, Coros, Wahoo, Zwift...) decoded with ``fitdecode``.

Conventions: one activity per ``session`` message (records belong to the session whose
start they follow); speed and altitude prefer the ``enhanced_`` fields; positions are
converted from semicircles to degrees; running cadence is reported by FIT per leg, so it
is doubled (plus ``fractional_cadence``) into steps per minute; cycling cadence stays in
rpm. Readings with the same timestamp are merged. A session whose sub-sport is indoor
(treadmill, indoor cycling, virtual...) is indoor, and so is a ride with no positions and
no distance (a trainer). fitdecode runs strictly: a file it cannot read to the end
(truncated, CRC mismatch, bad header, undecodable message) is rejected as a whole.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
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
    __slots__ = ("avg_hr", "distance", "elapsed", "max_hr", "sport", "start", "sub_sport", "timer")

    def __init__(self, values: dict[str, Any]) -> None:
        self.start: dt.datetime | None = values.get("start_time") or values.get("timestamp")
        self.sport = _text(values.get("sport"))
        self.sub_sport = _text(values.get("sub_sport"))
        self.timer = _num(values.get("total_timer_time"))
        self.elapsed = _num(values.get("total_elapsed_time"))
        self.distance = _num(values.get("total_distance"))
        self.avg_hr = _num(values.get("avg_heart_rate"))
        self.max_hr = _num(values.get("max_heart_rate"))


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _num(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None


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


def decode_fit(data: bytes, name: str) -> tuple[list[Row], list[_Session], str]:
    """Every record (as a :data:`Row`), the sessions and the sport name of a FIT file.

    fitdecode runs strictly (CRC and decoding errors raise). Record fields are picked by
    a plan cached per definition message, so the per-record cost stays a few attribute
    reads above the decoder's own.
    """
    import fitdecode

    rows: list[Row] = []
    sessions: list[_Session] = []
    sport_name = ""
    plans: dict[int, tuple[int, list[tuple[int, Any, int]]] | None] = {}
    width = len(COLUMNS)
    data_frame = fitdecode.FIT_FRAME_DATA
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            processor=lean_processor(),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.RAISE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != data_frame:
                    continue
                definition = frame.def_mesg
                key = id(definition)
                fields = frame.fields
                if key not in plans:
                    plans[key] = _plan(definition.name, fields)
                plan = plans[key]
                if plan is not None:
                    count, picks = plan
                    row: Row = [None] * width
                    if len(fields) == count:
                        for position, field, column in picks:
                            item = fields[position]
                            if item.field is field:
                                row[column] = item.value
                            else:
                                row = _row_by_name(fields)
                                break
                    else:
                        row = _row_by_name(fields)
                    if row[0] is not None:
                        rows.append(row)
                    continue
                kind = definition.name
                if kind == "session":
                    sessions.append(_Session({f.name: f.value for f in fields}))
                elif kind == "sport":
                    sport_name = _text(frame.get_value("name", fallback=None))
    except fitdecode.FitEOFError as exc:
        raise InputError(name, f"truncated FIT file ({exc})") from None
    except fitdecode.FitCRCError as exc:
        raise InputError(name, f"corrupt FIT file: CRC mismatch ({exc})") from None
    except fitdecode.FitHeaderError as exc:
        raise InputError(name, f"not a FIT file ({exc})") from None
    except (fitdecode.FitError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise InputError(name, f"corrupt FIT file ({exc})") from None
    return rows, sessions, sport_name


def _plan(kind: str, fields: Sequence[Any]) -> tuple[int, list[tuple[int, Any, int]]] | None:
    """For ``record`` messages: (field count, [(position, profile field, column)])."""
    if kind != "record":
        return None
    picks = []
    for position, item in enumerate(fields):
        column = _COLUMN.get(item.name)
        if column is not None:
            picks.append((position, item.field, column))
    return len(fields), picks


def _row_by_name(fields: Sequence[Any]) -> Row:
    row: Row = [None] * len(COLUMNS)
    for item in fields:
        column = _COLUMN.get(item.name)
        if column is not None:
            row[column] = item.value
    return row


def read_fit(data: bytes, name: str) -> list[ParsedActivity]:
    """Parse a FIT file's bytes into activities (``InputError`` naming ``name`` if bad)."""
    if not data:
        raise InputError(name, "empty file")
    rows, sessions, sport_name = decode_fit(data, name)
    if not rows and not sessions:
        raise InputError(name, "FIT file holds no activity (no records or sessions)")
    if any(rows[i][0] > rows[i + 1][0] for i in range(len(rows) - 1)):
        rows.sort(key=lambda r: r[0])
    if not sessions:
        sessions = [_Session({"start_time": rows[0][0], "sport": None})]
    sessions.sort(key=lambda s: s.start or dt.datetime.min.replace(tzinfo=dt.UTC))
    groups = _split_by_session(rows, sessions)
    out = []
    for session, group in zip(sessions, groups, strict=True):
        parsed = _activity(session, group, sport_name)
        if parsed is not None:
            out.append(parsed)
    if not out:
        raise InputError(name, "FIT file holds no activity data")
    return out


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


def _activity(session: _Session, group: list[Row], sport_name: str) -> ParsedActivity | None:
    activity_type = activity_type_of(session.sport or sport_name or None)
    running = activity_type in {"Run", "TrailRun", "Walk", "Hike"}
    start = session.start or (group[0][0] if group else None)
    if start is None:
        return None
    if start.tzinfo is None:
        start = start.replace(tzinfo=dt.UTC)
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
            None if c is None else 2.0 * (c + (f or 0.0))
            for c, f in zip(cadence, fraction, strict=True)
        ]
    else:
        cadence_col = _floats(cadence)
    has_position = any(v is not None for v in lat)
    k = SEMICIRCLE_DEGREES
    lat_col = [None if a is None or b is None else a * k for a, b in zip(lat, lng, strict=True)]
    lng_col = [None if a is None or b is None else b * k for a, b in zip(lat, lng, strict=True)]
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
    return float(value) if isinstance(value, int | float) else None
