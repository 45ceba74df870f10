"""Which reader handles a file, by name and content, and the deterministic ids it gets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Protocol, TypeVar

from momentum.core.errors import InputError
from momentum.plugins.files.common import ParsedActivity, content_id, maybe_gunzip
from momentum.plugins.files.fit import read_fit
from momentum.plugins.files.gpx import read_gpx
from momentum.plugins.files.tcx import read_tcx

ACTIVITY_SUFFIXES = (".fit", ".gpx", ".tcx")
"""Single-activity file formats (each may also be gzip-compressed, ``.fit.gz``)."""
SUPPORTED_SUFFIXES = (*ACTIVITY_SUFFIXES, *(s + ".gz" for s in ACTIVITY_SUFFIXES), ".csv", ".zip")
_READERS: dict[str, Callable[[bytes, str], list[ParsedActivity]]] = {
    ".fit": read_fit,
    ".gpx": read_gpx,
    ".tcx": read_tcx,
}


@dataclass(frozen=True)
class Identified:
    """A parsed activity and the id it is stored under."""

    activity_id: str
    parsed: ParsedActivity


def format_of(filename: str) -> str:
    """``.fit``, ``.gpx``, ``.tcx``, ``.csv`` or ``.zip`` for a file name (``.gz`` looked
    through), or ``""`` when unsupported."""
    lower = filename.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix in (*ACTIVITY_SUFFIXES, ".csv", ".zip"):
        if lower.endswith(suffix):
            return suffix
    return ""


class _HasExtensions(Protocol):
    @property
    def extensions(self) -> tuple[str, ...]: ...


Importer = TypeVar("Importer", bound=_HasExtensions)


def importer_for(name: str, importers: Iterable[Importer]) -> Importer | None:
    """The importer whose extension the file name ends with, the longest match winning
    (``run.FIT.gz`` goes to ``.fit.gz``); ``None`` when no importer reads the name. The
    rule is core's, shared with the upload path."""
    from momentum.core.runtime.uploads import longest_suffix_match

    return longest_suffix_match(name, importers)


def first_id(data: bytes, fmt: str) -> str:
    """The id the first activity of an activity file gets (known before parsing)."""
    return content_id(fmt.lstrip("."), data)


def read_activity_file(data: bytes, label: str, fmt: str) -> list[Identified]:
    """Parse a FIT/GPX/TCX file's bytes (gzip looked through) into identified activities.

    Ids: :func:`first_id` for the first, ``-2``, ``-3`` ... appended for more.
    """
    if not data:
        raise InputError(label, "empty file")
    raw = maybe_gunzip(data, label)
    reader = _READERS.get(fmt)
    if reader is None:
        raise InputError(label, f"unsupported file type {fmt or '(none)'}")
    parsed = reader(raw, label)
    base = first_id(raw, fmt)
    out = []
    for n, item in enumerate(parsed, start=1):
        activity_id = base if n == 1 else f"{base}-{n}"
        out.append(Identified(activity_id, replace(item, activity_id=activity_id)))
    return out
