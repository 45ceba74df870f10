"""A fake Groq API on 127.0.0.1 that speaks the real OpenAI-compatible wire format.

Point the real groq SDK at it with ``base_url=server.url``: it answers
``POST /openai/v1/chat/completions`` with chat completions (content, ``tool_calls``,
``usage``) and the ``x-ratelimit-*`` headers Groq sends, or with scripted failures (a 429
with ``retry-after``, a 500, a slow answer that trips the client's timeout). Every request
is recorded so tests can read the prompt and the tools that were offered.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

PATH = "/openai/v1/chat/completions"
API_KEY = "gsk_test_fake_key_0123456789"


@dataclass
class Reply:
    """One scripted answer. ``status`` ≠ 200 sends an error body instead of a completion."""

    content: str = ""
    tool_calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    usage: tuple[int, int] | None = None
    for_model: str | None = None
    """Only answer requests for this model id (``None`` = any)."""
    remaining_tokens: int = 249_000
    remaining_requests: int = 14_399


@dataclass
class Recorded:
    """A request the server received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def model(self) -> str:
        """The model the client asked for."""
        return str(self.body.get("model", ""))

    def text(self) -> str:
        """Every message's content joined (system first)."""
        return "\n".join(str(m.get("content") or "") for m in self.body.get("messages", []))

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools offered."""
        return [t["function"]["name"] for t in self.body.get("tools", [])]


class FakeGroq:
    """The server. Script with :meth:`push`; the default answer is ``default(body)``."""

    def __init__(self, api_key: str = API_KEY) -> None:
        self.api_key = api_key
        self.requests: list[Recorded] = []
        self.script: list[Reply] = []
        self.default: Callable[[dict[str, Any]], Reply] = lambda body: Reply("Nice work.")
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting --------------------------------------------------------------------
    def push(self, *replies: Reply) -> FakeGroq:
        """Queue replies, answered in order (per model when ``for_model`` is set)."""
        with self._lock:
            self.script.extend(replies)
        return self

    def rate_limited(self, retry_after: str = "7", *, for_model: str | None = None) -> Reply:
        """A 429 as Groq sends it."""
        return Reply(
            status=429,
            headers={
                "retry-after": retry_after,
                "x-ratelimit-remaining-requests": "0",
                "x-ratelimit-reset-requests": f"{retry_after}s",
            },
            for_model=for_model,
        )

    # -- lifecycle ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The base URL to give the SDK."""
        assert self._server is not None, "server not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeGroq:
        """Serve on a free port in a daemon thread."""
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                fake._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGroq:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- the wire ---------------------------------------------------------------------
    def _next(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            for index, reply in enumerate(self.script):
                if reply.for_model in (None, body.get("model")):
                    return self.script.pop(index)
        return self.default(body)

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, payload: Any, headers: dict[str, str]
    ) -> None:
        data = json.dumps(payload).encode()
        try:
            handler.send_response(status)
            handler.send_header("content-type", "application/json")
            handler.send_header("content-length", str(len(data)))
            for key, value in headers.items():
                handler.send_header(key, value)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout test)

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(handler, 400, _error("invalid JSON body", "invalid_request_error"), {})
            return
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Recorded(handler.path, headers, body))
        if handler.path != PATH:
            self._send(handler, 404, _error(f"unknown path {handler.path}", "not_found"), {})
            return
        if headers.get("authorization") != f"Bearer {self.api_key}":
            self._send(handler, 401, _error("Invalid API Key", "invalid_api_key"), {})
            return
        reply = self._next(body)
        if reply.delay:
            time.sleep(reply.delay)
        limits = {
            "x-ratelimit-limit-requests": "14400",
            "x-ratelimit-limit-tokens": "250000",
            "x-ratelimit-remaining-requests": str(reply.remaining_requests),
            "x-ratelimit-remaining-tokens": str(reply.remaining_tokens),
            "x-ratelimit-reset-requests": "6s",
            "x-ratelimit-reset-tokens": "7.66s",
            "x-request-id": f"req_{next(self._ids):08d}",
        }
        if reply.status != 200:
            kind = "rate_limit_exceeded" if reply.status == 429 else "internal_server_error"
            message = "Rate limit reached" if reply.status == 429 else "Internal Server Error"
            self._send(handler, reply.status, _error(message, kind), {**limits, **reply.headers})
            return
        self._send(handler, 200, self._completion(body, reply), {**limits, **reply.headers})

    def _completion(self, body: dict[str, Any], reply: Reply) -> dict[str, Any]:
        n = next(self._ids)
        prompt_chars = sum(len(str(m.get("content") or "")) for m in body.get("messages", []))
        tokens_in, tokens_out = reply.usage or (
            max(1, prompt_chars // 4),
            max(1, len(reply.content) // 4 + 20 * len(reply.tool_calls)),
        )
        calls = [
            {
                "id": f"call_{n}_{i}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args)},
            }
            for i, (name, args) in enumerate(reply.tool_calls)
        ]
        message: dict[str, Any] = {"role": "assistant", "content": reply.content or None}
        if calls:
            message["tool_calls"] = calls
        return {
            "id": f"chatcmpl-{n:06d}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model", ""),
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": "tool_calls" if calls else "stop",
                }
            ],
            "usage": {
                "queue_time": 0.01,
                "prompt_tokens": tokens_in,
                "prompt_time": 0.002,
                "completion_tokens": tokens_out,
                "completion_time": 0.05,
                "total_tokens": tokens_in + tokens_out,
                "total_time": 0.052,
            },
            "system_fingerprint": "fp_fake",
            "x_groq": {"id": f"req_{n:08d}"},
        }


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "code": code}}
