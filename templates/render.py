"""Renders a template with copier into a staging folder and moves the result into place,
so a failure never leaves a half project behind."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from momentum.core.errors import InputError, MomentumError
from momentum.templates.template_repo import git, publish


def check_destination(dest: Path, *, force: bool) -> None:
    """Refuse a ``dest`` that is a file, or a non-empty folder unless ``force``."""
    if dest.exists() and not dest.is_dir():
        raise InputError(str(dest), "is a file, not a folder")
    if dest.is_dir() and any(dest.iterdir()) and not force:
        raise InputError(str(dest), "exists and is not empty; choose a new folder or pass --force")


def render(template: Path, dest: Path, data: Mapping[str, Any], *, force: bool) -> list[str]:
    """Render ``template`` with ``data`` into ``dest`` and return the files written
    (relative, sorted). Rendering happens beside ``dest`` first; only a complete result
    is moved (or, with ``force``, copied over) into ``dest``."""
    import copier

    check_destination(dest, force=force)
    repo, tag = publish(template)
    made_parents = [p for p in reversed(dest.parents) if not p.exists()]
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".momentum-new-", dir=dest.parent))
    done = False
    try:
        out = staging / "project"
        try:
            copier.run_copy(
                str(repo),
                out,
                data=dict(data),
                vcs_ref=tag,
                defaults=True,
                overwrite=True,
                quiet=True,
            )
        except Exception as exc:  # copier's errors are plain exceptions with a message
            raise MomentumError(f"could not render the {template.name} template: {exc}") from exc
        files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
        if dest.exists():
            shutil.copytree(out, dest, dirs_exist_ok=True)
        else:
            out.rename(dest)
        done = True
        return files
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if not done:  # folders made for DEST go too: nothing is left behind
            for parent in reversed(made_parents):
                with contextlib.suppress(OSError):
                    parent.rmdir()


def inside_git_work_tree(path: Path) -> bool:
    """Whether ``path`` is inside a git working tree already."""
    try:
        return git("rev-parse", "--is-inside-work-tree", cwd=path).strip() == "true"
    except MomentumError:
        return False


def commit_new_repository(path: Path, message: str) -> bool:
    """Make ``path`` a git repository with everything in one first commit (what
    ``momentum upgrade`` merges against), unless it is inside one already. Returns
    whether it did."""
    if shutil.which("git") is None or inside_git_work_tree(path):
        return False
    git("init", "-q", cwd=path)
    git("add", "-A", cwd=path)
    git("commit", "-q", "-m", message, cwd=path)
    return True
