"""The Lambda bundle, built from local packages only (no network): what goes in, what stays
out, that it is reproducible, and that a bare interpreter can load the handler and the
plugins from it alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from momentum.infra.aws import bundle as bundler
from momentum.infra.aws.bundle import BundleSpec, build_bundle

pytestmark = pytest.mark.aws

REPO = Path(__file__).resolve().parents[2]
CORE_DISTS = ("jinja2", "pluggy", "tzdata")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> bundler.Bundle:
    out = tmp_path_factory.mktemp("bundle") / "coach.zip"
    return build_bundle(
        BundleSpec(REPO, plugins=("running", "files"), local_distributions=(*CORE_DISTS, "gpxpy")),
        out,
    )


def names_in(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as archive:
        return set(archive.namelist())


def test_the_bundle_holds_core_the_adapter_the_plugins_and_their_packages(
    built: bundler.Bundle,
) -> None:
    names = names_in(built.path)
    for wanted in (
        "momentum/core/app.py",
        "momentum/core/model/serde.py",
        "momentum/adapters/__init__.py",
        "momentum/adapters/aws/handler.py",
        "momentum/adapters/aws/dynamodb_storage.py",
        "momentum/plugins/__init__.py",
        "momentum/plugins/running/plugin.py",
        "momentum/plugins/files/plugin.py",
        "jinja2/__init__.py",
        "markupsafe/__init__.py",  # jinja2's dependency, resolved
        "pluggy/__init__.py",
        "tzdata/zoneinfo/America/Toronto",
        "gpxpy/__init__.py",
        "momentum_bundle-0.0.0.dist-info/entry_points.txt",
    ):
        assert wanted in names, wanted
    non_python_core = {n for n in names if n.startswith("momentum/core/") and not n.endswith(".py")}
    source_files = {
        "momentum/" + p.relative_to(REPO).as_posix()
        for p in (REPO / "core").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".py"
    }
    assert non_python_core == {f for f in source_files if not f.endswith((".pyc", ".pyo"))}


def test_the_bundle_leaves_out_boto3_caches_tests_and_unchosen_parts(
    built: bundler.Bundle,
) -> None:
    names = names_in(built.path)
    tops = {n.split("/", 1)[0] for n in names}
    assert not tops & {"boto3", "botocore", "s3transfer", "jmespath", "tests", "infra"}
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    assert not [
        n for n in names if n.startswith(("momentum/adapters/slack/", "momentum/adapters/local/"))
    ]
    assert not [n for n in names if n.startswith("momentum/plugins/strava/")]
    assert not [n for n in names if n.endswith((".so", ".pyd"))]  # local copies: pure only


def test_the_bundle_is_reproducible(built: bundler.Bundle, tmp_path: Path) -> None:
    again = build_bundle(
        BundleSpec(REPO, plugins=("running", "files"), local_distributions=(*CORE_DISTS, "gpxpy")),
        tmp_path / "again.zip",
    )
    assert again.sha256_base64 == built.sha256_base64
    assert again.path.read_bytes() == built.path.read_bytes()
    assert built.size == built.path.stat().st_size and built.files == len(names_in(built.path))


def test_a_bare_interpreter_loads_the_handler_and_plugins_from_the_bundle_alone(
    built: bundler.Bundle, tmp_path: Path
) -> None:
    root = tmp_path / "task"
    with zipfile.ZipFile(built.path) as archive:
        archive.extractall(root)
    code = (
        "import sys, json, zoneinfo, datetime as dt; "
        "import momentum.adapters.aws.handler, momentum.adapters.aws.bootstrap; "
        "from momentum.core.plugins.host import load_plugins; host = load_plugins(); "
        "toronto = dt.datetime(2026, 7, 1, tzinfo=zoneinfo.ZoneInfo('America/Toronto')); "
        "print(json.dumps({'jobs': sorted(j.name for j in host.recurring_jobs()), "
        "'importers': sorted(i.name for i in host.file_importers()), "
        "'offset': toronto.utcoffset().total_seconds(), "
        "'outside': sorted({m.__file__.split('/site-packages/')[0] for m in "
        "list(sys.modules.values()) if getattr(m, '__file__', None) and 'site-packages' "
        "in m.__file__})}))"
    )
    # -S -I: no site-packages, no user site, no PYTHONPATH; PYTHONTZPATH empty: zoneinfo
    # must use the bundled tzdata, as on Lambda's runtime image.
    env = {"PYTHONTZPATH": "", "PATH": os.environ.get("PATH", "")}
    result = subprocess.run(
        [
            sys.executable,
            "-S",
            "-I",
            "-c",
            f"import sys; sys.path.insert(0, {str(root)!r}); {code}",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout)
    assert report["jobs"] == ["checkin", "monday_plan", "weekly_refresh"]
    assert report["offset"] == -4 * 3600  # EDT, from bundled tzdata
    assert report["outside"] == []  # nothing came from an installed site-packages


def test_slack_and_groq_are_bundled_only_when_chosen(tmp_path: Path) -> None:
    spec = BundleSpec(
        REPO, plugins=("running",), chat="slack", model="groq", local_distributions=("pluggy",)
    )
    names = names_in(build_bundle(spec, tmp_path / "slack.zip").path)
    assert (
        "momentum/adapters/slack/bolt_app.py" in names
        and "momentum/adapters/groq/__init__.py" in names
    )
    assert spec.pip_requirements() == sorted(
        {*bundler.CORE_REQUIREMENTS, "slack-bolt>=1.21", "slack-sdk>=3.33", "groq>=0.30"}
    )


def test_teams_is_bundled_with_its_sdk_when_chosen(tmp_path: Path) -> None:
    spec = BundleSpec(REPO, plugins=("running",), chat="teams", local_distributions=("pluggy",))
    names = names_in(build_bundle(spec, tmp_path / "teams.zip").path)
    assert "momentum/adapters/teams/bridge.py" in names
    assert not any(name.startswith("momentum/adapters/slack/") for name in names)
    assert spec.entry_points()["teams"] == "momentum.adapters.teams.plugin"
    assert spec.pip_requirements() == sorted(
        {
            *bundler.CORE_REQUIREMENTS,
            "microsoft-teams-api>=2.1.1",
            "msal>=1.31",
            "pyjwt[crypto]>=2.10",
        }
    )


def test_pip_requirements_follow_the_plugins_and_match_pyproject() -> None:
    spec = BundleSpec(REPO, plugins=("running", "files", "strava"))
    assert spec.pip_requirements() == sorted(
        {*bundler.CORE_REQUIREMENTS, "fitdecode>=0.10", "gpxpy>=1.6", "stravalib>=2.0"}
    )
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = set(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        declared.update(extra)
    every = {
        *bundler.CORE_REQUIREMENTS,
        *(r for rs in bundler.PLUGIN_REQUIREMENTS.values() for r in rs),
        *(r for rs in bundler.CHAT_REQUIREMENTS.values() for r in rs),
        *(r for rs in bundler.MODEL_REQUIREMENTS.values() for r in rs),
    }
    assert every <= declared, every - declared


def test_installed_boto3_is_removed_from_a_staged_bundle(tmp_path: Path) -> None:
    for dist, top in (("boto3-1.35.0", "boto3"), ("jinja2-3.1.6", "jinja2")):
        info = tmp_path / f"{dist}.dist-info"
        info.mkdir()
        (tmp_path / top).mkdir()
        (tmp_path / top / "__init__.py").write_text("")
        (info / "RECORD").write_text(f"{top}/__init__.py,,\n{dist}.dist-info/RECORD,,\n")
    bundler.remove_distributions(tmp_path, bundler.LAMBDA_PROVIDED)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jinja2", "jinja2-3.1.6.dist-info"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (BundleSpec(REPO, chat="discord"), "chat must be one of"),
        (BundleSpec(REPO, model="gpt"), "model must be one of"),
        (BundleSpec(REPO, plugins=("garmin",)), "unknown plugin 'garmin'"),
        (BundleSpec(REPO / "nowhere"), "not a package folder"),
        (BundleSpec(REPO, config_file=REPO / "no.toml"), "does not exist"),
    ],
)
def test_bad_choices_are_refused_by_name(spec: BundleSpec, message: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=message):
        build_bundle(spec, tmp_path / "x.zip")


def test_a_missing_local_distribution_is_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no-such-dist"):
        build_bundle(BundleSpec(REPO, local_distributions=("no-such-dist",)), tmp_path / "x.zip")


def test_a_config_file_ships_at_the_bundle_root(tmp_path: Path) -> None:
    config = tmp_path / "momentum.toml"
    config.write_text('athlete_id = "adam"\n')
    spec = BundleSpec(
        REPO, plugins=("running",), config_file=config, local_distributions=("pluggy",)
    )
    built = build_bundle(spec, tmp_path / "c.zip")
    with zipfile.ZipFile(built.path) as archive:
        assert archive.read("momentum.toml") == b'athlete_id = "adam"\n'


def test_a_projects_prompts_and_own_plugins_ship_beside_its_config(tmp_path: Path) -> None:
    """A generated coach's ``prompts/`` overrides and its ``local_plugins`` reach the
    deployed coach: they sit at the bundle root with ``momentum.toml`` (MOMENTUM_HOME)."""
    project = tmp_path / "coach"
    (project / "prompts").mkdir(parents=True)
    (project / "prompts" / "persona.j2").write_text("You are Ada's coach.\n")
    (project / "plugins" / "stretch").mkdir(parents=True)
    (project / "plugins" / "__init__.py").write_text("")
    (project / "plugins" / "stretch" / "plugin.py").write_text("X = 1\n")
    (project / "plugins" / "stretch" / "__pycache__").mkdir()
    (project / "plugins" / "stretch" / "__pycache__" / "plugin.cpython-311.pyc").write_bytes(b"")
    (project / "notes").mkdir()
    (project / "notes" / "private.txt").write_text("not shipped\n")
    config = project / "momentum.toml"
    config.write_text(
        'athlete_id = "ada"\nlocal_plugins = ["plugins.stretch.plugin"]\n\n'
        '[prompts]\ndirs = ["prompts"]\n'
    )
    spec = BundleSpec(
        REPO, plugins=("running",), config_file=config, local_distributions=("pluggy",)
    )
    built = build_bundle(spec, tmp_path / "p.zip")
    with zipfile.ZipFile(built.path) as archive:
        names = set(archive.namelist())
        assert archive.read("prompts/persona.j2") == b"You are Ada's coach.\n"
        assert archive.read("plugins/stretch/plugin.py") == b"X = 1\n"
    assert "plugins/__init__.py" in names
    assert not any("__pycache__" in name or name.startswith("notes/") for name in names)


def test_a_project_folder_outside_the_project_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "momentum.toml"
    config.write_text('[prompts]\ndirs = ["../elsewhere"]\n')
    spec = BundleSpec(REPO, plugins=("running",), config_file=config)
    with pytest.raises(ValueError, match=r"\[prompts\] dirs: '../elsewhere' must be a folder"):
        build_bundle(spec, tmp_path / "x.zip")


def test_requirements_are_installed_with_uv_for_lambdas_platform(tmp_path: Path) -> None:
    """The uv-made environment has no pip: the bundle installs with ``uv pip install``."""
    spec = BundleSpec(REPO, plugins=("running",), requirements=("groq>=0.30",))
    command = bundler.install_command(spec, tmp_path / "t", "/opt/uv")
    assert command == [
        "/opt/uv",
        "pip",
        "install",
        "--quiet",
        "--target",
        str(tmp_path / "t"),
        "--python-platform",
        "aarch64-manylinux2014",
        "--python-version",
        "3.12",
        "--only-binary",
        ":all:",
        "groq>=0.30",
    ]
    assert bundler.uv_platform("manylinux2014_x86_64") == "x86_64-manylinux2014"


def test_uv_is_found_pinned_then_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(bundler.UV_ENV, raising=False)
    pinned = tmp_path / ".tools" / "bin" / "uv"
    pinned.parent.mkdir(parents=True)
    pinned.write_text("#!/bin/sh\n")
    assert bundler.find_uv(tmp_path) == str(pinned)
    monkeypatch.setenv(bundler.UV_ENV, "/custom/uv")
    assert bundler.find_uv(tmp_path) == "/custom/uv"


def test_the_pinned_uv_really_accepts_the_command(tmp_path: Path) -> None:
    """The flags are uv's own: ``--help`` of the real binary lists every one we pass."""
    try:
        uv = bundler.find_uv(REPO)
    except RuntimeError as error:
        pytest.skip(str(error))
    shown = subprocess.run([uv, "pip", "install", "--help"], capture_output=True, text=True)
    for flag in ("--target", "--python-platform", "--python-version", "--only-binary"):
        assert flag in shown.stdout
    assert "aarch64-manylinux2014" in shown.stdout
