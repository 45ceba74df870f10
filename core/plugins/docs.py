"""Writes the hook reference (``docs/hooks.md``) from the hookspecs' docstrings.

``python -m momentum.core.plugins.docs > docs/hooks.md`` regenerates it;
``tests/unit/test_hooks_doc.py`` fails when the file is stale or a hook has no docstring
or no ``Example::`` block.
"""

from __future__ import annotations

import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from momentum.core.plugins import hookspecs

EXAMPLE = "Example::"
HEADER = """\
# Hook reference

Generated from the docstrings in `core/plugins/hookspecs.py` by
`python -m momentum.core.plugins.docs > docs/hooks.md`; do not edit by hand.

A plugin is any object or module with functions marked `@hookimpl` (from `momentum`),
registered in the `momentum` entry-point group of its package:

```toml
[project.entry-points.momentum]
oura = "momentum_oura.plugin"
```

Everything a hook returns is built from names in `momentum`; test a plugin with
`momentum.testing.PluginHarness` (see [plugins.md](plugins.md)). A plugin whose hook raises
is reported by name, listed as failed by `momentum plugins`, and disabled; the coach keeps
running with the others.
"""


def hooks() -> list[Callable[..., Any]]:
    """Every hookspec, in the order they are declared."""
    found = [
        obj
        for name, obj in vars(hookspecs).items()
        if name.startswith("momentum_") and inspect.isfunction(obj)
    ]
    return sorted(found, key=lambda f: f.__code__.co_firstlineno)


def split_doc(hook: Callable[..., Any]) -> tuple[str, str]:
    """The hook's description and its example (``""`` when either is missing)."""
    doc = inspect.getdoc(hook) or ""
    text, _, example = doc.partition(EXAMPLE)
    return text.strip().replace("``", "`"), textwrap.dedent(example).strip("\n")


def signature(hook: Callable[..., Any]) -> str:
    """``momentum_cli(cli) -> None`` as the hook's implementer writes it."""
    sig = inspect.signature(hook)
    params = ", ".join(sig.parameters)
    returns = sig.return_annotation
    shown = returns if isinstance(returns, str) else getattr(returns, "__name__", str(returns))
    return f"{hook.__name__}({params}) -> {shown}"


def render() -> str:
    """The whole reference as Markdown."""
    parts = [HEADER.strip()]
    parts.append("| hook | what it is for |\n| --- | --- |")
    for hook in hooks():
        first = split_doc(hook)[0].split("\n\n")[0].replace("\n", " ")
        parts[-1] += f"\n| [`{hook.__name__}`](#{hook.__name__}) | {first} |"
    for hook in hooks():
        text, example = split_doc(hook)
        parts.append(f"## `{hook.__name__}`\n\n```python\n{signature(hook)}\n```\n\n{text}")
        parts.append(f"Example:\n\n```python\n{example}\n```")
    return "\n\n".join(parts) + "\n"


def main() -> None:
    """Print the reference to standard output."""
    print(render(), end="")


if __name__ == "__main__":
    main()
