"""Cloudflare's local stand-in for tests: real D1, R2 and Queues under ``wrangler dev
--local`` (workerd + Miniflare), reached from CPython through a small test-only bridge
worker (``bridge.js`` beside this file).

Python Workers themselves cannot start offline (workerd downloads the Pyodide bundle), so
the bridge is JavaScript. :func:`shared_wrangler` starts it once per Python process: it
writes a wrangler config into a temporary folder, applies the D1 migrations with
``wrangler d1 migrations apply --local`` (the generated files, so they are exercised by
the real tool), then runs ``wrangler dev`` on free loopback ports. wrangler comes from
npm (``scripts/dev.py`` installs it into ``.tools/node``); when it is missing the
functions raise RuntimeError saying so, and the tests skip with that reason.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from momentum.adapters.cloudflare.d1_http import HttpRunner
from momentum.adapters.outbound.httpx_seam import HttpxTransport
from momentum.core.ports.transport import HttpReply, Transport
from momentum.testing import free_port, node_tool

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
MIGRATIONS = HERE.parent / "migrations"
STARTUP_SECONDS = 90.0
DATABASE = "momentum"
ACCOUNT = "local"
QUEUE = "momentum-deferred"


@dataclass(frozen=True)
class LocalCloudflare:
    """A running bridge: its loopback URL and the token every request carries."""

    url: str
    token: str
    folder: Path

    def runner(self) -> HttpRunner:
        """A D1 HTTP runner on the local database (a new client each call)."""
        return HttpRunner(
            ACCOUNT, DATABASE, self.token, api=self.url, transport=ResendOnRestart(HttpxTransport())
        )

    def call(self, method: str, path: str, body: bytes = b"", **headers: str) -> Any:
        """One request to the bridge (``path`` from the root); the reply."""
        import httpx

        headers = {"authorization": f"Bearer {self.token}", **headers}
        for _ in range(RESENDS):
            reply = httpx.request(method, self.url + path, content=body or None, headers=headers)
            if not _restarted(reply.status_code, reply.content):
                return reply
            time.sleep(0.2)
        return reply


RESENDS = 25
"""How often a request that met a worker reload is sent again (0.2 s apart)."""


def _restarted(status: int, body: bytes) -> bool:
    """wrangler's proxy answered that the worker reloaded before the request reached it.

    The request never ran, so sending it again is safe (wrangler itself resends GETs;
    other methods get this 503 with ``Retry-After: 0``)."""
    return status == 503 and body.startswith(b"Your worker restarted mid-request")


class ResendOnRestart:
    """A transport that sends a request again when wrangler's proxy says the worker
    reloaded before the request reached it (see :func:`_restarted`)."""

    def __init__(self, inner: Transport) -> None:
        self.inner = inner

    def request(
        self,
        method: str,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
        timeout: float = 30.0,
    ) -> HttpReply:
        """Send through ``inner``; resend while the answer is the reload 503."""
        for _ in range(RESENDS):
            reply = self.inner.request(method, url, headers=headers, body=body, timeout=timeout)
            if not _restarted(reply.status, reply.body):
                return reply
            time.sleep(0.2)
        return reply


def wrangler_binary() -> str | None:
    """The ``wrangler`` command: .tools/node, then ``PATH``."""
    return node_tool("wrangler")


def config(token: str) -> dict[str, Any]:
    """The bridge's wrangler config (JSON): local D1 with the generated migrations, an R2
    bucket, and a queue the bridge both produces to and consumes."""
    return {
        "name": "momentum-test-bridge",
        "main": str(HERE / "bridge.js"),
        "compatibility_date": "2025-01-01",
        "d1_databases": [
            {
                "binding": "DB",
                "database_name": DATABASE,
                "database_id": "00000000-0000-4000-8000-000000000000",
                "migrations_dir": str(MIGRATIONS),
            }
        ],
        "r2_buckets": [{"binding": "BUCKET", "bucket_name": "momentum"}],
        "queues": {
            "producers": [{"binding": "QUEUE", "queue": QUEUE}],
            "consumers": [{"queue": QUEUE, "max_batch_size": 10, "max_batch_timeout": 1}],
        },
        "vars": {"BRIDGE_TOKEN": token},
    }


def _env(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        CI="true",
        WRANGLER_SEND_METRICS="false",
        XDG_CONFIG_HOME=str(folder / "config"),
        WRANGLER_LOG_PATH=str(folder / "logs"),
        # Each bridge alone: its own dev registry, and no fetch of the Request.cf object
        # from the internet (offline it fails after a timeout and the worker reloads).
        WRANGLER_REGISTRY_PATH=str(folder / "registry"),
        CLOUDFLARE_CF_FETCH_ENABLED="false",
    )
    return env


_lock = threading.Lock()
_shared: LocalCloudflare | None = None
_failed = ""


def shared_wrangler() -> LocalCloudflare:
    """Start the bridge once for this process (stopped at exit) and return it."""
    global _shared, _failed
    with _lock:
        if _shared is not None:
            return _shared
        if _failed:
            raise RuntimeError(_failed)
        try:
            _shared = _start()
        except RuntimeError as error:
            _failed = str(error)
            raise
        return _shared


def _start() -> LocalCloudflare:
    binary = wrangler_binary()
    if binary is None or shutil.which("node") is None:
        raise RuntimeError(
            "wrangler is not installed (python3 scripts/dev.py test installs it from npm)"
        )
    folder = Path(tempfile.mkdtemp(prefix="wrangler-"))
    token = secrets.token_hex(16)
    (folder / "wrangler.json").write_text(json.dumps(config(token), indent=2))
    env = _env(folder)
    state = str(folder / "state")
    applied = subprocess.run(
        [binary, "d1", "migrations", "apply", DATABASE, "--local", "--persist-to", state],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=STARTUP_SECONDS,
    )
    if applied.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"wrangler d1 migrations apply failed: {applied.stdout[-400:]}")
    port, inspector = free_port(), free_port()
    args = [binary, "dev", "--local", "--ip", "127.0.0.1", "--port", str(port)]
    args += [
        "--inspector-port",
        str(inspector),
        "--persist-to",
        state,
        "--show-interactive-dev-session=false",
    ]
    log = open(folder / "wrangler.log", "wb")  # noqa: SIM115 (lives with the process)
    process = subprocess.Popen(
        args, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    atexit.register(_stop, process, folder)
    local = LocalCloudflare(f"http://127.0.0.1:{port}", token, folder)
    try:
        _wait(local, process)
    except RuntimeError as error:
        _stop(process, None)
        output = (folder / "wrangler.log").read_text(errors="replace").strip()
        shutil.rmtree(folder, ignore_errors=True)
        raise RuntimeError(f"{error}: {output[-400:]}") from None
    return local


def _wait(local: LocalCloudflare, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    runner = local.runner()
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"wrangler dev exited with code {process.returncode}")
        try:
            runner.all(runner.prepare("SELECT 1 AS one"))
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError("wrangler dev did not answer within 90 s") from None
            time.sleep(0.25)


def _stop(process: subprocess.Popen[bytes], folder: Path | None) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def empty_d1(local: LocalCloudflare) -> None:
    """Delete every row of every Momentum table (each test starts on an empty store; the
    schema and wrangler's migration record stay)."""
    runner = local.runner()
    tables = [
        row["name"]
        for row in runner.all(
            runner.prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '_cf_%' AND name != 'd1_migrations'"
            )
        )
    ]
    runner.batch([runner.prepare(f'DELETE FROM "{table}"') for table in tables])


class BridgeBucket:
    """:class:`~momentum.adapters.cloudflare.r2_blob.Bucket` on the local R2 binding,
    through the bridge (the same binding calls a Worker makes)."""

    def __init__(self, local: LocalCloudflare) -> None:
        self.local = local

    @staticmethod
    def _path(key: str) -> str:
        from urllib.parse import quote

        return "/r2/object/" + quote(key, safe="")

    def get(self, key: str) -> bytes | None:
        reply = self.local.call("GET", self._path(key))
        if reply.status_code == 404:
            return None
        reply.raise_for_status()
        return bytes(reply.content)

    def put(self, key: str, data: bytes, content_type: str, *, if_absent: bool = False) -> None:
        from momentum.adapters.cloudflare.r2_blob import PreconditionFailed

        headers = {"content-type": content_type}
        if if_absent:
            headers["if-none-match"] = "*"
        reply = self.local.call("PUT", self._path(key), data, **headers)
        if reply.status_code == 412:
            raise PreconditionFailed(key)
        reply.raise_for_status()

    def delete(self, key: str) -> None:
        self.local.call("DELETE", self._path(key)).raise_for_status()

    def list(self, prefix: str, cursor: str) -> tuple[list[str], str]:
        from urllib.parse import urlencode

        reply = self.local.call(
            "GET", "/r2/list?" + urlencode({"prefix": prefix, "cursor": cursor})
        )
        reply.raise_for_status()
        listed = reply.json()
        return [str(k) for k in listed["keys"]], str(listed["cursor"] or "")


def empty_r2(local: LocalCloudflare) -> None:
    """Delete every object in the local bucket."""
    bucket = BridgeBucket(local)
    cursor = ""
    while True:
        keys, cursor = bucket.list("", cursor)
        for key in keys:
            bucket.delete(key)
        if not cursor:
            return


class BridgeProducer:
    """:class:`~momentum.adapters.cloudflare.queue_deferral.Producer` on the local queue
    binding, through the bridge."""

    def __init__(self, local: LocalCloudflare) -> None:
        self.local = local

    def send(self, body: str, delay_seconds: int = 0) -> None:
        payload = json.dumps({"body": body, "delaySeconds": delay_seconds}).encode()
        reply = self.local.call(
            "POST", "/queue/send", payload, **{"content-type": "application/json"}
        )
        reply.raise_for_status()


@dataclass(frozen=True)
class Delivered:
    """A message the local queue handed its consumer: id, body and attempt number."""

    id: str
    body: str
    attempts: int


_seen: dict[str, int] = {}
"""How many messages each bridge's consumer has handed out so far (by bridge URL)."""


def received(local: LocalCloudflare, *, settle: float = 5.0) -> list[Delivered]:
    """What the queue's consumer was handed since the last call, once every message sent
    so far has arrived (or ``settle`` seconds passed: a delayed message is still waiting)."""
    deadline = time.monotonic() + settle
    handed: list[Delivered] = []
    while True:
        reply = local.call("GET", "/queue/received")
        reply.raise_for_status()
        answer = reply.json()
        batch = [Delivered(str(m["id"]), m["body"], int(m["attempts"])) for m in answer["messages"]]
        handed += batch
        _seen[local.url] = _seen.get(local.url, 0) + len(batch)
        if _seen[local.url] >= int(answer["sent"]) or time.monotonic() > deadline:
            return handed
        time.sleep(0.1)
