"""The D1 statement-runner seam: the few calls the D1 store makes, and nothing else.

D1's own API is ``db.prepare(sql).bind(*params)`` then ``.all()`` / ``.run()`` on one
statement, or ``db.batch([...])`` for several that land together (a batch is one
transaction: all of it or none). :class:`StatementRunner` is that shape, in Python and
synchronous, with two implementations:

- :class:`~momentum.adapters.cloudflare.d1_binding.BindingRunner`: the Worker's D1 binding
  through Pyodide's JavaScript FFI (only inside a Python Worker);
- :class:`~momentum.adapters.cloudflare.d1_http.HttpRunner`: Cloudflare's D1 HTTP query
  API (``POST …/d1/database/{id}/query``), for tools outside a Worker and for the tests,
  which point it at wrangler's local D1.

Errors D1 reports come back as :class:`D1Error` carrying D1's message; a UNIQUE or PRIMARY
KEY violation is :class:`D1ConstraintError`, which the store turns into the Storage
port's ``ConflictError``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class Statement:
    """One SQL statement and the values bound to its ``?`` placeholders."""

    sql: str
    params: tuple[Any, ...] = ()

    def bind(self, *params: Any) -> Statement:
        """The same SQL with ``params`` bound (D1's ``bind``); values must be str, int,
        float, bytes or None."""
        return Statement(self.sql, tuple(params))


@dataclass(frozen=True)
class Result:
    """What one statement gave: its rows (column name → value) and how many rows it
    changed (D1's ``meta.changes``)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    changes: int = 0


class D1Error(RuntimeError):
    """D1 refused a statement; the message is D1's own (``D1_ERROR: …``)."""


class D1ConstraintError(D1Error):
    """A UNIQUE / PRIMARY KEY constraint failed: another write got there first."""


def error_from(message: str) -> D1Error:
    """The :class:`D1Error` for D1's error ``message`` (constraint failures typed)."""
    if "UNIQUE constraint failed" in message or "SQLITE_CONSTRAINT" in message:
        return D1ConstraintError(message)
    return D1Error(message)


class StatementRunner(Protocol):
    """Runs statements on one D1 database (see the module docstring)."""

    def prepare(self, sql: str) -> Statement:
        """A statement for ``sql``, to ``bind`` and run."""
        ...

    def all(self, statement: Statement) -> list[dict[str, Any]]:
        """The rows ``statement`` returns."""
        ...

    def run(self, statement: Statement) -> Result:
        """Run ``statement`` for its effect; the result says how many rows changed."""
        ...

    def batch(self, statements: Sequence[Statement]) -> list[Result]:
        """Run ``statements`` as one transaction (all or none), in order; one result
        each."""
        ...


def check_param(value: Any) -> Any:
    """``value`` if D1 can bind it; TypeError naming the type otherwise."""
    if value is None or isinstance(value, str | int | float | bytes):
        return value
    raise TypeError(f"D1 cannot bind a {type(value).__name__}")
