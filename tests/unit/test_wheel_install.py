"""The built wheel installs everything under ``momentum`` only: next to a project with its
own ``core/`` and ``plugins/`` packages, both import correctly, and ``momentum plugins``
lists the built-ins. Builds a wheel and a fresh venv (about 10-60 s), offline from uv's
cache."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
UV = ROOT / ".tools" / "bin" / "uv"

pytestmark = pytest.mark.slow


def _uv() -> str:
    found = str(UV) if UV.exists() else shutil.which("uv")
    if found is None:
        pytest.skip("uv is not installed (python3 scripts/dev.py sets it up in .tools/)")
    return found


def _run(*args: str | Path, cwd: Path = ROOT, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never", **(env or {})},
    )
    assert result.returncode == 0, f"{args}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def base_requirements(dist: str = "momentum-coach") -> list[str]:
    """``name==version`` for the base dependencies and theirs (no extras), as installed
    here, so the fresh venv gets them from the cache without resolving."""
    pinned: dict[str, str] = {}
    todo = [dist]
    while todo:
        requirements = metadata.requires(todo.pop()) or []
        for requirement in requirements:
            if ";" in requirement and "extra" in requirement.split(";", 1)[1]:
                continue
            if ";" in requirement and not _applies(requirement.split(";", 1)[1]):
                continue
            name = re.split(r"[\s<>=!~\[;(]", requirement, maxsplit=1)[0]
            key = name.lower().replace("_", "-")
            if key in pinned:
                continue
            pinned[key] = f"{name}=={metadata.version(name)}"
            todo.append(name)
    return sorted(pinned.values())


def _applies(marker: str) -> bool:
    from packaging.markers import Marker

    return Marker(marker).evaluate()


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel and its base dependencies; returns its python."""
    uv = _uv()
    out = tmp_path_factory.mktemp("dist")
    _run(uv, "build", "--wheel", "--out-dir", out)
    [wheel] = out.glob("momentum_coach-*.whl")
    venv = tmp_path_factory.mktemp("venv") / "v"
    _run(uv, "venv", "-q", "--python", sys.executable, venv)
    python = venv / "bin" / "python"
    _run(uv, "pip", "install", "-q", "--python", python, "--no-deps", wheel, *base_requirements())
    return python


def test_the_wheel_holds_only_the_momentum_package(tmp_path: Path) -> None:
    _run(_uv(), "build", "--wheel", "--out-dir", tmp_path)
    [wheel] = tmp_path.glob("momentum_coach-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/")[0] for name in archive.namelist()}
        names = set(archive.namelist())
    assert tops == {"momentum", "momentum_coach-0.1.0.dist-info"}
    assert {"momentum/__init__.py", "momentum/testing.py", "momentum/py.typed"} <= names
    assert "momentum/core/app.py" in names
    assert "momentum/plugins/running/plugin.py" in names
    assert "momentum/adapters/slack/plugin.py" in names
    dashboard = "momentum/core/dashboard/"
    for vendored in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js", "dashboard.js"):
        assert f"{dashboard}static/{vendored}" in names  # the dashboard works offline
    assert f"{dashboard}templates/overview.html.j2" in names


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's project with its own generic top-level packages."""
    for package in ("core", "plugins"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(f'WHO = "the project\'s {package}"\n')
    return tmp_path


def test_a_project_with_its_own_core_and_plugins_imports_both(
    installed: Path, project: Path
) -> None:
    probe = (
        "import json, core, plugins, momentum, momentum.core.app, momentum.testing; "
        "print(json.dumps([core.__file__, core.WHO, plugins.__file__, plugins.WHO, "
        "momentum.core.app.__file__, momentum.App.__module__]))"
    )
    found = json.loads(_run(installed, "-c", probe, cwd=project))
    assert found[0] == str(project / "core" / "__init__.py") and found[1] == "the project's core"
    assert found[2] == str(project / "plugins" / "__init__.py")
    assert "site-packages/momentum/core/app.py" in found[4]
    assert found[5] == "momentum.core.app"


def test_momentum_plugins_lists_the_built_ins(installed: Path, project: Path) -> None:
    momentum = installed.parent / "momentum"
    rows = json.loads(_run(momentum, "plugins", "--json", cwd=project))
    by_name = {row["name"]: row for row in rows}
    assert {"running", "files", "strava", "slack", "groq"} <= set(by_name)
    assert by_name["running"]["module"] == "momentum.plugins.running.plugin"
    assert by_name["running"]["status"] == "ok" and by_name["files"]["status"] == "ok"
