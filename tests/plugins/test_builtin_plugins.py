"""The built-in plugins tested through ``momentum.testing`` the way a plugin author would
test theirs: load the plugin, drive its hooks, look at what was stored and posted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from momentum import InputError
from momentum.plugins.files import plugin as files_plugin
from momentum.plugins.running import plugin as running_plugin
from momentum.testing import PluginHarness

GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="test" xmlns="http://www.topografix.com/GPX/1/1">
 <trk><name>Lunch Run</name><type>running</type><trkseg>
{points}
 </trkseg></trk>
</gpx>
"""


def gpx_run(minutes: int = 20) -> str:
    """A straight run north at about 10 km/h, one point every 10 s."""
    start = dt.datetime(2026, 3, 2, 17, 0, tzinfo=dt.UTC)
    points = []
    for i in range(minutes * 6 + 1):
        when = (start + dt.timedelta(seconds=10 * i)).strftime("%Y-%m-%dT%H:%M:%SZ")
        lat = 43.65 + i * 0.00025
        points.append(f'  <trkpt lat="{lat:.6f}" lon="-79.38"><time>{when}</time></trkpt>')
    return GPX.format(points="\n".join(points))


def test_the_running_domain_checks_in_at_six_local() -> None:
    harness = PluginHarness(running_plugin)  # Tue 3 March, 06:00 in Toronto
    harness.add_athlete("ada")
    assert harness.tick() == ["checkin:ada:2026-03-03"]
    [checkin] = harness.dms("ada")
    assert "(checkin)" in checkin  # the echo model wrote it, from the check-in prompt
    assert harness.tick() == []  # once per local day


def test_the_running_domain_answers_a_chat_turn() -> None:
    harness = PluginHarness(running_plugin)
    harness.add_athlete("ada")
    answer = harness.say("legs are heavy today", "ada", event_id="E1")
    assert answer.text.startswith("(chat)")
    assert harness.dms("ada") == [answer.display]
    assert "legs are heavy today" in harness.model.requests[-1].messages[-1].content


def test_the_files_importer_reads_a_gpx_file(tmp_path: Path) -> None:
    harness = PluginHarness(files_plugin)
    athlete = harness.add_athlete("ada")
    path = tmp_path / "lunch.gpx"
    path.write_text(gpx_run(20))
    [importer] = [i for i in harness.plugins.file_importers() if ".gpx" in i.extensions]
    [activity] = importer.read(path, athlete)
    assert activity.name == "Lunch Run" and activity.athlete_id == "ada"
    assert activity.distance_meters == pytest.approx(3340, rel=0.02)


def test_the_files_importer_names_a_bad_file(tmp_path: Path) -> None:
    harness = PluginHarness(files_plugin)
    athlete = harness.add_athlete("ada")
    path = tmp_path / "broken.gpx"
    path.write_text("<gpx><trk>")
    [importer] = [i for i in harness.plugins.file_importers() if ".gpx" in i.extensions]
    with pytest.raises(InputError, match=r"broken\.gpx"):
        importer.read(path, athlete)
