"""The Python Worker's import graph and package: what Pyodide can run, and the size the
free plan allows. Static (Python Workers cannot start offline); the package is built by
wrangler's own ``deploy --dry-run``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from momentum.adapters.cloudflare import imports
from momentum.adapters.cloudflare.package import LIMIT_MB, PLUGINS, package, stage
from momentum.infra.plugins import WORKER_PLUGINS

STRETCH = """from momentum import RecurringJob, hookimpl


def stretch(app, athlete_id, local_date):
    app.chat.direct_message(app.storage.get_athlete(athlete_id).chat_user_id, "Stretch.")


@hookimpl
def momentum_scheduled_jobs():
    return [RecurringJob("stretch", hour=21, run=stretch, description="9 pm mobility")]
"""


def coach_project(root: Path, plugin: str = STRETCH) -> Path:
    """A coach project as ``momentum new`` lays it out: prompt overrides, another prompt
    folder named in ``[prompts] dirs``, and one local plugin."""
    (root / "prompts").mkdir(parents=True)
    (root / "prompts" / "persona.j2").write_text("You are Coach Kim.\n")
    (root / "more_prompts").mkdir()
    (root / "more_prompts" / "checkin.j2").write_text("Kim's check-in.\n")
    stretch = root / "coachplugins" / "stretch"
    stretch.mkdir(parents=True)
    (root / "coachplugins" / "__init__.py").write_text("")
    (stretch / "__init__.py").write_text("")
    (stretch / "plugin.py").write_text(plugin)
    (stretch / "__pycache__").mkdir()
    (stretch / "__pycache__" / "plugin.cpython-311.pyc").write_bytes(b"\0")
    config = root / "momentum.toml"
    config.write_text(
        'local_plugins = ["coachplugins.stretch.plugin"]\n[prompts]\ndirs = ["more_prompts"]\n'
    )
    return config


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


@pytest.mark.parametrize(
    "plugin",
    [
        "momentum.plugins.strava.plugin",
        "momentum.plugins.oura.plugin",
        "momentum.plugins.peloton.plugin",
    ],
)
def test_the_data_source_plugins_are_worker_ready(plugin: str) -> None:
    found = imports.graph(plugin)
    assert imports.problems(found) == []
    # their command lines (local coach, scheduler threads, OAuth redirect listener) stay off
    assert not any(m.startswith("momentum.adapters.local") for m in found.modules)
    assert "momentum.core.oauth_redirect" not in found.modules


def test_a_plugins_cli_hook_is_off_the_worker_but_its_other_hooks_are_followed(
    tmp_path: Path,
) -> None:
    package_dir = tmp_path / "momentum_clipkg"
    package_dir.mkdir()
    (package_dir / "__init__.py").write_text(
        "def momentum_cli(cli):\n    import subprocess\n"
        "def momentum_settings():\n    import socket\n"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        lines = imports.problems(imports.graph("momentum_clipkg"))
    finally:
        sys.path.remove(str(tmp_path))
    assert [line.split()[0] for line in lines] == ["socket"]


def test_names_from_the_public_facade_are_followed_to_their_modules() -> None:
    found = imports.graph("momentum.plugins.oura.plugin")
    assert "momentum.core.plugins.types" in found.modules  # from momentum import RecurringJob


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
    config = coach_project(tmp_path / "coach")
    built = package(tmp_path / "worker", wrangler, plugins=WORKER_PLUGINS, config_file=config)
    shipped = {p.relative_to(built.folder).as_posix() for p in built.folder.rglob("*")}
    assert "worker.py" in shipped
    assert "momentum/adapters/cloudflare/entry.py" in shipped
    assert "momentum/plugins/strava/plugin.py" in shipped
    assert "momentum/adapters/outbound/fetch.py" in shipped
    assert not any("/adapters/local/" in name or "/adapters/aws/" in name for name in shipped)
    # what wrangler bundled: the project's own files, momentum's templates, vendored SDKs
    assert {
        "momentum.toml",
        "prompts/persona.j2",
        "more_prompts/checkin.j2",
        "coachplugins/stretch/plugin.py",
        "momentum/plugins/running/prompts/checkin.j2",
        "python_modules/stravalib/client.py",
        "python_modules/groq/__init__.py",
        # the sleep and meals domains with their data: prompts, foods, the XML parser
        "momentum/plugins/sleep/prompts/sleep_section.j2",
        "momentum/plugins/meals/data/foods.json",
        "python_modules/defusedxml/ElementTree.py",
        "momentum_worker_plugins.py",
    } <= shipped
    assert 0 < built.megabytes <= LIMIT_MB  # with running, sleep, meals and Strava


def test_a_coach_projects_prompts_and_plugins_are_staged_beside_momentum(tmp_path: Path) -> None:
    config = coach_project(tmp_path / "coach")
    stage(tmp_path / "worker", config_file=config)
    src = tmp_path / "worker" / "src"
    assert (src / "momentum.toml").read_text() == config.read_text()  # MOMENTUM_HOME
    assert (src / "prompts" / "persona.j2").read_text() == "You are Coach Kim.\n"
    assert (src / "more_prompts" / "checkin.j2").is_file()
    assert (src / "coachplugins" / "stretch" / "plugin.py").read_text() == STRETCH
    assert not (src / "coachplugins" / "stretch" / "__pycache__").exists()
    # momentum's own templates ship too (read from files, never imported)
    assert (src / "momentum" / "plugins" / "running" / "prompts" / "checkin.j2").is_file()
    assert (
        src / "momentum" / "plugins" / "running" / "prompts" / "offline" / "checkin.j2"
    ).is_file()
    assert not (src / "momentum" / "adapters" / "cloudflare" / "migrations").exists()
    vendored = {p.name for p in (tmp_path / "worker" / "python_modules").iterdir()}
    # the SDKs the Worker's plugins use, with what they require, vendored for wrangler
    assert {"slack_sdk", "slack_bolt", "groq", "httpx", "stravalib", "requests"} <= vendored
    assert {"anyio", "httpcore", "urllib3", "idna"} <= vendored
    # Pyodide's own builds are used for native code and what is pinned to it
    assert not {"pydantic", "pydantic_core", "msgspec", "markupsafe"} & vendored
    rules = json.loads((tmp_path / "worker" / "wrangler.json").read_text())["rules"]
    assert rules[0]["type"] == "Data" and "**/*.j2" in rules[0]["globs"]


def test_a_local_plugin_that_cannot_run_in_a_worker_stops_the_packaging(tmp_path: Path) -> None:
    bad = STRETCH.replace("from momentum import", "import subprocess\nfrom momentum import")
    config = coach_project(tmp_path / "coach", plugin=bad)
    with pytest.raises(
        ValueError, match=r"subprocess .* imported by coachplugins\.stretch\.plugin"
    ):
        stage(tmp_path / "worker", config_file=config)
    assert "coachplugins" not in sys.modules


def test_a_missing_local_plugin_or_a_folder_outside_the_project_is_named(tmp_path: Path) -> None:
    config = coach_project(tmp_path / "coach")
    config.write_text('local_plugins = ["coachplugins.nothing.plugin"]\n')
    with pytest.raises(ValueError, match=r"coachplugins\.nothing\.plugin: no such module"):
        stage(tmp_path / "worker", config_file=config)
    config.write_text('[prompts]\ndirs = ["../elsewhere"]\n')
    with pytest.raises(ValueError, match=r"momentum.toml: \[prompts\] dirs: '../elsewhere'"):
        stage(tmp_path / "worker", config_file=config)
