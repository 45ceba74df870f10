"""The Python Worker's import graph and package: what Pyodide can run, and the size the
free plan allows. Static (Python Workers cannot start offline); the package is built by
wrangler's own ``deploy --dry-run``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from momentum.adapters.cloudflare import imports
from momentum.adapters.cloudflare.package import LIMIT_MB, PLUGINS, package


def test_the_worker_entry_imports_nothing_pyodide_cannot_run() -> None:
    found = imports.graph()
    assert imports.problems(found) == []
    assert "momentum.core.runtime.dispatch" in found.modules
    assert "momentum.adapters.cloudflare.d1_storage" in found.modules
    assert not any(m.startswith("momentum.adapters.local") for m in found.modules)
    assert "httpx" not in found.outside  # off the Worker: fetch is its transport
    assert set(imports.third_party(found)) <= {
        "jinja2",
        "pluggy",
        "msgspec",
        "defusedxml",
        "fitdecode",
    }


@pytest.mark.parametrize("plugin", PLUGINS)
def test_the_packaged_plugins_import_nothing_pyodide_cannot_run(plugin: str) -> None:
    assert imports.problems(imports.graph(plugin)) == []


@pytest.mark.xfail(
    strict=True,
    reason="the strava plugin reaches the local scheduler (threads) and starts an OAuth "
    "thread; it is not packaged for the Worker yet",
)
def test_the_strava_plugin_is_worker_ready() -> None:
    assert imports.problems(imports.graph("momentum.plugins.strava.plugin")) == []


def test_the_check_rejects_threads_sockets_processes_and_native_code(tmp_path: Path) -> None:
    package_dir = tmp_path / "momentum_badpkg"
    package_dir.mkdir()
    (package_dir / "__init__.py").write_text(
        "import subprocess\nimport threading\n"
        "def later():\n    import socket\n    threading.Thread(target=later).start()\n"
    )
    native = tmp_path / "nativelib"
    native.mkdir()
    (native / "__init__.py").write_text("")
    (native / "_speedups.so").write_bytes(b"\x7fELF")
    (package_dir / "uses_native.py").write_text("import nativelib\n")
    sys.path.insert(0, str(tmp_path))
    try:
        lines = imports.problems(imports.graph("momentum_badpkg"))
        native_lines = imports.problems(imports.graph("momentum_badpkg.uses_native"))
    finally:
        sys.path.remove(str(tmp_path))
    assert any(line.startswith("subprocess") for line in lines), lines
    assert any(line.startswith("socket") for line in lines), lines  # a lazy import counts
    assert "starts a thread: momentum_badpkg: threading.Thread" in lines
    assert any("nativelib has a native extension" in line for line in native_lines), native_lines


@pytest.mark.cloudflare
def test_wrangler_packages_the_worker_within_the_free_plan(tmp_path: Path) -> None:
    from momentum.adapters.cloudflare.testing import wrangler_binary

    wrangler = wrangler_binary()
    if wrangler is None:
        pytest.skip("wrangler is not installed (python3 scripts/dev.py test installs it)")
    built = package(tmp_path / "worker", wrangler)
    shipped = {p.relative_to(built.folder).as_posix() for p in built.folder.rglob("*.py")}
    assert "worker.py" in shipped or any(name.endswith("worker.py") for name in shipped)
    assert any(name.endswith("momentum/adapters/cloudflare/entry.py") for name in shipped)
    assert not any("/adapters/local/" in name or "/adapters/aws/" in name for name in shipped)
    assert 0 < built.megabytes <= LIMIT_MB
