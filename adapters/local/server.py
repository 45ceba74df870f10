"""The local HTTP side of ``momentum serve``: waitress (a maintained, pure-Python WSGI
server) turning requests into :class:`momentum.core.events.HttpRequest` for the app, and
:func:`serve`, the long-lived local coach.

The server only converts. waitress reads and checks the request (a malformed request
line, headers or length is a 400; a body over ``max_body`` a 413) before the app sees
it, then :meth:`momentum.core.app.App.handle_http` answers. ``GET /healthz`` answers
``ok`` for probes. Slow clients can't hold the server: a request whose headers and body
have not fully arrived ``read_timeout`` seconds after its first byte is cut off (the
slowloris attack trickles headers to stay "active"), and an idle connection is closed
after ``request_timeout``. A fixed pool of ``threads`` answers requests, so threads stay
bounded however many clients connect. It binds to 127.0.0.1 unless told otherwise:
webhooks reach a laptop through a tunnel.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
import logging
import signal
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from types import FrameType, ModuleType
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import parse_qsl

from momentum.core.app import MAX_BODY_BYTES, App
from momentum.core.config import Settings
from momentum.core.errors import ConfigError, MomentumError
from momentum.core.events import HttpRequest, HttpResponse
from momentum.core.plugins.host import PluginHost, load_plugins
from momentum.core.ports.chat import Chat

if TYPE_CHECKING:
    from waitress.server import BaseWSGIServer

log = logging.getLogger("momentum.http")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
HEALTH_PATH = "/healthz"
DEFAULT_THREADS = 16
"""Threads answering requests (waitress's pool; requests beyond it wait their turn)."""
DEFAULT_READ_TIMEOUT = 10.0
"""Seconds a request's headers and body may take to arrive, from its first byte."""
MAX_CONNECTIONS = 1000
"""Open connections beyond this wait in the listen queue until one closes."""
_HOP_BY_HOP = {"connection", "content-length", "transfer-encoding", "keep-alive"}


class HttpHandler(Protocol):
    """What the server answers with: an :class:`App`, or any other neutral handler (the
    dashboard's site)."""

    def handle_http(self, request: HttpRequest) -> HttpResponse:
        """Answer one request."""
        ...


class RequestGauge:
    """Counts the requests being answered; :attr:`quiet` is set while there are none."""

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


class WsgiBridge:
    """The WSGI application: one request in, :meth:`App.handle_http`, one response out."""

    def __init__(self, app: HttpHandler, gauge: RequestGauge) -> None:
        self.app = app
        self.gauge = gauge

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        token = object()
        self.gauge.enter(token)
        try:
            response = self._answer(environ)
        finally:
            self.gauge.leave(token)
        headers = [(k, v) for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP]
        headers.append(("Content-Length", str(len(response.body))))
        start_response(_status_line(response.status), headers)
        return [b"" if environ["REQUEST_METHOD"] == "HEAD" else response.body]

    def _answer(self, environ: dict[str, Any]) -> HttpResponse:
        method = str(environ["REQUEST_METHOD"]).upper()
        path = _wsgi_text(environ.get("PATH_INFO", "")) or "/"
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            return HttpResponse.text(200, "ok")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return HttpResponse.text(400, "bad Content-Length")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if len(body) != length:
            return HttpResponse.text(400, f"body ended after {len(body)} of {length} bytes")
        request = HttpRequest(
            method=method,
            path=path,
            headers=_headers(environ),
            query=dict(
                parse_qsl(_wsgi_text(environ.get("QUERY_STRING", "")), keep_blank_values=True)
            ),
            body=body,
        )
        try:
            response = self.app.handle_http(request)
        except Exception:
            log.exception("%s %s failed", method, path)
            response = HttpResponse.text(500, "internal error")
        # The path only: a query string may carry a token (Strava's hub.verify_token).
        log.info("%s %s %d", method, path, response.status)
        return response


def _wsgi_text(value: str) -> str:
    """WSGI hands URL parts as latin-1-decoded bytes; the real text is UTF-8."""
    return value.encode("latin-1").decode("utf-8", "replace")


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    headers: dict[str, str] = {}
    for key, value in environ.items():
        if key.startswith("HTTP_"):
            name = key[5:]
        elif key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            name = key
        else:
            continue
        if value == "":
            continue
        headers["-".join(part.capitalize() for part in name.split("_"))] = _wsgi_text(value)
    return headers


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return f"{status} Status {status}"


def _waitress_server(
    bridge: WsgiBridge,
    host: str,
    port: int,
    *,
    max_body: int,
    request_timeout: float,
    read_timeout: float,
    threads: int,
) -> BaseWSGIServer:
    """A waitress server whose connections are cut off when a request is slow to arrive."""
    from waitress.channel import HTTPChannel
    from waitress.server import create_server

    class DeadlineChannel(HTTPChannel):  # type: ignore[misc]
        """Remembers when the request being read started arriving."""

        reading_since: float | None = None

        def received(self, data: bytes) -> bool:
            if data and self.request is None and self.reading_since is None:
                self.reading_since = time.monotonic()
            done: bool = super().received(data)
            if self.request is None:  # nothing half-read: the next request starts afresh
                self.reading_since = None
            return done

    server = create_server(
        bridge,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=max_body + 1,  # waitress refuses a body of exactly its limit
        channel_timeout=max(1, round(request_timeout)),
        cleanup_interval=1,
        connection_limit=MAX_CONNECTIONS,
        backlog=1024,
        ident="momentum",
        expose_tracebacks=False,
        asyncore_use_poll=True,
        clear_untrusted_proxy_headers=True,
    )
    server.channel_class = DeadlineChannel
    sweep = server.maintenance

    def maintenance(now: float) -> None:
        sweep(now)
        cutoff = time.monotonic() - read_timeout
        for channel in list(server.active_channels.values()):
            started = getattr(channel, "reading_since", None)
            if started is not None and started < cutoff and not channel.requests:
                log.info(
                    "closed a connection whose request took over %.0f s to arrive", read_timeout
                )
                channel.will_close = True

    server.maintenance = maintenance
    return server


class LocalServer:
    """The HTTP server for one app. ``port=0`` picks a free port (see :attr:`port`)."""

    def __init__(
        self,
        app: HttpHandler,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        max_body: int = MAX_BODY_BYTES,
        request_timeout: float = 30.0,
        read_timeout: float = DEFAULT_READ_TIMEOUT,
        threads: int = DEFAULT_THREADS,
    ) -> None:
        if not 0 <= port <= 65535:
            raise ConfigError(f"port must be between 0 and 65535, got {port}")
        self.gauge = RequestGauge()
        try:
            self._server = _waitress_server(
                WsgiBridge(app, self.gauge),
                host,
                port,
                max_body=max_body,
                request_timeout=request_timeout,
                read_timeout=read_timeout,
                threads=threads,
            )
        except (OSError, OverflowError, ValueError) as exc:
            reason = getattr(exc, "strerror", None) or exc
            raise ConfigError(f"cannot listen on {host}:{port} ({reason})") from exc
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def host(self) -> str:
        """The bound address."""
        return str(self._server.effective_host)

    @property
    def port(self) -> int:
        """The bound port."""
        return int(self._server.effective_port)

    @property
    def quiet(self) -> threading.Event:
        """Set while no request is being answered (see :class:`RequestGauge`)."""
        return self.gauge.quiet

    @property
    def url(self) -> str:
        """``http://host:port``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> None:
        """Serve on a background thread."""
        self._thread = threading.Thread(target=self._run, name="momentum-http", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from waitress import wasyncore

        server = self._server
        while not self._stop.is_set():
            # Short rounds, so stop() is noticed within 0.1 s.
            wasyncore.loop(timeout=0.1, map=server._map, use_poll=True, count=1)

    def stop(self) -> None:
        """Stop accepting requests, close every connection and the socket."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
        for channel in list(self._server._map.values()):
            with contextlib.suppress(OSError):
                channel.close()
        self._server.task_dispatcher.shutdown(timeout=5)

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
