"""Streaming XML for activity files: elements one at a time, in constant memory.

``defusedxml`` parses the whole document (not only its start) and refuses DOCTYPEs, entity
declarations and external references, which activity files never need; that shuts out
entity expansion ("billion laughs") and external-entity attacks. Elements are handed out
as they end and dropped from the tree afterwards, so a 50 MB track costs the numbers it
holds, not a document tree.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

from momentum.core.errors import InputError


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rsplit("}", 1)[-1]


def events(data: bytes, name: str, root: str, kind: str) -> Iterator[tuple[str, ET.Element]]:
    """``("start" | "end", element)`` for every element of ``data``; the root element
    must be called ``root`` (``kind`` names the format in errors). The caller should
    ``clear()`` elements it has finished with."""
    import defusedxml
    import defusedxml.ElementTree as DET

    if not data.strip():
        raise InputError(name, "empty file")
    try:
        first = True
        for event, element in DET.iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True
        ):
            if first:
                first = False
                if local(element.tag) != root:
                    raise InputError(
                        name, f"not a {kind} file (root element is <{local(element.tag)}>)"
                    )
            yield event, element
    except defusedxml.DefusedXmlException:
        raise InputError(
            name, "XML with a DOCTYPE or entity declarations is not accepted"
        ) from None
    except ET.ParseError as exc:
        where = getattr(exc, "position", None)
        at = f" at line {where[0]}, column {where[1]}" if where else ""
        raise InputError(name, f"not a valid {kind} file (malformed XML{at})") from None


def number(text: str | None) -> float | None:
    """A finite float from an element's text, or ``None``."""
    if text is None:
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


_ISO = re.compile(
    r"\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?"
    r"\s*(Z|[+-]\d{2}:?\d{2})?\s*$"
)
EARLIEST = dt.datetime(1980, 1, 6, tzinfo=dt.UTC)
"""GPS time starts here: an earlier timestamp is a device's unset clock, not a time."""


def timestamp(text: str | None) -> dt.datetime | None:
    """An aware UTC datetime from ISO 8601 text (any number of fraction digits; no zone
    means UTC), or ``None`` when the text is not one."""
    if not text:
        return None
    match = _ISO.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = dt.datetime(
            int(year),
            int(month),
            int(day),
            int(hour),
            int(minute),
            int(second),
            int((fraction or "0")[:6].ljust(6, "0")),
            tzinfo=dt.UTC,
        )
        if zone and zone != "Z":
            sign = -1 if zone[0] == "-" else 1
            digits = zone[1:].replace(":", "")
            offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
            if offset >= dt.timedelta(hours=24):
                return None
            moment -= sign * offset
    except (ValueError, OverflowError):
        return None
    return moment
