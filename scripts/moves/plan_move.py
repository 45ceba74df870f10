"""Rewrite uses of the training plan record after it left core (issue 18).

``momentum.core.model.plan`` became ``momentum.plugins.running.model.plan``: the plan is the
running domain's record, and the Storage port takes a plan's type from the caller
(``storage.get_plan(Plan, athlete_id)``; ``put_plan`` reads it from the plan). This script
rewrites, in every text file it is given:

- the dotted path ``momentum.core.model.plan`` and the file path ``core/model/plan.py``;
- ``from momentum.core.model import …`` statements naming a plan type, split into the kept
  names and an import from the running plugin;
- ``<storage>.get_plan(athlete_id)`` calls into ``<storage>.get_plan(Plan, athlete_id)``,
  adding ``from momentum.plugins.running.model.plan import Plan`` where ``Plan`` is not
  imported yet (run ``ruff check --fix --select I`` afterwards to sort the imports).

It is idempotent (a second run changes nothing) and works on files it has never seen, so
it can be run again over other branches at merge::

    python scripts/moves/plan_move.py            # the whole repository
    python scripts/moves/plan_move.py tests docs # some folders or files
    python scripts/moves/plan_move.py --check    # list files that would change; exit 1
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rewrite_files import run

NEW_MODULE = "momentum.plugins.running.model.plan"
PLAN_TYPES = frozenset(
    {
        "Exercise",
        "MinimumViableWeek",
        "Phase",
        "Plan",
        "PlanWeek",
        "PlannedSession",
        "SessionKind",
        "SessionStatus",
        "StrengthWorkout",
    }
)
"""The names ``momentum.core.model`` exported from its ``plan`` module."""

SUFFIXES = {".py", ".pyi", ".md", ".j2", ".toml", ".txt", ".rst", ".yml", ".yaml"}
SKIP_MARK = "plan_move: skip"
"""A file holding this text (a note that names the old paths on purpose) is left alone."""

_DOTTED = re.compile(r"\bmomentum\.core\.model\.plan(?![\w])")
_PATH = re.compile(r"(?<![\w./-])((?:momentum/)?)core/model/plan\.py")
_FROM = re.compile(
    r"^(?P<indent>[ \t]*)from momentum\.core\.model import "
    r"(?P<names>\([^)]*\)|[^\n(]*?)(?P<comment>[ \t]*#[^\n]*)?$",
    re.MULTILINE,
)
_GET_PLAN = re.compile(
    r"\.get_plan\((?!\s*(?:(?:\w+\.)*[A-Z]\w*\s*,|kind\b|cls\b|type\())(?=\s*[^\s)])"
)
"""A ``get_plan`` call whose first argument is not a type yet (never ``get_plan()``)."""
_FUTURE = re.compile(r"^from __future__ import [^\n]*\n", re.MULTILINE)


def _split_names(names: str) -> list[str]:
    inner = names.strip()
    if inner.startswith("("):
        inner = inner[1:-1]
    inner = re.sub(r"#[^\n]*", "", inner)
    return [n.strip() for n in inner.replace("\n", " ").split(",") if n.strip()]


def _import(indent: str, module: str, names: list[str], comment: str = "") -> str:
    one = f"{indent}from {module} import {', '.join(names)}{comment}"
    if len(one) <= 100:
        return one
    body = "".join(f"{indent}    {name},\n" for name in names)
    return f"{indent}from {module} import ({comment}\n{body}{indent})"


def _rewrite_from(match: re.Match[str]) -> str:
    names = _split_names(match.group("names"))
    moved = [n for n in names if n.split(" as ")[0].strip() in PLAN_TYPES]
    if not moved:
        return match.group(0)
    kept = [n for n in names if n not in moved]
    indent, comment = match.group("indent"), match.group("comment") or ""
    lines = [_import(indent, "momentum.core.model", kept)] if kept else []
    lines.append(_import(indent, NEW_MODULE, moved, comment))
    return "\n".join(lines)


def _binds_plan(text: str) -> bool:
    """Whether the module imports or defines the name ``Plan`` anywhere."""
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return True  # not Python we can read: leave its imports alone
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom | ast.Import):
            if any((a.asname or a.name) == "Plan" for a in node.names):
                return True
        elif isinstance(node, ast.ClassDef) and node.name == "Plan":
            return True
    return False


def _add_plan_import(text: str) -> str:
    line = f"from {NEW_MODULE} import Plan\n"
    future = _FUTURE.search(text)
    if future:
        return text[: future.end()] + "\n" + line + text[future.end() :]
    return line + text


def rewrite(text: str, *, python: bool) -> str:
    """``text`` with every old use of the plan record rewritten."""
    text = _DOTTED.sub(NEW_MODULE, text)
    text = _PATH.sub(r"\1plugins/running/model/plan.py", text)
    if not python:
        return text
    text = _FROM.sub(_rewrite_from, text)
    called = _GET_PLAN.sub(".get_plan(Plan, ", text)
    if called != text and not _binds_plan(called):
        called = _add_plan_import(called)
    return called


def main(argv: list[str] | None = None) -> int:
    """Rewrite the files (or, with ``--check``, list those that would change)."""
    return run(
        argv,
        description=__doc__.split("\n\n")[0],
        suffixes=SUFFIXES,
        skip_mark=SKIP_MARK,
        rewrite=lambda path, text: rewrite(text, python=path.suffix in (".py", ".pyi")),
    )


if __name__ == "__main__":
    raise SystemExit(main())
