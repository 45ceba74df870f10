"""The local HTTP server (waitress) on 127.0.0.1: requests become HttpRequest, responses go
back as sent, bodies are limited, malformed requests are a 4xx before the app sees them,
and a client that trickles its request is cut off."""

from __future__ import annotations

import http.client
import json
import socket
import threading
from collections.abc import Iterator

import pytest

from momentum.adapters.local.server import LocalServer
from momentum.core.app import App
from momentum.core.errors import ConfigError
from momentum.core.events import HttpRequest, HttpResponse

LIMIT = 1024


@pytest.fixture
def seen() -> list[HttpRequest]:
    return []


@pytest.fixture
def server(memory_app: App, seen: list[HttpRequest]) -> Iterator[LocalServer]:
    release = threading.Event()

    def echo(app: App, request: HttpRequest) -> HttpResponse:
        seen.append(request)
        return HttpResponse(
            201,
            json.dumps(
                {
                    "method": request.method,
                    "path": request.path,
                    "query": request.query,
                    "signature": request.header("x-signature"),
                    "body": request.body.decode(),
                }
            ).encode(),
            {"content-type": "application/json", "x-momentum": "yes"},
        )

    def broken(app: App, request: HttpRequest) -> HttpResponse:
        raise RuntimeError("handler bug")

    def slow(app: App, request: HttpRequest) -> HttpResponse:
        release.wait(5)
        return HttpResponse.text(200, "slow done")

    memory_app.routes.update({"/echo": echo, "/broken": broken, "/slow": slow})
    with LocalServer(memory_app, "127.0.0.1", 0, max_body=LIMIT, request_timeout=5) as running:
        running.release = release  # type: ignore[attr-defined]
        yield running
    release.set()


def request(
    server: LocalServer,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        headers = {name.lower(): value for name, value in response.getheaders()}
        return response.status, headers, response.read()
    finally:
        conn.close()


def raw(server: LocalServer, data: bytes) -> bytes:
    """Send bytes as they are and read the whole answer (the server closes after a 400)."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_binds_to_loopback_by_default(memory_app: App) -> None:
    with LocalServer(memory_app, port=0) as running:
        assert running.host == "127.0.0.1"
        assert running.url == f"http://127.0.0.1:{running.port}"


def test_request_becomes_an_http_request(server: LocalServer, seen: list[HttpRequest]) -> None:
    status, headers, body = request(
        server,
        "POST",
        "/echo?hub.mode=subscribe&hub.challenge=abc&empty=",
        b'{"aspect_type":"create"}',
        {"X-Signature": "v0=123", "Content-Type": "application/json"},
    )
    assert status == 201
    assert headers["x-momentum"] == "yes" and headers["content-type"] == "application/json"
    echoed = json.loads(body)
    assert echoed == {
        "method": "POST",
        "path": "/echo",
        "query": {"hub.mode": "subscribe", "hub.challenge": "abc", "empty": ""},
        "signature": "v0=123",
        "body": '{"aspect_type":"create"}',
    }
    assert seen[0].body == b'{"aspect_type":"create"}'


def test_health_check_and_unknown_routes(server: LocalServer) -> None:
    assert request(server, "GET", "/healthz")[::2] == (200, b"ok")
    status, _, body = request(server, "POST", "/nowhere", b"x")
    assert status == 404 and b"no route for /nowhere" in body


def test_body_at_the_limit_is_accepted(server: LocalServer) -> None:
    status, _, body = request(server, "POST", "/echo", b"a" * LIMIT)
    assert status == 201 and len(json.loads(body)["body"]) == LIMIT


def test_oversized_body_is_a_413_and_never_reaches_the_app(
    server: LocalServer, seen: list[HttpRequest]
) -> None:
    status, headers, body = request(server, "POST", "/echo", b"a" * (LIMIT + 1))
    assert status == 413
    assert b"exceeds max_body" in body
    assert headers.get("connection") == "close"
    assert seen == []


@pytest.mark.parametrize(
    ("head", "status"),
    [
        (b"Content-Length: abc\r\n", 400),
        (b"Content-Length: -5\r\n", 400),
        (b"Content-Length: 3\r\nContent-Length: 4\r\n", 400),
        (b"Content-Length: 999999999\r\n", 413),
    ],
)
def test_malformed_lengths_are_a_4xx(
    server: LocalServer, seen: list[HttpRequest], head: bytes, status: int
) -> None:
    answer = raw(server, b"POST /echo HTTP/1.1\r\nHost: x\r\n" + head + b"\r\nabc")
    assert answer.startswith(b"HTTP/1.1 %d" % status), answer
    assert seen == []


def test_a_body_shorter_than_its_length_never_reaches_the_app(
    server: LocalServer, seen: list[HttpRequest]
) -> None:
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc")
        sock.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := sock.recv(65536):  # until the server closes
            answer += chunk
    assert not answer.startswith(b"HTTP/1.1 2")
    assert seen == []


def test_chunked_bodies_are_read_within_the_limit(server: LocalServer) -> None:
    chunked = (
        b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    answer = raw(server, chunked + b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 201") and b'"body": "hello world"' in answer
    too_big = raw(server, chunked + b"401\r\n" + b"a" * 1025 + b"\r\n0\r\n\r\n")
    assert too_big.startswith(b"HTTP/1.1 413")
    bad = raw(server, chunked + b"zz\r\nhello\r\n0\r\n\r\n")
    assert bad.startswith(b"HTTP/1.1 400")


def test_a_failing_handler_is_a_500_and_the_server_carries_on(server: LocalServer) -> None:
    status, _, body = request(server, "POST", "/broken", b"{}")
    assert status == 500 and body == b"internal error"  # no traceback leaks out
    assert request(server, "GET", "/healthz")[0] == 200


def test_head_sends_headers_only(server: LocalServer) -> None:
    status, headers, body = request(server, "HEAD", "/healthz")
    assert status == 200 and headers["content-length"] == "2" and body == b""


def test_keep_alive_serves_several_requests_on_one_connection(server: LocalServer) -> None:
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        for i in range(3):
            conn.request("POST", f"/echo?i={i}", body=b"x")
            response = conn.getresponse()
            assert json.loads(response.read())["query"] == {"i": str(i)}
    finally:
        conn.close()


def test_a_slow_request_does_not_block_others(server: LocalServer) -> None:
    results: list[tuple[int, dict[str, str], bytes]] = []
    slow = threading.Thread(target=lambda: results.append(request(server, "GET", "/slow")))
    slow.start()
    assert request(server, "GET", "/healthz")[0] == 200  # answered while /slow waits
    server.release.set()  # type: ignore[attr-defined]
    slow.join(5)
    assert results and results[0][2] == b"slow done"


def test_a_port_in_use_is_a_config_error(memory_app: App) -> None:
    with (
        LocalServer(memory_app, port=0) as first,
        pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{first.port}"),
    ):
        LocalServer(memory_app, port=first.port)


def test_a_client_that_trickles_its_headers_is_cut_off(memory_app: App) -> None:
    """Slowloris: one header byte every 0.2 s keeps a connection "active" for ever; the
    request must have arrived within the read timeout, from its first byte."""
    import time

    with LocalServer(memory_app, port=0, read_timeout=2, request_timeout=30) as running:
        sock = socket.create_connection((running.host, running.port), timeout=10)
        started = time.monotonic()
        cut_off_after = None
        try:
            for byte in b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 200:
                sock.sendall(bytes([byte]))
                time.sleep(0.2)
                if time.monotonic() - started > 8:
                    break
        except OSError:  # reset or broken pipe: the server closed the connection
            cut_off_after = time.monotonic() - started
        if cut_off_after is None:
            sock.settimeout(5)
            try:
                closed = sock.recv(1) == b""
            except OSError:
                closed = True
            assert closed, "the trickling client was never cut off"
            cut_off_after = time.monotonic() - started
        sock.close()
        assert cut_off_after < 6.5, cut_off_after
        # and the server still answers everyone else
        assert request(running, "GET", "/healthz")[0] == 200


def test_idle_connections_are_closed_and_threads_stay_bounded(memory_app: App) -> None:
    """Hundreds of connections that never send a byte hold no thread each."""
    with LocalServer(memory_app, port=0, threads=4) as running:
        before = threading.active_count()
        socks = [socket.create_connection((running.host, running.port)) for _ in range(200)]
        try:
            assert request(running, "GET", "/healthz")[0] == 200
            assert threading.active_count() <= before + 1
        finally:
            for sock in socks:
                sock.close()


def test_a_port_out_of_range_is_a_config_error(memory_app: App) -> None:
    with pytest.raises(ConfigError, match="port must be between 0 and 65535, got 99999"):
        LocalServer(memory_app, port=99999)
