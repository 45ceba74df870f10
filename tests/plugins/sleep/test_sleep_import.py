"""Apple Health sleep import: streaming parse, grouping into nights across sources, clear
errors naming the file and line, no partial writes, re-imports that change nothing, and
the ``momentum sleep import`` command."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from momentum import InputError
from momentum.adapters.local import cli as root
from momentum.adapters.local.sqlite_storage import SqliteStorage
from momentum.plugins.sleep.apple_health import read_sleep_records
from momentum.plugins.sleep.cli import register
from momentum.plugins.sleep.grouping import efficiency_of, nights_from
from momentum.plugins.sleep.importer import import_export
from momentum.plugins.sleep.nights import read_night
from momentum.testing import InMemoryStorage
from tests.plugins.sleep.exports import HEAD, export, heart_rate, night_lines, sleep_record


def write(tmp_path: Path, text: str, name: str = "export.xml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_night_from_two_sources(tmp_path: Path) -> None:
    lines = [heart_rate("2026-03-01 22:00:00 -0500", 61), *night_lines("2026-03-01", "2026-03-02")]
    path = write(tmp_path, export(lines))
    records = list(read_sleep_records(path))
    assert len(records) == 7  # the heart rate is not a sleep record
    (night,) = nights_from(records)
    assert night.day == dt.date(2026, 3, 2)
    # the staged Watch wins over the iPhone's one block: 110 + 60 + 40 + 230 min = 7 h 20
    assert night.total_sleep_s == 440 * 60
    assert (night.onset_min, night.offset_min) == (-50, 410)  # 23:10 -> 06:50
    assert night.bed_start_min == -70  # the iPhone's in-bed from 22:50
    assert night.time_in_bed_s == 490 * 60  # 22:50 -> 07:00
    assert night.awake_s == 20 * 60
    assert (night.deep_s, night.rem_s, night.core_s) == (3600, 2400, 340 * 60)
    assert night.utc_offset_min == -300
    assert efficiency_of(night) == pytest.approx(100 * 440 / 490)


def test_naps_are_not_the_night_and_offsets_are_kept(tmp_path: Path) -> None:
    lines = [
        *night_lines("2026-07-01", "2026-07-02", offset="+0200"),
        sleep_record("AsleepCore", "2026-07-02 14:00:00 +0200", "2026-07-02 14:40:00 +0200"),
    ]
    (night,) = nights_from(read_sleep_records(write(tmp_path, export(lines))))
    assert night.day == dt.date(2026, 7, 2) and night.total_sleep_s == 440 * 60
    assert night.utc_offset_min == 120


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, export(night_lines("2026-03-01", "2026-03-02")))
    storage = InMemoryStorage()
    first = import_export(storage, "ada", path)
    assert (first.records, first.nights, first.changed) == (7, 1, 1)
    again = import_export(storage, "ada", path)
    assert again.changed == 0
    night = read_night(storage, "ada", dt.date(2026, 3, 2))
    assert (
        night is not None
        and night.source == "apple_health"
        and night.hours == pytest.approx(440 / 60)
    )


def test_a_bad_record_names_file_and_line_and_nothing_is_kept(tmp_path: Path) -> None:
    bad = sleep_record("AsleepCore", "yesterday", "2026-03-03 06:00:00 -0500")
    lines = [*night_lines("2026-03-01", "2026-03-02"), bad]
    path = write(tmp_path, export(lines))
    storage = InMemoryStorage()
    line = export(lines).splitlines().index(bad.rstrip("\n")) + 1
    with pytest.raises(InputError, match=rf"export.xml, line {line}: startDate 'yesterday'"):
        import_export(storage, "ada", path)
    assert read_night(storage, "ada", dt.date(2026, 3, 2)) is None  # no partial write


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (export(["<Record type='x'>\n"]), r"line \d+: not well-formed XML"),
        ("<Workouts/>\n", r"not an Apple Health export \(root element <Workouts>"),
        (
            export(
                [sleep_record("Dozing", "2026-03-01 22:00:00 -0500", "2026-03-02 06:00:00 -0500")]
            ),
            rf"line {HEAD.count(chr(10)) + 1}: unknown sleep analysis value "
            r"'HKCategoryValueSleepAnalysisDozing'",
        ),
        (
            export(
                [
                    sleep_record(
                        "AsleepCore", "2026-03-02 06:00:00 -0500", "2026-03-01 22:00:00 -0500"
                    )
                ]
            ),
            r"endDate .* is before startDate",
        ),
        ("", r"not well-formed XML|is empty"),
    ],
)
def test_malformed_exports_are_named(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        list(read_sleep_records(write(tmp_path, text)))
    assert "export.xml" in str(caught.value)


def test_entity_expansion_is_refused(tmp_path: Path) -> None:
    laughs = (
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n]>\n'
        '<HealthData locale="en">&lol2;</HealthData>\n'
    )
    with pytest.raises(InputError, match=r"export\.xml, line 3: declares XML entities"):
        list(read_sleep_records(write(tmp_path, laughs)))
    external = (
        '<?xml version="1.0"?>\n<!DOCTYPE HealthData [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        "<HealthData>&x;</HealthData>\n"
    )
    with pytest.raises(InputError, match="declares XML entities"):
        list(read_sleep_records(write(tmp_path, external)))


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nothere\.xml"):
        list(read_sleep_records(tmp_path / "nothere.xml"))


def test_progress_reports_every_byte(tmp_path: Path) -> None:
    path = write(tmp_path, export(night_lines("2026-03-01", "2026-03-02")))
    seen: list[int] = []
    list(read_sleep_records(path, progress=seen.append))
    assert sum(seen) == path.stat().st_size


def _cli() -> typer.Typer:
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    register(app)
    return app


def test_the_import_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MOMENTUM_HOME", raising=False)
    home = tmp_path / "home"
    home.mkdir()
    (home / "momentum.toml").write_text('athlete_id = "ada"\n', encoding="utf-8")
    path = write(tmp_path, export(night_lines("2026-03-01", "2026-03-02")))
    args = ["--home", str(home), "sleep", "import", str(path)]
    result = CliRunner().invoke(_cli(), args)
    assert result.exit_code == 0, result.output
    assert "7 sleep records, 1 nights, 1 changed for ada." in result.output
    again = CliRunner().invoke(_cli(), args)
    assert "0 changed" in again.output
    with SqliteStorage(home / "momentum.db") as storage:
        night = read_night(storage, "ada", dt.date(2026, 3, 2))
    assert night is not None and night.total_sleep_s == 440 * 60
    bad = write(tmp_path, "<Workouts/>\n", "bad.xml")
    failed = CliRunner().invoke(_cli(), ["--home", str(home), "sleep", "import", str(bad)])
    assert failed.exit_code != 0 and "bad.xml: not an Apple Health export" in failed.output
    help_text = CliRunner().invoke(_cli(), ["sleep", "import", "--help"]).output
    assert "export.xml" in help_text
