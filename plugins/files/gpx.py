"""GPX tracks and routes, read as a stream (see :mod:`.xml_stream`).

Conventions:

* Each track segment is a separate piece of line: distance is measured along a segment
  and never across the gap to the next one (a watch that stops and starts again, a lake
  course recorded in parts). Segments join up in time order into one activity; the time
  between them is a pause.
* Timestamped points make a recorded activity with streams. Within a segment, a point
  whose time does not advance on the one before is dropped (repeated fixes).
* Timestamps before GPS time began (1980-01-06) are a device's unset clock, not times:
  ``Mojstrovka.gpx`` stamps every point 1901-12-13T20:45:52, the smallest 32-bit Unix
  time. Such points count as untimed.
* A file with no usable timestamps (a planned route, a saved track, the unset clock
  above) becomes a distance-only activity: its distance and climb, no duration or pace,
  flagged in its ``notes``. It is dated by the file's own ``<metadata><time>`` (GPX 1.1)
  or ``<time>`` (GPX 1.0), else the time of import (also noted). When the file has both
  timed and untimed segments, the untimed ones (a planned course beside the recording)
  are ignored.
* Heart rate, cadence and power come from extension elements named ``hr``/``heartrate``,
  ``cad``/``cadence`` and ``power``/``watts`` (Garmin's TrackPointExtension and others).
  Running cadence in GPX is per leg (as in FIT), so it is doubled into steps per minute.
* The activity type is the first track's ``<type>`` when it names a sport, else the
  reader's default (``Run``).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from momentum.core.errors import InputError
from momentum.plugins.files.common import (
    ParsedActivity,
    Summary,
    activity_type_of,
    streams_from_columns,
)
from momentum.plugins.files.xml_stream import EARLIEST, events, local, number, timestamp
from momentum.plugins.running.analytics.geo import segment_metres

_EXTENSION_FIELDS = {
    "hr": 0,
    "heartrate": 0,
    "cad": 1,
    "cadence": 1,
    "power": 2,
    "watts": 2,
}
_ON_FOOT = {"Run", "TrailRun", "Walk", "Hike"}
Point = tuple[
    dt.datetime | None, float, float, float | None, float | None, float | None, float | None
]
"""time, lat, lng, elevation, heart rate, cadence, power."""
UNTIMED_NOTE = "no usable timestamps: distance only, no duration or pace"


@dataclass
class _Document:
    segments: list[list[Point]] = field(default_factory=list)
    sport: str | None = None
    name: str = ""
    track_name: str = ""
    time: dt.datetime | None = None
    bad_clock: dt.datetime | None = None


def read_gpx(data: bytes, name: str, default_type: str = "Run") -> list[ParsedActivity]:
    """Parse GPX bytes into one activity (``InputError`` naming ``name`` if bad)."""
    doc = _read(data, name)
    if not any(doc.segments):
        raise InputError(name, "GPX has no track or route points")
    if sum(len(seg) for seg in doc.segments) < 2:
        raise InputError(name, "GPX has a single point: no distance or time to import")
    activity_type = activity_type_of(doc.sport, default=default_type)
    title = doc.name or doc.track_name
    timed = [[p for p in seg if p[0] is not None] for seg in doc.segments]
    timed = [seg for seg in timed if len(seg) >= 1]
    if sum(len(seg) for seg in timed) >= 2:
        parsed = _recorded(timed, activity_type, title)
        if parsed is not None:
            return [parsed]
    return [_untimed(doc, activity_type, title, name)]


def _read(data: bytes, name: str) -> _Document:
    doc = _Document()
    stack: list[ET.Element] = []
    current: list[Point] | None = None
    for event, element in events(data, name, "gpx", "GPX"):
        tag = local(element.tag)
        if event == "start":
            stack.append(element)
            if tag in {"trkseg", "rte"}:
                current = []
                doc.segments.append(current)
            continue
        stack.pop()
        parent = local(stack[-1].tag) if stack else ""
        if tag in {"trkpt", "rtept"}:
            point = _point(element, doc)
            if point is not None and current is not None:
                current.append(point)
            if stack:
                del stack[-1][:]  # drop finished points: memory stays flat
        elif tag in {"trkseg", "rte"}:
            current = None
            element.clear()
        elif tag == "name" and element.text:
            if parent in {"metadata", "gpx"} and not doc.name:
                doc.name = element.text.strip()
            elif parent == "trk" and not doc.track_name:
                doc.track_name = element.text.strip()
        elif tag == "type" and parent == "trk" and doc.sport is None:
            doc.sport = _sport(element.text)
        elif tag == "time" and parent in {"metadata", "gpx"}:
            moment = timestamp(element.text)
            if moment is not None and moment >= EARLIEST:
                doc.time = moment
        elif tag == "trk":
            element.clear()
    return doc


def _point(element: ET.Element, doc: _Document) -> Point | None:
    lat = number(element.get("lat"))
    lng = number(element.get("lon"))
    if lat is None or lng is None or not (-90.0 <= lat <= 90.0 and -180.0 <= lng <= 180.0):
        return None
    moment: dt.datetime | None = None
    elevation: float | None = None
    extra: list[float | None] = [None, None, None]
    for child in element.iter():
        tag = local(child.tag)
        if tag == "time" and child is not element:
            moment = timestamp(child.text)
            if moment is not None and moment < EARLIEST:
                doc.bad_clock = doc.bad_clock or moment
                moment = None
        elif tag == "ele":
            elevation = number(child.text)
        else:
            slot = _EXTENSION_FIELDS.get(tag.lower())
            if slot is not None and extra[slot] is None:
                extra[slot] = number(child.text)
    return (moment, lat, lng, elevation, extra[0], extra[1], extra[2])


def _recorded(segments: list[list[Point]], activity_type: str, title: str) -> ParsedActivity | None:
    """Streams from timed segments, in time order, with no distance across a gap."""
    cleaned: list[list[Point]] = []
    for seg in segments:
        kept: list[Point] = []
        for point in seg:
            if not kept or point[0] > kept[-1][0]:  # type: ignore[operator]
                kept.append(point)
        cleaned.append(kept)
    cleaned.sort(key=lambda seg: seg[0][0])  # type: ignore[arg-type, return-value]
    start: dt.datetime = cleaned[0][0][0]  # type: ignore[assignment]
    running = activity_type in _ON_FOOT
    times: list[float] = []
    cols: dict[str, list[float | None]] = {
        k: [] for k in ("distance", "heart_rate", "cadence", "power", "altitude", "lat", "lng")
    }
    covered = 0.0
    for seg in cleaned:
        previous: Point | None = None
        for point in seg:
            t = (point[0] - start).total_seconds()  # type: ignore[operator]
            if times and t <= times[-1]:
                continue  # a segment overlapping the one before: keep the earlier
            if previous is not None:
                covered += segment_metres(previous[1], previous[2], point[1], point[2])
            previous = point
            times.append(t)
            cols["distance"].append(covered)
            cols["lat"].append(point[1])
            cols["lng"].append(point[2])
            cols["altitude"].append(point[3])
            cols["heart_rate"].append(point[4])
            cadence = point[5]
            cols["cadence"].append(cadence * 2.0 if cadence is not None and running else cadence)
            cols["power"].append(point[6])
    if len(times) < 2 or times[-1] - times[0] < 1.0:
        return None
    return ParsedActivity(
        start=start,
        activity_type=activity_type,
        streams=streams_from_columns(times, cols),
        name=title,
    )


def _untimed(doc: _Document, activity_type: str, title: str, name: str) -> ParsedActivity:
    """A distance-only activity (see the module doc)."""
    metres = 0.0
    climb = 0.0
    for seg in doc.segments:
        for a, b in itertools.pairwise(seg):
            metres += segment_metres(a[1], a[2], b[1], b[2])
        climb += _climb([p[3] for p in seg])
    notes = [UNTIMED_NOTE]
    if doc.bad_clock is not None:
        notes.append(f"point times of {doc.bad_clock:%Y-%m-%d} (an unset device clock) ignored")
    start = doc.time
    if start is None:
        start = dt.datetime.now(dt.UTC).replace(microsecond=0)
        notes.append("the file has no date: dated when imported")
    if not math.isfinite(metres):
        raise InputError(name, "GPX positions give no finite distance")
    return ParsedActivity(
        start=start,
        activity_type=activity_type,
        summary=Summary(
            moving_time_seconds=0.0, distance_meters=metres, elevation_gain_meters=climb
        ),
        name=title,
        notes=tuple(notes),
    )


def _climb(elevations: list[float | None], hysteresis: float = 2.0) -> float:
    gain = 0.0
    ref: float | None = None
    for value in elevations:
        if value is None:
            continue
        if ref is None or ref - value >= hysteresis:
            ref = value
        elif value - ref >= hysteresis:
            gain += value - ref
            ref = value
    return gain


def _sport(value: str | None) -> str | None:
    if not value or not value.strip():
        return None
    text = value.strip()
    return text if activity_type_of(text, default="") else None
