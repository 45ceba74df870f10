"""What the path-rewrite scripts in this folder share: which files they read, and the
command line that rewrites them (or, with ``--check``, lists those that would change).

Each script gives its own ``rewrite(path, text) -> text``; files holding the script's skip
mark (a note that names the old paths on purpose) are left alone.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SKIP_DIRS = {".git", ".venv", ".tools", "node_modules", "__pycache__", ".mypy_cache",
             ".ruff_cache", ".pytest_cache", ".hypothesis"}  # fmt: skip


def text_files(paths: Iterable[Path], suffixes: set[str]) -> Iterator[Path]:
    """The files under ``paths`` with one of ``suffixes``, outside tool folders and
    symlinks, and never the rewrite scripts themselves."""
    for path in paths:
        if path.is_file():
            if path.suffix in suffixes and path.resolve().parent != HERE:
                yield path
            continue
        for child in sorted(path.rglob("*")):
            rel = child.relative_to(path).parts
            if any(part in SKIP_DIRS for part in rel) or child.is_symlink():
                continue
            if child.is_file() and child.suffix in suffixes and child.resolve().parent != HERE:
                yield child


def run(
    argv: list[str] | None,
    *,
    description: str,
    suffixes: set[str],
    skip_mark: str,
    rewrite: Callable[[Path, str], str],
) -> int:
    """Parse ``[paths…] [--check]``, rewrite every file that changes (or only list them),
    print the paths and a count; exit status 1 when ``--check`` found work."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("paths", nargs="*", type=Path, help="files or folders (default: repo)")
    parser.add_argument("--check", action="store_true", help="only list files that would change")
    args = parser.parse_args(argv)
    changed = []
    for path in text_files(args.paths or [ROOT], suffixes):
        try:
            old = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if skip_mark in old:
            continue
        new = rewrite(path, old)
        if new != old:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path)
    print(
        f"{len(changed)} file(s) {'would change' if args.check else 'rewritten'}", file=sys.stderr
    )
    return 1 if args.check and changed else 0
