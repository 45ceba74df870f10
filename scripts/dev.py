#!/usr/bin/env python3
"""Set up and run Momentum on a fresh machine that has only python3.

    python3 scripts/dev.py demo    # set up, then run `momentum demo` (offline, no API key)
    python3 scripts/dev.py test    # set up with dev tools, then lint, type-check and test
    python3 scripts/dev.py bench   # set up, then run every benchmark script

Setup is reproducible: uv (pinned) is installed into .tools/, and the project's
dependencies come from uv.lock with ``uv sync --frozen`` into .venv/.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".tools"
VENV = ROOT / ".venv"
UV_VERSION = "0.13.9"
BIN = "Scripts" if os.name == "nt" else "bin"


def run(*args: str | Path, **kwargs: object) -> None:
    """Run a command from the repo root; exit with its code if it fails."""
    printable = " ".join(str(a) for a in args)
    print(f"+ {printable}", flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, **kwargs)  # type: ignore[call-overload]
    if result.returncode != 0:
        sys.exit(result.returncode)


def uv() -> Path:
    """The pinned uv, installed into .tools/ on first use."""
    exe = TOOLS / BIN / "uv"
    if not exe.exists():
        print(f"setting up uv {UV_VERSION} in {TOOLS.name}/", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(TOOLS)
        run(TOOLS / BIN / "python", "-m", "pip", "install", "-q", f"uv=={UV_VERSION}")
    return exe


DEMO_EXTRAS = ("groq", "slack", "strava")
"""What the README's commands need after ``dev.py demo``: Groq, ``momentum slack …`` and
``momentum strava …``."""


def sync(*extras: str) -> None:
    """Install the locked dependencies (plus ``extras``) into .venv/.

    ``--inexact`` keeps what is already installed (uv sync would otherwise remove every
    extra not asked for this time, so ``demo`` after ``test`` would take the dev tools).
    """
    env = dict(os.environ, UV_PYTHON_DOWNLOADS="never", UV_PROJECT_ENVIRONMENT=str(VENV))
    flags = [arg for extra in extras for arg in ("--extra", extra)]
    run(
        uv(),
        "sync",
        "--frozen",
        "--inexact",
        "--quiet",
        "--python",
        sys.executable,
        *flags,
        env=env,
    )


def tool(name: str) -> Path:
    """A console script inside .venv/."""
    return VENV / BIN / name


NPM_TOOLS = {"azurite": "3.37.0", "wrangler": "4.86.0", "axe-core": "4.14.1"}
"""From npm, pinned: the stand-ins the tests start (Azurite: Table, Queue and Blob Storage;
wrangler: local D1, R2 and Queues under workerd, and ``deploy --dry-run`` packaging, 4.86
being the last wrangler 4 that runs on Node 20) and axe-core, which the browser tests
inject into the dashboard's pages."""
NODE_PREFIX = TOOLS / "node"


def npm_tools() -> None:
    """Install :data:`NPM_TOOLS` into .tools/node/ (skipped when already at the pinned
    version; tests that need them skip with the reason when npm is missing)."""
    import json
    import shutil

    wanted = []
    for name, version in NPM_TOOLS.items():
        manifest = NODE_PREFIX / "node_modules" / name / "package.json"
        if not manifest.exists() or json.loads(manifest.read_text()).get("version") != version:
            wanted.append(f"{name}@{version}")
    if not wanted:
        return
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm not found: not installing {', '.join(wanted)}", flush=True)
        return
    run(npm, "install", "--prefix", NODE_PREFIX, "--no-audit", "--no-fund", "--silent", *wanted)


APT_PACKAGES = {"/usr/bin/chromium": "chromium"}
"""Debian packages the tests use, by the file that shows they are there: chromium for the
dashboard's browser tests (Playwright drives it; its own browser download is not used)."""


def apt_packages() -> None:
    """Install :data:`APT_PACKAGES` that are missing, when apt-get and root are at hand
    (nothing to do, and no network, once they are; otherwise their tests skip and say why)."""
    import shutil

    missing = [pkg for path, pkg in APT_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    apt = shutil.which("apt-get")
    if apt is None or not hasattr(os, "geteuid") or os.geteuid() != 0:
        print(f"not root or no apt-get: not installing {', '.join(missing)}", flush=True)
        return
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run(apt, "update", "-qq", env=env)
    run(apt, "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


SYSTEM_TOOLS = {
    "gcloud": "the Firestore emulator (gcloud's cloud-firestore-emulator component)",
    "java": "the Firestore emulator (Java 11+)",
}
"""Stand-ins no registry this project reaches can install (Google's own apt repository is
not one of them): the machine image carries them; without them the GCP storage tests skip
and say why."""


def system_tools() -> None:
    """Say which of :data:`SYSTEM_TOOLS` are missing, so a run's log explains its skips."""
    import shutil

    for name, needed_by in SYSTEM_TOOLS.items():
        if shutil.which(name) is None:
            print(f"{name} not found: tests that need {needed_by} will skip", flush=True)


def demo(args: list[str]) -> None:
    """Set up and run the demo."""
    sync(*DEMO_EXTRAS)
    run(tool("momentum"), "demo", *args)


def test(args: list[str]) -> None:
    """Set up, then lint, type-check and run every test layer."""
    sync("dev")
    npm_tools()
    apt_packages()
    system_tools()
    run(tool("ruff"), "check", ".")
    run(tool("ruff"), "format", "--check", ".")
    run(tool("mypy"))
    workers = ["-n", "2"] if os.cpu_count() and os.cpu_count() > 1 else []  # type: ignore[operator]
    run(tool("pytest"), *workers, *args)


def bench(args: list[str]) -> None:
    """Set up, then run every benchmark script and print its figures."""
    sync("dev")
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        if script.name.startswith("_"):
            continue
        run(tool("python"), script, *args)


COMMANDS = {"demo": demo, "test": test, "bench": bench}


def main() -> None:
    """Dispatch to a command."""
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
