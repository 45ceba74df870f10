"""A plain HTTP server that turns requests into :class:`momentum.core.events.HttpRequest` for the
app,
and :func:`serve`, the long-lived local coach behind ``momentum serve``.

The server only converts: it reads at most ``max_body`` bytes (a larger or malformed body
is a 400 before the app sees it), hands the request to :meth:`momentum.core.app.App.handle_http`
and writes the neutral response back. ``GET /healthz`` answers ``ok`` for probes. It
binds to 127.0.0.1 unless told otherwise: webhooks reach a laptop through a tunnel.
"""

from __future__ import annotations

import importlib
import inspect
import logging
import queue
import signal
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType, ModuleType
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from momentum.core.app import MAX_BODY_BYTES, App
from momentum.core.config import Settings
from momentum.core.errors import ConfigError, MomentumError
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.chat import Chat

log = logging.getLogger("momentum.http")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
HEALTH_PATH = "/healthz"
_HOP_BY_HOP = {"connection", "content-length", "transfer-encoding", "keep-alive"}


class BadRequest(Exception):
    """The request cannot be read: answer 400 with this message and close."""


class RequestGauge:
    """Counts the requests being answered; :attr:`quiet` is set while there are none.

    A connection counts from the moment it is accepted (a burst waiting for the
    interpreter counts) until its response is written; a later request on a kept-alive
    connection counts from when it has been read.
    """

    def __init__(self) -> None:
        self.quiet = threading.Event()
        self.quiet.set()
        self._lock = threading.Lock()
        self._open: set[Any] = set()

    def enter(self, conn: Any) -> None:
        """``conn`` has a request to answer."""
        with self._lock:
            self._open.add(conn)
            self.quiet.clear()

    def leave(self, conn: Any) -> None:
        """``conn``'s request is answered (or the connection is gone); idempotent."""
        with self._lock:
            self._open.discard(conn)
            if not self._open:
                self.quiet.set()

    @property
    def answering(self) -> int:
        """How many requests are being answered now."""
        with self._lock:
            return len(self._open)


class _Server(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` tuned for bursts of small webhook requests.

    - A listen queue of 128: Slack bursts (retries, many users at 6 am) must queue, not be
      reset; the stdlib's default of 5 turned a burst of 50 events into 1-second retries.
    - Every wakeup accepts all the connections waiting, not one.
    - Connections go to pre-started handler threads. Starting a thread per connection
      makes the accepting thread wait for the new thread to run, twice handing over the
      interpreter lock per request, so under load connections sat unaccepted while the
      handlers ran. When every pre-started thread is busy (slow clients) a connection
      gets a thread of its own, as with ``ThreadingHTTPServer``: nothing is ever refused.
    """

    daemon_threads = True
    # Let a restarted coach rebind at once, not after TIME_WAIT.
    allow_reuse_address = True
    request_queue_size = 128
    handler_threads = 16
    """Handler threads started with the server (more are started while all are busy)."""

    def __init__(self, address: tuple[str, int], app: App, max_body: int, timeout: float):
        self.app = app
        self.max_body = max_body
        self.request_timeout = timeout
        self._queue: queue.SimpleQueue[tuple[Any, Any] | None] = queue.SimpleQueue()
        self._idle_lock = threading.Lock()
        self._idle_handlers = 0
        self._handler_pool: list[threading.Thread] = []
        self.gauge = RequestGauge()
        super().__init__(address, _Handler)
        # Non-blocking, so _handle_request_noblock can drain the backlog in one wakeup.
        self.socket.setblocking(False)
        for n in range(self.handler_threads):
            thread = threading.Thread(
                target=self._handler_loop, name=f"momentum-http-{n}", daemon=True
            )
            thread.start()
            self._handler_pool.append(thread)

    def get_request(self) -> tuple[Any, Any]:
        """Accept one connection; it is blocking, with the handler's own timeout."""
        conn, address = self.socket.accept()
        conn.setblocking(True)
        return conn, address

    def _handle_request_noblock(self) -> None:
        """Accept every connection waiting in the listen queue (stdlib: only one)."""
        for _ in range(self.request_queue_size):
            try:
                request, client_address = self.get_request()
            except OSError:  # EAGAIN: the queue is empty (or the socket is closing)
                return
            if self.verify_request(request, client_address):
                try:
                    self.process_request(request, client_address)
                except Exception:
                    self.handle_error(request, client_address)
                    self.shutdown_request(request)
            else:
                self.shutdown_request(request)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Hand the connection to an idle pre-started thread, else to a new thread."""
        self.gauge.enter(request)
        with self._idle_lock:
            pooled = self._idle_handlers > 0
            if pooled:
                self._idle_handlers -= 1
        if pooled:
            self._queue.put((request, client_address))
        else:
            super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection; it no longer counts as being answered afterwards."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.gauge.leave(request)

    def _handler_loop(self) -> None:
        while True:
            with self._idle_lock:
                self._idle_handlers += 1
            item = self._queue.get()
            if item is None:
                return
            self.process_request_thread(*item)

    def server_close(self) -> None:
        """Close the socket and let the pre-started threads finish."""
        super().server_close()
        for _ in self._handler_pool:
            self._queue.put(None)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "momentum"

    def setup(self) -> None:
        # A stalled client can't hold a thread: socket reads time out after this long.
        self.timeout = self.server.request_timeout  # type: ignore[misc]
        super().setup()

    def do_GET(self) -> None:
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_GET

    def _handle(self) -> None:
        self.server.gauge.enter(self.request)  # already counted for a connection's first
        try:
            body = self._read_body()
        except BadRequest as exc:
            self._send(HttpResponse.text(400, str(exc)), close=True)
            return
        except (TimeoutError, ConnectionError):
            self.close_connection = True
            return
        url = urlsplit(self.path)
        path = unquote(url.path) or "/"
        if path == HEALTH_PATH and self.command in ("GET", "HEAD"):
            self._send(HttpResponse.text(200, "ok"))
            return
        request = HttpRequest(
            method=self.command,
            path=path,
            headers=self._headers(),
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            body=body,
        )
        try:
            response = self.server.app.handle_http(request)
        except Exception:
            log.exception("%s %s failed", self.command, path)
            response = HttpResponse.text(500, "internal error")
        self._send(response)

    def _headers(self) -> dict[str, str]:
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            headers[name] = f"{headers[name]}, {value}" if name in headers else value
        return headers

    def _read_body(self) -> bytes:
        limit = self.server.max_body
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked(limit)
        lengths = set(self.headers.get_all("Content-Length") or [])
        if not lengths:
            return b""
        if len(lengths) > 1:
            raise BadRequest("conflicting Content-Length headers")
        raw = lengths.pop().strip()
        if not raw.isdigit():
            raise BadRequest(f"bad Content-Length {raw[:40]!r}")
        length = int(raw)
        if length > limit:
            raise BadRequest(f"body too large ({length} bytes; the limit is {limit})")
        body = self.rfile.read(length)
        if len(body) != length:
            raise BadRequest(f"body ended after {len(body)} of {length} bytes")
        return body

    def _read_chunked(self, limit: int) -> bytes:
        parts: list[bytes] = []
        size = 0
        while True:
            line = self.rfile.readline(1024)
            try:
                chunk = int(line.split(b";", 1)[0].strip(), 16)
            except ValueError:
                raise BadRequest("malformed chunked body") from None
            if chunk < 0:
                raise BadRequest("malformed chunked body")
            if chunk == 0:
                while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                    pass  # trailers
                return b"".join(parts)
            size += chunk
            if size > limit:
                raise BadRequest(f"body too large (over {limit} bytes)")
            data = self.rfile.read(chunk)
            if len(data) != chunk or self.rfile.readline(1024) not in (b"\r\n", b"\n"):
                raise BadRequest("malformed chunked body")
            parts.append(data)

    def _send(self, response: HttpResponse, *, close: bool = False) -> None:
        self.send_response(response.status)
        for name, value in response.headers.items():
            if name.lower() not in _HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        if close:
            self.close_connection = True
            self.send_header("Connection", "close")
        buffered: list[bytes] | None = getattr(self, "_headers_buffer", None)
        try:
            if buffered is None or self.command == "HEAD" or not response.body:
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(response.body)
                return
            # Headers and body in one write: one syscall, and no small second segment for
            # Nagle's algorithm to hold back.
            buffered.append(b"\r\n" + response.body)
            self.flush_headers()
        finally:
            self.server.gauge.leave(self.request)

    def log_message(self, format: str, *args: Any) -> None:
        log.info("%s %s", self.address_string(), format % args)


class LocalServer:
    """The HTTP server for one app. ``port=0`` picks a free port (see :attr:`port`)."""

    def __init__(
        self,
        app: App,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        max_body: int = MAX_BODY_BYTES,
        request_timeout: float = 30.0,
    ) -> None:
        try:
            self._server = _Server((host, port), app, max_body, request_timeout)
        except OSError as exc:
            raise ConfigError(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc
        self._thread: threading.Thread | None = None

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._server.server_address[0])

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.server_address[1])

    @property
    def quiet(self) -> threading.Event:
        """Set while no request is being answered (see :class:`RequestGauge`)."""
        return self._server.gauge.quiet

    @property
    def url(self) -> str:
        """``http://host:port``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Serve on a background thread."""
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.1},  # how fast stop() is noticed
            name="momentum-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop accepting requests and close the socket."""
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join(10)
        self._server.server_close()

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- the long-lived coach -------------------------------------------------------------------


def _slack_module(name: str) -> ModuleType:
    try:
        return importlib.import_module(f"momentum.adapters.slack.{name}")
    except ImportError as exc:
        raise ConfigError(
            f"Slack support is not available ({exc}); install it with "
            "pip install 'momentum-coach[slack]'"
        ) from exc


def install_slack(app: App, *, socket_mode: bool) -> Callable[..., Any] | None:
    """With ``socket_mode``, the Slack Socket Mode runner to start (its tokens checked
    first). ``/slack/events`` itself is installed by ``build_app`` whenever a signing
    secret is set, through the chat-platform hook."""
    if not socket_mode:
        return None
    slack = _slack_module("settings").slack_settings(app.settings)
    if not (slack.app_token and slack.bot_token):
        raise ConfigError(
            "--socket-mode needs SLACK_APP_TOKEN and SLACK_BOT_TOKEN "
            "(in the environment or [slack] app_token/bot_token in momentum.toml)"
        )
    runner: Callable[..., Any] = _slack_module("socket_mode").run
    return runner


def serve(
    app: App,
    *,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    socket_mode: bool = False,
    stop: threading.Event | None = None,
    announce: Callable[[str], None] = print,
    shutdown_timeout: float = 30.0,
) -> None:
    """Run the coach until ``stop`` is set, SIGTERM or Ctrl-C: the scheduler loop, the HTTP
    server and (with ``socket_mode``) Slack Socket Mode. Everything is shut down cleanly
    before it returns; a Socket Mode failure is raised afterwards as a MomentumError.

    Signal handlers are installed only when called from the main thread; either way
    setting ``stop`` shuts everything down cleanly.
    """
    from momentum.adapters.local.scheduler import LocalScheduler

    stop = stop or threading.Event()
    failure: list[BaseException] = []
    scheduler = app.scheduler
    if not isinstance(scheduler, LocalScheduler):
        raise ConfigError("momentum serve needs the local scheduler (open the app with open_app)")
    socket_runner = install_slack(app, socket_mode=socket_mode)
    server = LocalServer(app, host, port)
    # Answers first: deferred work waits (briefly) while a burst of webhooks is answered.
    scheduler.yield_to(server.quiet)
    previous = _install_signal_handlers(stop)
    slack_thread: threading.Thread | None = None
    try:
        server.start()
        scheduler.start()
        if socket_runner is not None:
            slack_thread = _start_socket_mode(app, socket_runner, stop, failure)
        announce(_banner(app, server.url, socket_mode))
        while not stop.wait(0.5):
            pass
    finally:
        stop.set()
        _restore_signal_handlers(previous)
        server.stop()
        if slack_thread is not None:
            slack_thread.join(5)
        scheduler.stop(shutdown_timeout)
        announce("momentum: stopped")
    if failure:
        raise MomentumError(f"Slack Socket Mode stopped: {failure[0]}") from failure[0]


def _start_socket_mode(
    app: App,
    runner: Callable[..., Any],
    stop: threading.Event,
    failure: list[BaseException],
) -> threading.Thread:
    def run() -> None:
        try:
            if _accepts_stop(runner):
                runner(app, stop)  # returns once stop is set, after closing the socket
            else:
                runner(app)
        except Exception as exc:  # surfaced by serve() once everything is shut down
            log.exception("Slack Socket Mode failed")
            failure.append(exc)
            stop.set()

    thread = threading.Thread(target=run, name="momentum-slack", daemon=True)
    thread.start()
    return thread


def _accepts_stop(runner: Callable[..., Any]) -> bool:
    try:
        return len(inspect.signature(runner).parameters) >= 2
    except (TypeError, ValueError):
        return False


def chat_for(settings: Settings, *, socket_mode: bool, plugins: PluginHost | None = None) -> Chat:
    """The chat ``serve`` should speak through (core's one choice): Socket Mode asks for
    Slack; ``chat = "slack"`` (any platform's name) asks for that platform; otherwise the
    platform that can post and verify requests, else the console. ``chat = "console"``,
    which ``momentum init`` writes, means "the console unless a platform is configured"."""
    from momentum.adapters.local.console_chat import ConsoleChat
    from momentum.core.chat_choice import choose_chat

    host = plugins or load_plugins()
    wanted = "slack" if socket_mode else settings.chat
    if wanted == "console":
        wanted = ""
    return choose_chat(settings, host.chat_platforms(), ConsoleChat, wanted=wanted)


def _banner(app: App, url: str, socket_mode: bool) -> str:
    athletes = [a.athlete_id for a in app.storage.list_athletes()]
    jobs = ", ".join(job.name for job in app.recurring_jobs()) or "none"
    if socket_mode:
        chat = "Slack Socket Mode"
    else:
        chat = "Slack" if "/slack/events" in app.routes else "console"
    lines = [
        f"momentum: serving on {url} (chat: {chat})",
        f"  athletes: {', '.join(athletes) if athletes else 'none yet (run momentum init)'}",
        f"  jobs: {jobs}; routes: {', '.join(sorted(app.routes)) or 'none'}",
        "  press Ctrl-C to stop",
    ]
    return "\n".join(lines)


_Handlers = dict[int, Any]


def _install_signal_handlers(stop: threading.Event) -> _Handlers:
    if threading.current_thread() is not threading.main_thread():
        return {}

    def handle(signum: int, frame: FrameType | None) -> None:
        log.info("received %s, shutting down", signal.Signals(signum).name)
        stop.set()

    previous: _Handlers = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, handle)
    return previous


def _restore_signal_handlers(previous: _Handlers) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, handler)
