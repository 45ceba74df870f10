"""``momentum new --plugin``: a plugin package (a data source or a domain) whose own
tests pass on ``momentum.testing``, and which ``momentum plugins`` lists once installed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from typer.testing import CliRunner

from momentum.adapters.local.cli import _register_all, cli
from tests.templates.generated import files_in, run_project_tests

_register_all()
ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"


def new_plugin(tmp_path: Path, name: str, kind: str) -> Path:
    project = tmp_path / name
    result = CliRunner().invoke(
        cli, ["new", "--plugin", str(project), "--name", name, "--kind", kind, "--defaults"]
    )
    assert result.exit_code == 0, result.output
    return project


@pytest.mark.parametrize("kind", ["source", "domain"])
def test_the_skeleton_has_entry_point_hookimpl_tests_and_readme(tmp_path: Path, kind: str) -> None:
    project = new_plugin(tmp_path, "momentum-rowing-log", kind)
    assert files_in(project) == {
        ".gitignore",
        ".momentum/answers.yml",
        "README.md",
        "pyproject.toml",
        "momentum_rowing_log/__init__.py",
        "momentum_rowing_log/plugin.py",
        "tests/__init__.py",
        "tests/test_plugin.py",
    }
    meta = tomllib.loads((project / "pyproject.toml").read_text())
    assert meta["project"]["entry-points"]["momentum"] == {
        "rowing_log": "momentum_rowing_log.plugin"
    }
    assert meta["project"]["dependencies"] == ["momentum-coach>=0.1"]
    source = (project / "momentum_rowing_log" / "plugin.py").read_text()
    assert "@hookimpl" in source and '"""' in source
    hook = "momentum_data_sources" if kind == "source" else "momentum_domains"
    assert f"def {hook}" in source


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["new", "--plugin", str(tmp_path / "p"), "--kind", "chat", "--defaults"],
        env={"NO_COLOR": "1"},
    )
    assert result.exit_code == 1
    assert "'chat' is not a plugin kind" in result.output
    assert not (tmp_path / "p").exists()


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["source", "domain"])
def test_its_own_tests_pass(tmp_path: Path, kind: str) -> None:
    project = new_plugin(tmp_path, f"momentum-{kind}-demo", kind)
    result = run_project_tests(project)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "2 passed" in result.stdout


@pytest.mark.slow
def test_installed_it_is_listed_by_momentum_plugins(tmp_path: Path) -> None:
    uv = str(UV) if UV.exists() else shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed (python3 scripts/dev.py sets it up in .tools/)")
    project = new_plugin(tmp_path, "momentum-rowing-log", "source")
    target = tmp_path / "site"
    install = subprocess.run(
        [
            uv,
            "pip",
            "install",
            "--python",
            sys.executable,
            "--target",
            str(target),
            "--no-deps",
            str(project),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "UV_OFFLINE": "1"},
        check=False,
    )
    if install.returncode != 0 and "offline" in install.stderr.lower():
        pytest.skip(f"hatchling is not in uv's cache to build offline: {install.stderr[-300:]}")
    assert install.returncode == 0, install.stderr
    listed = subprocess.run(
        [sys.executable, "-m", "momentum.adapters.local.cli", "plugins", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(target)},
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    rows = {row["name"]: row for row in json.loads(listed.stdout)}
    assert rows["rowing_log"]["module"] == "momentum_rowing_log.plugin"
    assert rows["rowing_log"]["data_sources"]
