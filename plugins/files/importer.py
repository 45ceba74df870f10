"""Importing files and folders into a coach's storage: the function the CLI and others call.

``import_paths(app_or_storage, athlete, paths)`` reads FIT, GPX, TCX (each optionally
``.gz``), Garmin Connect CSV exports, Strava bulk exports (zip or unzipped folder) and zips
of activity files; folders are walked recursively in name order.

Guarantees:

* Idempotent: ids are deterministic (see :mod:`.common`) and an activity already stored is
  left untouched, so importing the same file again changes nothing. A file whose first id
  is already stored is skipped before decoding.
* Each unit (a file, or one row/member of an export) succeeds or fails alone: whatever
  goes wrong inside it, a decoder bug included, becomes one
  :class:`~momentum.core.errors.InputError` naming the unit, what was wrong and where, and
  the rest of the batch still imports. A ``MemoryError`` fails that unit only. Ctrl-C stops
  the batch with :class:`ImportInterrupted`, which carries the report so far.
* Nothing partial: a unit's activities are all parsed and analysed before any write, and
  if a write fails the unit's new records are deleted again.
* Flat memory: units are opened one at a time and each is stored as soon as it is
  parsed; the report keeps ids only. Compressed files and zip members may not expand
  beyond :data:`~momentum.plugins.files.common.MAX_FILE_BYTES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from momentum.core.errors import InputError
from momentum.core.model import Activity, AthleteProfile
from momentum.core.ports.storage import Storage
from momentum.plugins.files.common import MAX_FILE_BYTES, maybe_gunzip, to_activity
from momentum.plugins.files.formats import (
    ACTIVITY_SUFFIXES,
    Identified,
    first_id,
    format_of,
    read_activity_file,
)
from momentum.plugins.files.garmin_csv import looks_like_garmin_csv, read_garmin_csv
from momentum.plugins.files.strava_export import (
    CSV_NAME,
    Entry,
    folder_entries,
    is_strava_header,
    zip_entries,
)
from momentum.plugins.running.analytics.record import RecordOptions

ProgressCallback = Callable[[int, int, str], None]
"""``on_progress(done, total, label)``; ``total`` can grow when an export is opened."""


@dataclass
class ImportReport:
    """What an import did."""

    imported: list[str] = field(default_factory=list)
    """Ids of activities stored for the first time."""
    unchanged: list[str] = field(default_factory=list)
    """Ids that were already stored and left as they were."""
    errors: list[InputError] = field(default_factory=list)
    units: int = 0
    """Files, export rows and zip members looked at."""
    notes: list[tuple[str, str]] = field(default_factory=list)
    """``(unit, note)`` for what an imported unit's reader worked around (a truncated end,
    no timestamps)."""

    @property
    def ok(self) -> bool:
        """True when nothing was rejected."""
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        """``{"imported": n, "unchanged": n, "failed": [{"file": …, "reason": …}]}``."""
        return {
            "imported": len(self.imported),
            "unchanged": len(self.unchanged),
            "failed": [{"file": e.source, "reason": e.reason} for e in self.errors],
        }


class ImportInterrupted(KeyboardInterrupt):
    """Ctrl-C during an import; ``report`` says what was done before it."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__("import interrupted")
        self.report = report


def unexpected(label: str, exc: BaseException) -> InputError:
    """One line for a failure nobody foresaw: what it was and where in the code."""
    if isinstance(exc, MemoryError):
        return InputError(label, "too large to import in the memory available")
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        code = tb.tb_frame.f_code
        where = f" in {Path(code.co_filename).stem}.{code.co_name}"
        tb = tb.tb_next
    text = str(exc).strip().splitlines()
    detail = f": {text[0][:200]}" if text else ""
    return InputError(label, f"could not be read ({type(exc).__name__}{detail}{where})")


@dataclass(frozen=True)
class _Unit:
    label: str
    open: Callable[[], AbstractContextManager[list[Entry]]]


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None
    if size == 0:
        raise InputError(str(path), "empty file")
    if size > MAX_FILE_BYTES:
        raise InputError(
            str(path),
            f"file too large ({size // (1024 * 1024)} MB; the limit is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB)",
        )
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read ({exc.strerror or exc})") from None


@contextmanager
def _activity_file(path: Path, fmt: str) -> Iterator[list[Entry]]:
    data = _read_bytes(path)
    raw = maybe_gunzip(data, str(path))
    yield [
        Entry(
            str(path),
            lambda: read_activity_file(raw, str(path), fmt),
            known_id=first_id(raw, fmt),
        )
    ]


@contextmanager
def _csv_file(path: Path, timezone: str, distance_unit: str) -> Iterator[list[Entry]]:
    data = _read_bytes(path)
    header = data[:4096].decode("utf-8-sig", errors="replace").splitlines()[0].split(",")
    header = [h.strip().strip('"') for h in header]
    if is_strava_header(header):
        yield folder_entries(path.parent)
        return
    if not looks_like_garmin_csv(header):
        raise InputError(
            str(path),
            "CSV is neither a Garmin Connect activities export nor Strava's activities.csv",
        )
    items = [
        Identified(p.activity_id, p)
        for p in read_garmin_csv(data, str(path), timezone=timezone, distance_unit=distance_unit)
    ]
    yield [Entry(str(path), lambda: items)]


def _is_strava_folder(folder: Path) -> bool:
    csv_path = folder / CSV_NAME
    if not csv_path.is_file():
        return False
    try:
        with csv_path.open("r", encoding="utf-8-sig", errors="replace") as handle:
            first = handle.readline()
    except OSError:
        return False
    return is_strava_header([h.strip().strip('"') for h in first.split(",")])


def _units(paths: Iterable[Path | str], timezone: str, distance_unit: str) -> list[_Unit]:
    units: list[_Unit] = []
    seen: set[Path] = set()

    def add_file(path: Path, explicit: bool) -> None:
        resolved = path.resolve()
        if resolved in seen:
            return
        seen.add(resolved)
        fmt = format_of(path.name)
        if fmt in ACTIVITY_SUFFIXES:
            units.append(_Unit(str(path), lambda: _activity_file(path, fmt)))
        elif fmt == ".zip":
            units.append(_Unit(str(path), lambda: zip_entries(path)))
        elif fmt == ".csv":
            units.append(_Unit(str(path), lambda: _csv_file(path, timezone, distance_unit)))
        elif explicit:
            units.append(_Unit(str(path), lambda: _unsupported(path)))

    def walk(folder: Path) -> None:
        if _is_strava_folder(folder):
            resolved = folder.resolve()
            if resolved not in seen:
                seen.add(resolved)
                units.append(_Unit(str(folder), lambda: _export_folder(folder)))
            return
        try:
            children = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError as exc:
            units.append(_Unit(str(folder), partial(_fail, str(folder), exc)))
            return
        for child in children:
            if child.name.startswith("."):
                continue
            if child.is_dir():
                walk(child)
            elif child.is_file():
                add_file(child, explicit=False)

    for item in paths:
        path = Path(item).expanduser()
        if path.is_dir():
            walk(path)
        elif path.exists():
            add_file(path, explicit=True)
        else:
            units.append(_Unit(str(path), partial(_missing, path)))
    return units


@contextmanager
def _export_folder(folder: Path) -> Iterator[list[Entry]]:
    yield folder_entries(folder)


@contextmanager
def _unsupported(path: Path) -> Iterator[list[Entry]]:
    raise InputError(str(path), "unsupported file type (use .fit, .gpx, .tcx, .csv or .zip)")
    yield []  # pragma: no cover


@contextmanager
def _missing(path: Path) -> Iterator[list[Entry]]:
    raise InputError(str(path), "no such file or folder")
    yield []  # pragma: no cover


@contextmanager
def _fail(label: str, exc: OSError) -> Iterator[list[Entry]]:
    raise InputError(label, f"cannot read ({exc.strerror or exc})")
    yield []  # pragma: no cover


def _storage_of(target: Any) -> Storage:
    storage = getattr(target, "storage", target)
    if not isinstance(storage, Storage):
        raise TypeError("import_paths needs an App or a Storage")
    return storage


def _store(
    storage: Storage, athlete: AthleteProfile, label: str, items: Sequence[Identified]
) -> tuple[list[str], list[str]]:
    """Analyse then store one unit's activities, all or nothing."""
    activities = [to_activity(item.parsed, athlete, item.activity_id) for item in items]
    new: list[str] = []
    unchanged: list[str] = []
    try:
        for activity in activities:
            if storage.get_activity(athlete.athlete_id, activity.activity_id) is not None:
                unchanged.append(activity.activity_id)
                continue
            new.append(activity.activity_id)
            if activity.streams is not None:
                storage.put_streams(athlete.athlete_id, activity.activity_id, activity.streams)
            storage.put_activity(activity)
    except Exception as exc:
        for activity_id in new:
            # Best-effort cleanup: the original error is the one to report.
            with suppress(Exception):
                storage.delete_activity(athlete.athlete_id, activity_id)
        raise InputError(label, f"could not be stored ({type(exc).__name__}: {exc})") from exc
    return new, unchanged


def import_paths(
    target: Any,
    athlete: AthleteProfile,
    paths: Iterable[Path | str],
    on_progress: ProgressCallback | None = None,
    *,
    distance_unit: str = "km",
) -> ImportReport:
    """Import files and folders into ``target`` (an ``App`` or a ``Storage``) for
    ``athlete``; see the module doc for the guarantees. ``distance_unit`` is the unit of
    Garmin CSV distances (``km`` or ``mi``)."""
    storage = _storage_of(target)
    report = ImportReport()
    units = _units(paths, athlete.timezone, distance_unit)
    total = len(units)
    done = 0
    for unit in units:
        started = done
        try:
            with unit.open() as entries:
                total += len(entries) - 1
                for entry in entries:
                    _import_entry(storage, athlete, entry, report)
                    done += 1
                    report.units += 1
                    if on_progress is not None:
                        on_progress(done, total, entry.label)
        except KeyboardInterrupt:
            raise ImportInterrupted(report) from None
        except InputError as exc:
            report.errors.append(exc)
        except Exception as exc:  # the per-file boundary: nothing ends the batch
            report.errors.append(unexpected(unit.label, exc))
        if done == started:
            done += 1
            report.units += 1
            if on_progress is not None:
                on_progress(done, total, unit.label)
    return report


def _import_entry(
    storage: Storage, athlete: AthleteProfile, entry: Entry, report: ImportReport
) -> None:
    if entry.known_id and storage.get_activity(athlete.athlete_id, entry.known_id) is not None:
        report.unchanged.append(entry.known_id)
        return
    try:
        items = _load(entry)
        new, unchanged = _store(storage, athlete, entry.label, items)
    except KeyboardInterrupt:
        raise
    except InputError as exc:
        report.errors.append(exc)
        return
    except Exception as exc:  # an analytics or storage bug on odd data: this unit only
        report.errors.append(unexpected(entry.label, exc))
        return
    report.imported.extend(new)
    report.unchanged.extend(unchanged)
    for item in items:
        if item.activity_id in new:
            report.notes.extend((entry.label, note) for note in item.parsed.notes)


def _load(entry: Entry) -> list[Identified]:
    """Run an entry's reader; a reader failing in a way it did not foresee (a decoder bug,
    an odd file) still yields one error naming the file rather than ending the batch."""
    try:
        return entry.load()
    except InputError:
        raise
    except Exception as exc:
        raise unexpected(entry.label, exc) from exc


def read_path(
    path: Path | str, athlete: AthleteProfile, options: RecordOptions | None = None
) -> list[Activity]:
    """Every activity in one file (or export) as records, without storing anything.

    Strict: the first bad unit raises its :class:`InputError`.
    """
    out: list[Activity] = []
    units = _units([path], athlete.timezone, "km")
    for unit in units:
        with unit.open() as entries:
            for entry in entries:
                for item in _load(entry):
                    out.append(to_activity(item.parsed, athlete, item.activity_id, options=options))
    if not out:
        raise InputError(str(path), "no activities found")
    return out
