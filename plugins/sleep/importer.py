"""``export.xml`` → nights kept for one athlete: read everything first, then write, so a
file rejected halfway leaves nothing behind; a re-import changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from momentum import Storage
from momentum.plugins.sleep.apple_health import read_sleep_records
from momentum.plugins.sleep.grouping import nights_from
from momentum.plugins.sleep.nights import keep_nights


@dataclass(frozen=True)
class ImportResult:
    """What an import found and changed."""

    records: int
    nights: int
    changed: int


def import_export(
    storage: Storage,
    athlete_id: str,
    path: Path,
    *,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Read the sleep records of an Apple Health export, group them into nights and keep
    them (source ``apple_health``); raises :class:`InputError` naming the file and line of
    anything malformed before anything is kept."""
    records = list(read_sleep_records(path, progress=progress))
    nights = nights_from(records)
    changed = keep_nights(storage, athlete_id, nights)
    return ImportResult(len(records), len(nights), changed)
