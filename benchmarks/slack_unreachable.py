"""Slack events while Slack's Web API is unreachable: are acks still fast, threads bounded?

A real ``momentum serve`` process whose Slack ``base_url`` points at a black hole (a
socket on 127.0.0.1 that accepts connections and never answers, like a network that
drops packets). ``--senders`` threads send ``--events`` signed ``message.im`` events each
(1,000 in all by default), each with Slack's 3-second deadline as its timeout. Prints how
many were acked in time, the latency percentiles, and the server's peak thread count
(sampled from ``/proc``) during the load and a few seconds after it.

    .venv/bin/python benchmarks/slack_unreachable.py
    BENCH_ROOT=/path/to/other/checkout .venv/bin/python benchmarks/slack_unreachable.py
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.slack_ack import free_port, percentile, prepare_home, wait_healthy  # noqa: E402
from tests.fakes.fake_slack import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    dm_event,
    event_callback,
    signed_headers,
)

SLACK_DEADLINE = 3.0


class BlackHole:
    """Accepts TCP connections and never answers (holds them until stopped)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(4096)
        self.held: list[socket.socket] = []
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/api/"

    def _accept(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self._stop.set()
        for conn in self.held:
            conn.close()
        self.sock.close()


def threads_of(pid: int) -> int:
    """The process's thread count (Linux ``/proc``), 0 if unknown."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Threads:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def send(url: str, user: str, n: int) -> tuple[float, int]:
    """One signed DM event with Slack's deadline: (ms, status; 0 = timed out or failed)."""
    now = int(time.time())
    event = dm_event(user, f"easy 5k ({n})", f"{now}.{n:06d}")
    body = json.dumps(event_callback(event, f"Ev{user}x{n}", now)).encode()
    request = urllib.request.Request(
        f"{url}/slack/events", data=body, headers=signed_headers(body, now), method="POST"
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=SLACK_DEADLINE) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return (time.perf_counter() - start) * 1000, status


def main() -> None:
    """Run the load and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--events", type=int, default=20, help="events per sender")
    parser.add_argument("--after", type=float, default=5.0, help="seconds sampled after")
    args = parser.parse_args()
    code_root = Path(os.environ.get("BENCH_ROOT", ROOT))
    hole = BlackHole()
    env = {
        **os.environ,
        "PYTHONPATH": str(code_root),
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "NO_COLOR": "1",
    }
    env.pop("GROQ_API_KEY", None)
    latencies: list[float] = []
    statuses: list[int] = []
    peak = [0]
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "coach"
        home.mkdir()
        prepare_home(home, hole.url, args.senders)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        import subprocess

        command = [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home)]
        command += ["serve", "--port", str(port)]
        server = subprocess.Popen(
            command,
            cwd=code_root,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        sampling = threading.Event()

        def sample() -> None:
            while not sampling.is_set():
                peak[0] = max(peak[0], threads_of(server.pid))
                time.sleep(0.05)

        try:
            wait_healthy(url)
            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
            lock = threading.Lock()

            def sender(i: int) -> None:
                for n in range(args.events):
                    ms, status = send(url, f"U{i:04d}", n)
                    with lock:
                        latencies.append(ms)
                        statuses.append(status)

            started = time.perf_counter()
            senders = [threading.Thread(target=sender, args=(i,)) for i in range(args.senders)]
            for t in senders:
                t.start()
            for t in senders:
                t.join()
            elapsed = time.perf_counter() - started
            time.sleep(args.after)
            sampling.set()
            settled = threads_of(server.pid)
        finally:
            server.terminate()
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                server.kill()
            hole.close()
    acked = sum(1 for s in statuses if s == 200)
    timed_out = sum(1 for s in statuses if s == 0)
    print(f"Slack unreachable (black hole), code from {code_root}")
    print(
        f"  {args.senders} senders x {args.events} events = {len(statuses)} in {elapsed:.1f} s; "
        f"acked 200 within {SLACK_DEADLINE:.0f} s: {acked}; timed out: {timed_out}; "
        f"other: {len(statuses) - acked - timed_out}"
    )
    print(
        f"  p50 {percentile(latencies, 50):.0f} ms  p99 {percentile(latencies, 99):.0f} ms  "
        f"max {max(latencies):.0f} ms"
    )
    print(f"  server threads: peak {peak[0]}, {args.after:.0f} s after the load {settled}")


if __name__ == "__main__":
    main()
