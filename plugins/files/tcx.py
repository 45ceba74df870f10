"""TCX (Garmin Training Center XML) read with the standard library.

Conventions: each ``<Activity>`` is one activity; its ``Sport`` attribute gives the type
(Running → Run, Biking → Ride, Other → Workout). Track points give time, position,
altitude, distance, heart rate, cadence (``Cadence`` for bikes in rpm; ``RunCadence``
from the activity extension is per leg and doubled into steps per minute), and speed and
watts from the extension. An activity without track points becomes a summary from its
laps (total time, distance, average and maximum heart rate, weighted by lap time).
Times before 1980 (an unset device clock) count as missing.
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
from momentum.plugins.files.xml_stream import EARLIEST, events, number, timestamp


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
    return None if node is None else number(node.text)


def _time(text: str | None) -> dt.datetime | None:
    moment = timestamp(text)
    return moment if moment is not None and moment >= EARLIEST else None


def read_tcx(data: bytes, name: str) -> list[ParsedActivity]:
    """Parse TCX bytes into activities (``InputError`` naming ``name`` if bad).

    Read as a stream (:mod:`.xml_stream`): track points are taken as they end and dropped
    from the tree, so memory follows the numbers kept, not the document.
    """
    out: list[ParsedActivity] = []
    stack: list[ET.Element] = []
    current: _Activity | None = None
    for event, element in events(data, name, "TrainingCenterDatabase", "TCX"):
        tag = _local(element.tag)
        if event == "start":
            stack.append(element)
            if tag == "Activity":
                current = _Activity(element.get("Sport"))
            continue
        stack.pop()
        if current is None:
            continue
        if tag == "Trackpoint":
            moment = _time(_text(element, "Time"))
            if moment is not None:
                current.samples.append((moment, _point(element, current.running)))
            if stack:
                del stack[-1][:]
        elif tag == "Lap":
            current.laps.append(_lap(element))
            current.lap_start = current.lap_start or _time(element.get("StartTime"))
            element.clear()
        elif tag == "Id" and stack and _local(stack[-1].tag) == "Activity":
            current.start = _time(element.text)
        elif tag == "Notes" and stack and _local(stack[-1].tag) == "Activity":
            current.name = (element.text or "").strip()
        elif tag == "Activity":
            parsed = current.parsed()
            if parsed is not None:
                out.append(parsed)
            current = None
            element.clear()
    if not out:
        raise InputError(name, "TCX file holds no activity with a start time")
    return out


_Lap = tuple[float, float, float | None, float | None]
"""Total seconds, metres, average and maximum heart rate of a lap."""


class _Activity:
    """One ``<Activity>`` while it is being read."""

    def __init__(self, sport: str | None) -> None:
        self.activity_type = activity_type_of(sport)
        self.running = self.activity_type in {"Run", "TrailRun", "Walk", "Hike"}
        self.start: dt.datetime | None = None
        self.lap_start: dt.datetime | None = None
        self.name = ""
        self.laps: list[_Lap] = []
        self.samples: list[tuple[dt.datetime, list[float | None]]] = []

    def parsed(self) -> ParsedActivity | None:
        start = self.start or self.lap_start
        samples = self.samples
        if start is None:
            start = samples[0][0] if samples else None
        if start is None:
            return None
        if len(samples) < 2:
            return ParsedActivity(
                start=start,
                activity_type=self.activity_type,
                summary=_summary(self.laps),
                name=self.name,
            )
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
            activity_type=self.activity_type,
            streams=streams_from_columns(times, cols),
            name=self.name,
        )


def _lap(lap: ET.Element) -> _Lap:
    avg = _child(lap, "AverageHeartRateBpm")
    top = _child(lap, "MaximumHeartRateBpm")
    return (
        _number(_child(lap, "TotalTimeSeconds")) or 0.0,
        _number(_child(lap, "DistanceMeters")) or 0.0,
        _number(_child(avg, "Value")) if avg is not None else None,
        _number(_child(top, "Value")) if top is not None else None,
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


def _summary(laps: list[_Lap]) -> Summary:
    total = distance = beats = 0.0
    peak: float | None = None
    for seconds, metres, avg_value, top_value in laps:
        if seconds < 0 or metres < 0:
            continue
        total += seconds
        distance += metres
        if avg_value is not None:
            beats += avg_value * seconds
        if top_value is not None:
            peak = top_value if peak is None else max(peak, top_value)
    return Summary(
        moving_time_seconds=total,
        distance_meters=distance,
        avg_hr=beats / total if beats and total else None,
        max_hr=peak,
    )
