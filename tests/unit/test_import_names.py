"""Every import of Momentum's own code goes through ``momentum.``: installed, the generic
top-level names (``core``, ``plugins``...) belong to the user's project, not to us."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("core", "adapters", "plugins", "infra", "tests", "benchmarks", "scripts", "momentum")
BARE = {"core", "adapters", "plugins", "infra", "templates"}


def _sources() -> list[Path]:
    found = []
    for folder in FOLDERS:
        base = ROOT / folder
        if folder == "momentum":  # the facade itself; its subfolders are the symlinks above
            found += sorted(base.glob("*.py"))
            continue
        found += sorted(p for p in base.rglob("*.py") if "templates" not in p.parts)
    return found


def _bare_imports(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        bad += [f"{path.relative_to(root)}:{node.lineno}: {n}" for n in names if _bare(n)]
    return bad


def _bare(name: str) -> bool:
    return name.split(".")[0] in BARE


def test_sources_are_found() -> None:
    assert len(_sources()) > 200


def test_no_source_imports_core_adapters_plugins_or_infra_without_momentum() -> None:
    offenders = [line for path in _sources() for line in _bare_imports(path)]
    assert offenders == [], "use momentum.<name>:\n" + "\n".join(offenders)


def test_the_check_catches_a_bare_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from core.app import App\nimport plugins.running\nimport momentum.core\n")
    assert [line.split(": ")[1] for line in _bare_imports(sample, tmp_path)] == [
        "core.app",
        "plugins.running",
    ]
