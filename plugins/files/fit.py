"""FIT files (Garmin, Coros, Wahoo, Zwift...) decoded with ``fitdecode``.

Conventions: one activity per ``session`` message (records belong to the session whose
start they follow); speed and altitude prefer the ``enhanced_`` fields; positions are
converted from semicircles to degrees; running cadence is reported by FIT per leg, so it
is doubled (plus ``fractional_cadence``) into steps per minute; cycling cadence stays in
rpm. Readings with the same timestamp are merged. A session whose sub-sport is indoor
(treadmill, indoor cycling, virtual...) is indoor, and so is a ride with no positions and
no distance (a trainer). A file that fitdecode cannot read to the end (truncated, bad CRC,
bad header) is rejected as a whole.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from core.errors import InputError
from plugins.files.common import (
    ParsedActivity,
    Summary,
    activity_type_of,
    is_indoor_sport,
    streams_from_columns,
)

SEMICIRCLE_DEGREES = 180.0 / 2**31
_RECORD_FIELDS = frozenset(
    {
        "timestamp",
        "heart_rate",
        "cadence",
        "fractional_cadence",
        "speed",
        "enhanced_speed",
        "distance",
        "altitude",
        "enhanced_altitude",
        "position_lat",
        "position_long",
        "power",
        "grade",
    }
)


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


def decode_fit(
    data: bytes, name: str
) -> tuple[list[tuple[dt.datetime, dict[str, Any]]], list[_Session], str]:
    """All records (timestamp, wanted fields), sessions and the sport name of a FIT file."""
    import fitdecode

    records: list[tuple[dt.datetime, dict[str, Any]]] = []
    sessions: list[_Session] = []
    sport_name = ""
    wanted = _RECORD_FIELDS
    data_frame = fitdecode.FIT_FRAME_DATA
    try:
        with fitdecode.FitReader(io.BytesIO(data)) as reader:
            for frame in reader:
                if frame.frame_type != data_frame:
                    continue
                kind = frame.name
                if kind == "record":
                    values = {f.name: f.value for f in frame.fields if f.name in wanted}
                    ts = values.get("timestamp")
                    if isinstance(ts, dt.datetime):
                        records.append((ts, values))
                elif kind == "session":
                    sessions.append(_Session({f.name: f.value for f in frame.fields}))
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
    return records, sessions, sport_name


def read_fit(data: bytes, name: str) -> list[ParsedActivity]:
    """Parse a FIT file's bytes into activities (``InputError`` naming ``name`` if bad)."""
    if not data:
        raise InputError(name, "empty file")
    records, sessions, sport_name = decode_fit(data, name)
    if not records and not sessions:
        raise InputError(name, "FIT file holds no activity (no records or sessions)")
    if not sessions:
        first = records[0][0]
        sessions = [_Session({"start_time": first, "sport": None})]
    sessions.sort(key=lambda s: s.start or dt.datetime.min.replace(tzinfo=dt.UTC))
    groups: list[list[tuple[dt.datetime, dict[str, Any]]]] = [[] for _ in sessions]
    k = 0
    for ts, values in sorted(records, key=lambda r: r[0]):
        while k + 1 < len(sessions) and (s := sessions[k + 1].start) is not None and ts >= s:
            k += 1
        groups[k].append((ts, values))
    out = []
    for session, group in zip(sessions, groups, strict=True):
        parsed = _activity(session, group, sport_name)
        if parsed is not None:
            out.append(parsed)
    if not out:
        raise InputError(name, "FIT file holds no activity data")
    return out


def _activity(
    session: _Session, group: list[tuple[dt.datetime, dict[str, Any]]], sport_name: str
) -> ParsedActivity | None:
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
    times: list[float] = []
    cols: dict[str, list[float | None]] = {
        c: []
        for c in (
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
    }
    distance, speed, heart, cadence = (
        cols["distance"],
        cols["speed"],
        cols["heart_rate"],
        cols["cadence"],
    )
    power, grade, altitude, lat, lng = (
        cols["power"],
        cols["grade"],
        cols["altitude"],
        cols["lat"],
        cols["lng"],
    )
    has_position = False
    last_t = None
    for ts, v in group:
        t = (ts - start).total_seconds()
        sp = v.get("enhanced_speed")
        if sp is None:
            sp = v.get("speed")
        al = v.get("enhanced_altitude")
        if al is None:
            al = v.get("altitude")
        cad = v.get("cadence")
        if cad is not None and running:
            cad = 2.0 * (cad + (v.get("fractional_cadence") or 0.0))
        la = v.get("position_lat")
        lo = v.get("position_long")
        if la is not None and lo is not None:
            la, lo = la * SEMICIRCLE_DEGREES, lo * SEMICIRCLE_DEGREES
            has_position = True
        else:
            la = lo = None
        row = (
            v.get("distance"),
            sp,
            v.get("heart_rate"),
            cad,
            v.get("power"),
            v.get("grade"),
            al,
            la,
            lo,
        )
        if t == last_t:
            for column, value in zip(
                (distance, speed, heart, cadence, power, grade, altitude, lat, lng),
                row,
                strict=True,
            ):
                if value is not None:
                    column[-1] = float(value)
            continue
        last_t = t
        times.append(t)
        distance.append(_f(row[0]))
        speed.append(_f(row[1]))
        heart.append(_f(row[2]))
        cadence.append(_f(row[3]))
        power.append(_f(row[4]))
        grade.append(_f(row[5]))
        altitude.append(_f(row[6]))
        lat.append(_f(row[7]))
        lng.append(_f(row[8]))
    no_motion = not has_position and not any(d for d in distance if d)
    indoor = is_indoor_sport(session.sub_sport) or (activity_type == "Ride" and no_motion)
    streams = streams_from_columns(times, cols, indoor=indoor)
    return ParsedActivity(
        start=start,
        activity_type=activity_type,
        streams=streams,
        subtype="Indoor" if indoor else "",
    )


def _f(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) else None
