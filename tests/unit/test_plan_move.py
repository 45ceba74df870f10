"""scripts/moves/plan_move.py: the plan record's old import paths and one-argument
``get_plan`` calls are rewritten once, and a second run changes nothing.

(plan_move: skip. This file holds the old paths on purpose.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _script():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("plan_move", ROOT / "scripts/moves/plan_move.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["plan_move"] = module
    spec.loader.exec_module(module)
    return module


OLD = '''"""A module from another branch."""

from __future__ import annotations

from momentum.core.model import AthleteProfile, Plan, SessionKind  # records
from momentum.core.model.plan import PlanWeek


def current(app, athlete_id):
    return app.storage.get_plan(athlete_id), SessionKind.EASY
'''

NEW = '''"""A module from another branch."""

from __future__ import annotations

from momentum.core.model import AthleteProfile
from momentum.plugins.running.model.plan import Plan, SessionKind  # records
from momentum.plugins.running.model.plan import PlanWeek


def current(app, athlete_id):
    return app.storage.get_plan(Plan, athlete_id), SessionKind.EASY
'''


def test_imports_and_calls_are_rewritten_once() -> None:
    move = _script()
    assert move.rewrite(OLD, python=True) == NEW
    assert move.rewrite(NEW, python=True) == NEW


def test_a_call_in_a_module_without_plan_gets_the_import() -> None:
    move = _script()
    text = "from __future__ import annotations\n\nx = storage.get_plan(ids[0])\n"
    new = move.rewrite(text, python=True)
    assert "from momentum.plugins.running.model.plan import Plan\n" in new
    assert "storage.get_plan(Plan, ids[0])" in new
    assert move.rewrite(new, python=True) == new
    for typed in ("get_plan(BedtimePlan, a)", "get_plan(kind, a)", "get_plan(type(p), a)"):
        assert move.rewrite(f"s.{typed}\n", python=True) == f"s.{typed}\n"


def test_paths_in_docs_are_rewritten() -> None:
    move = _script()
    text = "see core/model/plan.py and momentum.core.model.plan.Plan\n"
    assert move.rewrite(text, python=False) == (
        "see plugins/running/model/plan.py and momentum.plugins.running.model.plan.Plan\n"
    )


def test_the_repository_has_nothing_left_to_rewrite() -> None:
    folders = ("core", "adapters", "plugins", "momentum", "tests", "docs", "scripts")
    assert _script().main(["--check", *(str(ROOT / f) for f in folders)]) == 0
