"""GPX tracks read with ``gpxpy``.

Conventions: all timestamped track points of the file form one activity, in time order
(consecutive "ACTIVE LOG" tracks of one outing join up; the gap between them is a pause);
points without a time (saved tracks, routes) are ignored; repeated timestamps keep the
first point. Heart rate, cadence and power come from the Garmin TrackPointExtension
(``hr``, ``cad``) and ``power`` extension elements when present. Running cadence in GPX
is per leg (as in FIT), so it is doubled into steps per minute. The activity type is
the track's ``<type>`` when it names a sport, else the reader's default (``Run``).
A file with no timestamps, or whose timestamps never advance, is rejected.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from momentum.core.errors import InputError
from momentum.plugins.files.common import ParsedActivity, activity_type_of, streams_from_columns
from momentum.plugins.files.xml_guard import check_xml

_EXTENSION_FIELDS = {
    "hr": "heart_rate",
    "heartrate": "heart_rate",
    "cad": "cadence",
    "cadence": "cadence",
    "power": "power",
    "watts": "power",
}


def read_gpx(data: bytes, name: str, default_type: str = "Run") -> list[ParsedActivity]:
    """Parse GPX bytes into one activity (``InputError`` naming ``name`` if bad)."""
    import gpxpy
    import gpxpy.gpx

    if not data.strip():
        raise InputError(name, "empty file")
    text = check_xml(data, name)
    try:
        doc = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError, TypeError, AttributeError) as exc:
        raise InputError(name, f"not a valid GPX file ({_first_line(exc)})") from None
    points: list[tuple[dt.datetime, Any]] = []
    sport: str | None = None
    track_name = doc.name or ""
    for track in doc.tracks:
        sport = sport or _sport(getattr(track, "type", None))
        track_name = track_name or (track.name or "")
        for segment in track.segments:
            for point in segment.points:
                if point.time is not None:
                    points.append((_aware(point.time), point))
    if not points:
        raise InputError(
            name, "GPX has no timestamped track points (a route, not a recorded activity)"
        )
    points.sort(key=lambda item: item[0])
    start = points[0][0]
    if (points[-1][0] - start).total_seconds() < 1.0:
        raise InputError(
            name,
            f"GPX timestamps do not advance (all {len(points)} points at {start.isoformat()})",
        )
    activity_type = activity_type_of(sport, default=default_type)
    running = activity_type in {"Run", "TrailRun", "Walk", "Hike"}
    times: list[float] = []
    cols: dict[str, list[float | None]] = {
        k: [] for k in ("heart_rate", "cadence", "power", "altitude", "lat", "lng")
    }
    last = None
    for ts, point in points:
        t = (ts - start).total_seconds()
        if t == last:
            continue
        last = t
        times.append(t)
        cols["lat"].append(float(point.latitude))
        cols["lng"].append(float(point.longitude))
        cols["altitude"].append(float(point.elevation) if point.elevation is not None else None)
        ext = _extensions(point)
        cad = ext.get("cadence")
        cols["heart_rate"].append(ext.get("heart_rate"))
        cols["cadence"].append(cad * 2.0 if cad is not None and running else cad)
        cols["power"].append(ext.get("power"))
    streams = streams_from_columns(times, cols)
    return [
        ParsedActivity(start=start, activity_type=activity_type, streams=streams, name=track_name)
    ]


def _sport(value: Any) -> str | None:
    if not value:
        return None
    text = str(value)
    mapped = activity_type_of(text, default="")
    return text if mapped else None


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


def _extensions(point: Any) -> dict[str, float]:
    found: dict[str, float] = {}
    for element in getattr(point, "extensions", None) or ():
        for node in element.iter():
            tag = str(node.tag).rsplit("}", 1)[-1].lower()
            field = _EXTENSION_FIELDS.get(tag)
            if field is None or field in found or node.text is None:
                continue
            try:
                found[field] = float(node.text.strip())
            except ValueError:
                continue
    return found


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
