"""``momentum teams package``: a manifest valid against Microsoft's schema, two icons of
the sizes Teams asks for, and nothing written when the manifest would be invalid."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from momentum.adapters.local import cli as root
from momentum.adapters.teams.cli import register
from momentum.adapters.teams.manifest import (
    MANIFEST_VERSION,
    AppDetails,
    build_manifest,
    validate_manifest,
    write_package,
)
from momentum.core.errors import InputError

pytestmark = pytest.mark.teams
BOT = "6f1b6a52-0d5e-4c5e-9b8e-5b0c0ffee001"


def make_cli() -> typer.Typer:
    """The root CLI with the Teams plugin's commands (what ``momentum_cli`` adds)."""
    app = typer.Typer(pretty_exceptions_enable=False)
    app.callback()(root._root)
    register(app)
    return app


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_package_holds_a_valid_manifest_and_both_icons(tmp_path: Path) -> None:
    out = write_package(AppDetails(BOT), tmp_path / "app.zip")
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(archive.read("manifest.json"))
        assert _png_size(archive.read("color.png")) == (192, 192)
        assert _png_size(archive.read("outline.png")) == (32, 32)
    validate_manifest(manifest)
    assert manifest["manifestVersion"] == MANIFEST_VERSION
    [bot] = manifest["bots"]
    assert bot["botId"] == BOT and bot["scopes"] == ["personal"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}


def test_the_app_id_is_stable_for_one_bot() -> None:
    assert build_manifest(AppDetails(BOT))["id"] == build_manifest(AppDetails(BOT))["id"]


@pytest.mark.parametrize(
    ("details", "named"),
    [
        (AppDetails(BOT, version="one"), "version"),
        (AppDetails(BOT, name="A" * 40), "name/short"),
        (AppDetails("not-a-guid"), "bots/0/botId"),
        (AppDetails(BOT, website="not a url"), "developer/websiteUrl"),
    ],
)
def test_an_invalid_manifest_names_the_field_and_writes_nothing(
    tmp_path: Path, details: AppDetails, named: str
) -> None:
    out = tmp_path / "app.zip"
    with pytest.raises(InputError) as caught:
        write_package(details, out)
    assert named in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_the_cli_writes_the_package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEAMS_APP_ID", BOT)
    out = tmp_path / "app.zip"
    result = CliRunner().invoke(
        make_cli(), ["--home", str(tmp_path / "none"), "teams", "package", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert BOT in result.output and zipfile.is_zipfile(out)


def test_the_cli_without_a_bot_id_says_what_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("TEAMS_APP_ID", raising=False)
    result = CliRunner().invoke(
        make_cli(),
        ["--home", str(tmp_path / "none"), "teams", "package", "--out", str(tmp_path / "x")],
    )
    assert result.exit_code == 1
    assert "TEAMS_APP_ID" in result.output
    assert not (tmp_path / "x").exists()
