"""The Azure Functions package, built by the shared bundler with ``cloud="azure"`` from
local packages only: the Functions layout, and a bare interpreter indexing the app's four
functions from the package alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from momentum.infra.aws.bundle import BundleSpec, build_bundle
from momentum.infra.azure.component import SITE_PACKAGES, azure_bundle

pytestmark = pytest.mark.azure
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("azure.functions", reason="the azure extra is not installed")
    spec = azure_bundle(
        BundleSpec(
            REPO,
            plugins=("running",),
            local_distributions=("jinja2", "pluggy", "tzdata", "azure-functions"),
        )
    )
    out = tmp_path_factory.mktemp("azure") / "package.zip"
    return build_bundle(spec, out).path


def test_the_package_has_the_functions_layout(package: Path) -> None:
    names = set(zipfile.ZipFile(package).namelist())
    assert {"function_app.py", "host.json", "momentum/adapters/azure/function_app.py"} <= names
    assert f"{SITE_PACKAGES}/azure/functions/__init__.py" in names
    assert not any(n.startswith("momentum/adapters/aws/") for n in names)
    assert "momentum/adapters/azure/testing.py" not in names
    host = json.loads(zipfile.ZipFile(package).read("host.json"))
    assert host["extensions"]["http"]["routePrefix"] == ""


def test_a_bare_interpreter_indexes_the_four_functions_from_the_package(
    package: Path, tmp_path: Path
) -> None:
    root = tmp_path / "wwwroot"
    zipfile.ZipFile(package).extractall(root)
    code = (
        "import sys, json; import function_app; "
        "fns = function_app.app.get_functions(); "
        "print(json.dumps({f.get_function_name(): [b.type for b in f.get_bindings()] "
        "for f in fns} | {'sdk': sorted(m for m in sys.modules if m.startswith('azure.data') "
        "or m.startswith('azure.storage'))}))"
    )
    paths = [str(root), str(root / SITE_PACKAGES)]
    result = subprocess.run(
        [sys.executable, "-S", "-I", "-c", f"import sys; sys.path[:0] = {paths!r}; {code}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": os.environ.get("PATH", ""), "PYTHONTZPATH": ""},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout)
    assert found.pop("sdk") == []  # storage SDKs wait for the first invocation
    assert found == {
        "http": ["httpTrigger", "http"],
        "tick": ["timerTrigger"],
        "deferred": ["queueTrigger"],
        "poison": ["queueTrigger"],
    }


def test_the_package_ships_bytecode_so_a_cold_start_compiles_nothing(
    package: Path, tmp_path: Path
) -> None:
    """The Functions package is mounted read-only: its ``.pyc`` are shipped (unchecked
    hash, so unzipping's file times don't matter), and importing the app from it with
    ``-B`` finds a cached module for every source it loads from the package."""
    names = set(zipfile.ZipFile(package).namelist())
    tag = sys.implementation.cache_tag
    assert f"momentum/core/__pycache__/app.{tag}.pyc" in names
    assert f"{SITE_PACKAGES}/azure/functions/__pycache__/__init__.{tag}.pyc" in names
    root = tmp_path / "wwwroot"
    zipfile.ZipFile(package).extractall(root)
    code = (
        "import sys, json, function_app; "
        "print(json.dumps(sorted(m.__spec__.origin for m in list(sys.modules.values()) "
        "if getattr(m, '__spec__', None) and m.__spec__.origin and m.__spec__.cached "
        f"and m.__spec__.origin.startswith({str(root)!r})))) "
    )
    paths = [str(root), str(root / SITE_PACKAGES)]
    result = subprocess.run(
        [sys.executable, "-S", "-I", "-B", "-c", f"import sys; sys.path[:0] = {paths!r}; {code}"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(result.stdout)
    assert loaded, "nothing was imported from the package"
    missing = [
        o
        for o in loaded
        if not Path(o)
        .with_suffix("")
        .parent.joinpath("__pycache__", f"{Path(o).stem}.{tag}.pyc")
        .exists()
    ]
    assert missing == []


def test_two_builds_of_the_package_are_the_same_bytes(tmp_path: Path) -> None:
    pytest.importorskip("azure.functions", reason="the azure extra is not installed")
    spec = azure_bundle(BundleSpec(REPO, plugins=("running",), local_distributions=("pluggy",)))
    first = build_bundle(spec, tmp_path / "a.zip")
    second = build_bundle(spec, tmp_path / "b.zip")
    assert first.sha256_base64 == second.sha256_base64
