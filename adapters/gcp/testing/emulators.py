"""The Firestore emulator (gcloud) and a Cloud Storage emulator on loopback, one per process.

:class:`FirestoreEmulator` runs ``gcloud emulators firestore start`` on a free 127.0.0.1
port (about 4.5 s to answer on a 2-core machine, so each test process starts its own
rather than coordinating one across xdist workers). Tests isolate themselves by project id:
each project on the emulator is an empty database. :class:`GcsEmulator` runs
gcp-storage-emulator's in-memory server in a thread; the real google-cloud-storage client
talks to it through ``STORAGE_EMULATOR_HOST``.
"""

from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from momentum.testing import free_port


class FirestoreEmulator:
    """The gcloud Firestore emulator as a subprocess (its own process group, stopped with
    it). ``host`` is ``127.0.0.1:PORT`` for ``FIRESTORE_EMULATOR_HOST``. Raises
    :class:`RuntimeError` naming the reason when it can't start."""

    def __init__(self, startup_seconds: float = 60.0) -> None:
        self.startup_seconds = startup_seconds
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def host(self) -> str:
        """``127.0.0.1:PORT``."""
        return f"127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start it and wait until it answers; returns :attr:`host`."""
        gcloud = shutil.which("gcloud")
        if gcloud is None:
            raise RuntimeError("gcloud not found: install the Google Cloud SDK and its emulator")
        if shutil.which("java") is None:
            raise RuntimeError("java not found: the Firestore emulator needs Java 11+")
        self.port = free_port()
        command = [gcloud, "emulators", "firestore", "start", f"--host-port={self.host}", "--quiet"]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the Firestore emulator exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"http://{self.host}/", timeout=1) as answer:
                    if answer.status == 200:
                        return self.host
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the Firestore emulator did not answer in {self.startup_seconds:.0f} s")

    def stop(self) -> None:
        """Stop the emulator's process group (gcloud, its wrapper script and the JVM):
        SIGTERM, a short grace, then SIGKILL for whatever of the group is left."""
        process, self.process = self.process, None
        if process is None:
            return
        group = process.pid
        for sig, grace in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(group, sig)
            except ProcessLookupError:
                break
            deadline = time.monotonic() + grace
            while time.monotonic() < deadline and _group_alive(group):
                process.poll()
                time.sleep(0.1)
        process.poll()


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


class GcsEmulator:
    """gcp-storage-emulator, in memory, in a thread of this process."""

    def __init__(self) -> None:
        self.port = 0
        self._server: Any = None

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:PORT`` for ``STORAGE_EMULATOR_HOST``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Serve on a free port; returns :attr:`endpoint`."""
        try:
            from gcp_storage_emulator.server import create_server
        except ImportError as error:
            raise RuntimeError(f"gcp-storage-emulator is not installed: {error}") from None
        self.port = free_port()
        self._server = create_server("127.0.0.1", self.port, in_memory=True)
        self._server.start()
        return self.endpoint

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop()
            self._server = None


_shared: dict[str, Any] = {}
_lock = threading.Lock()


def _shared_start(name: str, make: Any, env_var: str, value: Any) -> str:
    with _lock:
        if f"{name}-error" in _shared:
            raise RuntimeError(_shared[f"{name}-error"])
        if name not in _shared:
            emulator = make()
            try:
                emulator.start()
            except RuntimeError as error:
                _shared[f"{name}-error"] = str(error)
                raise
            atexit.register(emulator.stop)
            _shared[name] = emulator
            os.environ[env_var] = value(emulator)
        return str(value(_shared[name]))


def shared_firestore_host() -> str:
    """The process's Firestore emulator (started on first use, stopped at exit), with
    ``FIRESTORE_EMULATOR_HOST`` set; :class:`RuntimeError` with the reason if it can't."""
    return _shared_start(
        "firestore", FirestoreEmulator, "FIRESTORE_EMULATOR_HOST", lambda e: e.host
    )


def shared_gcs_endpoint() -> str:
    """The process's Cloud Storage emulator, with ``STORAGE_EMULATOR_HOST`` set."""
    return _shared_start("gcs", GcsEmulator, "STORAGE_EMULATOR_HOST", lambda e: e.endpoint)


def stop_shared() -> None:
    """Stop the process's emulators now (a test session's end calls this; ``atexit`` is
    only the fallback, since a test runner may leave without running exit handlers)."""
    with _lock:
        for name in ("firestore", "gcs"):
            emulator = _shared.pop(name, None)
            if emulator is not None:
                emulator.stop()
