"""Rewrite old module paths of the running domain to their new home under plugins/running.

Issue 18 moved the running domain out of core: ``momentum.core.analytics`` and
``momentum.core.plans`` became ``momentum.plugins.running.analytics`` and ``...plans``, the
running parts of ``momentum.core.coach`` became ``momentum.plugins.running.coach``, and the
running prompts ``core/prompts`` became ``plugins/running/prompts``.

This script rewrites every mention of the old paths in text files: dotted module paths
(imports, ``mock.patch`` strings, docstrings), ``from momentum.core.coach import a, b``
statements that name moved submodules (split into a kept and a moved import), and file
paths (``core/analytics/vdot.py``) in Markdown, templates and TOML. It is idempotent (a
second run changes nothing) and works on files it has never seen, so it can be run again
over other branches at merge::

    python scripts/moves/running_move.py            # the whole repository
    python scripts/moves/running_move.py tests docs # some folders or files
    python scripts/moves/running_move.py --check    # list files that would change; exit 1
"""

from __future__ import annotations

import io
import re
import sys
import tokenize
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rewrite_files import run

PACKAGES = ("analytics", "plans")
"""Whole packages of core that moved to ``plugins/running/<name>``."""
COACH = (
    "answers",
    "calendar",
    "chat",
    "claims",
    "commands",
    "engine",
    "facts",
    "formatting",
    "grammar",
    "intent",
    "layouts",
    "memory",
    "metrics",
    "offline",
    "phrasing",
    "planning",
    "prompts",
    "races",
    "readiness",
    "recompute",
    "render",
    "safety",
    "sections",
    "session_type",
    "tools",
    "view",
    "volume",
    "writer",
)
"""Modules and packages of ``momentum.core.coach`` that moved to
``momentum.plugins.running.coach``."""
FOLDERS = ("prompts",)
"""Data folders of core (no Python package) that moved to ``plugins/running/<name>``."""

SUFFIXES = {
    ".py", ".pyi", ".md", ".j2", ".jinja", ".toml", ".txt", ".rst", ".cfg", ".ini",
    ".yml", ".yaml",
}  # fmt: skip
SKIP_MARK = "running_move: skip"
"""A file holding this text (a note that lists the old paths on purpose) is left alone."""

_END = r"(?![\w])"
_DOTTED = [
    (
        re.compile(rf"\bmomentum\.core\.({'|'.join(PACKAGES)}){_END}"),
        r"momentum.plugins.running.\1",
    ),
    (
        re.compile(rf"\bmomentum\.core\.coach\.({'|'.join(COACH)}){_END}"),
        r"momentum.plugins.running.coach.\1",
    ),
]
_FROM = re.compile(
    r"^(?P<indent>[ \t]*)from momentum\.core(?P<sub>\.coach)? import "
    r"(?P<names>\([^)]*\)|[^\n]*?)(?P<comment>[ \t]*#[^\n]*)?$",
    re.MULTILINE,
)
_PATH_COACH = re.compile(
    rf"(?<![\w.-])((?:momentum/)?)core/coach/({'|'.join(COACH)})(?=\.py|/|{_END})"
)
_PATH_PKG = re.compile(
    rf"(?<![\w.-])((?:momentum/)?)core/({'|'.join(PACKAGES + FOLDERS)}){_END}(?!\.)"
)

_PATH_PARTS = re.compile(rf'"core" / "({"|".join(PACKAGES + FOLDERS)})"')
"""``root / "core" / "prompts"``: a path built with pathlib's ``/``."""


def _split_names(names: str) -> list[str]:
    inner = names.strip()
    if inner.startswith("("):
        inner = inner[1:-1]
    inner = re.sub(r"#[^\n]*", "", inner)
    return [n.strip() for n in inner.replace("\n", " ").split(",") if n.strip()]


def _rewrite_from(match: re.Match[str]) -> str:
    """``from momentum.core[.coach] import a, b``: moved submodules get their own import."""
    moved_set = COACH if match.group("sub") else PACKAGES
    names = _split_names(match.group("names"))
    moved = [n for n in names if n.split(" as ")[0].strip() in moved_set]
    if not moved:
        return match.group(0)
    kept = [n for n in names if n not in moved]
    indent = match.group("indent")
    comment = match.group("comment") or ""
    target = "momentum.plugins.running.coach" if match.group("sub") else "momentum.plugins.running"
    lines = []
    if kept:
        source = "momentum.core.coach" if match.group("sub") else "momentum.core"
        lines.append(f"{indent}from {source} import {', '.join(kept)}")
    lines.append(f"{indent}from {target} import {', '.join(moved)}{comment}")
    return "\n".join(lines)


def rewrite(text: str) -> str:
    """``text`` with every old path of the running domain replaced by its new one."""
    text = _FROM.sub(_rewrite_from, text)
    for pattern, replacement in _DOTTED:
        text = pattern.sub(replacement, text)
    text = _PATH_COACH.sub(r"\1plugins/running/coach/\2", text)
    text = _PATH_PKG.sub(r"\1plugins/running/\2", text)
    return _PATH_PARTS.sub(r'"plugins" / "running" / "\1"', text)


LIMIT = 100
"""Line length of the project (ruff); longer docstring and comment lines that name a new
path are wrapped at a space, since new paths are longer than old ones."""
_NEW = ("momentum.plugins.running", "plugins/running")


def _string_lines(text: str) -> set[int]:
    """Line numbers (1-based) inside triple-quoted strings, where a break at a space is
    safe; none when the file does not tokenize."""
    inside: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.STRING and token.string.lstrip("rRbBuUfF")[:3] in (
                '"""',
                "'''",
            ):
                inside.update(range(token.start[0], token.end[0] + 1))
    except (tokenize.TokenError, SyntaxError):
        return set()
    return inside


def _break(line: str, floor: int) -> list[str]:
    """``line`` cut at spaces (after column ``floor``) into pieces of at most LIMIT."""
    indent = line[: len(line) - len(line.lstrip())]
    comment = "# " if line.lstrip().startswith("#") else ""
    pieces = []
    while len(line) > LIMIT:
        cut = line.rfind(" ", max(floor, len(indent) + len(comment) + 1), LIMIT + 1)
        if cut <= 0:
            break
        pieces.append(line[:cut].rstrip())
        line = indent + comment + line[cut + 1 :]
        floor = 0
    return [*pieces, line]


def wrap_long(text: str) -> str:
    """Docstring and comment lines over LIMIT that name a new path, wrapped at a space."""
    lines = text.split("\n")
    if not any(len(line) > LIMIT and any(n in line for n in _NEW) for line in lines):
        return text
    strings = _string_lines(text)
    out: list[str] = []
    for number, line in enumerate(lines, start=1):
        if len(line) <= LIMIT or not any(n in line for n in _NEW):
            out.append(line)
        elif line.lstrip().startswith("#"):
            out.extend(_break(line, 0))
        elif number in strings:
            quote = max(line.find('"""'), line.find("'''"))
            opening = 0 <= quote < len(line.rstrip()) - 3  # not the closing quotes
            out.extend(_break(line, quote + 4 if opening else 0))
        else:
            out.append(line)
    return "\n".join(out)


def _rewrite_file(path: Path, text: str) -> str:
    new = rewrite(text)
    return wrap_long(new) if path.suffix in (".py", ".pyi") else new


def main(argv: list[str] | None = None) -> int:
    """Rewrite the files (or, with ``--check``, list those that would change)."""
    return run(
        argv,
        description=__doc__.split("\n\n")[0],
        suffixes=SUFFIXES,
        skip_mark=SKIP_MARK,
        rewrite=_rewrite_file,
    )


if __name__ == "__main__":
    raise SystemExit(main())
