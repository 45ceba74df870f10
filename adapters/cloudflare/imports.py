"""The Python Worker's import graph, read statically, and the rules Pyodide sets for it.

Starting from the entry module, every ``import`` in every reached ``momentum`` module is
followed, at module level and inside functions (a lazy import still runs in the Worker),
except those under ``if TYPE_CHECKING:``, those inside a function listed in
:data:`OFF_WORKER` (code the Worker never calls, e.g. httpx where ``fetch`` is used) and
those inside a plugin's ``momentum_cli`` hook (:data:`CLI_ONLY`: a Worker has no CLI).
What the graph may not hold (:func:`problems`):

- a stdlib module that needs threads, sockets or processes (:data:`FORBIDDEN`), or a
  ``threading.Thread``/``Timer`` started by our code (a ``Lock`` is fine: Pyodide has
  one thread and its locks never wait);
- a third-party package with a native extension, unless Pyodide ships it
  (:data:`PYODIDE_SHIPS`).

Build-time only: never imported by the Worker.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

ENTRY = "momentum.adapters.cloudflare.entry"
RUNTIME_PROVIDED = frozenset({"workers", "js", "pyodide"})
"""Modules the Workers runtime itself provides."""
FORBIDDEN = frozenset(
    {"subprocess", "socket", "multiprocessing", "concurrent", "selectors", "ssl", "_thread"}
)
"""Stdlib modules that need processes, sockets or threads, which a Worker does not have."""
STARTS_THREADS = frozenset({"Thread", "Timer"})
PYODIDE_SHIPS = frozenset(
    {"msgspec", "markupsafe", "jinja2", "pydantic_core", "tzdata", "charset_normalizer"}
)
"""Packages with native code that Pyodide builds and ships itself."""
PYODIDE_PAIRED = frozenset({"pydantic"})
"""Pure-Python packages pinned to one exact native build Pyodide ships (pydantic needs its
own pydantic_core release): they come from Pyodide with it, never vendored."""
OFF_WORKER = {
    "momentum.adapters.outbound": {"default_transport"},  # httpx only off a Worker
    "momentum.adapters.cloudflare.bootstrap": set(),
}
"""Functions/classes of a module the Worker never runs (their imports are not followed)."""
CLI_ONLY = frozenset({"momentum_cli"})
"""Hook implementations only a command line calls: a Worker has none, so what they import
(the local coach, its scheduler threads, OAuth's one-shot redirect listener) is never
reached there."""


@dataclass
class Graph:
    """What the entry reaches: our modules (name → file) and the outside top-level
    modules each of them imports."""

    modules: dict[str, Path] = field(default_factory=dict)
    outside: dict[str, set[str]] = field(default_factory=dict)
    threads: list[str] = field(default_factory=list)


def _facade() -> dict[str, str]:
    """``momentum``'s public names → the module each is loaded from (PEP 562 facade)."""
    import momentum

    exports: dict[str, str] = getattr(momentum, "_EXPORTS", {})
    return exports


def _imports(tree: ast.AST, module: str) -> tuple[list[str], list[str]]:
    """Imported module names (absolute) in ``tree``, and ``threading.Thread`` uses."""
    names: list[str] = []
    threads: list[str] = []
    skip = OFF_WORKER.get(module, set()) | CLI_ONLY

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        defines = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
        if isinstance(node, defines) and node.name in skip:
            return
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
            if node.module == "momentum":  # the public facade loads each name's module
                names.extend(m for a in node.names if (m := _facade().get(a.name)))
            if node.module == "threading":
                threads.extend(a.name for a in node.names if a.name in STARTS_THREADS)
        elif (
            isinstance(node, ast.Attribute)
            and node.attr in STARTS_THREADS
            and isinstance(node.value, ast.Name)
            and node.value.id == "threading"
        ):
            threads.append(f"threading.{node.attr}")
        for inner in ast.iter_child_nodes(node):
            visit(inner)

    visit(tree)
    return names, threads


def _source(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


def graph(entry: str = ENTRY, *, own: tuple[str, ...] = ("momentum",)) -> Graph:
    """Walk the imports from ``entry`` (see the module docstring); modules under the
    top-level names ``own`` are followed as our code (a coach project adds its plugins')."""
    found = Graph()
    todo = [entry]
    while todo:
        module = todo.pop()
        if module in found.modules:
            continue
        path = _source(module)
        if path is None:
            continue  # ``momentum.x.Name``: a name imported from a module, not a module
        found.modules[module] = path
        parent = module.rpartition(".")[0]
        if parent:
            todo.append(parent)  # a package's __init__ runs first
        names, threads = _imports(ast.parse(path.read_text(encoding="utf-8")), module)
        found.threads += [f"{module}: {use}" for use in threads]
        for name in names:
            if name.split(".")[0] in own:
                todo.append(name)
            else:
                found.outside.setdefault(name.split(".")[0], set()).add(module)
    return found


def _native(top: str) -> bool:
    """True when the installed package ``top`` holds a compiled extension."""
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return False
    if spec is None or spec.origin is None:
        return False
    if spec.origin.endswith((".so", ".pyd")):
        return True
    if spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            if any(Path(folder).rglob("*.so")) or any(Path(folder).rglob("*.pyd")):
                return True
    return False


def third_party(found: Graph) -> list[str]:
    """The outside modules that are neither stdlib nor provided by the runtime."""
    return sorted(
        top
        for top in found.outside
        if top not in sys.stdlib_module_names and top not in RUNTIME_PROVIDED
    )


def problems(found: Graph) -> list[str]:
    """Everything in ``found`` a Python Worker cannot run, one line each (naming who
    imports it)."""
    lines = []
    for top, users in sorted(found.outside.items()):
        who = ", ".join(sorted(users))
        if top in FORBIDDEN:
            lines.append(f"{top} (needs threads, sockets or processes) imported by {who}")
        elif top in third_party(found) and top not in PYODIDE_SHIPS and _native(top):
            lines.append(f"{top} has a native extension Pyodide does not ship; imported by {who}")
    lines += [f"starts a thread: {use}" for use in found.threads]
    return lines
