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


# -- a whole coach deployment on stand-ins ----------------------------------------------------
@dataclass
class LocalAws:
    """What the Pulumi stack would create, made on moto server: a table, a bucket and SSM
    SecureString parameters, plus a fake Lambda Invoke endpoint for self-invokes."""

    endpoint: str
    fake_lambda: FakeLambdaServer
    name: str = field(default_factory=lambda: f"momentum-{uuid.uuid4().hex[:10]}")
    parameters: dict[str, str] = field(default_factory=dict)
    """``{SETTING: parameter name}`` of the secrets stored so far."""

    @property
    def table(self) -> str:
        """The table's name."""
        return self.name

    @property
    def bucket(self) -> str:
        """The bucket's name."""
        return self.name

    def client(self, service: str) -> Any:
        """A boto3 client on the stand-in (Lambda's is the fake Invoke endpoint)."""
        if service == "lambda":
            return boto_client(service, self.fake_lambda.endpoint)
        return boto_client(service, self.endpoint)

    def create(self) -> None:
        """Create the table (with TTL) and the bucket."""
        from adapters.aws.schema import create_table

        create_table(self.client("dynamodb"), self.table)
        self.client("s3").create_bucket(Bucket=self.bucket)

    def put_secrets(self, values: dict[str, str]) -> None:
        """Store ``{SETTING: value}`` as SecureString parameters under ``/<name>/``."""
        ssm = self.client("ssm")
        for setting, value in values.items():
            parameter = f"/{self.name}/{setting}"
            ssm.put_parameter(Name=parameter, Value=value, Type="SecureString", Overwrite=True)
            self.parameters[setting] = parameter

    def env(self) -> dict[str, str]:
        """The function's environment as the stack sets it, pointed at the stand-ins."""
        env = environment_for(self.endpoint, self.fake_lambda.endpoint)
        env.update(
            {
                "MOMENTUM_TABLE": self.table,
                "MOMENTUM_BUCKET": self.bucket,
                "AWS_LAMBDA_FUNCTION_NAME": self.fake_lambda.function_name,
            }
        )
        if self.parameters:
            env["MOMENTUM_SSM_PARAMETERS"] = ",".join(
                f"{setting}={name}" for setting, name in sorted(self.parameters.items())
            )
        return env

    def destroy(self) -> None:
        """Delete what :meth:`create` and :meth:`put_secrets` made."""
        from adapters.aws.s3_blobs import S3BlobStore

        s3 = self.client("s3")
        S3BlobStore(self.bucket, s3).delete_prefix("")
        s3.delete_bucket(Bucket=self.bucket)
        self.client("dynamodb").delete_table(TableName=self.table)
        if self.parameters:
            self.client("ssm").delete_parameters(Names=sorted(set(self.parameters.values())))


# -- event shapes as AWS sends them -----------------------------------------------------------
def function_url_event(
    method: str,
    path: str,
    *,
    body: bytes = b"",
    headers: dict[str, str] | None = None,
    query: str = "",
    base64_body: bool | None = None,
    domain: str = "abcdefghijklmnop.lambda-url.us-east-1.on.aws",
) -> dict[str, Any]:
    """A Function URL request in payload format 2.0, as Lambda delivers it: lower-case
    header names, ``rawQueryString`` plus ``queryStringParameters`` (repeated keys
    comma-joined), cookies apart, and the body base64-encoded unless it is UTF-8 text
    with a text content type (or as ``base64_body`` says)."""
    import base64
    from urllib.parse import parse_qsl

    lowered = {k.lower(): v for k, v in (headers or {}).items()}
    lowered.setdefault("host", domain)
    lowered.setdefault("user-agent", "Slackbot 1.0 (+https://api.slack.com/robots)")
    lowered.setdefault("x-forwarded-proto", "https")
    cookies = [c.strip() for c in lowered.pop("cookie", "").split(";") if c.strip()]
    if base64_body is None:
        text_types = ("text/", "application/json", "application/x-www-form-urlencoded")
        base64_body = not lowered.get("content-type", "text/plain").startswith(text_types)
    params: dict[str, str] = {}
    for key, value in parse_qsl(query, keep_blank_values=True):
        params[key] = f"{params[key]},{value}" if key in params else value
    now = time.time()
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": query,
        "headers": lowered,
        "requestContext": {
            "accountId": "anonymous",
            "apiId": domain.split(".")[0],
            "domainName": domain,
            "domainPrefix": domain.split(".")[0],
            "http": {
                "method": method,
                "path": path,
                "protocol": "HTTP/1.1",
                "sourceIp": "203.0.113.7",
                "userAgent": lowered["user-agent"],
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": "$default",
            "stage": "$default",
            "time": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "timeEpoch": int(now * 1000),
        },
        "isBase64Encoded": base64_body,
    }
    if cookies:
        event["cookies"] = cookies
    if params:
        event["queryStringParameters"] = params
    if body:
        event["body"] = base64.b64encode(body).decode() if base64_body else body.decode("utf-8")
    return event


def s3_object_created_event(bucket: str, key: str, size: int) -> dict[str, Any]:
    """An S3 ``ObjectCreated:Put`` notification (event version 2.1); the key arrives
    URL-encoded with ``+`` for spaces, as S3 sends it."""
    from urllib.parse import quote_plus

    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": REGION,
                "eventTime": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
                "eventName": "ObjectCreated:Put",
                "userIdentity": {"principalId": "AWS:AIDAEXAMPLE"},
                "requestParameters": {"sourceIPAddress": "203.0.113.7"},
                "responseElements": {"x-amz-request-id": "EXAMPLE", "x-amz-id-2": "EXAMPLE"},
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "configurationId": "momentum-uploads",
                    "bucket": {
                        "name": bucket,
                        "ownerIdentity": {"principalId": "EXAMPLE"},
                        "arn": f"arn:aws:s3:::{bucket}",
                    },
                    "object": {
                        "key": quote_plus(key, safe="/"),
                        "size": size,
                        "eTag": "0123456789abcdef0123456789abcdef",
                        "sequencer": "0A1B2C3D4E5F678901",
                    },
                },
            }
        ]
    }


def scheduler_input(job: str, athlete_id: str | None, scheduled_time: str) -> dict[str, Any]:
    """What EventBridge Scheduler delivers for one of the stack's schedules: the target's
    Input, with ``<aws.scheduler.scheduled-time>`` replaced by the scheduled instant."""
    from adapters.aws.events import tick_event

    return tick_event(job, athlete_id, scheduled_time)
