"""Rewrite the users of the athlete's race fields and the activity's running metrics after
they left core's records (issue 18): ``athlete.goal_race`` becomes
``running_profile(athlete).goal_race``, ``activity.trimp`` becomes
``running_metrics(activity).trimp``, constructors and ``replace`` calls that set them go
through ``running_athlete`` / ``with_running_profile`` / ``with_running_metrics``, and
imports of ``GoalRace``, ``RaceResult`` and ``CurrentTraining`` point at
:mod:`momentum.plugins.running.profile`.

It works on the syntax tree, so strings and comments are left alone, and it is idempotent
(a rewritten read is not rewritten again). ``--check`` lists the files it would change and
exits 1 if there are any. Calls it cannot rewrite safely are listed for a person to look at.

    python scripts/moves/athlete_record_move.py [--check] [paths...]
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rewrite_files import ROOT, text_files

PROFILE = "momentum.plugins.running.profile"
METRICS = "momentum.plugins.running.activity_metrics"
ATHLETE_FIELDS = {"goal_race", "race_results", "long_run_day", "current_training"}
ACTIVITY_FIELDS = {"gap_seconds_per_km", "gap_model", "trimp", "gap_str"}
MOVED_TYPES = {"GoalRace", "RaceResult", "CurrentTraining"}
NOT_ACTIVITIES = {
    *("opts", "prep", "totals", "self", "s", "split", "options", "summary"),
    *("up", "down", "metrics"),
}
"""Objects carrying an attribute of the same name that are not activities (splits, record
options, the summary totals, running's metrics)."""
NOT_ATHLETES = {"running", "rp", "self"}
"""Names that hold a running profile already."""
OLD_MODULES = {"momentum.core.model", "momentum.core.model.athlete"}


def _offsets(data: bytes) -> list[int]:
    starts, total = [0], 0
    for line in data.splitlines(keepends=True):
        total += len(line)
        starts.append(total)
    return starts


def _span(node: ast.AST, starts: list[int]) -> tuple[int, int]:
    start = starts[node.lineno - 1] + node.col_offset  # type: ignore[attr-defined]
    end = starts[node.end_lineno - 1] + node.end_col_offset  # type: ignore[attr-defined]
    return start, end


def _callee(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def rewrite(src: str, name: str) -> tuple[str, set[str], list[str]]:
    """The rewritten source, the accessor names it needs imported, and calls to review."""
    tree = ast.parse(src)
    # ast offsets are UTF-8 byte columns: work on bytes.
    data = src.encode("utf-8")
    bstarts = _offsets(data)
    edits: list[tuple[int, int, bytes]] = []
    needed: set[str] = set()
    review: list[str] = []

    def seg(node: ast.AST) -> str:
        a, b = _span(node, bstarts)
        return data[a:b].decode("utf-8")

    handled_calls: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            kws = [k for k in node.keywords if k.arg]
            ath = [k for k in kws if k.arg in ATHLETE_FIELDS]
            act = [k for k in kws if k.arg in ACTIVITY_FIELDS]
            if not ath and not act:
                continue
            callee = _callee(node)
            rest = [seg(a) for a in node.args] + [
                seg(k) if k.arg is None else f"{k.arg}={seg(k.value)}"
                for k in node.keywords
                if k not in ath and k not in act
            ]
            if callee == "AthleteProfile" and ath and not act:
                a, b = _span(node.func, bstarts)
                edits.append((a, b, b"running_athlete"))
                needed.add("running_athlete")
            elif callee in {"replace", "Activity"} and (ath or act) and not (ath and act):
                moved = ath or act
                wrapper = "with_running_profile" if ath else "with_running_metrics"
                if callee == "replace" and len(node.args) == 1 and len(rest) == 1:
                    inner = rest[0]
                else:
                    inner = f"{seg(node.func)}({', '.join(rest)})"
                args = ", ".join([inner] + [f"{k.arg}={seg(k.value)}" for k in moved])
                a, b = _span(node, bstarts)
                edits.append((a, b, f"{wrapper}({args})".encode()))
                needed.add(wrapper)
                handled_calls.add(id(node))
            elif callee not in {"RunningProfile", "RunningMetrics", "running_athlete"} and not (
                callee.startswith("with_running")
            ):
                review.append(f"{name}:{node.lineno}: {callee}(... {[k.arg for k in kws]})")
    for node in ast.walk(tree):
        if not isinstance(node, ast.Attribute):
            continue
        obj = node.value
        if isinstance(obj, ast.Call) and _callee(obj) in {"running_profile", "running_metrics"}:
            continue
        if node.attr in ATHLETE_FIELDS and seg(obj) not in NOT_ATHLETES:
            accessor = "running_profile"
        elif node.attr in ACTIVITY_FIELDS and seg(obj) not in NOT_ACTIVITIES:
            accessor = "running_metrics"
        else:
            continue
        if isinstance(node.ctx, ast.Store | ast.Del):
            review.append(f"{name}:{node.lineno}: assignment to .{node.attr}")
            continue
        if any(_inside(node, c, bstarts) for c in _calls(tree, handled_calls)):
            review.append(f"{name}:{node.lineno}: .{node.attr} inside a rewritten call")
            continue
        a, b = _span(obj, bstarts)
        edits.append((a, b, f"{accessor}({seg(obj)})".encode()))
        needed.add(accessor)
    # imports of the moved types
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in OLD_MODULES:
            moved = [a for a in node.names if a.name in MOVED_TYPES]
            if not moved:
                continue
            kept = [a for a in node.names if a.name not in MOVED_TYPES]
            indent = " " * node.col_offset
            lines = []
            if kept:
                names = ", ".join(_alias(a) for a in kept)
                lines.append(f"from {node.module} import {names}")
            lines.append(f"from {PROFILE} import {', '.join(_alias(a) for a in moved)}")
            a, b = _span(node, bstarts)
            edits.append((a, b, f"\n{indent}".join(lines).encode()))
    edits.sort(reverse=True)
    out = data
    last = len(data) + 1
    for a, b, text in edits:
        if b > last:  # overlapping (an attribute inside a rewritten call): skip
            continue
        out = out[:a] + text + out[b:]
        last = a
    result = out.decode("utf-8")
    return _add_imports(result, needed), needed, review


def _calls(tree: ast.AST, ids: set[int]) -> list[ast.Call]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.Call) and id(n) in ids]


def _inside(node: ast.AST, outer: ast.AST, starts: list[int]) -> bool:
    a, b = _span(node, starts)
    c, d = _span(outer, starts)
    return c <= a and b <= d


def _alias(alias: ast.alias) -> str:
    return alias.name if alias.asname is None else f"{alias.name} as {alias.asname}"


def _add_imports(src: str, needed: set[str]) -> str:
    if not needed:
        return src
    tree = ast.parse(src)
    have = {
        a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names
    }
    lines = []
    profile = sorted(
        n
        for n in needed - have
        if n in {"running_profile", "with_running_profile", "running_athlete"}
    )
    metrics = sorted(n for n in needed - have if n in {"running_metrics", "with_running_metrics"})
    if profile:
        lines.append(f"from {PROFILE} import {', '.join(profile)}\n")
    if metrics:
        lines.append(f"from {METRICS} import {', '.join(metrics)}\n")
    if not lines:
        return src
    body = tree.body
    last_import = max(
        (n.end_lineno or n.lineno for n in body if isinstance(n, ast.Import | ast.ImportFrom)),
        default=0,
    )
    if last_import == 0:
        first = 0
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            first = body[0].end_lineno or 0
        last_import = first
    src_lines = src.splitlines(keepends=True)
    return "".join(src_lines[:last_import] + lines + src_lines[last_import:])


def _files(paths: list[str]) -> list[Path]:
    return sorted(text_files([Path(p) for p in paths] or [ROOT], {".py"}))


def main(argv: list[str] | None = None) -> int:
    """Rewrite (or with ``--check`` only list) the files that still use the old fields."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list, change nothing")
    parser.add_argument("paths", nargs="*", help="files or folders (default: the repo)")
    args = parser.parse_args(argv)
    changed = []
    for path in _files(args.paths):
        src = path.read_text(encoding="utf-8")
        if not any(w in src for w in ATHLETE_FIELDS | ACTIVITY_FIELDS | MOVED_TYPES):
            continue
        new, _, review = rewrite(src, str(path))
        for line in review:
            print("review:", line, file=sys.stderr)
        if new != src:
            changed.append(path)
            if not args.check:
                path.write_text(new, encoding="utf-8")
    for path in changed:
        print(path)
    return 1 if args.check and changed else 0


if __name__ == "__main__":
    raise SystemExit(main())
