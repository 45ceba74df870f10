"""The little of Pyodide's FFI the bindings need, imported only when called (``pyodide``
and ``js`` exist only inside a Python Worker)."""

from __future__ import annotations

from typing import Any


def wait(promise: Any) -> Any:
    """Block on a JavaScript promise (``pyodide.ffi.run_sync``) and return its value."""
    from pyodide.ffi import run_sync  # type: ignore[import-not-found]

    return run_sync(promise)


def js_object(values: dict[str, Any]) -> Any:
    """A plain JavaScript object from a dict (what binding options expect)."""
    import js  # type: ignore[import-not-found]
    from pyodide.ffi import to_js

    return to_js(values, dict_converter=js.Object.fromEntries)


def js_bytes(data: bytes) -> Any:
    """A ``Uint8Array`` with ``data``."""
    from pyodide.ffi import to_js

    return to_js(data)
