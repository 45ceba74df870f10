"""Core knows coaching, not running (issue 18): no file under ``core/`` names a running
term, and core imports no plugin.

The words are running's own vocabulary, chosen so ordinary English and core's own names
(``run_once``, "a run of words", ``tempfile``) do not trip it: VDOT, pace, Strava, the race
distances, long run, tempo, threshold pace, TRIMP, and the running formulas' authors.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "core"

TERMS = re.compile(
    r"\bvdot\b|\bpaces?\b|\bstrava\b|\bmarathons?\b|\bhalf[ -]marathon\b|\blong[ _-]runs?\b"
    r"|\btempo\b|\bthreshold[ _-]pace\b|\b(?:5|10|21|42)k\b|\btrimp\b|\bdaniels\b|\briegel\b",
    re.IGNORECASE,
)
"""Running-specific words (case-insensitive, whole words)."""

SUFFIXES = {".py", ".j2", ".html", ".md", ".toml", ".txt", ".css", ".js"}

EXCLUDED: tuple[str, ...] = ()
"""Nothing: since the dashboard split (a generic host in core, the running pages under
plugins/running/dashboard) core/dashboard is scanned too."""

NOT_YET: dict[str, str] = {}
"""Files that still name running terms, each with the reason and what moves it out. Empty
since the plan, the athlete's race fields and the activity's running metrics left core's
model (issue 18); the list only shrinks (a file listed here that is clean fails the test)."""


def _files() -> list[Path]:
    return sorted(
        p
        for p in CORE.rglob("*")
        if p.is_file()
        and p.suffix in SUFFIXES
        and p.relative_to(CORE).parts[0] not in EXCLUDED
        and "__pycache__" not in p.parts
    )


def _hits(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(CORE)}:{number}: {line.strip()}"
        for number, line in enumerate(text.splitlines(), start=1)
        if TERMS.search(line)
    ]


def test_the_scan_sees_core() -> None:
    names = {p.relative_to(CORE).as_posix() for p in _files()}
    assert {"app.py", "coach/loop.py", "plugins/types.py"} <= names
    assert any(n.startswith("dashboard/") for n in names)


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("VDOT 52", True),
        ("a 5k race", True),
        ("threshold pace", True),
        ("the long-run day", True),
        ("from Strava", True),
        ("run_once(app)", False),
        ("a run of ten words", False),
        ("tempfile.TemporaryDirectory()", False),
        ("spaces and replace", False),
    ],
)
def test_the_terms_are_running_words_not_english(line: str, found: bool) -> None:
    assert bool(TERMS.search(line)) is found


def test_no_core_file_names_a_running_term() -> None:
    hits = [h for p in _files() if p.relative_to(CORE).as_posix() not in NOT_YET for h in _hits(p)]
    assert hits == [], "running terms in core:\n" + "\n".join(hits)


def test_the_not_yet_list_only_shrinks() -> None:
    clean = [name for name in NOT_YET if not (CORE / name).is_file() or not _hits(CORE / name)]
    assert clean == [], f"no running term left in {clean}: drop them from NOT_YET"


def test_core_imports_no_plugin_or_adapter() -> None:
    """The dependency rule, at every import in core (lazy ones inside functions too)."""
    found = []
    for path in _files():
        if path.suffix != ".py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            found += [
                f"{path.relative_to(CORE)}:{node.lineno} {name}"  # type: ignore[attr-defined]
                for name in names
                if name.startswith(("momentum.plugins", "momentum.adapters"))
            ]
    assert found == [], "core imports outside core:\n" + "\n".join(found)
