"""Fixtures for the port contract suites: each runs a test once per implementation in its
registry: ``storage`` over :data:`tests.contract.backends.STORAGE_BACKENDS`; ``blob``,
``secrets_backend`` and ``deferral`` over the lists in :mod:`tests.contract.ports`.

A new target (GCP, Azure, Cloudflare) adds one entry to each list, with its platform
marker; a missing stand-in skips with the reason. See tests/contract/README.md."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from momentum.core.ports.blob import Blob
from momentum.core.ports.storage import Storage
from tests.contract.backends import STORAGE_BACKENDS, BackendContext, OpenStorage, StorageBackend
from tests.contract.ports import (
    BLOB_BACKENDS,
    DEFERRAL_BACKENDS,
    SECRETS_BACKENDS,
    DeferralUnderTest,
)


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


def _opened_port(request: pytest.FixtureRequest, factory: Any, *args: Any) -> Iterator[Any]:
    backend = request.param
    ctx = BackendContext(request.getfixturevalue("tmp_path_factory").mktemp(backend.name), request)
    with backend.open(ctx, *args) as opened_port:
        yield opened_port


@pytest.fixture(params=params(BLOB_BACKENDS))
def blob(request: pytest.FixtureRequest) -> Iterator[Blob]:
    """Each Blob implementation, empty (see :mod:`tests.contract.ports`)."""
    yield from _opened_port(request, None)


@pytest.fixture(params=params(SECRETS_BACKENDS))
def secrets_backend(request: pytest.FixtureRequest) -> Any:
    """A factory: ``open(values)`` yields each Secrets implementation holding ``values``."""
    backend = request.param
    ctx = BackendContext(request.getfixturevalue("tmp_path_factory").mktemp(backend.name), request)
    return lambda values: backend.open(ctx, values)


@pytest.fixture(params=params(DEFERRAL_BACKENDS))
def deferral(request: pytest.FixtureRequest) -> Iterator[DeferralUnderTest]:
    """Each Deferral implementation inside an app (see :mod:`tests.contract.ports`)."""
    yield from _opened_port(request, None)
