"""A fake Peloton on 127.0.0.1 speaking the endpoints Peloton's own apps use.

- Sign-in (Auth0, ``POST /oauth/token``, JSON body): ``grant_type=password`` (``username``
  = email or username, ``password``, ``scope`` with ``offline_access``) for the app client
  only (the web client gets 403 ``unauthorized_client``, as Peloton's does); a wrong
  password gets 403 ``invalid_grant`` "Wrong email or password.". ``grant_type=
  refresh_token``: refresh tokens belong to the client that got them, rotate, and a used
  one is refused (403 ``invalid_grant``). :meth:`FakePeloton.fail_sign_in` answers the
  next sign-in requests with 429 (Auth0's ``too_many_requests`` or ``too_many_attempts``)
  or a 5xx.
- API (Bearer): ``GET /api/me``; ``GET /api/user/<id>/workouts?joins=ride&limit&page``
  (newest first, ``page_count`` / ``show_next``); ``GET /api/workout/<id>/performance_graph
  ?every_n=N`` (``seconds_since_pedaling_start``, ``metrics`` with ``slug``, ``values``
  and ``display_unit``; ``summaries``).
- :meth:`FakePeloton.fail_next` answers the next API requests with 429 + ``Retry-After``.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

USER_ID = "f3b1c0de5a5a4e3bb1a2c3d4e5f60718"
APP_CLIENT_ID = "fake-peloton-app"
WEB_CLIENT_ID = "fake-peloton-web"
CLIENT_ID = WEB_CLIENT_ID
EMAIL, USERNAME, PASSWORD = "ada@example.com", "ada_rides", "correct horse battery staple"
UNITS = {
    "speed": "mph",
    "incline": "%",
    "output": "watts",
    "cadence": "rpm",
    "heart_rate": "bpm",
    "stroke_rate": "spm",
    "resistance": "%",
}


def session(
    workout_id: str,
    discipline: str,
    start: dt.datetime,
    minutes: int,
    metrics: dict[str, float] | None = None,
    *,
    title: str = "",
) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """A completed workout and its 1-s metric samples (constant values per metric)."""
    seconds = minutes * 60
    workout = {
        "id": workout_id,
        "fitness_discipline": discipline,
        "status": "COMPLETE",
        "created_at": int(start.timestamp()),
        "start_time": int(start.timestamp()),
        "end_time": int(start.timestamp()) + seconds,
        "is_outdoor": False,
        "name": f"{discipline.title()} Workout",
        "ride": {"title": title or f"{minutes} min {discipline.title()}", "duration": seconds},
        "timezone": "America/Toronto",
    }
    samples = {slug: [value] * seconds for slug, value in (metrics or {}).items()}
    return workout, samples


@dataclass
class FakePeloton:
    """The fake's state; :meth:`start` serves it on a free port."""

    workouts: list[dict[str, Any]] = field(default_factory=list)
    samples: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    page_limit_cap: int = 2
    requests: list[str] = field(default_factory=list)
    refreshes: int = 0
    logins: int = 0
    members: dict[str, str] = field(default_factory=lambda: {EMAIL: PASSWORD, USERNAME: PASSWORD})
    _refresh: dict[str, str] = field(default_factory=dict)
    _sign_in_failures: list[tuple[int, dict[str, Any], dict[str, str]]] = field(
        default_factory=list
    )
    _access: set[str] = field(default_factory=set)
    _failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def settings(self) -> dict[str, str]:
        """A coach's ``[peloton]`` section pointing at this fake, with its client ids."""
        return {
            "api_url": self.url,
            "auth_url": self.url,
            "client_id": APP_CLIENT_ID,
            "web_client_id": WEB_CLIENT_ID,
        }

    def add(self, workout: dict[str, Any], samples: dict[str, list[float]]) -> None:
        with self._lock:
            self.workouts = [w for w in self.workouts if w["id"] != workout["id"]]
            self.workouts.append(workout)
            self.samples[workout["id"]] = samples

    def refresh_token(self, client_id: str = WEB_CLIENT_ID) -> str:
        """A refresh token from a sign-in made in the browser (the web client's)."""
        token = "r-" + secrets.token_hex(8)
        with self._lock:
            self._refresh[token] = client_id
        return token

    def fail_sign_in(
        self, status: int, count: int = 1, error: str = "", retry_after: str | None = None
    ) -> None:
        """Answer the next ``count`` sign-in requests with ``status`` (Auth0's shape)."""
        body = {"error": error, "error_description": f"fake {error or status}"}
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        with self._lock:
            self._sign_in_failures.extend([(status, body, headers)] * count)

    def _token(self, form: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """Auth0's ``/oauth/token`` for the password and refresh grants."""
        client, grant = form.get("client_id"), form.get("grant_type")
        if client not in (APP_CLIENT_ID, WEB_CLIENT_ID):
            return 401, {"error": "access_denied", "error_description": "Unauthorized"}
        if grant == "password":
            if client != APP_CLIENT_ID:
                return 403, {
                    "error": "unauthorized_client",
                    "error_description": "Grant type 'password' not allowed for the client.",
                }
            if self.members.get(str(form.get("username"))) != form.get("password"):
                return 403, {
                    "error": "invalid_grant",
                    "error_description": "Wrong email or password.",
                }
            self.logins += 1
        elif grant == "refresh_token":
            if self._refresh.get(str(form.get("refresh_token"))) != client:
                return 403, {
                    "error": "invalid_grant",
                    "error_description": "Unknown or invalid refresh token.",
                }
            del self._refresh[str(form["refresh_token"])]
            self.refreshes += 1
        else:
            return 400, {"error": "unsupported_grant_type", "error_description": str(grant)}
        access, rotated = "a-" + secrets.token_hex(8), "r-" + secrets.token_hex(8)
        self._access.add(access)
        self._refresh[rotated] = str(client)
        answer = {
            "access_token": access,
            "refresh_token": rotated,
            "id_token": "eyJ.fake.id",
            "scope": "openid offline_access",
            "expires_in": 172800,
            "token_type": "Bearer",
        }
        return 200, answer

    def fail_next(self, count: int, retry_after: str = "0") -> None:
        with self._lock:
            self._failures.extend([retry_after] * count)

    def start(self) -> FakePeloton:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> FakePeloton:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _graph(self, workout_id: str, every_n: int) -> dict[str, Any]:
        samples = self.samples.get(workout_id, {})
        if not samples:
            return {"duration": 0, "seconds_since_pedaling_start": [], "metrics": []}
        n = len(next(iter(samples.values())))
        offsets = list(range(0, n, every_n))
        metrics = [
            {
                "display_name": slug.replace("_", " ").title(),
                "slug": slug,
                "display_unit": UNITS[slug],
                "values": [values[i] for i in offsets],
                "average_value": sum(values) / len(values),
                "max_value": max(values),
            }
            for slug, values in samples.items()
        ]
        return {
            "duration": n,
            "seconds_since_pedaling_start": offsets,
            "metrics": metrics,
            "summaries": [{"slug": "calories", "value": 300, "display_unit": "kcal"}],
        }

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

            def do_POST(self) -> None:
                fake.requests.append(f"POST {self.path}")
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/oauth/token":
                    self._send(404, {"error": "not_found"})
                    return
                try:
                    form = json.loads(raw or b"{}")
                except ValueError:
                    self._send(400, {"error": "invalid_request"})
                    return
                with fake._lock:
                    failure = fake._sign_in_failures.pop(0) if fake._sign_in_failures else None
                    if failure is None:
                        status, body = fake._token(form if isinstance(form, dict) else {})
                if failure is not None:
                    self._send(*failure)
                    return
                self._send(status, body)

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                fake.requests.append(f"GET {url.path}")
                with fake._lock:
                    retry = fake._failures.pop(0) if fake._failures else None
                if retry is not None:
                    self._send(429, {"message": "Too Many Requests"}, {"Retry-After": retry})
                    return
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ")
                if token not in fake._access:
                    self._send(401, {"message": "Login required"})
                    return
                parts = url.path.strip("/").split("/")
                if url.path == "/api/me":
                    self._send(200, {"id": USER_ID, "username": "ada_rides"})
                elif parts[:2] == ["api", "user"] and parts[3:] == ["workouts"]:
                    limit = min(int(q.get("limit", 20)), fake.page_limit_cap)
                    page = int(q.get("page", 0))
                    ordered = sorted(fake.workouts, key=lambda w: -w["created_at"])
                    count = max(1, -(-len(ordered) // limit))
                    self._send(
                        200,
                        {
                            "data": ordered[page * limit : (page + 1) * limit],
                            "limit": limit,
                            "page": page,
                            "page_count": count,
                            "total": len(ordered),
                            "show_next": page + 1 < count,
                        },
                    )
                elif parts[:2] == ["api", "workout"] and parts[3:] == ["performance_graph"]:
                    self._send(200, fake._graph(parts[2], int(q.get("every_n", 5))))
                else:
                    self._send(404, {"message": "Not found"})

        return Handler
