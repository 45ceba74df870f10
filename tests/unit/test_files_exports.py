"""Garmin Connect CSV exports and Strava bulk exports (zip and folder)."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import pytest

from momentum.core.errors import InputError
from momentum.core.memory import InMemoryStorage
from momentum.plugins.files.garmin_csv import read_garmin_csv
from momentum.plugins.files.importer import import_paths
from tests.unit.test_analytics_fixtures import ATHLETE

GARMIN = (
    "Activity Type,Date,Favorite,Title,Distance,Calories,Time,Avg HR,Max HR,Total Ascent,"
    "Moving Time,Elapsed Time\n"
    'Running,2026-02-17 18:05:10,false,"Toronto Running","10.71","1,024","02:01:00","137",'
    '"160","85","02:00:00","02:03:00"\n'
    'Treadmill Running,2026-02-19 06:01:00,false,"Evening, easy","4,40","412","00:46:00",'
    '"--","--","--","--","--"\n'
    "Strength Training,2026-02-21 17:00:00,false,Strength,0.00,230,00:35:00,110,140,--,--,--\n"
)


def test_garmin_csv_rows_become_summaries() -> None:
    parsed = read_garmin_csv(GARMIN.encode(), "Activities.csv", timezone="America/Toronto")
    run, treadmill, strength = parsed
    assert run.activity_type == "Run" and run.name == "Toronto Running"
    assert run.start == dt.datetime(2026, 2, 17, 18, 5, 10, tzinfo=run.start.tzinfo)
    assert run.start.utcoffset() == dt.timedelta(hours=-5)
    assert run.summary is not None
    assert run.summary.distance_meters == pytest.approx(10_710)
    assert run.summary.moving_time_seconds == 7200 and run.summary.elapsed_time_seconds == 7380
    assert run.summary.avg_hr == 137 and run.summary.elevation_gain_meters == 85
    assert treadmill.subtype == "Indoor" and treadmill.summary is not None
    assert treadmill.summary.distance_meters == pytest.approx(4400)  # decimal comma
    assert treadmill.summary.avg_hr is None and treadmill.summary.moving_time_seconds == 2760
    assert strength.activity_type == "WeightTraining"
    ids = [p.activity_id for p in parsed]
    assert len(set(ids)) == 3
    assert ids == [
        p.activity_id for p in read_garmin_csv(GARMIN.encode(), "again.csv", timezone="UTC")
    ]


def test_garmin_csv_in_miles() -> None:
    (first, *_) = read_garmin_csv(GARMIN.encode(), "a.csv", distance_unit="mi")
    assert first.summary is not None
    assert first.summary.distance_meters == pytest.approx(10.71 * 1609.344)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("timestamp,heart_rate\n1,2\n", "not a Garmin Connect"),
        ("Activity Type,Date,Title,Time\nRunning,yesterday,x,00:10:00\n", "row 2: date"),
        ("Activity Type,Date,Title,Time\nRunning,2026-01-01 10:00:00,x,--\n", "row 2: no duration"),
    ],
)
def test_bad_garmin_csv(text: str, reason: str) -> None:
    with pytest.raises(InputError, match=reason):
        read_garmin_csv(text.encode(), "bad.csv")


STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,"
    "Distance,Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,"
    "Filename,Athlete Weight,Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,"
    "Average Speed,Elevation Gain,Elevation Loss,Elevation Low,Elevation High,Max Grade,"
    "Average Grade,Average Positive Grade,Average Negative Grade,Max Cadence,"
    "Average Cadence,Max Heart Rate,Average Heart Rate\n"
)


def strava_row(activity_id: str, date: str, name: str, kind: str, filename: str, **kw: str) -> str:
    cells = [""] * 32
    cells[0], cells[1], cells[2], cells[3], cells[12] = activity_id, date, name, kind, filename
    cells[5] = kw.get("elapsed", "")
    cells[15] = kw.get("elapsed", "")
    cells[16] = kw.get("moving", "")
    cells[6] = kw.get("km", "")
    cells[17] = kw.get("metres", "")
    cells[31] = kw.get("avg_hr", "")
    cells[20] = kw.get("gain", "")
    return ",".join(f'"{c}"' if "," in c else c for c in cells) + "\n"


def make_export(tmp_path: Path, data_dir: Path, *, corrupt: bool = False) -> Path:
    rows = [
        strava_row(
            "17321805264",
            "Feb 19, 2026, 11:30:00 PM",
            "Evening Run",
            "Run",
            "activities/17321805264.fit.gz",
        ),
        strava_row(
            "17000000001", "Feb 1, 2026, 2:00:00 PM", "Hills", "Run", "activities/17000000001.tcx"
        ),
        strava_row(
            "17000000002",
            "Feb 2, 2026, 5:00:00 PM",
            "Core",
            "Weight Training",
            "",
            elapsed="2100",
            moving="2100",
            avg_hr="105",
        ),
        strava_row(
            "17000000003", "Feb 3, 2026, 9:00:00 AM", "Broken", "Run", "activities/17000000003.fit"
        ),
    ]
    archive = tmp_path / "export_123.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("activities.csv", STRAVA_HEADER + "".join(rows))
        fit = (data_dir / "fit" / "activity-small-fenix2-run.fit").read_bytes()
        zf.writestr("activities/17321805264.fit.gz", gzip.compress(fit))
        zf.writestr("activities/17000000001.tcx", (data_dir / "tcx" / "test.tcx").read_bytes())
        bad = (data_dir / "fit" / "activity-unexpected-eof.fit").read_bytes()
        # Cut before the first record: nothing to keep (a later cut keeps the records).
        zf.writestr("activities/17000000003.fit", bad[:40] if corrupt else fit[:30])
    return archive


def test_strava_zip_imports_each_row_on_its_own(tmp_path: Path, data_dir: Path) -> None:
    archive = make_export(tmp_path, data_dir, corrupt=True)
    storage = InMemoryStorage()
    report = import_paths(storage, ATHLETE, [archive])
    assert sorted(report.imported) == ["17000000001", "17000000002", "17321805264"]
    assert len(report.errors) == 1
    error = report.errors[0]
    assert "export_123.zip:activities/17000000003.fit" in str(error)
    assert "truncated" in error.reason
    run = storage.get_activity("adam", "17321805264")
    assert (
        run is not None
        and run.name == "Evening Run"
        and run.source_ids == {"strava": "17321805264"}
    )
    assert storage.get_streams("adam", "17321805264") is not None
    assert run.distance_meters == pytest.approx(9008, rel=0.01)
    strength = storage.get_activity("adam", "17000000002")
    assert strength is not None and strength.activity_type == "WeightTraining"
    assert strength.moving_time_seconds == 2100 and strength.hrss is not None
    assert storage.get_activity("adam", "17000000003") is None
    again = import_paths(storage, ATHLETE, [archive])
    assert again.imported == [] and sorted(again.unchanged) == sorted(report.imported)


def test_unzipped_strava_export_folder(tmp_path: Path, data_dir: Path) -> None:
    archive = make_export(tmp_path, data_dir)
    folder = tmp_path / "unzipped"
    with zipfile.ZipFile(archive) as zf:
        zf.extractall(folder)
    storage = InMemoryStorage()
    report = import_paths(storage, ATHLETE, [tmp_path / "unzipped"])
    # The folder is read as one export: its files are not imported a second time.
    assert sorted(report.imported) == ["17000000001", "17000000002", "17321805264"]
    assert len(report.errors) == 1 and "17000000003" in str(report.errors[0])


def test_zip_without_csv_is_a_bundle_of_files(tmp_path: Path, data_dir: Path) -> None:
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.write(data_dir / "tcx" / "no_hr.tcx", "runs/no_hr.tcx")
        zf.write(data_dir / "fit" / "garmin-fenix-5-walk.fit", "walk.fit")
        zf.writestr("notes.txt", "ignored")
    report = import_paths(InMemoryStorage(), ATHLETE, [bundle])
    assert len(report.imported) == 2 and report.ok


def test_not_a_zip(tmp_path: Path) -> None:
    fake = tmp_path / "export.zip"
    fake.write_bytes(b"PK\x03\x04 not really")
    report = import_paths(InMemoryStorage(), ATHLETE, [fake])
    assert len(report.errors) == 1 and "zip" in report.errors[0].reason
