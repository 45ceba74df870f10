"""A loopback stand-in for Lambda's ``Invoke`` API that runs the handler in-process.

Moto runs no Lambda code, so this is the one place a stand-in replaces a real call. The
real boto3 Lambda client talks to it (``AWS_ENDPOINT_URL_LAMBDA``), so signing,
serialisation and the 202 answer are exercised; an asynchronous invoke is queued and
:meth:`FakeLambdaServer.drain` hands each event to the handler, as Lambda would in a new
invocation.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote

from tests.support.aws.moto import ACCOUNT, REGION


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
                    try:
                        result = fake.handler(payload, fake.context(invocation.request_id))
                    except Exception as error:
                        failure = {"errorMessage": str(error), "errorType": type(error).__name__}
                        self._answer(200, failure, {"X-Amz-Function-Error": "Unhandled"})
                        return
                    self._answer(200, result, {"X-Amz-Executed-Version": "$LATEST"})

            def _answer(
                self, status: int, body: Any, headers: dict[str, str] | None = None
            ) -> None:
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
