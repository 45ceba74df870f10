"""Secret Manager's REST surface on loopback (``AccessSecretVersion``), for the real
google-cloud-secret-manager client (``transport="rest"``, ``api_endpoint`` = this server).

Only what Momentum reads: ``GET /v1/projects/P/secrets/S/versions/V:access`` answering the
version's payload (base64, with its CRC32C), ``latest`` meaning the newest version, and
404 NOT_FOUND for a secret or version that does not exist.
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from momentum.adapters.gcp.testing.loopback import LoopbackServer, google_error


class FakeSecretManager:
    """Secrets by ``projects/P/secrets/S`` → versions (1, 2, ...), served on loopback."""

    def __init__(self) -> None:
        self.secrets: dict[str, list[bytes]] = {}
        self.reads = 0
        self._lock = threading.Lock()
        self._server = LoopbackServer(self._route)

    @property
    def endpoint(self) -> str:
        """The ``api_endpoint`` for the client."""
        return self._server.endpoint

    def add_version(self, project: str, secret: str, value: str) -> str:
        """Store a new version of ``secret``; returns the secret's resource name."""
        name = f"projects/{project}/secrets/{secret}"
        with self._lock:
            self.secrets.setdefault(name, []).append(value.encode("utf-8"))
        return name

    def client(self) -> Any:
        """A real ``SecretManagerServiceClient`` on this server (REST, anonymous)."""
        from google.api_core.client_options import ClientOptions
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import secretmanager

        return secretmanager.SecretManagerServiceClient(
            credentials=AnonymousCredentials(),
            transport="rest",
            client_options=ClientOptions(api_endpoint=self.endpoint),
        )

    def _route(self, method: str, path: str, body: bytes) -> tuple[int, Any]:
        import google_crc32c

        path = path.split("?")[0]
        if method != "GET" or not path.startswith("/v1/") or not path.endswith(":access"):
            return google_error(404, "NOT_FOUND", f"unknown method {method} {path}")
        version = path[len("/v1/") : -len(":access")]
        secret, _, number = version.partition("/versions/")
        with self._lock:
            versions = self.secrets.get(secret, [])
            self.reads += 1
            index = len(versions) if number == "latest" else int(number) if number.isdigit() else 0
            if not 1 <= index <= len(versions):
                return google_error(404, "NOT_FOUND", f"Secret [{version}] not found.")
            data = versions[index - 1]
        return 200, {
            "name": f"{secret}/versions/{index}",
            "payload": {
                "data": base64.b64encode(data).decode(),
                "dataCrc32c": str(google_crc32c.value(data)),
            },
        }

    def start(self) -> str:
        """Serve on a free port; returns :attr:`endpoint`."""
        return self._server.start()

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()
