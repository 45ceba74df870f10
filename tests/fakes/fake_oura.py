"""A fake Oura API v2 on 127.0.0.1, speaking Oura's wire formats, for the real client.

What it implements, as Oura documents it:

- OAuth2: ``GET /oauth/authorize`` (redirects to ``redirect_uri`` with ``code`` and
  ``state``, like a user pressing *Accept*), ``POST /oauth/token`` (``authorization_code``
  and ``refresh_token`` grants; refresh tokens are single-use and rotate: the old one is
  refused with ``invalid_grant`` once used).
- ``GET /v2/usercollection/<kind>?start_date&end_date[&next_token]`` with pages of
  :attr:`FakeOura.page_size` documents and an opaque ``next_token``; ``GET
  /v2/usercollection/<kind>/<id>``; ``GET /v2/usercollection/personal_info``. Bearer
  tokens are checked (401 for unknown or expired ones).
- Webhook subscriptions (``x-client-id`` / ``x-client-secret``): ``GET`` list, ``POST``
  create (the fake first calls the callback with ``verification_token`` and ``challenge``
  and wants ``{"challenge": …}`` back, like Oura), ``PUT /renew/<id>``.
- Failure injection: :meth:`FakeOura.fail_next` answers the next requests with 429 (and
  ``Retry-After``) or 5xx. :func:`signed` builds an event delivery with
  ``x-oura-signature`` / ``x-oura-timestamp``.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx

CLIENT_ID = "fake-oura-client"
CLIENT_SECRET = "fake-oura-client-secret"
USER_ID = "8f9a5221-639e-4a7b-8f6b-000000000001"
KINDS = ("daily_sleep", "sleep", "daily_readiness", "daily_activity", "workout")


def signed(
    body: dict[str, Any], secret: str = CLIENT_SECRET, at: float | None = None
) -> tuple[bytes, dict[str, str]]:
    """An event body and its headers, signed the way Oura signs deliveries."""
    raw = json.dumps(body).encode()
    stamp = str(int(at if at is not None else time.time()))
    mac = hmac.new(secret.encode(), stamp.encode() + raw, hashlib.sha256).hexdigest().upper()
    return raw, {
        "content-type": "application/json",
        "x-oura-signature": mac,
        "x-oura-timestamp": stamp,
    }


def night(
    day: dt.date, *, hrv: float, rhr: float, hours: float, efficiency: int = 88
) -> dict[str, dict[str, Any]]:
    """One night in Oura's shapes: the ``sleep`` period, ``daily_sleep`` and
    ``daily_readiness`` documents for ``day``."""
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23, 0), dt.UTC)
    total = int(hours * 3600)
    tag = day.isoformat()
    return {
        "sleep": {
            "id": f"sleep-{tag}",
            "day": tag,
            "type": "long_sleep",
            "bedtime_start": start.isoformat(),
            "bedtime_end": (start + dt.timedelta(seconds=total + 1800)).isoformat(),
            "total_sleep_duration": total,
            "time_in_bed": total + 1800,
            "efficiency": efficiency,
            "latency": 600,
            "lowest_heart_rate": rhr,
            "average_heart_rate": rhr + 6,
            "average_hrv": hrv,
            "deep_sleep_duration": total // 5,
            "light_sleep_duration": total // 2,
            "rem_sleep_duration": total - total // 5 - total // 2,
            "awake_time": 1800,
            "readiness": None,
        },
        "daily_sleep": {
            "id": f"daily-sleep-{tag}",
            "day": tag,
            "score": 80,
            "timestamp": f"{tag}T00:00:00+00:00",
            "contributors": {
                "deep_sleep": 90,
                "efficiency": efficiency,
                "latency": 80,
                "rem_sleep": 85,
                "restfulness": 70,
                "timing": 90,
                "total_sleep": 80,
            },
        },
        "daily_readiness": {
            "id": f"readiness-{tag}",
            "day": tag,
            "score": 78,
            "temperature_deviation": 0.1,
            "temperature_trend_deviation": 0.05,
            "timestamp": f"{tag}T00:00:00+00:00",
            "contributors": {
                "activity_balance": 80,
                "body_temperature": 95,
                "hrv_balance": 75,
                "previous_day_activity": 80,
                "previous_night": 82,
                "recovery_index": 90,
                "resting_heart_rate": 85,
                "sleep_balance": 78,
            },
        },
    }


def activity_day(day: dt.date, steps: int = 9000) -> dict[str, Any]:
    """A ``daily_activity`` document."""
    return {
        "id": f"activity-{day.isoformat()}",
        "day": day.isoformat(),
        "score": 82,
        "steps": steps,
        "active_calories": 450,
        "total_calories": 2450,
        "high_activity_time": 1200,
        "medium_activity_time": 2400,
        "low_activity_time": 10800,
        "sedentary_time": 30000,
        "equivalent_walking_distance": 9500,
        "contributors": {"meet_daily_targets": 80, "move_every_hour": 90},
    }


def workout(workout_id: str, start: dt.datetime, minutes: int, activity: str = "running") -> dict:
    """A ``workout`` document."""
    return {
        "id": workout_id,
        "activity": activity,
        "calories": 420.0,
        "day": start.date().isoformat(),
        "distance": 8000.0 if activity == "running" else None,
        "start_datetime": start.isoformat(),
        "end_datetime": (start + dt.timedelta(minutes=minutes)).isoformat(),
        "intensity": "moderate",
        "label": None,
        "source": "autodetected",
    }


@dataclass
class Grant:
    """One issued token set."""

    access: str
    refresh: str
    expires: float


@dataclass
class FakeOura:
    """The fake's state; :meth:`start` serves it on a free port."""

    access_ttl: int = 86400
    page_size: int = 10
    refresh_delay: float = 0.0
    documents: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {k: [] for k in KINDS}
    )
    subscriptions: list[dict[str, Any]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    refresh_grants: int = 0
    refused_refreshes: int = 0
    _codes: dict[str, str] = field(default_factory=dict)
    _grants: dict[str, Grant] = field(default_factory=dict)
    _refresh: dict[str, Grant] = field(default_factory=dict)
    _failures: list[tuple[int, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # -- test controls ------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, kind: str, *docs: dict[str, Any]) -> None:
        """Add (or replace, by id) documents."""
        with self._lock:
            for doc in docs:
                self.documents[kind] = [d for d in self.documents[kind] if d["id"] != doc["id"]]
                self.documents[kind].append(doc)

    def add_night(self, day: dt.date, **kwargs: Any) -> None:
        """Add one :func:`night`."""
        for kind, doc in night(day, **kwargs).items():
            self.add(kind, doc)

    def remove(self, kind: str, doc_id: str) -> None:
        with self._lock:
            self.documents[kind] = [d for d in self.documents[kind] if d["id"] != doc_id]

    def fail_next(self, count: int, status: int = 429, retry_after: str = "0") -> None:
        """Answer the next ``count`` API requests with ``status``."""
        with self._lock:
            self._failures.extend([(status, retry_after)] * count)

    def grant(self) -> Grant:
        """Issue a token set directly (a connection made earlier)."""
        with self._lock:
            return self._issue()

    def expire_access_tokens(self) -> None:
        with self._lock:
            for g in self._grants.values():
                g.expires = 0

    def valid_refresh_tokens(self) -> set[str]:
        with self._lock:
            return set(self._refresh)

    def _issue(self) -> Grant:
        g = Grant(
            "acc-" + secrets.token_hex(8),
            "ref-" + secrets.token_hex(8),
            time.time() + self.access_ttl,
        )
        self._grants[g.access] = g
        self._refresh[g.refresh] = g
        return g

    # -- serving -------------------------------------------------------------------------
    def start(self) -> FakeOura:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakeOura:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _send(self, status: int, payload: Any, headers: dict[str, str] | None = None):
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def _body(self) -> bytes:
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _failure(self) -> bool:
                with fake._lock:
                    if not fake._failures:
                        return False
                    status, retry = fake._failures.pop(0)
                self._send(status, {"detail": "Too Many Requests"}, {"Retry-After": retry})
                return True

            def _client_ok(self) -> bool:
                if (
                    self.headers.get("x-client-id") == CLIENT_ID
                    and self.headers.get("x-client-secret") == CLIENT_SECRET
                ):
                    return True
                self._send(401, {"detail": "bad client credentials"})
                return False

            def _bearer_ok(self) -> bool:
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                with fake._lock:
                    grant = fake._grants.get(token)
                if grant is None or grant.expires < time.time():
                    self._send(401, {"detail": "Unauthorized"})
                    return False
                return True

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(f"GET {url.path}")
                if url.path == "/oauth/authorize":
                    code = secrets.token_hex(8)
                    fake._codes[code] = q.get("redirect_uri", "")
                    target = (
                        q["redirect_uri"] + "?" + urlencode({"code": code, "state": q["state"]})
                    )
                    self.send_response(302)
                    self.send_header("Location", target)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if url.path == "/v2/webhook/subscription":
                    if self._client_ok():
                        self._send(200, fake.subscriptions)
                    return
                if self._failure() or not self._bearer_ok():
                    return
                parts = url.path.strip("/").split("/")
                if parts[:2] != ["v2", "usercollection"] or len(parts) < 3:
                    self._send(404, {"detail": "Not Found"})
                    return
                kind = parts[2]
                if kind == "personal_info":
                    self._send(200, {"id": USER_ID, "age": 41, "email": "ada@example.com"})
                    return
                if kind not in fake.documents:
                    self._send(404, {"detail": "Not Found"})
                    return
                if len(parts) == 4:
                    found = [d for d in fake.documents[kind] if d["id"] == parts[3]]
                    if found:
                        self._send(200, found[0])
                    else:
                        self._send(404, {"detail": "Document not found"})
                    return
                try:
                    start = dt.date.fromisoformat(q["start_date"])
                    end = dt.date.fromisoformat(q["end_date"])
                except (KeyError, ValueError):
                    self._send(400, {"detail": "start_date and end_date are required"})
                    return
                docs = sorted(
                    (
                        d
                        for d in fake.documents[kind]
                        if start <= dt.date.fromisoformat(d["day"]) < end
                    ),
                    key=lambda d: (d["day"], d["id"]),
                )
                offset = int(base64.b64decode(q["next_token"]).decode()) if "next_token" in q else 0
                page = docs[offset : offset + fake.page_size]
                more = offset + fake.page_size < len(docs)
                token = base64.b64encode(str(offset + fake.page_size).encode()).decode()
                self._send(200, {"data": page, "next_token": token if more else None})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                fake.requests.append(f"POST {url.path}")
                raw = self._body()
                if url.path == "/oauth/token":
                    self._token({k: v[0] for k, v in parse_qs(raw.decode()).items()})
                    return
                if url.path == "/v2/webhook/subscription":
                    if not self._client_ok():
                        return
                    wanted = json.loads(raw)
                    challenge = secrets.token_hex(6)
                    answer = httpx.get(
                        wanted["callback_url"],
                        params={
                            "verification_token": wanted["verification_token"],
                            "challenge": challenge,
                        },
                        timeout=5,
                    )
                    if answer.status_code != 200 or answer.json() != {"challenge": challenge}:
                        self._send(422, {"detail": "callback verification failed"})
                        return
                    sub = {
                        "id": secrets.token_hex(6),
                        "callback_url": wanted["callback_url"],
                        "event_type": wanted["event_type"],
                        "data_type": wanted["data_type"],
                        "expiration_time": (
                            dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
                        ).isoformat(),
                    }
                    fake.subscriptions.append(sub)
                    self._send(201, sub)
                    return
                self._send(404, {"detail": "Not Found"})

            def do_PUT(self) -> None:
                url = urlsplit(self.path)
                fake.requests.append(f"PUT {url.path}")
                prefix = "/v2/webhook/subscription/renew/"
                if url.path.startswith(prefix) and self._client_ok():
                    for sub in fake.subscriptions:
                        if sub["id"] == url.path[len(prefix) :]:
                            sub["expiration_time"] = (
                                dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
                            ).isoformat()
                            self._send(200, sub)
                            return
                    self._send(404, {"detail": "Not Found"})

            def _token(self, form: dict[str, str]) -> None:
                if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
                    self._send(401, {"error": "invalid_client"})
                    return
                if form.get("grant_type") == "authorization_code":
                    with fake._lock:
                        redirect = fake._codes.pop(form.get("code", ""), None)
                        if redirect is None or redirect != form.get("redirect_uri"):
                            self._send(400, {"error": "invalid_grant"})
                            return
                        g = fake._issue()
                elif form.get("grant_type") == "refresh_token":
                    time.sleep(fake.refresh_delay)
                    with fake._lock:
                        old = fake._refresh.pop(form.get("refresh_token", ""), None)
                        if old is None:
                            fake.refused_refreshes += 1
                            self._send(400, {"error": "invalid_grant"})
                            return
                        fake._grants.pop(old.access, None)
                        fake.refresh_grants += 1
                        g = fake._issue()
                else:
                    self._send(400, {"error": "unsupported_grant_type"})
                    return
                self._send(
                    200,
                    {
                        "token_type": "bearer",
                        "access_token": g.access,
                        "refresh_token": g.refresh,
                        "expires_in": fake.access_ttl,
                        "scope": "personal daily heartrate workout session",
                    },
                )

        return Handler
