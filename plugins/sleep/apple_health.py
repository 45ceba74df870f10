"""Sleep analysis records streamed out of an Apple Health ``export.xml``.

An export holds every heart-rate sample and step count of years, often gigabytes, of
which the sleep records are a small part. The file is read line by line through
``iterparse`` and every top-level element is cleared once read, so memory stays bounded
by the sleep records kept, not by the file. The parser is defusedxml's: Apple's export
carries an internal DTD (element and attribute declarations), which is allowed, but any
entity declaration or external reference is refused, which shuts out entity expansion
("billion laughs") and external-entity attacks.

Records read (``HKCategoryTypeIdentifierSleepAnalysis``)::

    <Record type="HKCategoryTypeIdentifierSleepAnalysis" sourceName="Apple Watch"
            startDate="2024-01-01 23:10:00 -0500" endDate="2024-01-02 00:40:00 -0500"
            value="HKCategoryValueSleepAnalysisAsleepCore"/>
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from momentum import InputError

SLEEP_TYPE = "HKCategoryTypeIdentifierSleepAnalysis"
_PREFIX = "HKCategoryValueSleepAnalysis"
STAGES = {
    "InBed": "in_bed",
    "Asleep": "asleep",
    "AsleepUnspecified": "asleep",
    "AsleepCore": "core",
    "AsleepDeep": "deep",
    "AsleepREM": "rem",
    "Awake": "awake",
}
"""Apple's sleep values (after the ``HKCategoryValueSleepAnalysis`` prefix) and the
stage each becomes."""
ASLEEP_STAGES = frozenset({"asleep", "core", "deep", "rem"})
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S %z"
_READ_BYTES = 64 * 1024


@dataclass(frozen=True)
class SleepRecord:
    """One sleep analysis record: a stage (``in_bed``, ``asleep``, ``core``, ``deep``,
    ``rem``, ``awake``) between two aware instants, from one source (device or app)."""

    stage: str
    source: str
    start: dt.datetime
    end: dt.datetime

    @property
    def asleep(self) -> bool:
        """Whether the record says asleep (any stage)."""
        return self.stage in ASLEEP_STAGES


def _date(value: str | None, where: str, name: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(value or "", _DATE_FORMAT)
    except ValueError:
        raise InputError(
            where, f"{name} {value!r} is not a date like 2024-01-31 23:10:00 +0100"
        ) from None


def _record(attrs: dict[str, str], where: str) -> SleepRecord | None:
    value = attrs.get("value", "")
    stage = STAGES.get(value.removeprefix(_PREFIX)) if value.startswith(_PREFIX) else None
    if stage is None:
        raise InputError(where, f"unknown sleep analysis value {value!r}")
    start = _date(attrs.get("startDate"), where, "startDate")
    end = _date(attrs.get("endDate"), where, "endDate")
    if end < start:
        raise InputError(where, f"endDate {attrs.get('endDate')} is before startDate")
    if end == start:
        return None  # an empty record says nothing
    return SleepRecord(stage, attrs.get("sourceName") or "unknown", start, end)


def read_sleep_records(
    path: Path, *, progress: Callable[[int], None] | None = None
) -> Iterator[SleepRecord]:
    """Every sleep analysis record of an Apple Health export, in file order, streamed.

    ``progress(bytes)`` is called as the file is read. :class:`InputError` names the file
    and line of anything malformed: a record with a bad date or value, XML that is not
    well-formed, entity declarations, or a file that is not an Apple Health export.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    with handle:
        feeder = _Feeder(handle, progress)
        depth = 0
        root = None
        try:
            for event, elem in iterparse(feeder, events=("start", "end"), forbid_dtd=False):
                if event == "start":
                    depth += 1
                    if root is None:
                        root = elem
                        if elem.tag != "HealthData":
                            raise InputError(
                                str(path),
                                f"not an Apple Health export (root element <{elem.tag}>, "
                                "expected <HealthData>)",
                            )
                    continue
                depth -= 1
                if depth != 1:
                    continue
                if elem.tag == "Record" and elem.get("type") == SLEEP_TYPE:
                    found = _record(dict(elem.attrib), f"{path}, line {feeder.line}")
                    if found is not None:
                        yield found
                if root is not None:
                    root.clear()  # top-level elements read: keep memory bounded
        except ParseError as exc:
            line = exc.position[0] if exc.position else feeder.line
            raise InputError(f"{path}, line {line}", f"not well-formed XML ({exc.msg})") from None
        except DefusedXmlException:
            raise InputError(
                f"{path}, line {feeder.line}",
                "declares XML entities or external references; an Apple Health export never "
                "does, so it is refused",
            ) from None
        if root is None:
            raise InputError(str(path), "is empty")


class _Feeder:
    """What ``iterparse`` reads from: one line per read (at most 64 KB, so a file without
    line breaks is still read in bounded pieces). When an element's end event comes out,
    :attr:`line` is the line it ended on; ``progress(bytes)`` follows the reading."""

    def __init__(self, handle: IO[bytes], progress: Callable[[int], None] | None) -> None:
        self.handle = handle
        self.progress = progress
        self.line = 1
        self._pending = 0

    def read(self, size: int = -1) -> bytes:
        """The next line (``size`` is ignored: one line is always small enough)."""
        self.line += self._pending
        chunk = self.handle.readline(_READ_BYTES)
        self._pending = chunk.count(b"\n")
        if self.progress is not None and chunk:
            self.progress(len(chunk))
        return chunk
