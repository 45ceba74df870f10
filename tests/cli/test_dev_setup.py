"""``scripts/dev.py``: the demo set-up installs what the README's commands need and never
takes away what ``test`` installed."""

from __future__ import annotations

import importlib.util
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def load_dev():
    spec = importlib.util.spec_from_file_location("dev_script", ROOT / "scripts" / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_demo_syncs_slack_strava_and_groq_inexactly(monkeypatch: pytest.MonkeyPatch) -> None:
    dev = load_dev()
    calls: list[tuple[str, ...]] = []
    monkeypatch.setattr(dev, "run", lambda *args, **kwargs: calls.append(tuple(map(str, args))))
    monkeypatch.setattr(dev, "uv", lambda: Path("uv"))
    dev.demo([])
    sync, demo = calls
    assert sync[:4] == ("uv", "sync", "--frozen", "--inexact")
    extras = {sync[i + 1] for i, arg in enumerate(sync) if arg == "--extra"}
    assert extras == {"groq", "slack", "strava"}
    assert demo[-1] == "demo"


def test_the_demo_sync_would_remove_nothing_from_a_dev_environment() -> None:
    """With the real pinned uv, against this (dev) environment: no change, no removal."""
    dev = load_dev()
    uv = ROOT / ".tools" / "bin" / "uv"
    if not uv.exists():
        pytest.skip("the pinned uv is not installed (run scripts/dev.py test once)")
    flags = [arg for extra in dev.DEMO_EXTRAS for arg in ("--extra", extra)]
    result = subprocess.run(
        [str(uv), "sync", "--frozen", "--inexact", *flags, "--dry-run"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "UV_PROJECT_ENVIRONMENT": str(ROOT / ".venv")},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    removed = {_name(line) for line in lines if line.startswith("- ")}
    added = {_name(line) for line in lines if line.startswith("+ ")}
    # A package shown as "- x" and "+ x" is reinstalled (the editable project after its
    # pyproject changed), not taken away.
    assert removed - added == set()


def _name(line: str) -> str:
    """``momentum-coach`` from ``- momentum-coach==0.1.0 (from file:///...)``."""
    return line[2:].split("==")[0].split(" ")[0].strip()
