"""D1 inside a Python Worker: the ``env.DB`` binding through Pyodide's JavaScript FFI.

Each call builds D1's own ``prepare(sql).bind(...)`` and waits for its promise with
``pyodide.ffi.run_sync``, so the synchronous Storage port sits on the asynchronous binding.
``pyodide`` exists only under Pyodide: it is imported inside the calls, never at import,
so this module loads (and is type-checked) on CPython too. Not exercised here: Python
Workers cannot start offline (see docs/deploy/cloudflare.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from momentum.adapters.cloudflare.d1 import Result, Statement, check_param, error_from


class BindingRunner:
    """A :class:`~momentum.adapters.cloudflare.d1.StatementRunner` on a D1 binding."""

    def __init__(self, binding: Any) -> None:
        self.binding = binding

    def prepare(self, sql: str) -> Statement:
        """A statement for ``sql``."""
        return Statement(sql)

    def _js(self, statement: Statement) -> Any:
        params = [check_param(value) for value in statement.params]
        prepared = self.binding.prepare(statement.sql)
        return prepared.bind(*params) if params else prepared

    def all(self, statement: Statement) -> list[dict[str, Any]]:
        """The rows of one statement."""
        return self._await(self._js(statement).all()).rows

    def run(self, statement: Statement) -> Result:
        """Run one statement; its change count."""
        return self._await(self._js(statement).run())

    def batch(self, statements: Sequence[Statement]) -> list[Result]:
        """``db.batch([...])``: one transaction."""
        if not statements:
            return []
        from pyodide.ffi import run_sync, to_js  # type: ignore[import-not-found]

        try:
            answers = run_sync(self.binding.batch(to_js([self._js(s) for s in statements])))
        except Exception as error:  # a JsException carrying D1's message
            raise error_from(str(error)) from None
        return [_result(answer) for answer in answers]

    def _await(self, promise: Any) -> Result:
        from pyodide.ffi import run_sync

        try:
            return _result(run_sync(promise))
        except Exception as error:
            raise error_from(str(error)) from None


def _result(answer: Any) -> Result:
    data = answer.to_py() if hasattr(answer, "to_py") else answer
    rows = [dict(row) for row in data.get("results") or []]
    return Result(rows, int((data.get("meta") or {}).get("changes") or 0))
