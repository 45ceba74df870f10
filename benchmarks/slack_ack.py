"""Ack latency of signed Slack events under load, with a model that takes 10 s to answer.

Three processes, so none steals the others' interpreter lock:

- the server under test: a real ``momentum serve --port P`` (its HTTP server,
  the local scheduler, SQLite, the Slack adapter over HTTP);
- the fakes: a fake Slack Web API (which receives "Thinking…") and a fake Groq that answers
  after ``--model-delay`` seconds, both on 127.0.0.1;
- this process: ``--senders`` threads, each sending ``--events`` signed ``message.im``
  events (one Slack user per sender, a new connection per request, as Slack does) and
  timing each from send to response.

The ack includes the signature check, the Storage claim on the event id and deferring the
rest to the local scheduler's fast lane, which posts "Thinking…" to Slack right after the
answer and then hands the model call to the main workers (the 3-second rule). Neither
"Thinking…" nor the model ever delays an ack; the figures also say how long after the
burst every "Thinking…" had been posted, while the main workers are busy with the
warm-up's 10-second model calls.

    .venv/bin/python benchmarks/slack_ack.py                    # 50 senders x 6 events
    .venv/bin/python benchmarks/slack_ack.py --events 1         # one burst of 50

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

from tests.fakes.fake_slack import (  # noqa: E402
    BOT_TOKEN,
    SIGNING_SECRET,
    dm_event,
    event_callback,
    signed_headers,
)


def free_port() -> int:
    """A port nobody is listening on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# -- child processes -----------------------------------------------------------------------


def run_fakes(model_delay: float) -> None:
    """``--fakes``: serve the fake Slack and the slow fake Groq until stdin closes."""
    from tests.fakes.fake_groq import FakeGroq, Reply
    from tests.fakes.fake_slack import FakeSlack

    groq = FakeGroq()
    groq.default = lambda body: Reply("Steady work. Keep it easy tomorrow.", delay=model_delay)
    groq.start()
    with FakeSlack() as slack:
        print(json.dumps({"slack": slack.api_url, "groq": groq.url}), flush=True)
        sys.stdin.read()
    groq.stop()


# -- the load --------------------------------------------------------------------------------


def prepare_home(home: Path, slack_url: str, senders: int) -> None:
    """A coach home with one athlete per sender (Slack users U0000 …)."""
    from momentum.adapters.local.bootstrap import close_app, open_app
    from momentum.core.model import AthleteProfile

    (home / "momentum.toml").write_text(
        f'athlete_id = "a0"\nchat = "slack"\n\n[slack]\nbase_url = "{slack_url}"\n',
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


def wait_healthy(url: str, timeout: float = 60.0) -> None:
    """Until ``GET /healthz`` answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/healthz", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"the server did not come up at {url}")


def send(url: str, user: str, n: int) -> tuple[float, int]:
    """One signed event; returns (milliseconds, HTTP status, 0 if the connection failed)."""
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
    """All senders start together; each sends its events one after another."""
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


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def thinking_posted(slack_url: str) -> int:
    """How many messages the fake Slack got that started as "Thinking…"."""
    base = slack_url.removesuffix("/api/")
    with urllib.request.urlopen(f"{base}/_fake/messages", timeout=10) as response:
        return sum(1 for text in json.loads(response.read())["first_texts"] if text == "Thinking…")


def start_server(home: Path, port: int, env: dict[str, str]) -> subprocess.Popen:  # type: ignore[type-arg]
    """Start ``momentum serve --port PORT`` on ``home``."""
    command = [sys.executable, "-m", "momentum.adapters.local.cli", "--home", str(home)]
    command += ["serve", "--port", str(port)]
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def stop(process: subprocess.Popen) -> None:  # type: ignore[type-arg]
    """Terminate, then kill if it lingers (deferred model calls are still running)."""
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()


def main() -> None:
    """Run the load (or, with ``--fakes``, the fakes' helper process)."""
    if len(sys.argv) == 3 and sys.argv[1] == "--fakes":
        run_fakes(float(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--senders", type=int, default=50)
    parser.add_argument("--events", type=int, default=6, help="events per sender")
    parser.add_argument("--model-delay", type=float, default=10.0)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument(
        "--settle",
        type=float,
        default=4.0,
        help="seconds to wait after the warm-up, so one-off imports (the model SDK, loaded "
        "by the warm-up's deferred jobs) are not measured as ack latency",
    )
    args = parser.parse_args()

    fakes = subprocess.Popen(
        [sys.executable, __file__, "--fakes", str(args.model_delay)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    urls = json.loads(fakes.stdout.readline())  # type: ignore[union-attr]
    env = {
        **os.environ,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "GROQ_API_KEY": "gsk_test_fake_key_0123456789",
        "GROQ_BASE_URL": urls["groq"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        prepare_home(home, urls["slack"], args.senders)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        where = f"a `momentum serve --port {port}` process"
        server = start_server(home, port, env)
        try:
            wait_healthy(url)
            for n in range(args.warmup):  # the first request builds the Bolt app (auth.test)
                send(url, "U0000", 10_000 + n)
            time.sleep(args.settle)
            started = time.perf_counter()
            latencies, statuses = load(url, args.senders, args.events)
            elapsed = time.perf_counter() - started
            thinking_at_ack = thinking_posted(urls["slack"]) - args.warmup
            thinking_all = wait_thinking(urls["slack"], args.warmup + len(latencies), started)
        finally:
            stop(server)
            fakes.stdin.close()  # type: ignore[union-attr]
            fakes.wait(20)
    report(args, where, latencies, statuses, elapsed, thinking_at_ack, thinking_all)


def wait_thinking(slack_url: str, expected: int, started: float, timeout: float = 20.0) -> float:
    """Seconds from the start of the load until every event's "Thinking…" was posted
    (polled every 5 ms), or ``nan`` if they were not all there within ``timeout``."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if thinking_posted(slack_url) >= expected:
            return time.perf_counter() - started
        time.sleep(0.005)
    return float("nan")


def report(args, where, latencies, statuses, elapsed, thinking, thinking_all) -> None:  # type: ignore[no-untyped-def]
    """Print the figures."""
    ok = sum(1 for s in statuses if s == 200)
    load1 = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Slack ack latency against {where}")
    print(
        f"  {args.senders} concurrent senders x {args.events} signed events = {len(latencies)} "
        f"requests in {elapsed:.1f} s ({len(latencies) / elapsed:.0f}/s); model delay "
        f"{args.model_delay:.0f} s; {os.cpu_count()} CPUs, load average {load1:.1f}"
    )
    print(
        f"  HTTP 200: {ok}/{len(statuses)}; 'Thinking…' posted when the last ack arrived: "
        f"{thinking}; all {len(latencies)} posted {thinking_all * 1000:.0f} ms after the load "
        f"started (the {args.warmup} warm-up model calls still hold the main workers)"
    )
    p99 = percentile(latencies, 99)
    print(
        f"  p50 {percentile(latencies, 50):.1f} ms   p90 {percentile(latencies, 90):.1f} ms   "
        f"p99 {p99:.1f} ms   max {max(latencies):.1f} ms   "
        f"mean {statistics.fmean(latencies):.1f} ms"
    )
    print(f"  target p99 <= 150 ms: {'met' if p99 <= 150 and ok == len(statuses) else 'missed'}")


if __name__ == "__main__":
    main()
