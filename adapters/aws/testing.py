"""Local stand-ins for testing a coach on AWS without an account, shipped for users' tests.

- :class:`MotoServer` runs ``moto_server`` (from ``moto[server]``) on a free loopback port;
  point boto3 at it with ``AWS_ENDPOINT_URL`` (see :func:`aws_environment`). DynamoDB, S3,
  SSM and Secrets Manager then behave like the real services, on the real wire protocol.
- :class:`FakeLambdaServer` answers Lambda's ``Invoke`` API on loopback. Moto runs no
  Lambda code, so this is the one stand-in for a real call: an asynchronous invoke
  (``InvocationType="Event"``) is queued, and :meth:`FakeLambdaServer.drain` hands each
  event to the handler in-process, as Lambda would in a new invocation. The real boto3
  Lambda client talks to it (``AWS_ENDPOINT_URL_LAMBDA``), so request signing,
  serialisation and the 202 answer are all exercised.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

REGION = "us-east-1"
ACCOUNT = "123456789012"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


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


class MotoServer:
    """``moto_server`` as a subprocess on 127.0.0.1. Use as a context manager; ``endpoint``
    is its URL. Raises :class:`RuntimeError` (with the reason) if it can't start."""

    def __init__(self, executable: str | None = None, startup_seconds: float = 20.0) -> None:
        self.executable = executable or find_moto_server()
        self.startup_seconds = startup_seconds
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

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
            [self.executable, "-H", "127.0.0.1", "-p", str(self.port)],
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


@dataclass
class LambdaContext:
    """The parts of Lambda's context object a handler reads."""

    function_name: str = "momentum"
    aws_request_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    memory_limit_in_mb: int = 512
    timeout_ms: int = 120_000
    invoked_function_arn: str = ""

    def __post_init__(self) -> None:
        if not self.invoked_function_arn:
            self.invoked_function_arn = (
                f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{self.function_name}"
            )

    def get_remaining_time_in_millis(self) -> int:
        """What Lambda would report (a constant here)."""
        return self.timeout_ms


@dataclass
class Invocation:
    """One Invoke request the fake received."""

    function_name: str
    invocation_type: str
    payload: Any
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))


Handler = Callable[[Any, Any], Any]


class FakeLambdaServer:
    """Lambda's ``Invoke`` API on loopback, running ``handler`` in-process.

    ``Event`` invokes answer 202 and queue; :meth:`drain` runs them (retrying a failed one
    up to ``max_retries`` times with the same request id, as Lambda does). ``RequestResponse``
    runs at once and returns the handler's JSON. Only ``function_name`` (name or ARN) is
    accepted; anything else gets Lambda's 404.
    """

    def __init__(self, handler: Handler, function_name: str = "momentum", max_retries: int = 2):
        self.handler = handler
        self.function_name = function_name
        self.max_retries = max_retries
        self.received: list[Invocation] = []
        self.queue: list[Invocation] = []
        self.failures: list[tuple[Invocation, BaseException]] = []
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def endpoint(self) -> str:
        """The base URL to give boto3 (``AWS_ENDPOINT_URL_LAMBDA``)."""
        assert self._server is not None, "start() first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def context(self, request_id: str | None = None) -> LambdaContext:
        """A context for this function."""
        return LambdaContext(self.function_name, aws_request_id=request_id or str(uuid.uuid4()))

    def _accepts(self, name: str) -> bool:
        return name == self.function_name or name.endswith(f":function:{self.function_name}")

    def start(self) -> str:
        """Serve on a free port; returns the endpoint."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                return

            def do_POST(self) -> None:
                parts = self.path.split("?")[0].split("/")
                # /2015-03-31/functions/<name>/invocations
                if len(parts) != 5 or parts[2] != "functions" or parts[4] != "invocations":
                    self._answer(404, {"Type": "User", "message": "unknown path"})
                    return
                name = unquote(parts[3])
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                kind = self.headers.get("X-Amz-Invocation-Type", "RequestResponse")
                if not fake._accepts(name):
                    self._answer(
                        404,
                        {"Type": "User", "message": f"Function not found: {name}"},
                        {"x-amzn-ErrorType": "ResourceNotFoundException"},
                    )
                    return
                payload = json.loads(body or b"{}")
                invocation = Invocation(name, kind, payload)
                with fake._lock:
                    fake.received.append(invocation)
                if kind == "Event":
                    with fake._lock:
                        fake.queue.append(invocation)
                    self._answer(202, None)
                elif kind == "DryRun":
                    self._answer(204, None)
                else:
                    result = fake.handler(payload, fake.context(invocation.request_id))
                    self._answer(200, result, {"X-Amz-Executed-Version": "$LATEST"})

            def _answer(self, status: int, body: Any, headers: dict[str, str] | None = None):
                data = b"" if body is None else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self.endpoint

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def drain(self, limit: int = 100) -> int:
        """Run queued asynchronous invocations (and any they queue) in order; returns how
        many ran. A handler exception is retried like Lambda's asynchronous retries."""
        ran = 0
        while ran < limit:
            with self._lock:
                if not self.queue:
                    return ran
                invocation = self.queue.pop(0)
            self._run_async(invocation)
            ran += 1
        raise RuntimeError(f"more than {limit} asynchronous invocations: a self-invoke loop?")

    def _run_async(self, invocation: Invocation) -> None:
        for attempt in range(self.max_retries + 1):
            try:
                self.handler(invocation.payload, self.context(invocation.request_id))
                return
            except Exception as error:
                if attempt == self.max_retries:
                    self.failures.append((invocation, error))

    def redeliver(self, invocation: Invocation) -> None:
        """Queue ``invocation`` again, as Lambda's at-least-once delivery occasionally does
        (same request id)."""
        with self._lock:
            self.queue.append(invocation)

    def __enter__(self) -> FakeLambdaServer:
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
