"""Packages the Python Worker the way ``pulumi up`` deploys it, then has wrangler's own
``deploy --dry-run --outdir`` bundle it (offline). The free plan takes a Worker of at most
3 MB (compressed).

The project wrangler sees:

- ``src/``: the shim ``worker.py``, the ``momentum`` modules the entry and the Worker's
  plugins reach (:mod:`.imports`) with their packages' data files (prompt templates…),
  and, for a coach project, its ``momentum.toml``, ``prompts/`` and ``[prompts] dirs``
  and the packages of its ``local_plugins``: ``src/`` is the Worker's ``MOMENTUM_HOME``;
- ``python_modules/``: the third-party packages all that imports, with every distribution
  they require (wrangler 4 vendors this folder as is); packages with native code are left
  to Pyodide's own build (:data:`.imports.PYODIDE_SHIPS`).

Staging refuses (``ValueError`` naming the module and the reason) anything a Python
Worker cannot run, local plugins included. Build-time only: never imported by the Worker.
"""

from __future__ import annotations

import gzip
import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from momentum.adapters.cloudflare import imports
from momentum.adapters.cloudflare.bootstrap import BUNDLE_MODULE
from momentum.infra.plugins import (
    BUILTIN_PLUGINS,
    WORKER_ALWAYS,
    WORKER_DEFAULT_PLUGINS,
    WORKER_PLUGINS,
    check_plugins,
)

LIMIT_MB = 3.0
"""The Workers free plan's limit on a Worker's compressed size."""
PLUGINS = (*(BUILTIN_PLUGINS[name] for name in WORKER_PLUGINS), *WORKER_ALWAYS.values())
"""Every plugin module a Worker may carry (the built-in ones it can run, Slack, Groq)."""
SHIM = "from momentum.adapters.cloudflare.entry import Default  # noqa: F401\n"
DATA_SUFFIXES = (".j2", ".md", ".txt", ".json", ".toml", ".yaml", ".yml", ".csv")
"""Package data shipped beside our modules (read with ``open`` in the Worker)."""
DATA_GLOBS = [f"**/*{suffix}" for suffix in DATA_SUFFIXES]
LEFT_OUT = shutil.ignore_patterns("__pycache__", "*.pyc", "*.so", "*.pyd", "*.pyi", "tests")
"""Never shipped from a package folder: caches, compiled code, stubs and tests."""
NOT_VENDORED = imports.PYODIDE_SHIPS | imports.PYODIDE_PAIRED | {"slack"}
"""Never copied into ``python_modules/``: what Pyodide ships (its build is the one that
runs), and slack_sdk's deprecated ``slack`` alias package."""
BUILD_ONLY = frozenset({"testing", "migrations", "__pycache__", "tests"})
"""Folders of our packages the Worker never reads (test helpers, D1 migration files that
wrangler applies from outside)."""


@dataclass(frozen=True)
class Package:
    """A packaged Worker: where wrangler wrote it, its files, raw and gzip sizes."""

    folder: Path
    files: int
    raw_bytes: int
    gzip_bytes: int

    @property
    def megabytes(self) -> float:
        """Compressed size in MB (what the plan's limit counts)."""
        return self.gzip_bytes / 1e6


@dataclass(frozen=True)
class Project:
    """A coach project's own files for the Worker, from its ``momentum.toml``."""

    root: Path
    folders: tuple[str, ...]
    """Project folders to ship: ``prompts/``, ``[prompts] dirs``, local plugin packages."""
    plugins: tuple[str, ...]
    """``local_plugins``: dotted module names under the project root."""

    @classmethod
    def from_config(cls, config_file: Path) -> Project:
        """Read ``config_file``; ``ValueError`` naming the file and the key when a folder it
        names is not inside the project."""
        import tomllib

        from momentum.infra.aws.bundle import project_folders, refuse_plain_text_secrets

        if not config_file.is_file():
            raise ValueError(f"config file {config_file} does not exist")
        folders = project_folders(config_file)
        refuse_plain_text_secrets(config_file)
        root = config_file.parent
        if (root / "prompts").is_dir() and "prompts" not in folders:
            folders.insert(0, "prompts")
        data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        plugins = tuple(str(m) for m in data.get("local_plugins", []) or [])
        return cls(root, tuple(folders), plugins)


@contextmanager
def _on_path(project: Project | None) -> Iterator[None]:
    """The project's root on ``sys.path`` while its plugins are read, and their modules
    forgotten afterwards (the build process must not keep a coach's plugins)."""
    if project is None:
        yield
        return
    sys.path.insert(0, str(project.root))
    try:
        yield
    finally:
        sys.path.remove(str(project.root))
        local = {m.split(".")[0] for m in project.plugins}
        for name in [n for n in sys.modules if n.split(".")[0] in local]:
            del sys.modules[name]
        importlib.invalidate_caches()


def reach(entries: Iterable[str], project: Project | None = None) -> imports.Graph:
    """Everything ``entries`` and the project's local plugins reach; ``ValueError`` listing
    what a Python Worker cannot run."""
    found = imports.Graph()
    roots: list[tuple[str, tuple[str, ...]]] = [(e, ("momentum",)) for e in entries]
    if project is not None:
        roots += [(m, ("momentum", m.split(".")[0])) for m in project.plugins]
    with _on_path(project):
        for entry, own in roots:
            reached = imports.graph(entry, own=own)
            if entry not in reached.modules:
                raise ValueError(f"{entry}: no such module to package for the Worker")
            found.modules.update(reached.modules)
            found.threads += reached.threads
            for top, users in reached.outside.items():
                found.outside.setdefault(top, set()).update(users)
        if project is not None:
            local = {m.split(".")[0] for m in project.plugins}
            found.outside = {t: u for t, u in found.outside.items() if t not in local}
        lines = imports.problems(found)
    if lines:
        raise ValueError("the Worker cannot run what it imports:\n  " + "\n  ".join(lines))
    return found


def distributions(tops: Iterable[str]) -> set[str]:
    """The top-level modules of the distributions providing ``tops`` and of everything
    they require (recursively; requirements behind an extra are left out)."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    by_top = importlib.metadata.packages_distributions()
    tops_of: dict[str, set[str]] = {}
    for top, names in by_top.items():
        for name in names:
            tops_of.setdefault(canonicalize_name(name), set()).add(top)
    todo = [name for top in tops for name in by_top.get(top, [])]
    seen: set[str] = set()
    while todo:
        name = canonicalize_name(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = importlib.metadata.distribution(name).requires or []
        except importlib.metadata.PackageNotFoundError:
            continue
        for text in requires:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return set(tops) | {top for name in seen for top in tops_of.get(name, set())}


def _data_only(folder: Path) -> bool:
    """A plain folder, or a package holding nothing but data (``plugins/running/prompts``)."""
    return all(p.name == "__init__.py" for p in folder.glob("*.py"))


def _copy_data(package_dir: Path, target: Path) -> None:
    """A package's data files (``DATA_SUFFIXES``), with those of its plain folders and
    data-only packages (modules of its other sub-packages ship only when reached)."""
    for path in sorted(package_dir.iterdir()):
        if path.is_dir() and path.name not in BUILD_ONLY and _data_only(path):
            if (path / "__init__.py").exists():
                (target / path.name).mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path / "__init__.py", target / path.name / "__init__.py")
            _copy_data(path, target / path.name)
        elif path.is_file() and path.suffix in DATA_SUFFIXES:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target / path.name)


def _vendor(top: str, folder: Path) -> None:
    """Copy the installed package (or module) ``top`` into ``folder``."""
    spec = importlib.util.find_spec(top)
    if spec is None or (spec.origin is None and not spec.submodule_search_locations):
        raise ValueError(f"{top} is imported by the Worker but not installed")
    if spec.submodule_search_locations:
        origin = Path(next(iter(spec.submodule_search_locations)))
        shutil.copytree(origin, folder / top, ignore=LEFT_OUT, dirs_exist_ok=True)
    elif spec.origin and spec.origin.endswith(".py"):
        shutil.copyfile(spec.origin, folder / Path(spec.origin).name)


def worker_modules(plugins: Iterable[str] = WORKER_DEFAULT_PLUGINS) -> dict[str, str]:
    """Name → module of what a Worker with the built-in ``plugins`` registers (Slack and
    Groq always); :class:`ValueError` naming a plugin a Worker cannot carry yet."""
    chosen = check_plugins(plugins, WORKER_PLUGINS, "Cloudflare Worker")
    return {**{name: BUILTIN_PLUGINS[name] for name in chosen}, **WORKER_ALWAYS}


def bundle_module(modules: dict[str, str]) -> str:
    """The generated module that tells the Worker which plugins to register at a cold
    start (:func:`~momentum.adapters.cloudflare.bootstrap.bundled_plugins`)."""
    lines = [f"    {name!r}: {module!r}," for name, module in sorted(modules.items())]
    return (
        '"""The plugins this Worker registers (written by the packaging)."""\n\n'
        "PLUGINS = {\n" + "\n".join(lines) + "\n}\n"
    )


def stage(
    folder: Path,
    plugins: Iterable[str] = WORKER_DEFAULT_PLUGINS,
    *,
    config_file: Path | None = None,
) -> Path:
    """Write the Worker project (the entry, the chosen built-in ``plugins`` with Slack and
    Groq, what they reach, and the coach project of ``config_file`` if given) into
    ``folder``; returns its wrangler config."""
    modules = worker_modules(plugins)
    project = Project.from_config(config_file) if config_file is not None else None
    found = reach((imports.ENTRY, *modules.values()), project)
    for stale in ("src", "python_modules", "out"):  # a rebuild starts clean
        shutil.rmtree(folder / stale, ignore_errors=True)
    src = folder / "src"
    for module, path in found.modules.items():
        if project is not None and not module.startswith("momentum"):
            continue  # the project's folders are copied whole below
        parts = module.split(".")
        name = "__init__.py" if path.name == "__init__.py" else parts.pop() + ".py"
        target = src.joinpath(*parts, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        if path.name == "__init__.py":
            _copy_data(path.parent, target.parent)
    if project is not None:
        from momentum.infra.aws.bundle import copy_project_folder

        shutil.copyfile(config_file or project.root / "momentum.toml", src / "momentum.toml")
        for name in project.folders:
            copy_project_folder(project.root, name, src)
    vendored = folder / "python_modules"
    vendored.mkdir(parents=True, exist_ok=True)
    for top in sorted(distributions(imports.third_party(found))):
        if top in sys.stdlib_module_names or top in imports.RUNTIME_PROVIDED:
            continue
        if top.startswith("_") or top in NOT_VENDORED:
            continue  # installers' private helpers, aliases; what Pyodide ships
        if imports._native(top):
            raise ValueError(f"{top} has native code Pyodide does not ship; the Worker needs it")
        _vendor(top, vendored)
    (src / "worker.py").write_text(SHIM, encoding="utf-8")
    (src / f"{BUNDLE_MODULE}.py").write_text(bundle_module(modules), encoding="utf-8")
    config = folder / "wrangler.json"
    config.write_text(
        json.dumps(
            {
                "name": "momentum",
                "main": "src/worker.py",
                "compatibility_date": "2025-09-01",
                "compatibility_flags": ["python_workers"],
                # wrangler adds ``PythonModule`` for **/*.py itself
                "rules": [{"type": "Data", "globs": DATA_GLOBS, "fallthrough": True}],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return config


def package(
    folder: Path,
    wrangler: str,
    *,
    plugins: Iterable[str] = WORKER_DEFAULT_PLUGINS,
    config_file: Path | None = None,
) -> Package:
    """Stage the project (with the built-in ``plugins``) in ``folder`` and run ``wrangler
    deploy --dry-run`` on it; the sizes count every file wrangler wrote (modules, data,
    vendored packages)."""
    stage(folder, plugins, config_file=config_file)
    out = folder / "out"
    env = dict(os.environ, CI="true", WRANGLER_SEND_METRICS="false")
    env["XDG_CONFIG_HOME"] = str(folder / "config")
    done = subprocess.run(
        [wrangler, "deploy", "--dry-run", "--outdir", str(out)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"wrangler deploy --dry-run failed: {(done.stdout + done.stderr)[-600:]}"
        )
    files = [p for p in out.rglob("*") if p.is_file() and p.name != "README.md"]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes())) for p in files)
    return Package(out, len(files), raw, packed)
