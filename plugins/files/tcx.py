"""TCX (Garmin Training Center XML) read with the standard library.

Conventions: each ``<Activity>`` is one activity; its ``Sport`` attribute gives the type
(Running → Run, Biking → Ride, Other → Workout). Track points give time, position,
altitude, distance, heart rate, cadence (``Cadence`` for bikes in rpm; ``RunCadence``
from the activity extension is per leg and doubled into steps per minute), and speed and
watts from the extension. An activity without track points becomes a summary from its
laps (total time, distance, average and maximum heart rate, weighted by lap time).
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

from momentum.core.errors import InputError
from momentum.plugins.files.common import (
    ParsedActivity,
    Summary,
    activity_type_of,
    streams_from_columns,
)
from momentum.plugins.files.xml_guard import check_xml


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(node: ET.Element, name: str) -> ET.Element | None:
    for child in node:
        if _local(child.tag) == name:
            return child
    return None


def _children(node: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in node if _local(child.tag) == name]


def _text(node: ET.Element, name: str) -> str | None:
    child = _child(node, name)
    return child.text if child is not None else None


def _number(node: ET.Element | None) -> float | None:
    if node is None or node.text is None:
        return None
    try:
        return float(node.text.strip())
    except ValueError:
        return None


def _time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def read_tcx(data: bytes, name: str) -> list[ParsedActivity]:
    """Parse TCX bytes into activities (``InputError`` naming ``name`` if bad)."""
    if not data.strip():
        raise InputError(name, "empty file")
    text = check_xml(data, name)
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise InputError(name, f"not valid XML ({exc})") from None
    if _local(root.tag) != "TrainingCenterDatabase":
        raise InputError(name, f"not a TCX file (root element is <{_local(root.tag)}>)")
    activities = [
        node
        for container in _children(root, "Activities")
        for node in _children(container, "Activity")
    ]
    out = [parsed for node in activities if (parsed := _activity(node)) is not None]
    if not out:
        raise InputError(name, "TCX file holds no activity with a start time")
    return out


def _activity(node: ET.Element) -> ParsedActivity | None:
    sport = node.get("Sport")
    activity_type = activity_type_of(sport)
    running = activity_type in {"Run", "TrailRun", "Walk", "Hike"}
    laps = _children(node, "Lap")
    start = _time(_text(node, "Id"))
    if start is None and laps:
        start = _time(laps[0].get("StartTime"))
    samples: list[tuple[dt.datetime, list[float | None]]] = []
    for lap in laps:
        for track in _children(lap, "Track"):
            for point in _children(track, "Trackpoint"):
                moment = _time(_text(point, "Time"))
                if moment is not None:
                    samples.append((moment, _point(point, running)))
    if start is None:
        start = samples[0][0] if samples else None
    if start is None:
        return None
    if len(samples) < 2:
        return ParsedActivity(start=start, activity_type=activity_type, summary=_summary(laps))
    samples.sort(key=lambda s: s[0])
    names = ("distance", "speed", "heart_rate", "cadence", "power", "altitude", "lat", "lng")
    cols: dict[str, list[float | None]] = {k: [] for k in names}
    times: list[float] = []
    origin = samples[0][0]
    last = None
    for moment, values in samples:
        t = (moment - origin).total_seconds()
        if t == last:
            continue
        last = t
        times.append(t)
        for key, value in zip(names, values, strict=True):
            cols[key].append(value)
    offset = (origin - start).total_seconds()
    if offset:
        times = [t + offset for t in times]
    return ParsedActivity(
        start=start,
        activity_type=activity_type,
        streams=streams_from_columns(times, cols),
        name=(_text(node, "Notes") or "").strip(),
    )


def _point(point: ET.Element, running: bool) -> list[float | None]:
    position = _child(point, "Position")
    lat = _number(_child(position, "LatitudeDegrees")) if position is not None else None
    lng = _number(_child(position, "LongitudeDegrees")) if position is not None else None
    heart = _child(point, "HeartRateBpm")
    hr = _number(_child(heart, "Value")) if heart is not None else None
    cadence = _number(_child(point, "Cadence"))
    if cadence is not None and running:
        cadence *= 2.0
    speed = power = None
    extensions = _child(point, "Extensions")
    if extensions is not None:
        for node in extensions.iter():
            tag = _local(node.tag)
            if tag == "Speed":
                speed = _number(node)
            elif tag == "Watts":
                power = _number(node)
            elif tag == "RunCadence":
                run_cadence = _number(node)
                if run_cadence is not None:
                    cadence = run_cadence * 2.0
    return [
        _number(_child(point, "DistanceMeters")),
        speed,
        hr,
        cadence,
        power,
        _number(_child(point, "AltitudeMeters")),
        lat,
        lng,
    ]


def _summary(laps: list[ET.Element]) -> Summary:
    total = distance = beats = 0.0
    peak: float | None = None
    for lap in laps:
        seconds = _number(_child(lap, "TotalTimeSeconds")) or 0.0
        total += seconds
        distance += _number(_child(lap, "DistanceMeters")) or 0.0
        avg = _child(lap, "AverageHeartRateBpm")
        avg_value = _number(_child(avg, "Value")) if avg is not None else None
        if avg_value is not None:
            beats += avg_value * seconds
        top = _child(lap, "MaximumHeartRateBpm")
        top_value = _number(_child(top, "Value")) if top is not None else None
        if top_value is not None:
            peak = top_value if peak is None else max(peak, top_value)
    return Summary(
        moving_time_seconds=total,
        distance_meters=distance,
        avg_hr=beats / total if beats and total else None,
        max_hr=peak,
    )
