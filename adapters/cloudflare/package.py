"""Packages the Python Worker the way ``pulumi up`` deploys it: the modules the entry
reaches (:mod:`.imports`), the pure-Python packages they import, a wrangler config with
the ``python_workers`` flag, then ``wrangler deploy --dry-run --outdir`` (wrangler's own
bundling, offline). The free plan takes a Worker of at most 3 MB (compressed).

Build-time only: never imported by the Worker.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from momentum.adapters.cloudflare import imports
from momentum.adapters.cloudflare.bootstrap import WORKER_PLUGINS

LIMIT_MB = 3.0
"""The Workers free plan's limit on a Worker's compressed size."""
PLUGINS = tuple(WORKER_PLUGINS.values())
"""The plugins packaged with the entry: those the Worker registers."""
SHIM = "from momentum.adapters.cloudflare.entry import Default  # noqa: F401\n"


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


def stage(folder: Path, entries: tuple[str, ...] = (imports.ENTRY, *PLUGINS)) -> Path:
    """Write the Worker project (what ``entries`` reach) into ``folder``; returns its
    wrangler config."""
    found = imports.Graph()
    for entry in entries:
        reached = imports.graph(entry)
        found.modules.update(reached.modules)
        for top, users in reached.outside.items():
            found.outside.setdefault(top, set()).update(users)
    src = folder / "src"
    for module, path in found.modules.items():
        parts = module.split(".")
        name = "__init__.py" if path.name == "__init__.py" else parts.pop() + ".py"
        target = src.joinpath(*parts, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    for top in imports.third_party(found):
        if top in imports.PYODIDE_SHIPS and imports._native(top):
            continue  # Pyodide's own build is used
        spec = importlib.util.find_spec(top)
        if spec is None or spec.origin is None:
            raise RuntimeError(f"{top} is imported by the Worker but not installed")
        if spec.submodule_search_locations:
            origin = Path(next(iter(spec.submodule_search_locations)))
            ignore = shutil.ignore_patterns("__pycache__", "*.so", "*.pyi", "tests")
            shutil.copytree(origin, src / top, ignore=ignore, dirs_exist_ok=True)
        else:
            shutil.copyfile(spec.origin, src / Path(spec.origin).name)
    (src / "worker.py").write_text(SHIM, encoding="utf-8")
    config = folder / "wrangler.json"
    config.write_text(
        json.dumps(
            {
                "name": "momentum",
                "main": "src/worker.py",
                "compatibility_date": "2025-09-01",
                "compatibility_flags": ["python_workers"],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return config


def package(folder: Path, wrangler: str) -> Package:
    """Stage the project in ``folder`` and run ``wrangler deploy --dry-run`` on it."""
    stage(folder)
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
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix == ".py"]
    raw = sum(p.stat().st_size for p in files)
    packed = sum(len(gzip.compress(p.read_bytes())) for p in files)
    return Package(out, len(files), raw, packed)
