"""moto server on loopback, and boto3 clients pointed at it.

:class:`MotoServer` runs moto's server app as a subprocess on a free 127.0.0.1 port; point
boto3 at it with ``AWS_ENDPOINT_URL`` (see :func:`aws_environment`). DynamoDB, S3, SSM and
Secrets Manager then answer on the real wire protocol.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from momentum.testing import free_port

REGION = "us-east-1"
ACCOUNT = "123456789012"


def find_moto_server() -> str | None:
    """The ``moto_server`` executable beside this Python, or on ``PATH``."""
    beside = Path(sys.executable).parent / "moto_server"
    if beside.exists():
        return str(beside)
    return shutil.which("moto_server")


def aws_environment(endpoint: str) -> dict[str, str]:
    """Environment that points boto3 at a stand-in with dummy credentials."""
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
    }


SERIAL_LAUNCHER = """
import os, sys
from werkzeug.serving import run_simple
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication, MotoRequestHandler, create_backend_app,
)
host, port = sys.argv[1], int(sys.argv[2])
os.environ.setdefault("MOTO_PORT", str(port))
app = DomainDispatcherApplication(create_backend_app)
run_simple(host, port, app, threaded=False, request_handler=MotoRequestHandler)
"""
"""moto_server's own app, serving one request at a time (see :class:`MotoServer`)."""


class MotoServer:
    """``moto_server`` as a subprocess on 127.0.0.1. Use as a context manager; ``endpoint``
    is its URL. Raises :class:`RuntimeError` (with the reason) if it can't start.

    ``serialize_requests`` (the default) runs moto_server's own WSGI app with one request
    at a time. moto's threaded server checks a DynamoDB ``ConditionExpression`` and writes
    without a lock, so two concurrent conditional writes can both win there, which real
    DynamoDB never allows (conditional writes are atomic per item). Serialising requests
    restores that guarantee, so concurrency tests test the adapter, not moto's races.
    """

    def __init__(
        self,
        executable: str | None = None,
        startup_seconds: float = 20.0,
        *,
        serialize_requests: bool = True,
    ) -> None:
        self.executable = executable or find_moto_server()
        self.startup_seconds = startup_seconds
        self.serialize_requests = serialize_requests
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def command(self) -> list[str]:
        """The subprocess command line for the chosen port."""
        assert self.executable
        if self.serialize_requests:
            python = Path(self.executable).parent / "python"
            interpreter = str(python) if python.exists() else sys.executable
            return [interpreter, "-c", SERIAL_LAUNCHER, "127.0.0.1", str(self.port)]
        return [self.executable, "-H", "127.0.0.1", "-p", str(self.port)]

    @property
    def endpoint(self) -> str:
        """``http://127.0.0.1:<port>``."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> str:
        """Start it and wait until it answers; returns the endpoint."""
        if not self.executable:
            raise RuntimeError("moto_server not found: install moto[server]")
        self.port = free_port()
        self.process = subprocess.Popen(
            self.command(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + self.startup_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto_server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return self.endpoint
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer within {self.startup_seconds:.0f} s")

    def stop(self) -> None:
        """Stop the subprocess (the one this object started)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self.process = None

    def __enter__(self) -> MotoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def environment_for(moto_endpoint: str, lambda_endpoint: str | None = None) -> dict[str, str]:
    """:func:`aws_environment` plus, optionally, the Lambda endpoint of a fake."""
    env = aws_environment(moto_endpoint)
    if lambda_endpoint:
        env["AWS_ENDPOINT_URL_LAMBDA"] = lambda_endpoint
    return env


def apply_environment(env: dict[str, str]) -> dict[str, str | None]:
    """Set ``env`` in ``os.environ``; returns the previous values for
    :func:`restore_environment` (for benchmarks; tests use monkeypatch)."""
    previous = {key: os.environ.get(key) for key in env}
    os.environ.update(env)
    return previous


def restore_environment(previous: dict[str, str | None]) -> None:
    """Undo :func:`apply_environment`."""
    for key, value in previous.items():
        if value is None:
            os.environ.pop(key, None)
        else:
            os.environ[key] = value


# -- one moto server per process ---------------------------------------------------------------
_shared: dict[str, Any] = {}
_shared_lock = threading.Lock()


def shared_moto_endpoint() -> str:
    """A moto server started on first use and stopped when the process exits. Raises
    :class:`RuntimeError` with the reason if it can't start (and on every later call)."""
    import atexit

    with _shared_lock:
        if "error" in _shared:
            raise RuntimeError(_shared["error"])
        if "server" not in _shared:
            server = MotoServer()
            try:
                server.start()
            except RuntimeError as error:
                _shared["error"] = str(error)
                raise
            atexit.register(server.stop)
            _shared["server"] = server
        endpoint: str = _shared["server"].endpoint
        return endpoint


def boto_client(service: str, endpoint: str) -> Any:
    """A real boto3 client on a stand-in, with dummy credentials, from one shared session
    (so service models load once per process)."""
    import boto3

    with _shared_lock:
        session = _shared.get("session")
        if session is None:
            session = boto3.session.Session(
                aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION
            )
            _shared["session"] = session
        return session.client(service, endpoint_url=endpoint)


def cached_client(service: str, endpoint: str) -> Any:
    """One shared client per service and endpoint (creating clients is the slow part)."""
    key = f"client:{service}@{endpoint}"
    with _shared_lock:
        found = _shared.get(key)
    if found is None:
        found = boto_client(service, endpoint)
        with _shared_lock:
            _shared.setdefault(key, found)
    return _shared[key]
