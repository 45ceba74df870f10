"""Azurite for tests and local runs: one all-in-one Azurite process per Python process,
on free loopback ports, in memory, and the connection string for its well-known
``devstoreaccount1`` account.

Azurite comes from npm (``scripts/dev.py`` installs it into ``.tools/node``); when it is
missing, :func:`shared_azurite` raises RuntimeError saying so, and tests skip with that.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from momentum.adapters.azure.table_storage import TableStorage

ACCOUNT = "devstoreaccount1"
ACCOUNT_KEY = (
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
)
"""Azurite's published development key (not a secret: it is in Microsoft's docs)."""
ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30.0


@dataclass(frozen=True)
class Azurite:
    """A running Azurite: its ports and connection string."""

    blob_port: int
    queue_port: int
    table_port: int

    @property
    def connection_string(self) -> str:
        """A connection string for all three services."""
        host = "http://127.0.0.1"
        return (
            f"DefaultEndpointsProtocol=http;AccountName={ACCOUNT};AccountKey={ACCOUNT_KEY};"
            f"BlobEndpoint={host}:{self.blob_port}/{ACCOUNT};"
            f"QueueEndpoint={host}:{self.queue_port}/{ACCOUNT};"
            f"TableEndpoint={host}:{self.table_port}/{ACCOUNT};"
        )


def azurite_binary() -> str | None:
    """The ``azurite`` command: .tools/node, then ``PATH``."""
    local = ROOT / ".tools" / "node" / "node_modules" / ".bin" / "azurite"
    if local.exists():
        return str(local)
    return shutil.which("azurite")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait(ports: list[int], process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    for port in ports:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"azurite exited with code {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"azurite did not listen on {port} within 30 s") from None
                time.sleep(0.1)


_lock = threading.Lock()
_shared: Azurite | None = None
_failed = ""


def shared_azurite() -> Azurite:
    """Start Azurite once for this process (stopped at exit) and return it."""
    global _shared, _failed
    with _lock:
        if _shared is not None:
            return _shared
        if _failed:
            raise RuntimeError(_failed)
        binary = azurite_binary()
        if binary is None or shutil.which("node") is None:
            raise RuntimeError(
                "azurite is not installed (python3 scripts/dev.py test installs it from npm)"
            )
        ports = [_free_port(), _free_port(), _free_port()]
        workdir = tempfile.mkdtemp(prefix="azurite-")
        args = [binary, "--silent", "--inMemoryPersistence", "--skipApiVersionCheck"]
        args += ["--disableTelemetry", "--loose", "--blobHost", "127.0.0.1"]
        args += ["--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1"]
        args += ["--blobPort", str(ports[0]), "--queuePort", str(ports[1])]
        args += ["--tablePort", str(ports[2])]
        log = open(Path(workdir) / "azurite.log", "wb")  # noqa: SIM115 (lives with the process)
        process = subprocess.Popen(
            args, stdout=log, stderr=subprocess.STDOUT, cwd=workdir, env=dict(os.environ)
        )
        atexit.register(_stop, process, workdir)
        try:
            _wait(ports, process)
        except RuntimeError as error:
            _stop(process, "")
            output = (Path(workdir) / "azurite.log").read_text(errors="replace").strip()
            _failed = f"{error}: {output[-300:]}" if output else str(error)
            shutil.rmtree(workdir, ignore_errors=True)
            raise RuntimeError(_failed) from None
        _shared = Azurite(*ports)
        return _shared


def _stop(process: subprocess.Popen[bytes], workdir: str) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
    if workdir:
        shutil.rmtree(workdir, ignore_errors=True)


def unique_name(prefix: str) -> str:
    """A table/queue/container name unique to one test (letters and digits only)."""
    return f"{prefix}{uuid.uuid4().hex[:12]}"


@contextmanager
def table_storage(azurite: Azurite) -> Iterator[tuple[TableStorage, Callable[[], TableStorage]]]:
    """A fresh table and container on ``azurite``: yields ``(storage, reopen)`` (a new
    client on the same data) and drops both after."""
    from momentum.adapters.azure.blob_store import AzureBlob
    from momentum.adapters.azure.table_storage import TableStorage
    from momentum.adapters.azure.tables import Table

    conn = azurite.connection_string
    table = Table(unique_name("momentum"), connection_string=conn)
    blob = AzureBlob(unique_name("momentum-"), connection_string=conn)
    table.ensure()
    blob.ensure()

    def make() -> TableStorage:
        return TableStorage(
            Table(table.name, connection_string=conn),
            AzureBlob(blob.container, connection_string=conn),
        )

    try:
        yield make(), make
    finally:
        table.drop()
        blob.drop()
