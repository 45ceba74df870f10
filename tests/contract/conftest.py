"""Fixtures for the port contract suites: ``storage`` runs each test on every backend
listed in :data:`tests.contract.backends.STORAGE_BACKENDS`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.core.ports.storage import Storage
from tests.contract.backends import STORAGE_BACKENDS, BackendContext, OpenStorage, StorageBackend


def params(backends: list[Any]) -> list[Any]:
    """``pytest.param`` per backend, carrying its platform marker (``-m "not aws"``)."""
    return [
        pytest.param(b, id=b.name, marks=[getattr(pytest.mark, b.marker)] if b.marker else [])
        for b in backends
    ]


@pytest.fixture(params=params(STORAGE_BACKENDS))
def opened(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OpenStorage]:
    """One backend, opened empty for this test."""
    backend: StorageBackend = request.param
    ctx = BackendContext(tmp_path_factory.mktemp(backend.name), request)
    with backend.open(ctx) as opened_storage:
        yield opened_storage


@pytest.fixture
def storage(opened: OpenStorage) -> Storage:
    """The store under test."""
    return opened.storage
