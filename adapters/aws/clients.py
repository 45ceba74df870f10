"""boto3 clients, created on first use and cached for the life of the Lambda sandbox.

Creating a client loads its service model (tens of milliseconds), so nothing here runs at
import time and each client is made only when a request needs it. ``AWS_ENDPOINT_URL``
(and ``AWS_ENDPOINT_URL_<SERVICE>``) are honoured by boto3 itself, which is how the tests
point every client at moto server.
"""

from __future__ import annotations

import threading
from typing import Any

_CLIENTS: dict[tuple[str, str | None, str | None], Any] = {}
_LOCK = threading.Lock()

_TIMEOUTS = {"lambda": (2.0, 5.0)}
"""(connect, read) seconds by service; an asynchronous invoke answers at once."""


def client(service: str, *, region: str | None = None, endpoint_url: str | None = None) -> Any:
    """A cached boto3 client for ``service`` (thread-safe; boto3 clients are)."""
    key = (service, region, endpoint_url)
    with _LOCK:
        found = _CLIENTS.get(key)
        if found is None:
            import boto3
            from botocore.config import Config

            connect, read = _TIMEOUTS.get(service, (3.0, 20.0))
            config = Config(
                retries={"mode": "standard", "max_attempts": 3},
                connect_timeout=connect,
                read_timeout=read,
            )
            # A private session: boto3's default session is not safe to share across threads.
            session = boto3.session.Session()
            found = session.client(
                service, region_name=region, endpoint_url=endpoint_url, config=config
            )
            _CLIENTS[key] = found
        return found


class LazyClient:
    """Stands in for a boto3 client and creates the real one on first attribute access,
    so an invocation that never touches S3 never pays for the S3 client."""

    def __init__(self, service: str, *, region: str | None = None) -> None:
        self._service = service
        self._region = region
        self._client: Any = None

    def __getattr__(self, name: str) -> Any:
        if self._client is None:
            self._client = client(self._service, region=self._region)
        return getattr(self._client, name)

    @property
    def created(self) -> bool:
        """Whether the real client exists yet."""
        return self._client is not None


def clear_cache() -> None:
    """Forget every cached client (tests that change endpoints between runs)."""
    with _LOCK:
        _CLIENTS.clear()
