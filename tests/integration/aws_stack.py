"""The local AWS stack the AWS integration tests share: a table and bucket on moto server,
a loopback Lambda endpoint that runs the real handler, and caches reset around it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from momentum.adapters.aws import clients, handler, secrets
from tests.support.aws import FakeLambdaServer, LocalAws, shared_moto_endpoint

FUNCTION = "momentum-test"


@contextmanager
def local_aws(
    monkeypatch: pytest.MonkeyPatch, home: Path, *, export_env: bool = True
) -> Iterator[LocalAws]:
    """Create the stack, point the process at it (``export_env``) and tear it down after.
    Skips the test with the reason when moto server can't start."""
    try:
        endpoint = shared_moto_endpoint()
    except RuntimeError as error:
        pytest.skip(f"moto server unavailable: {error}")
    with FakeLambdaServer(handler.handler, function_name=FUNCTION) as fake:
        stack = LocalAws(endpoint, fake)
        stack.create()
        if export_env:
            for key, value in stack.env().items():
                monkeypatch.setenv(key, value)
        monkeypatch.setenv("MOMENTUM_HOME", str(home))
        clients.clear_cache()
        secrets.clear_cache()
        try:
            yield stack
        finally:
            handler.set_app(None)
            clients.clear_cache()
            secrets.clear_cache()
            stack.destroy()
