"""Azurite for tests and local runs: one all-in-one Azurite process per Python process,
on free loopback ports, in memory, and the connection string for its well-known
``devstoreaccount1`` account.

Azurite comes from npm (``scripts/dev.py`` installs it into ``.tools/node``); when it is
missing, :func:`shared_azurite` raises RuntimeError saying so, and tests skip with that.

:class:`QueueHost` plays the Functions host's queue loop (there is no ``func`` host here:
Core Tools downloads a binary at install): it hands each visible message to a registered
queue function, deletes it on success, retries a failure and moves a message that failed
``maxDequeueCount`` times to ``<queue>-poison``, as the host does.
"""

from __future__ import annotations

import atexit
import datetime as dt
import json
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
from typing import TYPE_CHECKING, Any

from momentum.testing import free_port, node_tool

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
    return node_tool("azurite")


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
        ports = [free_port(), free_port(), free_port()]
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


_indexed: dict[int, dict[str, Callable[..., Any]]] = {}


def registered(app: Any, name: str) -> Callable[..., Any]:
    """The user function registered under ``name`` on a ``func.FunctionApp``, indexed
    once per app as the host does (``get_functions`` refuses to index an app twice)."""
    if id(app) not in _indexed:
        functions = app.get_functions()
        _indexed[id(app)] = {f.get_function_name(): f.get_user_function() for f in functions}
    return _indexed[id(app)][name]


class QueueHost:
    """The Functions host's queue trigger loop over one queue on Azurite.

    ``function`` is the registered user function (``get_user_function()`` of the
    ``deferred`` function), called with the SDK's ``func.QueueMessage`` carrying the
    message id (core's delivery id, the same on every redelivery).
    ``clock`` is the app's clock: a message whose envelope says ``not_before`` a later
    instant is delivered (the function sends it on) but counted as not yet due, so
    :meth:`drain` can stop when only such messages are left.
    """

    def __init__(
        self,
        client: Any,
        function: Callable[[Any], None],
        *,
        clock: Any = None,
        poison: Any = None,
        max_dequeue_count: int = 5,
    ) -> None:
        self.client = client
        self.function = function
        self.clock = clock
        self.poison = poison
        self.max_dequeue_count = max_dequeue_count
        self.failures: list[BaseException] = []
        self.poisoned: list[str] = []

    def drain(self, timeout: float = 10.0) -> int:
        """Deliver messages until the queue is empty, or holds only messages that are not
        due by ``clock``; returns how many deliveries ran a job. Hidden messages (a
        visibility timeout) are waited for up to ``timeout`` seconds."""
        ran = 0
        early: set[str] = set()
        deadline = time.monotonic() + timeout
        while True:
            batch = list(self.client.receive_messages(max_messages=16, visibility_timeout=60))
            for message in batch:
                ran += self._deliver(message, early)
            if batch:
                continue
            waiting = self.client.get_queue_properties().approximate_message_count
            if waiting <= len(early):
                return ran
            if time.monotonic() > deadline:
                raise AssertionError(f"{waiting} queue messages stayed hidden for {timeout} s")
            time.sleep(0.1)

    def _deliver(self, message: Any, early: set[str]) -> int:
        import azure.functions as func

        body = str(message.content)
        not_yet = self._not_yet_due(body)
        delivery = func.QueueMessage(
            id=message.id, body=body.encode("utf-8"), pop_receipt=message.pop_receipt
        )
        try:
            self.function(delivery)
        except Exception as error:  # the host retries, then moves the message to poison
            self.failures.append(error)
            if message.dequeue_count >= self.max_dequeue_count:
                self._to_poison(message)
            else:
                self.client.update_message(message, visibility_timeout=0)
            return 0
        self.client.delete_message(message)
        if not_yet:
            early.add(body)
            return 0
        early.discard(body)
        return 1

    def _not_yet_due(self, body: str) -> bool:
        if self.clock is None:
            return False
        try:
            raw = json.loads(body).get("not_before")
            due = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None
        except (ValueError, AttributeError):
            return False
        return due is not None and due > self.clock.now()

    def _to_poison(self, message: Any) -> None:
        if self.poison is not None:
            self.poison.send_message(message.content)
        self.poisoned.append(str(message.id))
        self.client.delete_message(message)
