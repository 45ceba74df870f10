"""import_paths: every real file, idempotent re-imports, one error per bad file, no
partial writes, progress, and the plugin registration."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path
from typing import Any

import pytest

from momentum.core.errors import InputError
from momentum.core.memory import InMemoryStorage
from momentum.core.model import Activity
from momentum.core.plugins.host import load_plugins
from momentum.plugins.files.importer import import_paths, read_path
from momentum.plugins.files.plugin import FilesSource
from tests.unit.test_analytics_fixtures import ATHLETE

GOOD = {
    "fit/activity-small-fenix2-run.fit",
    "fit/sample-activity.fit",
    "fit/sample-activity-indoor-trainer.fit",
    "fit/garmin-fenix-5-walk.fit",
    "fit/activity-unexpected-eof.fit",  # the 14 records before the cut, noted
    "gpx/korita-zbevnica.gpx",
    "gpx/Mojstrovka.gpx",  # distance only: its clock was unset, noted
    "tcx/test.tcx",
    "tcx/no_hr.tcx",
}
BAD = {
    "fit/garmin-fenix-5-walk-records.csv": "neither a Garmin Connect",
}


def snapshot(storage: InMemoryStorage) -> dict[str, Any]:
    return {k: dict(v) for k, v in vars(storage).items() if isinstance(v, dict)}


def test_every_real_file(data_dir: Path) -> None:
    storage = InMemoryStorage()
    seen: list[tuple[int, int, str]] = []
    report = import_paths(
        storage, ATHLETE, [data_dir], lambda d, t, label: seen.append((d, t, label))
    )
    assert len(report.imported) == len(GOOD)
    assert len(report.errors) == len(BAD)
    for error in report.errors:
        name = next(k for k in BAD if error.source.endswith(k))
        assert BAD[name] in error.reason, error
    stored = storage.list_activities("adam", *_all_time())
    assert len(stored) == len(GOOD)
    with_streams = [a for a in stored if storage.get_streams("adam", a.activity_id) is not None]
    assert len(with_streams) == len(GOOD) - 1  # Mojstrovka is distance only
    assert [d for d, _, _ in seen] == list(range(1, len(GOOD) + len(BAD) + 1))
    assert all(t == len(GOOD) + len(BAD) for _, t, _ in seen)
    noted = {Path(label).name for label, _ in report.notes}
    assert noted == {"activity-unexpected-eof.fit", "Mojstrovka.gpx"}


def _all_time() -> tuple[Any, Any]:
    import datetime as dt

    return dt.datetime(1900, 1, 1, tzinfo=dt.UTC), dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def test_reimporting_changes_nothing(data_dir: Path, tmp_path: Path) -> None:
    storage = InMemoryStorage()
    first = import_paths(storage, ATHLETE, [data_dir])
    before = snapshot(storage)
    # The same files again, one under another name and one gzipped: same content, same ids.
    copy = tmp_path / "renamed.fit"
    shutil.copy(data_dir / "fit" / "garmin-fenix-5-walk.fit", copy)
    zipped = tmp_path / "test.tcx.gz"
    zipped.write_bytes(gzip.compress((data_dir / "tcx" / "test.tcx").read_bytes()))
    second = import_paths(storage, ATHLETE, [data_dir, copy, zipped])
    assert second.imported == []
    assert len(second.unchanged) == len(first.imported) + 2
    assert set(second.unchanged) == set(first.imported)
    assert snapshot(storage) == before


def test_one_error_per_bad_file_and_the_rest_imports(data_dir: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.fit"
    empty.write_bytes(b"")
    wrong = tmp_path / "photo.gpx"
    wrong.write_bytes(b"\xff\xd8\xff\xe0 JFIF not a gpx")
    unknown = tmp_path / "notes.docx"
    unknown.write_bytes(b"hello")
    corrupt_gz = tmp_path / "run.fit.gz"
    corrupt_gz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    good = data_dir / "tcx" / "test.tcx"
    report = import_paths(
        InMemoryStorage(),
        ATHLETE,
        [empty, wrong, unknown, corrupt_gz, tmp_path / "missing.fit", good],
    )
    assert len(report.imported) == 1
    reasons = {Path(e.source).name: e.reason for e in report.errors}
    assert reasons == {
        "empty.fit": "empty file",
        "photo.gpx": reasons["photo.gpx"],
        "notes.docx": "unsupported file type (use .fit, .gpx, .tcx, .csv or .zip)",
        "run.fit.gz": reasons["run.fit.gz"],
        "missing.fit": "no such file or folder",
    }
    assert "XML" in reasons["photo.gpx"] and "gzip" in reasons["run.fit.gz"]
    assert all(isinstance(e, InputError) for e in report.errors)


class FailingStorage(InMemoryStorage):
    """Fails on the second activity write, to prove a unit is all or nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def put_activity(self, activity: Activity) -> bool:
        self.writes += 1
        if self.writes == 2:
            raise OSError("disk full")
        return super().put_activity(activity)


def test_nothing_partial_is_stored(data_dir: Path) -> None:
    from momentum.plugins.files import importer
    from momentum.plugins.files.formats import Identified

    storage = FailingStorage()
    parsed = importer.read_activity_file(
        (data_dir / "tcx" / "test.tcx").read_bytes(), "test.tcx", ".tcx"
    )[0].parsed
    pair = [Identified("one", parsed), Identified("two", parsed)]
    with pytest.raises(InputError, match="could not be stored"):
        importer._store(storage, ATHLETE, "pair", pair)
    assert storage.get_activity("adam", "one") is None
    assert storage.get_streams("adam", "one") is None
    assert storage.writes == 2


def test_read_path_is_strict(data_dir: Path) -> None:
    (walk,) = read_path(data_dir / "fit" / "garmin-fenix-5-walk.fit", ATHLETE)
    assert walk.activity_id.startswith("fit-") and walk.source == "files"
    with pytest.raises(InputError, match="neither a Garmin"):
        read_path(data_dir / "fit" / "garmin-fenix-5-walk-records.csv", ATHLETE)


def test_plugin_is_registered_through_the_entry_point(data_dir: Path) -> None:
    host = load_plugins()
    importers = {i.name: i for i in host.file_importers()}
    assert {"fit", "gpx", "tcx", "garmin_csv", "strava_export"} <= set(importers)
    assert ".fit" in importers["fit"].extensions
    (walk,) = importers["fit"].read(data_dir / "fit" / "garmin-fenix-5-walk.fit", ATHLETE)
    assert walk.activity_type == "Walk"
    assert any(isinstance(s, FilesSource) for s in host.data_sources())


def test_an_unforeseen_reader_failure_is_still_one_error(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from momentum.plugins.files import formats

    def broken(data: bytes, name: str) -> list[Any]:
        raise AttributeError("decoder bug")

    monkeypatch.setitem(formats._READERS, ".gpx", broken)
    report = import_paths(
        InMemoryStorage(),
        ATHLETE,
        [data_dir / "gpx" / "korita-zbevnica.gpx", data_dir / "tcx" / "test.tcx"],
    )
    assert len(report.imported) == 1
    (error,) = report.errors
    assert error.source.endswith("korita-zbevnica.gpx") and "AttributeError" in error.reason


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("run.fit", "fit"),
        ("Morning Run.FIT.GZ", "fit"),
        ("ride.gpx.gz", "gpx"),
        ("a.b.tcx.gz", "tcx"),
        ("Activities.csv", "garmin_csv"),
        ("export_1.zip", "strava_export"),
        ("notes.gz", None),
        (".fit.gz", None),
        ("run.fit.gz.txt", None),
    ],
)
def test_importer_for_understands_double_suffixes(name: str, expected: str | None) -> None:
    from momentum.plugins.files.formats import importer_for
    from momentum.plugins.files.plugin import IMPORTERS

    found = importer_for(name, IMPORTERS)
    assert (found.name if found else None) == expected


def test_a_memory_error_fails_that_file_only(data_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from momentum.plugins.files import formats

    def exhausted(data: bytes, name: str) -> list[Any]:
        raise MemoryError

    monkeypatch.setitem(formats._READERS, ".gpx", exhausted)
    report = import_paths(
        InMemoryStorage(),
        ATHLETE,
        [data_dir / "gpx" / "korita-zbevnica.gpx", data_dir / "tcx" / "test.tcx"],
    )
    assert len(report.imported) == 1
    (error,) = report.errors
    assert error.reason == "too large to import in the memory available"


def test_ctrl_c_stops_the_batch_and_still_reports(data_dir: Path) -> None:
    from momentum.plugins.files.importer import ImportInterrupted

    def interrupt_after_two(done: int, total: int, label: str) -> None:
        if done == 2:
            raise KeyboardInterrupt

    storage = InMemoryStorage()
    files = [data_dir / "tcx" / "test.tcx", data_dir / "tcx" / "no_hr.tcx"]
    files.append(data_dir / "fit" / "garmin-fenix-5-walk.fit")
    with pytest.raises(ImportInterrupted) as caught:
        import_paths(storage, ATHLETE, files, interrupt_after_two)
    assert isinstance(caught.value, KeyboardInterrupt)
    assert len(caught.value.report.imported) == 2
    assert caught.value.report.as_json() == {"imported": 2, "unchanged": 0, "failed": []}


def test_a_crashing_member_of_a_zip_fails_alone(data_dir: Path, tmp_path: Path) -> None:
    import zipfile

    corpus = Path(__file__).resolve().parents[1] / "corpus" / "files"
    bundle = tmp_path / "drawer.zip"
    with zipfile.ZipFile(bundle, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(data_dir / "tcx" / "test.tcx", "a/test.tcx")
        zf.writestr("b/cut.fit", (data_dir / "fit" / "garmin-fenix-5-walk.fit").read_bytes()[:40])
        zf.write(corpus / "fuzz-01626-no_hr.tcx.gz", "c/fuzzed.tcx.gz")
        zf.write(data_dir / "fit" / "garmin-fenix-5-walk.fit", "d/walk.fit")
    seen: list[str] = []
    report = import_paths(InMemoryStorage(), ATHLETE, [bundle], lambda d, t, s: seen.append(s))
    assert len(report.imported) == 3
    (error,) = report.errors
    assert error.source == "drawer.zip:b/cut.fit" and "truncated" in error.reason
    assert len(seen) == 4
