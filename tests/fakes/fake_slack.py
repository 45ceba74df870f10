"""A fake Slack on 127.0.0.1 that speaks Slack's real wire formats.

- The Web API (``/api/<method>``): ``auth.test``, ``chat.postMessage``, ``chat.update``,
  ``chat.postEphemeral``, ``conversations.open``, ``apps.connections.open``. Bodies are
  JSON or form-encoded like Slack accepts, tokens are checked, errors come back as
  ``{"ok": false, "error": ...}`` (or HTTP 429 with ``Retry-After``), so the real
  slack_sdk ``WebClient(base_url=fake.api_url)`` talks to it unchanged.
- Socket Mode: ``apps.connections.open`` hands out a ``ws://`` URL served here (RFC 6455
  framing, hello, ping/pong, envelope acks), so slack_bolt's ``SocketModeHandler`` runs
  against it.
- Helpers to build what Slack sends to an app (event callbacks, slash commands, block
  actions) and to sign it with the v0 HMAC scheme, written independently of slack_sdk so
  the adapter's verifier is checked against a second implementation.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import itertools
import json
import queue
import socket
import struct
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from momentum.core.model import Message, MessageKind, Role

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"
SIGNING_SECRET = "fake-signing-secret"
TEAM_ID = "T0FAKE"
APP_ID = "A0FAKE"
BOT_USER_ID = "U0BOT"
BOT_ID = "B0BOT"
_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_BLOCK_TYPES = {"section", "context", "header", "actions", "divider", "image", "rich_text"}


@dataclass
class FakeMessage:
    """A message as Slack holds it; ``history`` keeps the texts it was updated from."""

    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    thread_ts: str = ""
    history: list[str] = field(default_factory=list)
    unfurl_links: bool | None = None
    """``chat.postMessage``'s ``unfurl_links`` as sent (``None``: not sent, Slack's default)."""
    unfurl_media: bool | None = None


class SlackApiFailure:
    """An injected failure for the next call of one method."""

    def __init__(self, error: str = "fatal_error", status: int = 200, retry_after: int = 0):
        self.error = error
        self.status = status
        self.retry_after = retry_after


class FakeSlack:
    """The fake server. Use as a context manager; read ``messages``, ``calls``."""

    def __init__(self, *, latency: float = 0.0) -> None:
        self.latency = latency
        self.messages: list[FakeMessage] = []
        self.ephemerals: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._failures: dict[str, list[SlackApiFailure]] = {}
        self._ts = itertools.count(1)
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._sockets: list[_WsPeer] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    @property
    def api_url(self) -> str:
        """Give this to ``WebClient(base_url=...)`` / ``SlackSettings.base_url``."""
        return f"http://127.0.0.1:{self.port}/api/"

    def start(self) -> FakeSlack:
        """Serve on a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close sockets and stop serving."""
        for peer in list(self._sockets):
            peer.close()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- test controls ------------------------------------------------------------------
    def fail_next(self, method: str, failure: SlackApiFailure | None = None) -> None:
        """Make the next call of ``method`` fail (default: ``fatal_error``)."""
        with self._lock:
            self._failures.setdefault(method, []).append(failure or SlackApiFailure())

    def calls_of(self, method: str) -> list[dict[str, Any]]:
        """The parameters of every call of ``method`` so far."""
        with self._lock:
            return [params for name, params in self.calls if name == method]

    def in_channel(self, channel: str) -> list[FakeMessage]:
        """Messages currently in ``channel``, oldest first."""
        with self._lock:
            return [m for m in self.messages if m.channel == channel]

    def wait_for(self, predicate: Any, timeout: float = 5.0) -> bool:
        """Wait until ``predicate(self)`` is true (re-checked on every API call)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not predicate(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(min(left, 0.05))
        return True

    @staticmethod
    def dm_channel(user_id: str) -> str:
        """The DM channel id the fake gives the conversation with ``user_id``."""
        return f"D{user_id}"

    # -- Web API ------------------------------------------------------------------------
    def handle_api(self, method: str, token: str, params: dict[str, Any]) -> tuple[int, dict]:
        """Answer one Web API call like Slack: ``(status, json body)``."""
        if self.latency:
            time.sleep(self.latency)
        with self._changed:
            self.calls.append((method, params))
            self._changed.notify_all()
            queued = self._failures.get(method)
            failure = queued.pop(0) if queued else None
        if failure is not None:
            return failure.status, {"ok": False, "error": failure.error}
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return 200, {"ok": False, "error": "invalid_auth"}
            return 200, {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=t1"}
        if not token:
            return 200, {"ok": False, "error": "not_authed"}
        if token != BOT_TOKEN:
            return 200, {"ok": False, "error": "invalid_auth"}
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}
        with self._changed:
            result = handler(params)
            self._changed.notify_all()
        return 200, result

    def _api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "ok": True,
            "url": "https://fake.slack.com/",
            "team": "Fake Team",
            "user": "momentum",
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _next_ts(self) -> str:
        n = next(self._ts)
        return f"{1772500000 + n}.{n:06d}"

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = str(params.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        blocks = params.get("blocks") or []
        if not params.get("text") and not blocks:
            return {"ok": False, "error": "no_text"}
        problem = check_blocks(blocks)
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        ts = self._next_ts()
        message = FakeMessage(
            channel,
            ts,
            str(params.get("text") or ""),
            blocks,
            str(params.get("thread_ts") or ""),
            unfurl_links=_flag(params.get("unfurl_links")),
            unfurl_media=_flag(params.get("unfurl_media")),
        )
        self.messages.append(message)
        return {"ok": True, "channel": channel, "ts": ts, "message": _wire(message)}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                blocks = params.get("blocks")
                problem = check_blocks(blocks or [])
                if problem:
                    return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
                message.history.append(message.text)
                message.text = str(params.get("text") or "")
                if blocks is not None:
                    message.blocks = blocks
                return {"ok": True, "channel": channel, "ts": ts, "text": message.text}
        return {"ok": False, "error": "message_not_found"}

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not params.get("user"):
            return {"ok": False, "error": "channel_not_found"}
        self.ephemerals.append(params)
        return {"ok": True, "message_ts": self._next_ts()}

    def _api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        users = str(params.get("users") or "")
        if not users or "," in users:
            return {"ok": False, "error": "users_list_not_supplied"}
        return {"ok": True, "channel": {"id": self.dm_channel(users)}}

    # -- Socket Mode ----------------------------------------------------------------------
    def socket_connected(self, timeout: float = 5.0) -> bool:
        """Wait until an app holds a Socket Mode connection."""
        return self.wait_for(lambda fake: any(p.open for p in fake._sockets), timeout)

    def send_envelope(self, kind: str, payload: dict[str, Any], *, retry_attempt: int = 0) -> str:
        """Push an envelope (``events_api``, ``slash_commands``, ``interactive``) to the
        connected app; returns its ``envelope_id``."""
        envelope_id = f"env-{next(self._ts)}"
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        with self._lock:
            peers = [p for p in self._sockets if p.open]
        if not peers:
            raise RuntimeError("no Socket Mode connection")
        peers[-1].send_text(json.dumps(envelope))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> dict[str, Any] | None:
        """The app's ack for an envelope, or ``None`` if it never came."""
        if self.wait_for(lambda fake: envelope_id in fake._acks, timeout):
            with self._lock:
                return self._acks[envelope_id]
        return None

    def _socket_ack(self, message: dict[str, Any]) -> None:
        with self._changed:
            self._acks[str(message.get("envelope_id"))] = message
            self._changed.notify_all()


def _wire(message: FakeMessage) -> dict[str, Any]:
    return {
        "type": "message",
        "text": message.text,
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "ts": message.ts,
        "blocks": message.blocks,
    }


def check_blocks(blocks: Any) -> str:
    """Slack's main Block Kit limits; returns what is wrong, or ``""``."""
    if not isinstance(blocks, list):
        return "blocks must be an array"
    if len(blocks) > 50:
        return "no more than 50 blocks"
    for i, block in enumerate(blocks):
        if not isinstance(block, dict) or block.get("type") not in _BLOCK_TYPES:
            return f"blocks[{i}] has an unknown type"
        text = block.get("text") or {}
        if block["type"] == "section":
            if not text.get("text") and not block.get("fields"):
                return f"blocks[{i}] section needs text or fields"
            if len(text.get("text", "")) > 3000:
                return f"blocks[{i}].text is longer than 3000 characters"
        if block["type"] == "header" and (
            text.get("type") != "plain_text" or len(text.get("text", "")) > 150
        ):
            return f"blocks[{i}] header must be plain_text of at most 150 characters"
        accessory = block.get("accessory")
        elements = block.get("elements", []) if block["type"] == "actions" else []
        for element in ([accessory] if accessory else []) + elements:
            problem = _check_element(element)
            if problem:
                return f"blocks[{i}]: {problem}"
    return ""


def _check_element(element: dict[str, Any]) -> str:
    if not element.get("action_id") or len(element["action_id"]) > 255:
        return "interactive element needs an action_id of at most 255 characters"
    if element.get("type") == "button":
        if len(element.get("text", {}).get("text", "")) > 75:
            return "button text longer than 75 characters"
    elif element.get("type") == "overflow":
        options = element.get("options", [])
        if not 1 <= len(options) <= 5:
            return "overflow needs 1 to 5 options"
        if any(len(o.get("value", "")) > 150 for o in options):
            return "option value longer than 150 characters"
    else:
        return f"unsupported element {element.get('type')!r}"
    return ""


# -- HTTP plumbing -------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    """A threaded server with a listen queue deep enough for bursts (the default is 5,
    after which connections are dropped and retried a second later)."""

    daemon_threads = True
    request_queue_size = 128


def _handler_for(fake: FakeSlack) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_POST(self) -> None:
            path = urlsplit(self.path).path
            if not path.startswith("/api/"):
                self._reply(404, {"ok": False, "error": "unknown_method"})
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode("utf-8")
            params = _parse_params(raw, self.headers.get("Content-Type", ""))
            query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
            params = {**query, **params}
            auth = self.headers.get("Authorization", "")
            token = auth.removeprefix("Bearer ").strip() or str(params.pop("token", ""))
            status, body = fake.handle_api(path.removeprefix("/api/"), token, params)
            self._reply(status, body)

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            if path.startswith("/link"):
                self._websocket()
                return
            if path == "/_fake/messages":  # for load tests running the fake in a process
                with fake._lock:
                    texts = [m.history[0] if m.history else m.text for m in fake.messages]
                self._reply(200, {"ok": True, "first_texts": texts})
                return
            self.do_POST()

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            if status == 429:
                self.send_header("Retry-After", "1")
            self.end_headers()
            self.wfile.write(data)

        def _websocket(self) -> None:
            key = self.headers.get("Sec-WebSocket-Key", "")
            accept = base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()
            self.send_response(101, "Switching Protocols")
            self.send_header("Upgrade", "websocket")
            self.send_header("Connection", "Upgrade")
            self.send_header("Sec-WebSocket-Accept", accept)
            self.end_headers()
            self.wfile.flush()
            peer = _WsPeer(self.connection)
            with fake._lock:
                fake._sockets.append(peer)
            peer.send_text(
                json.dumps(
                    {
                        "type": "hello",
                        "num_connections": 1,
                        "debug_info": {"host": "fake-slack"},
                        "connection_info": {"app_id": APP_ID},
                    }
                )
            )
            with fake._changed:
                fake._changed.notify_all()
            peer.serve(fake._socket_ack)
            self.close_connection = True

    return Handler


def _flag(value: Any) -> bool | None:
    """A boolean argument as Slack reads it from JSON (``true``) or a form (``"1"``,
    ``"true"``); ``None`` when absent."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true")
    return bool(value)


def _parse_params(raw: str, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        value = json.loads(raw)
        return value if isinstance(value, dict) else {}
    params: dict[str, Any] = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
    for name in ("blocks", "attachments"):
        if isinstance(params.get(name), str):
            params[name] = json.loads(params[name])
    return params


class _WsPeer:
    """One WebSocket connection, server side (frames to the client are unmasked)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.open = True
        self._send_lock = threading.Lock()
        self.outbox: queue.Queue[str] = queue.Queue()

    def send_frame(self, opcode: int, data: bytes) -> None:
        """Send one unmasked frame (server to client)."""
        head = bytes([0x80 | opcode])
        size = len(data)
        if size < 126:
            head += bytes([size])
        elif size < 65536:
            head += bytes([126]) + struct.pack("!H", size)
        else:
            head += bytes([127]) + struct.pack("!Q", size)
        with self._send_lock:
            self.sock.sendall(head + data)

    def send_text(self, text: str) -> None:
        """Send a text frame."""
        self.send_frame(0x1, text.encode())

    def _recv_exact(self, n: int) -> bytes:
        chunks = b""
        while len(chunks) < n:
            chunk = self.sock.recv(n - len(chunks))
            if not chunk:
                raise ConnectionError("closed")
            chunks += chunk
        return chunks

    def serve(self, on_message: Any) -> None:
        """Read client frames until close: text → ``on_message(json)``, ping → pong.

        Like Slack, the server pings the client now and then (every 0.1 s here, so a
        client blocked in ``recv`` wakes up promptly when it wants to close)."""
        threading.Thread(target=self._ping_loop, daemon=True).start()
        try:
            while self.open:
                b0, b1 = self._recv_exact(2)
                opcode, masked, size = b0 & 0x0F, b1 & 0x80, b1 & 0x7F
                if size == 126:
                    size = struct.unpack("!H", self._recv_exact(2))[0]
                elif size == 127:
                    size = struct.unpack("!Q", self._recv_exact(8))[0]
                mask = self._recv_exact(4) if masked else b"\x00\x00\x00\x00"
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(self._recv_exact(size)))
                if opcode == 0x1:
                    on_message(json.loads(data.decode()))
                elif opcode == 0x9:
                    self.send_frame(0xA, data)
                elif opcode == 0x8:
                    self.send_frame(0x8, data[:2])
                    break
        except (ConnectionError, OSError):
            pass
        finally:
            self.close()

    def _ping_loop(self) -> None:
        while self.open:
            time.sleep(0.1)
            try:
                self.send_frame(0x9, b"fake-slack")
            except OSError:
                return

    def close(self) -> None:
        """Shut the connection down (idempotent)."""
        if self.open:
            self.open = False
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)


# -- what Slack sends to the app ------------------------------------------------------------


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``X-Slack-Signature`` for ``body`` at ``timestamp`` (v0 HMAC-SHA256)."""
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    body: bytes,
    timestamp: int,
    *,
    secret: str = SIGNING_SECRET,
    content_type: str = "application/json",
    retry_num: int | None = None,
) -> dict[str, str]:
    """Headers Slack sends with ``body``: content type, timestamp, signature, retries."""
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(timestamp),
        "X-Slack-Signature": sign(secret, body, timestamp),
    }
    if retry_num is not None:
        headers["X-Slack-Retry-Num"] = str(retry_num)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def event_callback(event: dict[str, Any], event_id: str, event_time: int) -> dict[str, Any]:
    """An Events API ``event_callback`` body around ``event``."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": event_time,
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
    }


def dm_event(user: str, text: str, ts: str, *, thread_ts: str = "") -> dict[str, Any]:
    """A ``message.im`` event: ``user`` wrote ``text`` in their DM with the bot."""
    event = {
        "type": "message",
        "channel": FakeSlack.dm_channel(user),
        "user": user,
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel_type": "im",
        "team": TEAM_ID,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def mention_event(user: str, text: str, channel: str, ts: str) -> dict[str, Any]:
    """An ``app_mention`` event in a channel."""
    return {
        "type": "app_mention",
        "user": user,
        "text": f"<@{BOT_USER_ID}> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM_ID,
    }


def command_fields(text: str, user: str, channel: str) -> dict[str, str]:
    """The fields of a ``/momentum`` slash command."""
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "team_domain": "fake",
        "channel_id": channel,
        "channel_name": "directmessage" if channel.startswith("D") else "general",
        "user_id": user,
        "user_name": "athlete",
        "command": "/momentum",
        "text": text,
        "api_app_id": APP_ID,
        "is_enterprise_install": "false",
        "response_url": "https://hooks.slack.invalid/commands/1/2/3",
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
    }


def block_action(
    user: str, action: dict[str, Any], channel: str, message_ts: str
) -> dict[str, Any]:
    """A ``block_actions`` payload for a click on ``action`` in a message."""
    return {
        "type": "block_actions",
        "user": {"id": user, "username": "athlete", "team_id": TEAM_ID},
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        "team": {"id": TEAM_ID, "domain": "fake"},
        "channel": {"id": channel, "name": "directmessage"},
        "message": {"type": "message", "ts": message_ts, "text": ""},
        "response_url": "https://hooks.slack.invalid/actions/1/2/3",
        "actions": [{**action, "block_id": "b1", "action_ts": str(time.time())}],
    }


def form_body(fields: dict[str, str]) -> bytes:
    """A form-encoded body (slash commands)."""
    return urlencode(fields).encode()


def interaction_body(payload: dict[str, Any]) -> bytes:
    """A form-encoded interactivity body (``payload=<json>``)."""
    return urlencode({"payload": json.dumps(payload)}).encode()


def post(
    url: str, body: bytes, headers: dict[str, str], timeout: float = 10.0
) -> tuple[int, bytes]:
    """POST over real HTTP; returns ``(status, body)`` even for 4xx/5xx."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class RecordingCoach:
    """A stand-in for ``app.coach`` in Slack tests: records replies, answers from a
    script, can fail the first ``fail_times`` calls, and can be slow (``delay``)."""

    def __init__(self, answer: str = "Steady work. What made starting easy today?") -> None:
        self.answer = answer
        self.fail_times = 0
        self.delay = 0.0
        self.replies: list[dict[str, Any]] = []
        self._lock = threading.Lock()

    def reply(
        self, athlete_id: str, text: str, *, activity_id: str | None = None, event_id: str = ""
    ) -> Message:
        """Answer like ``Coach.reply`` (or raise while ``fail_times`` lasts)."""
        with self._lock:
            self.replies.append(
                {
                    "athlete_id": athlete_id,
                    "text": text,
                    "activity_id": activity_id,
                    "event_id": event_id,
                }
            )
            failing = self.fail_times > 0
            self.fail_times -= 1 if failing else 0
        if self.delay:
            time.sleep(self.delay)
        if failing:
            raise RuntimeError("model unavailable")
        return Message(
            message_id=f"chat:{event_id}",
            athlete_id=athlete_id,
            at=dt.datetime(2026, 3, 3, 11, 0, tzinfo=dt.UTC),
            kind=MessageKind.CHAT,
            role=Role.COACH,
            text=self.answer,
        )


def slack_settings(fake: FakeSlack, **overrides: Any) -> Any:
    """Settings whose Slack section points at ``fake`` with the fake's credentials."""
    from momentum.adapters.slack.settings import SlackSettings
    from momentum.core.config import Secret, Settings

    slack = SlackSettings(
        signing_secret=Secret(SIGNING_SECRET),
        bot_token=Secret(BOT_TOKEN),
        app_token=Secret(APP_TOKEN),
        base_url=fake.api_url,
    )
    return Settings(sections={"slack": slack}, **overrides)


def build_slack_app(
    fake: FakeSlack,
    clock: Any,
    athletes: list[Any],
    *,
    coach: Any = None,
    scheduler: Any = None,
    storage: Any = None,
) -> Any:
    """An App on in-memory ports (or the given ones) with Slack installed against ``fake``.

    ``coach`` replaces the coach engine (a :class:`RecordingCoach` in most tests).
    Deferred jobs queue on an :class:`InMemoryScheduler` unless ``scheduler`` is given.
    """
    from momentum.adapters.slack.bolt_app import install
    from momentum.core.app import App
    from momentum.core.memory import (
        InMemoryScheduler,
        InMemoryStorage,
        RecordingChat,
        ScriptedModel,
    )
    from momentum.core.plugins.host import load_plugins

    storage = storage or InMemoryStorage()
    for athlete in athletes:
        storage.put_athlete(athlete)
    scheduler = scheduler or InMemoryScheduler()
    app = App(
        storage=storage,
        scheduler=scheduler,
        chat=RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(),
        settings=slack_settings(fake),
        _coach=coach,
    )
    if isinstance(scheduler, InMemoryScheduler) and scheduler.runner is None:
        scheduler.runner = app.run_deferred
    install(app)
    return app


def slack_request(body: bytes, headers: dict[str, str]) -> Any:
    """The neutral request the local server would hand the app for a POST to Slack's path."""
    from momentum.core.events import HttpRequest

    return HttpRequest("POST", "/slack/events", headers=headers, body=body)
