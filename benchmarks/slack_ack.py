"""Ack latency of signed Slack events under load, with a model that takes 10 s to answer.

By default this runs the real thing: a ``momentum serve --port P`` process (SQLite, the
local scheduler, the Slack adapter over HTTP) with its model pointed at a fake Groq that
answers after ``--model-delay`` seconds and its Slack Web API pointed at a fake Slack,
both served from this process on 127.0.0.1. ``--in-process`` runs the same server code
(``adapters.local.server.serve``) on a thread in this process instead.

``--senders`` threads each send ``--events`` signed ``message.im`` events (one Slack user
per sender, a new connection per request, as Slack does) and time each request from
send to response. The ack includes the signature check, the Storage claim on the event
id, posting "Thinking…" to Slack and deferring the model call: the 3-second rule. The
model runs afterwards on the scheduler's workers and never delays an ack.

    .venv/bin/python benchmarks/slack_ack.py            # 50 senders x 6 events
    .venv/bin/python benchmarks/slack_ack.py --in-process

Prints p50 / p90 / p99 / max in milliseconds (target: p99 <= 150 ms).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.fake_groq import API_KEY, FakeGroq, Reply  # noqa: E402
from tests.fakes.fake_slack import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    FakeSlack,
    dm_event,
    event_callback,
    signed_headers,
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare_home(home: Path, slack: FakeSlack, senders: int) -> None:
    """A coach home with one athlete per sender (Slack users U0000 …)."""
    from adapters.local.bootstrap import close_app, open_app
    from core.model import AthleteProfile

    (home / "momentum.toml").write_text(
        f'athlete_id = "a0"\nchat = "slack"\n\n[slack]\nbase_url = "{slack.api_url}"\n',
        encoding="utf-8",
    )
    app = open_app(home)
    try:
        for i in range(senders):
            app.storage.put_athlete(
                AthleteProfile(f"a{i}", f"Runner {i}", "America/Toronto", chat_user_id=f"U{i:04d}")
            )
    finally:
        close_app(app)


def environment(groq: FakeGroq) -> dict[str, str]:
    return {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "GROQ_API_KEY": API_KEY,
        "GROQ_BASE_URL": groq.url,
    }


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/healthz", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"momentum serve did not come up at {url}")


def send(url: str, user: str, n: int) -> tuple[float, int]:
    """One signed event; returns (milliseconds, status)."""
    now = int(time.time())
    event = dm_event(user, f"easy 5k done, felt good ({n})", f"{now}.{n:06d}")
    body = json.dumps(event_callback(event, f"Ev{user}x{n}", now)).encode()
    request = urllib.request.Request(
        f"{url}/slack/events", data=body, headers=signed_headers(body, now), method="POST"
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:  # refused or reset: counted, with the time it took to fail
        status = 0
    return (time.perf_counter() - start) * 1000, status


def load(url: str, senders: int, events: int) -> tuple[list[float], list[int]]:
    latencies: list[float] = []
    statuses: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(senders)

    def sender(i: int) -> None:
        barrier.wait()
        for n in range(events):
            ms, status = send(url, f"U{i:04d}", n)
            with lock:
                latencies.append(ms)
                statuses.append(status)

    threads = [threading.Thread(target=sender, args=(i,)) for i in range(senders)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, statuses


def serve_with_backlog(app, port: int, backlog: int, stop: threading.Event) -> threading.Thread:
    """``momentum serve``'s pieces (its HTTP server class, the local scheduler, Slack
    installed the same way) with a deeper listen queue, to show what the backlog costs."""
    from adapters.local import server as local_server

    class DeepServer(local_server._Server):
        request_queue_size = backlog

    local_server.install_slack(app, socket_mode=False)
    httpd = DeepServer(("127.0.0.1", port), app, local_server.MAX_BODY_BYTES, 30.0)
    app.scheduler.start()

    def run() -> None:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        stop.wait()
        httpd.shutdown()
        httpd.server_close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def child(home: Path, port: int, backlog: int) -> None:
    """``--child``: serve's pieces with a deeper backlog, in this (separate) process."""
    from adapters.local.bootstrap import open_app

    stop = threading.Event()
    serve_with_backlog(open_app(home), port, backlog, stop)
    stop.wait()


def start_server(args: argparse.Namespace, home: Path, port: int, env: dict[str, str]):
    """Start the server under test; returns ``(description, stop function)``."""
    if args.in_process:
        os.environ.update(env)
        from adapters.local.bootstrap import close_app, open_app
        from adapters.local.server import serve

        app = open_app(home)
        stop = threading.Event()
        thread = threading.Thread(
            target=serve,
            kwargs={"app": app, "port": port, "stop": stop, "announce": lambda s: None},
            daemon=True,
        )
        thread.start()

        def stop_in_process() -> None:
            stop.set()
            thread.join(30)
            close_app(app, timeout=1)

        return "in-process (adapters.local.server.serve on a thread; senders share its GIL)", (
            stop_in_process
        )
    if args.backlog:
        command = [sys.executable, __file__, "--child", str(home), str(port), str(args.backlog)]
        where = (
            "a child process running `momentum serve`'s pieces (its HTTP server class, the "
            f"local scheduler, SQLite, Slack installed the same way) with a listen backlog of "
            f"{args.backlog} instead of the server's 5"
        )
    else:
        command = [sys.executable, "-m", "adapters.local.cli", "--home", str(home)]
        command += ["serve", "--port", str(port)]
        where = f"a `momentum serve --port {port}` process"
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def stop_process() -> None:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()

    return where, stop_process


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--events", type=int, default=6, help="events per sender")
    parser.add_argument("--model-delay", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--in-process", action="store_true", help="run serve on a thread in this process"
    )
    parser.add_argument(
        "--backlog",
        type=int,
        default=0,
        help="run serve's pieces in a child process with this listen backlog (serve uses 5)",
    )
    args = parser.parse_args()

    groq = FakeGroq()
    groq.default = lambda body: Reply("Steady work. Keep it easy tomorrow.", delay=args.model_delay)
    groq.start()
    with FakeSlack() as slack, tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        prepare_home(home, slack, args.senders)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        where, stop = start_server(args, home, port, environment(groq))
        try:
            wait_healthy(url)
            for n in range(args.warmup):  # the first request builds the Bolt app (auth.test)
                send(url, "U0000", 10_000 + n)
            started = time.perf_counter()
            latencies, statuses = load(url, args.senders, args.events)
            elapsed = time.perf_counter() - started
            thinking = sum(1 for m in slack.messages if m.text == "Thinking…")
        finally:
            stop()
            groq.stop()
    report(args, where, latencies, statuses, elapsed, thinking)


def report(args, where, latencies, statuses, elapsed, thinking) -> None:
    """Print the figures."""
    ok = sum(1 for s in statuses if s == 200)
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Slack ack latency against {where}")
    print(
        f"  {args.senders} concurrent senders x {args.events} signed events = {len(latencies)} "
        f"requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s); model delay "
        f"{args.model_delay:.0f} s; {os.cpu_count()} CPUs, load average {load1:.1f}"
    )
    print(f"  HTTP 200: {ok}/{len(statuses)}; 'Thinking…' messages posted: {thinking}")
    p99 = percentile(latencies, 99)
    print(
        f"  p50 {percentile(latencies, 50):.1f} ms   p90 {percentile(latencies, 90):.1f} ms   "
        f"p99 {p99:.1f} ms   max {max(latencies):.1f} ms   "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )
    print(f"  target p99 <= 150 ms: {'met' if p99 <= 150 and ok == len(statuses) else 'missed'}")


if __name__ == "__main__":
    main()
