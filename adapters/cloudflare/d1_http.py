"""D1 from outside a Worker: Cloudflare's D1 HTTP query API.

``POST {api}/client/v4/accounts/{account}/d1/database/{database}/query`` with
``{"sql", "params"}`` (one statement) or ``{"batch": [{"sql", "params"}, …]}`` (one
transaction), answered with Cloudflare's envelope ``{"success", "errors", "result": [{
"results": [rows], "meta": {"changes", …}}]}``. Operator tools use it against a real
database; the tests point it at wrangler's local D1 through the bridge worker in
:mod:`momentum.adapters.cloudflare.testing`, which answers in the same shape.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from momentum.adapters.cloudflare.d1 import D1Error, Result, Statement, check_param, error_from
from momentum.core.ports.transport import Transport

API = "https://api.cloudflare.com"


class HttpRunner:
    """A :class:`~momentum.adapters.cloudflare.d1.StatementRunner` over the D1 HTTP API.
    The API token is sent as a bearer header and never appears in errors or ``repr``."""

    def __init__(
        self,
        account_id: str,
        database_id: str,
        api_token: str,
        *,
        api: str = API,
        transport: Transport | None = None,
        timeout: float = 30.0,
    ) -> None:
        if transport is None:
            from momentum.adapters.outbound import default_transport

            transport = default_transport()
        self.url = (
            f"{api.rstrip('/')}/client/v4/accounts/{account_id}/d1/database/{database_id}/query"
        )
        self._token = api_token
        self.transport = transport
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"HttpRunner({self.url!r})"

    def prepare(self, sql: str) -> Statement:
        """A statement for ``sql``."""
        return Statement(sql)

    def all(self, statement: Statement) -> list[dict[str, Any]]:
        """The rows of one statement."""
        return self._post({"sql": statement.sql, "params": _params(statement)})[0].rows

    def run(self, statement: Statement) -> Result:
        """Run one statement; its change count."""
        return self._post({"sql": statement.sql, "params": _params(statement)})[0]

    def batch(self, statements: Sequence[Statement]) -> list[Result]:
        """Run ``statements`` as one D1 batch (one transaction)."""
        if not statements:
            return []
        body = {"batch": [{"sql": s.sql, "params": _params(s)} for s in statements]}
        results = self._post(body)
        if len(results) != len(statements):
            raise D1Error(f"D1 answered {len(results)} results for {len(statements)} statements")
        return results

    def _post(self, body: dict[str, Any]) -> list[Result]:
        reply = self.transport.request(
            "POST",
            self.url,
            headers={
                "authorization": f"Bearer {self._token}",
                "content-type": "application/json",
            },
            body=json.dumps(body).encode("utf-8"),
            timeout=self.timeout,
        )
        try:
            answer = json.loads(reply.body)
        except ValueError:
            raise D1Error(f"D1 answered HTTP {reply.status} without JSON") from None
        if not isinstance(answer, dict) or not answer.get("success"):
            errors = answer.get("errors") if isinstance(answer, dict) else None
            messages = [str(e.get("message", e)) for e in errors or [] if isinstance(e, dict)]
            raise error_from("; ".join(messages) or f"D1 answered HTTP {reply.status}")
        return [_result(item) for item in answer.get("result") or []]


def _params(statement: Statement) -> list[Any]:
    params = []
    for value in statement.params:
        value = check_param(value)
        if isinstance(value, bytes):  # JSON has no bytes: D1 takes a blob as an array
            value = list(value)
        params.append(value)
    return params


def _result(item: Any) -> Result:
    if not isinstance(item, dict):
        raise D1Error("D1 answered a result that is not an object")
    if item.get("success") is False:
        raise error_from(str(item.get("error") or "a statement failed"))
    rows = item.get("results") or []
    meta = item.get("meta") or {}
    return Result([dict(row) for row in rows], int(meta.get("changes") or 0))
