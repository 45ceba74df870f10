"""Keeps each bundled template in a small git repository with one tag per version, which
is what copier's update needs: it renders the version a project was made with (the
answers' ``_commit``) and the new one, and merges the difference into the project.

The repositories live in the user's cache (``$MOMENTUM_TEMPLATE_CACHE``, else
``$XDG_CACHE_HOME/momentum/templates``, else ``~/.cache/momentum/templates``). Publishing
the installed template commits it only when its files changed, tagged with the version in
its ``VERSION`` file (``1.0.0``), or ``1.0.0.postN`` when that version's files changed
without a new version number, so every tag is newer than the last.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from momentum.core.errors import MomentumError

TEMPLATES_DIR = Path(__file__).resolve().parent
"""Where the bundled templates are: ``coach/`` and ``plugin/``."""


def templates_dir() -> Path:
    """The folder of templates in use: ``$MOMENTUM_TEMPLATES`` (a template author's working
    copy, holding ``coach/`` and ``plugin/``), else the installed ones."""
    explicit = os.environ.get("MOMENTUM_TEMPLATES")
    return Path(explicit).expanduser() if explicit else TEMPLATES_DIR


IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", ".pytest_cache")
GIT_IDENTITY = (
    "-c",
    "user.name=momentum",
    "-c",
    "user.email=momentum@localhost",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "tag.gpgsign=false",
    "-c",
    "init.defaultBranch=main",
)


class GitError(MomentumError):
    """git is missing, or a git command failed."""


def git(*args: str, cwd: Path) -> str:
    """Run ``git`` in ``cwd`` (with a fixed identity) and return its output."""
    if shutil.which("git") is None:
        raise GitError("git is not installed; momentum new and upgrade need it")
    result = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise GitError(f"git {' '.join(args)} failed in {cwd}: {result.stderr.strip()}")
    return result.stdout


def cache_root() -> Path:
    """Where the template repositories are kept."""
    explicit = os.environ.get("MOMENTUM_TEMPLATE_CACHE")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "momentum" / "templates"


def template_version(source: Path) -> str:
    """The version in the template's ``VERSION`` file."""
    try:
        return (source / "VERSION").read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise MomentumError(
            f"{source} has no VERSION file; it is not a Momentum template"
        ) from None


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def publish(source: Path, name: str | None = None) -> tuple[Path, str]:
    """Commit ``source`` (a template folder) to its cache repository if it changed, and
    return ``(repository, tag)`` of that content."""
    repo = cache_root() / (name or source.name)
    with _locked(repo.with_name(repo.name + ".lock")):
        if not (repo / ".git").is_dir():
            repo.mkdir(parents=True, exist_ok=True)
            git("init", "-q", cwd=repo)
        for entry in repo.iterdir():
            if entry.name != ".git":
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        shutil.copytree(source, repo, ignore=IGNORED, dirs_exist_ok=True)
        git("add", "-A", "--force", ".", cwd=repo)
        if not git("status", "--porcelain", cwd=repo).strip():
            return repo, _latest_tag(repo)
        git("commit", "-q", "-m", f"template {template_version(source)}", cwd=repo)
        tag = _next_tag(repo, template_version(source))
        git("tag", tag, cwd=repo)
        return repo, tag


def _latest_tag(repo: Path) -> str:
    tags = git("tag", "--points-at", "HEAD", cwd=repo).split()
    if not tags:
        raise GitError(f"{repo} has no tag on its last commit; remove it to start afresh")
    return sorted(tags, key=len)[-1]


def _next_tag(repo: Path, version: str) -> str:
    existing = set(git("tag", "--list", f"{version}*", cwd=repo).split())
    if version not in existing:
        return version
    post = 1
    while f"{version}.post{post}" in existing:
        post += 1
    return f"{version}.post{post}"
