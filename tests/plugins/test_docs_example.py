"""The plugin and its test shown in docs/plugins.md run as written."""

from __future__ import annotations

import re
import sys
import types
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "plugins.md"


def _blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_the_documented_plugin_and_its_test_pass(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plugin_code, test_code = _blocks()[:2]
    package = types.ModuleType("my_plugin")
    plugin = types.ModuleType("my_plugin.plugin")
    exec(compile(plugin_code, "my_plugin/plugin.py", "exec"), plugin.__dict__)
    package.plugin = plugin  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "my_plugin", package)
    monkeypatch.setitem(sys.modules, "my_plugin.plugin", plugin)
    namespace: dict[str, object] = {}
    exec(compile(test_code, "test_my_plugin.py", "exec"), namespace)
    tests = [f for name, f in namespace.items() if name.startswith("test_") and callable(f)]
    assert len(tests) == 1 and len(test_code.strip().splitlines()) <= 10
    tests[0]()
