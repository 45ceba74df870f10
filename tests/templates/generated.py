"""Helpers shared by the generator's tests: golden file lists and running a generated
project's own tests in a subprocess on this repository's environment (one install for
all of them: the project's folder goes first on the path, Momentum comes from .venv)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

COACH_FILES = {
    ".github/workflows/ci.yml",
    ".gitignore",
    ".momentum/answers.yml",
    "README.md",
    "momentum.toml",
    "plugins/__init__.py",
    "plugins/stretch/__init__.py",
    "plugins/stretch/plugin.py",
    "prompts/README.md",
    "prompts/persona.j2",
    "pyproject.toml",
    "tests/__init__.py",
    "tests/test_config.py",
    "tests/test_plugin.py",
    "tests/test_prompts.py",
}
"""Every coach project has these."""
CLOUD_FILES = {"Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "tests/test_infra.py"}
"""A coach deployed to a cloud also has its Pulumi project and that program's test."""


def golden_files(cloud: str) -> set[str]:
    """The files a coach project for ``cloud`` must consist of, exactly."""
    return COACH_FILES | (CLOUD_FILES if cloud != "local" else set())


def files_in(project: Path) -> set[str]:
    """Every file in ``project`` outside ``.git``."""
    return {
        p.relative_to(project).as_posix()
        for p in project.rglob("*")
        if p.is_file() and ".git" not in p.relative_to(project).parts
    }


def run_project_tests(project: Path, timeout: int = 300) -> subprocess.CompletedProcess[str]:
    """``python -m pytest`` inside ``project``, with this interpreter (Momentum, pytest and
    the cloud SDKs installed once, in the repository's .venv)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "MOMENTUM_"))}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
