"""Builds a deployment bundle: a zip of core, one cloud adapter (``BundleSpec.cloud``: AWS
for Lambda, Azure for Functions), the chosen chat adapter and plugins, and their third-party
dependencies (what the platform ships is left out: boto3 on Lambda).

Third-party packages come one of two ways:

- ``requirements`` are installed with ``uv pip install --target`` for the function's
  platform (``--python-platform aarch64-manylinux2014 --python-version 3.12
  --only-binary :all:``; the project's uv-made environment has no pip), so
  compiled wheels (pydantic-core for groq, for example) match Lambda's arm64 Python, not
  the machine running ``pulumi up``. Results are cached by requirement set and platform.
- ``local_distributions`` are copied from the running environment's installed
  distributions (pure-Python files only), for building without a network (tests).

The zip is deterministic (sorted entries, fixed timestamps), so an unchanged bundle keeps
its hash and ``pulumi up`` does not redeploy the function. Plugins are found through a
generated ``momentum_bundle.dist-info/entry_points.txt``, the same ``momentum`` entry-point
group the installed package declares, so ``load_plugins()`` works unchanged on Lambda.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import json
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# The one list of built-in plugins (shared with the Cloudflare Worker's package), under
# the names this module has always offered.
from momentum.infra.plugins import BUILTIN_PLUGINS as BUILTIN_PLUGINS
from momentum.infra.plugins import CHAT_PLUGINS as CHAT_PLUGINS
from momentum.infra.plugins import MODEL_PLUGINS as MODEL_PLUGINS
from momentum.infra.plugins import PLUGIN_REQUIREMENTS as PLUGIN_REQUIREMENTS

LAMBDA_PROVIDED = ("boto3", "botocore", "s3transfer", "jmespath")
"""Distributions the Lambda Python runtime already has; never bundled."""
PROVIDED: dict[str, tuple[str, ...]] = {"aws": LAMBDA_PROVIDED}
"""Per cloud, distributions its Python runtime already has."""
CLOUD_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "aws": (),
    "azure": (
        "azure-functions>=1.21",
        "azure-data-tables>=12.5",
        "azure-storage-blob>=12.23",
        "azure-storage-queue>=12.12",
        "azure-identity>=1.17",
    ),
    "gcp": (
        "functions-framework>=3.8",
        "google-cloud-firestore>=2.19",
        "google-cloud-storage>=2.18",
        "google-cloud-tasks>=2.16",
        "google-cloud-secret-manager>=2.20",
        "google-auth>=2.30",
    ),
}
"""Third-party packages each cloud adapter imports (as in pyproject's extras)."""

CORE_REQUIREMENTS = ("jinja2>=3.1", "msgspec>=0.18", "pluggy>=1.5", "tzdata>=2024.1")
"""What core needs at run time (pyproject's core dependencies minus the CLI's typer/rich).
tzdata because the runtime image carries no IANA zone database for zoneinfo; msgspec
validates ``momentum.toml`` when the app is built."""

CHAT_REQUIREMENTS: dict[str, tuple[str, ...]] = {
    "log": (),
    "slack": ("slack-bolt>=1.21", "slack-sdk>=3.33"),
    "teams": ("microsoft-teams-api>=2.1.1", "msal>=1.31", "pyjwt[crypto]>=2.10"),
}
MODEL_REQUIREMENTS: dict[str, tuple[str, ...]] = {"offline": (), "groq": ("groq>=0.30",)}

SKIP_PARTS = {"__pycache__", "tests", ".pytest_cache", ".mypy_cache"}
SKIP_SUFFIXES = {".pyc", ".pyo"}
SKIP_PREFIXES = ("adapters/azure/testing.py", "adapters/gcp/testing/")
"""Test helpers shipped for users' tests but never needed inside the function."""
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
PACKAGE = "momentum"
"""Everything of Momentum's lives under this one import name in the bundle, as installed."""


@dataclass(frozen=True)
class BundleSpec:
    """What goes into the bundle."""

    source_root: Path
    """The folder holding ``core/``, ``adapters/`` and ``plugins/`` (a checkout or a coach
    project that vendors them)."""
    plugins: tuple[str, ...] = ("running", "files", "strava")
    chat: str = "log"
    model: str = "offline"
    requirements: tuple[str, ...] | None = None
    """pip requirements; ``None`` means those of core and the choices above."""
    local_distributions: tuple[str, ...] = ()
    """Installed distributions to copy instead of pip-installing (their dependencies too)."""
    extra_entry_points: dict[str, str] = field(default_factory=dict)
    """More ``name: module`` plugins already on the bundle's path (e.g. via requirements)."""
    config_file: Path | None = None
    """A ``momentum.toml`` to ship at the bundle root (``MOMENTUM_HOME``)."""
    platform: str = "manylinux2014_aarch64"
    python_version: str = "3.12"
    cache_dir: Path | None = None
    cloud: str = "aws"
    """The cloud adapter bundled (``adapters/<cloud>``)."""
    site_packages: str = ""
    """Where third-party packages go inside the zip (Azure Functions: ``.python_packages/
    lib/site-packages``); ``""`` is the zip's root, as Lambda wants."""
    root_files: dict[str, str] = field(default_factory=dict)
    """Files written at the zip's root, ``name: text`` (Azure: ``function_app.py``,
    ``host.json``)."""
    compile_bytecode: bool = False
    """Ship ``__pycache__`` (unchecked-hash ``.pyc``) for a platform whose package is
    mounted read-only, so no cold start compiles the sources (Azure Functions). Written
    only when this interpreter is ``python_version``: a ``.pyc`` is tied to it."""

    def packages(self) -> list[str]:
        """Repository folders to include, relative to ``source_root``."""
        folders = ["core", f"adapters/{self.cloud}"]
        if self.chat in CHAT_PLUGINS:
            folders.append(f"adapters/{self.chat}")
        if self.model == "groq":
            folders.append("adapters/groq")
        folders += [f"plugins/{name}" for name in self.plugins if name in BUILTIN_PLUGINS]
        return folders

    def pip_requirements(self) -> list[str]:
        """The third-party requirements to install with pip."""
        if self.requirements is not None:
            return list(self.requirements)
        found = list(CORE_REQUIREMENTS) + list(CLOUD_REQUIREMENTS.get(self.cloud, ()))
        found += CHAT_REQUIREMENTS[self.chat] + MODEL_REQUIREMENTS[self.model]
        for name in self.plugins:
            found += PLUGIN_REQUIREMENTS.get(name, ())
        return sorted(set(found))

    def entry_points(self) -> dict[str, str]:
        """The ``momentum`` entry points the bundle declares."""
        points = {name: BUILTIN_PLUGINS[name] for name in self.plugins if name in BUILTIN_PLUGINS}
        if self.chat in CHAT_PLUGINS:
            points[self.chat] = CHAT_PLUGINS[self.chat]
        if self.model in MODEL_PLUGINS:
            points[self.model] = MODEL_PLUGINS[self.model]
        points.update(self.extra_entry_points)
        return points


@dataclass(frozen=True)
class Bundle:
    """A built zip: where it is, its hash as Lambda reports it, and what is inside."""

    path: Path
    sha256_base64: str
    size: int
    files: int
    uncompressed: int
    by_top_level: dict[str, int]
    """Compressed bytes per top-level folder or file (what makes the bundle big)."""


def validate(spec: BundleSpec) -> None:
    """Raise ``ValueError`` naming the first unknown choice or missing folder."""
    if spec.cloud not in CLOUD_REQUIREMENTS:
        raise ValueError(f"cloud must be one of {sorted(CLOUD_REQUIREMENTS)}, not {spec.cloud!r}")
    if spec.chat not in CHAT_REQUIREMENTS:
        raise ValueError(f"chat must be one of {sorted(CHAT_REQUIREMENTS)}, not {spec.chat!r}")
    if spec.model not in MODEL_REQUIREMENTS:
        raise ValueError(f"model must be one of {sorted(MODEL_REQUIREMENTS)}, not {spec.model!r}")
    for name in spec.plugins:
        if name not in BUILTIN_PLUGINS and name not in spec.extra_entry_points:
            raise ValueError(f"unknown plugin {name!r}: not built in and no entry point given")
    for folder in spec.packages():
        if not (spec.source_root / folder / "__init__.py").exists():
            raise ValueError(f"{spec.source_root / folder} is not a package folder")
    if spec.config_file is not None and not spec.config_file.is_file():
        raise ValueError(f"config file {spec.config_file} does not exist")
    if spec.config_file is not None:
        project_folders(spec.config_file)  # names a bad folder before anything is built
        refuse_plain_text_secrets(spec.config_file)


def build_bundle(spec: BundleSpec, out: Path) -> Bundle:
    """Stage everything, then write the zip to ``out``."""
    validate(spec)
    with tempfile.TemporaryDirectory(prefix="momentum-bundle-") as staging:
        root = Path(staging)
        packages = root / spec.site_packages
        packages.mkdir(parents=True, exist_ok=True)
        if spec.local_distributions:
            copy_local_distributions(spec.local_distributions, packages)
        else:
            install_requirements(spec, packages)
        remove_distributions(packages, PROVIDED.get(spec.cloud, ()))
        for folder in spec.packages():
            copy_package(spec.source_root, folder, root)
        for parent in ("adapters", "plugins"):
            init = spec.source_root / parent / "__init__.py"
            if init.exists() and (root / PACKAGE / parent).exists():
                shutil.copyfile(init, root / PACKAGE / parent / "__init__.py")
        shutil.copyfile(spec.source_root / PACKAGE / "__init__.py", root / PACKAGE / "__init__.py")
        write_entry_points(root, spec.entry_points())
        if spec.config_file is not None:
            shutil.copyfile(spec.config_file, root / "momentum.toml")
            for folder in project_folders(spec.config_file):
                copy_project_folder(spec.config_file.parent, folder, root)
        for name, text in spec.root_files.items():
            (root / name).write_text(text, encoding="utf-8")
        if spec.compile_bytecode:
            compile_bytecode(root, spec.python_version)
        return write_zip(root, out)


def compile_bytecode(root: Path, python_version: str) -> bool:
    """Write ``__pycache__`` for every module under ``root`` as unchecked-hash ``.pyc``
    (valid whatever the files' times after unzipping, and the same bytes on every build);
    ``False``, writing nothing, when this interpreter is not ``python_version``."""
    import compileall
    import py_compile
    import sys

    if f"{sys.version_info.major}.{sys.version_info.minor}" != python_version:
        return False
    return bool(
        compileall.compile_dir(
            str(root),
            quiet=2,
            stripdir=str(root),
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    )


def project_folders(config_file: Path) -> list[str]:
    """The folders of a coach project that its ``momentum.toml`` names and the deployed
    coach needs beside it: ``[prompts] dirs`` (prompt overrides) and the top-level package
    of each ``local_plugins`` module. A folder outside the project, or a name that is not
    a plain relative path, is a ValueError naming the file and the key."""
    import tomllib

    try:
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{config_file}: cannot read it ({error})") from None
    prompts = data.get("prompts", {})
    named: list[tuple[str, str]] = []
    if isinstance(prompts, dict):
        named += [("[prompts] dirs", str(d)) for d in prompts.get("dirs", []) or []]
    named += [("local_plugins", str(m).split(".")[0]) for m in data.get("local_plugins", [])]
    folders: list[str] = []
    for key, name in named:
        path = Path(name)
        if path.is_absolute() or ".." in path.parts or not name.strip():
            raise ValueError(f"{config_file}: {key}: {name!r} must be a folder inside the project")
        if (config_file.parent / path).is_dir() and name not in folders:
            folders.append(path.as_posix())
    return folders


def plain_text_secrets(config_file: Path) -> list[str]:
    """The secrets written in ``config_file`` as plain text (``[meals] fdc_api_key``,
    ``[model] api_key``...): every key of a section whose schema (core's ``[model]``, an
    installed plugin's ``momentum_settings``) declares it a :class:`Secret`. A shipped
    ``momentum.toml`` is plain text in the bundle: such a value belongs in the stack's
    secrets (``pulumi config set --secret``) instead."""
    import dataclasses
    import tomllib
    import typing

    from momentum.core.config import ModelSettings, Secret
    from momentum.core.plugins.host import load_plugins

    data = tomllib.loads(config_file.read_text(encoding="utf-8"))
    tables = {k: v for k, v in data.items() if isinstance(v, dict) and k != "plugins"}
    tables.update({k: v for k, v in data.get("plugins", {}).items() if isinstance(v, dict)})
    schemas: dict[str, Any] = {"model": ModelSettings, **load_plugins().settings_schemas()}
    found = []
    for section, table in sorted(tables.items()):
        schema = schemas.get(section)
        if schema is None or not dataclasses.is_dataclass(schema):
            continue
        hints = typing.get_type_hints(schema)
        found += [f"[{section}] {key}" for key in table if hints.get(key) is Secret]
    return found


def refuse_plain_text_secrets(config_file: Path) -> None:
    """:class:`ValueError` naming the file and each secret it holds in plain text."""
    found = plain_text_secrets(config_file)
    if found:
        raise ValueError(
            f"{config_file}: {', '.join(found)} would ship as plain text in the bundle; "
            "remove it and set it as a stack secret (pulumi config set --secret momentum:…)"
        )


def copy_project_folder(project: Path, folder: str, root: Path) -> None:
    """Copy a project folder (prompts, the project's own plugins) to the bundle root, where
    ``momentum.toml`` is (``MOMENTUM_HOME``); caches and tests stay behind."""
    for path in sorted((project / folder).rglob("*")):
        relative = path.relative_to(project)
        if not path.is_file() or _skipped(relative):
            continue
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def copy_package(source_root: Path, folder: str, root: Path) -> None:
    """Copy one package folder, leaving caches, tests and test helpers out."""
    for path in sorted((source_root / folder).rglob("*")):
        relative = path.relative_to(source_root)
        if not path.is_file() or _skipped(relative):
            continue
        target = root / PACKAGE / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _skipped(relative: Path) -> bool:
    return (
        bool(SKIP_PARTS.intersection(relative.parts))
        or relative.suffix in SKIP_SUFFIXES
        or relative.as_posix().startswith(SKIP_PREFIXES)
    )


def write_entry_points(root: Path, points: dict[str, str]) -> None:
    """A minimal distribution whose ``momentum`` entry points name the bundled plugins."""
    info = root / "momentum_bundle-0.0.0.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: momentum-bundle\nVersion: 0.0.0\n", encoding="utf-8"
    )
    lines = ["[momentum]", *(f"{name} = {module}" for name, module in sorted(points.items()))]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


UV_ENV = "MOMENTUM_UV"
"""Names the uv binary to use, when set (else the pinned one, PATH, or the uv package)."""


def find_uv(source_root: Path | None = None) -> str:
    """The uv executable that installs the bundle's requirements.

    In order: ``$MOMENTUM_UV``; the pinned one ``scripts/dev.py`` installs in ``.tools/``
    (of ``source_root`` or of this checkout); ``uv`` on PATH; the ``uv`` Python package's
    binary. The project's virtual environment has no pip, and uv is what made it.
    """
    import os

    chosen = os.environ.get(UV_ENV)
    if chosen:
        return chosen
    roots = [r for r in (source_root, Path(__file__).resolve().parents[2]) if r is not None]
    for root in roots:
        for name in ("uv", "uv.exe"):
            pinned = Path(root) / ".tools" / "bin" / name
            if pinned.is_file():
                return str(pinned)
    on_path = shutil.which("uv")
    if on_path:
        return on_path
    try:
        from uv import find_uv_bin  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        pass
    else:
        return str(find_uv_bin())
    raise RuntimeError(
        "uv is needed to build the Lambda bundle: run `python3 scripts/dev.py test` once "
        f"(it installs the pinned uv), put uv on PATH, or set {UV_ENV}"
    )


def uv_platform(platform: str) -> str:
    """pip's platform tag as uv's ``--python-platform``: ``manylinux2014_aarch64`` →
    ``aarch64-manylinux2014``."""
    for arch in ("aarch64", "x86_64"):
        suffix = f"_{arch}"
        if platform.endswith(suffix):
            return f"{arch}-{platform.removesuffix(suffix)}"
    return platform


def install_command(spec: BundleSpec, target: Path, uv: str) -> list[str]:
    """``uv pip install --target`` for Lambda's platform and Python, binary wheels only."""
    return [
        uv,
        "pip",
        "install",
        "--quiet",
        "--target",
        str(target),
        "--python-platform",
        uv_platform(spec.platform),
        "--python-version",
        spec.python_version,
        "--only-binary",
        ":all:",
        *spec.pip_requirements(),
    ]


def install_requirements(spec: BundleSpec, root: Path) -> None:
    """``uv pip install --target`` for Lambda's platform, through a cache keyed by inputs."""
    requirements = spec.pip_requirements()
    if not requirements:
        return
    key = hashlib.sha256(
        json.dumps([requirements, spec.platform, spec.python_version]).encode()
    ).hexdigest()[:16]
    cache = (spec.cache_dir or Path(tempfile.gettempdir()) / "momentum-bundle-cache") / key
    if not (cache / ".complete").exists():
        partial = cache.with_name(cache.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        command = install_command(spec, partial, find_uv(spec.source_root))
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(
                "uv could not install the bundle's requirements for "
                f"{spec.platform}/py{spec.python_version}: {result.stderr.strip()[-1500:]}"
            )
        (partial / ".complete").write_text(" ".join(requirements), encoding="utf-8")
        shutil.rmtree(cache, ignore_errors=True)
        partial.rename(cache)
    shutil.copytree(cache, root, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".complete"))
    shutil.rmtree(root / "bin", ignore_errors=True)


def _requirement_name(text: str) -> tuple[str, bool]:
    """A requirement's distribution name and whether it applies without extras here."""
    try:
        from packaging.requirements import Requirement

        requirement = Requirement(text)
        marker = requirement.marker
        applies = marker is None or bool(marker.evaluate({"extra": ""}))
        return requirement.name, applies
    except ImportError:  # packaging missing: take unconditional requirements only
        name = re.split(r"[\s;<>=!~\[(]", text.strip(), maxsplit=1)[0]
        return name, ";" not in text


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def resolve_local(names: Iterable[str]) -> list[importlib.metadata.Distribution]:
    """The installed distributions ``names`` and everything they require, boto3 & co left
    out. Raises ``ValueError`` naming a distribution that is not installed."""
    wanted = [_normal(n) for n in names]
    found: dict[str, importlib.metadata.Distribution] = {}
    while wanted:
        name = wanted.pop()
        if name in found or name in {_normal(n) for n in LAMBDA_PROVIDED}:
            continue
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            raise ValueError(f"distribution {name!r} is not installed here") from None
        found[name] = dist
        for text in dist.requires or []:
            required, applies = _requirement_name(text)
            if applies:
                wanted.append(_normal(required))
    return [found[n] for n in sorted(found)]


def copy_local_distributions(names: Sequence[str], root: Path) -> None:
    """Copy installed distributions' pure-Python files (compiled extensions are for this
    machine, not Lambda's arm64, and are skipped)."""
    for dist in resolve_local(names):
        for file in dist.files or []:
            relative = Path(str(file))
            if relative.parts and relative.parts[0] == "..":
                continue  # console scripts outside site-packages
            if relative.suffix in {".so", ".pyd", ".dylib"} or _skipped(relative):
                continue
            source = Path(str(dist.locate_file(file)))
            if not source.is_file():
                continue
            target = root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def remove_distributions(root: Path, names: Iterable[str]) -> None:
    """Delete installed distributions (files listed in their RECORD) from the staging
    folder: Lambda's runtime provides them."""
    wanted = {_normal(n) for n in names}
    for info in list(root.glob("*.dist-info")):
        dist_name = _normal(info.name.removesuffix(".dist-info").rsplit("-", 1)[0])
        if dist_name not in wanted:
            continue
        record = info / "RECORD"
        tops = set()
        if record.exists():
            for line in record.read_text(encoding="utf-8").splitlines():
                path = line.split(",", 1)[0]
                if path and not path.startswith(".."):
                    tops.add(path.split("/", 1)[0])
        for top in tops | {info.name}:
            target = root / top
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()


def _walk(root: Path) -> Iterator[Path]:
    yield from sorted(p for p in root.rglob("*") if p.is_file())


def write_zip(root: Path, out: Path) -> Bundle:
    """A deterministic zip of ``root``: sorted names, one timestamp, fixed permissions."""
    out.parent.mkdir(parents=True, exist_ok=True)
    files = 0
    uncompressed = 0
    by_top: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in _walk(root):
            name = path.relative_to(root).as_posix()
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = path.read_bytes()
            archive.writestr(info, data, compresslevel=9)
            files += 1
            uncompressed += len(data)
    with zipfile.ZipFile(out) as archive:
        for entry in archive.infolist():
            top = entry.filename.split("/", 1)[0]
            by_top[top] = by_top.get(top, 0) + entry.compress_size
    digest = hashlib.sha256(out.read_bytes()).digest()
    return Bundle(
        path=out,
        sha256_base64=base64.b64encode(digest).decode("ascii"),
        size=out.stat().st_size,
        files=files,
        uncompressed=uncompressed,
        by_top_level=dict(sorted(by_top.items(), key=lambda item: -item[1])),
    )
