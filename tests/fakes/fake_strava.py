"""A fake Strava on 127.0.0.1 over real TLS, speaking Strava's wire formats.

stravalib always talks ``https://<ApiV3.server>``, so the fake serves HTTPS with a
throw-away certificate for 127.0.0.1. Point the real stravalib at it the supported way:
``client.protocol.server = fake.host`` (which ``StravaSettings.base_url`` does for
Momentum) and trust the certificate through ``REQUESTS_CA_BUNDLE`` (requests' own
setting) or ``session.verify``.

What it implements, as Strava documents it:

- OAuth: ``GET /oauth/authorize`` (redirects to ``redirect_uri`` with ``code``,
  ``state`` and the granted ``scope``, like an athlete clicking *Authorize*),
  ``POST /oauth/token`` (authorization code and refresh grants; refresh tokens rotate and
  the previous one stops working), ``POST /oauth/deauthorize``.
- ``GET /api/v3/athlete``, ``/athlete/activities`` (paged, ``before``/``after``),
  ``/activities/{id}``, ``/activities/{id}/streams?keys=…&key_by_type=true``.
- Push subscriptions: create (the fake performs the ``hub.challenge`` GET against the
  callback URL first, like Strava), list, delete.
- Rate limits: ``X-RateLimit-Limit/Usage`` and ``X-ReadRateLimit-Limit/Usage`` on every
  API response, and 429 once a limit is used up (:meth:`FakeStrava.exhaust` uses it up at
  once; :meth:`FakeStrava.reset_window` / :meth:`FakeStrava.reset_day` are the resets).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import secrets
import ssl
import threading
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

CLIENT_ID = 4242
CLIENT_SECRET = "fake-strava-client-secret"
VERIFY_TOKEN = "fake-verify-token"
STREAM_KEYS = (
    "time",
    "distance",
    "latlng",
    "altitude",
    "velocity_smooth",
    "heartrate",
    "cadence",
    "watts",
    "temp",
    "moving",
    "grade_smooth",
)


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (cert path, key path)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fake-strava")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "fake-strava.pem", directory / "fake-strava.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class FakeActivity:
    """An activity on the fake Strava: its detailed JSON and its streams."""

    owner: int
    detail: dict[str, Any]
    streams: dict[str, list[Any]] = field(default_factory=dict)


@dataclass
class Usage:
    """Requests counted in the current 15-minute window and day."""

    short: int = 0
    daily: int = 0
    read_short: int = 0
    read_daily: int = 0


class FakeStrava:
    """The fake server. Use as a context manager with a scratch directory for the cert."""

    def __init__(
        self,
        directory: Path,
        *,
        limits: tuple[int, int] = (600, 30000),
        read_limits: tuple[int, int] = (300, 15000),
        access_token_lifetime: int = 6 * 3600,
        clock: Any = None,
    ) -> None:
        self.limits = limits
        self.read_limits = read_limits
        self.access_token_lifetime = access_token_lifetime
        self.clock = clock or time.time
        """Epoch seconds "now" for token expiry (pass the app's clock to agree with it)."""
        self.usage = Usage()
        self.athletes: dict[int, dict[str, Any]] = {}
        self.activities: dict[int, FakeActivity] = {}
        self.subscriptions: dict[int, dict[str, Any]] = {}
        self.requests: list[tuple[str, str]] = []
        self.grant_scope: str | None = None
        """What the athlete grants on the consent page (``None``: what was asked)."""
        self.deny = False
        """Simulate the athlete clicking *Cancel* on the consent page."""
        self.token_delay = 0.0
        """Seconds the token endpoint takes (widens refresh races in tests)."""
        self.refreshes = 0
        self._access: dict[str, tuple[int, float]] = {}
        self._refresh: dict[int, str] = {}
        self._codes: dict[str, tuple[int, str]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self.cert_path, key_path = make_certificate(directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self._server = _Server(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)

    # -- lifecycle ---------------------------------------------------------------------
    @property
    def host(self) -> str:
        """``127.0.0.1:<port>``: what stravalib's ``ApiV3.server`` should be."""
        return f"127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:
        """``https://127.0.0.1:<port>`` (for ``StravaSettings.base_url``)."""
        return f"https://{self.host}"

    def start(self) -> FakeStrava:
        """Serve on a background thread."""
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeStrava:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- setting up the world ---------------------------------------------------------------
    def add_athlete(self, athlete_id: int, firstname: str = "Adam") -> None:
        """An athlete who can authorize the app."""
        with self._lock:
            self.athletes[athlete_id] = {
                "id": athlete_id,
                "resource_state": 2,
                "firstname": firstname,
                "lastname": "Runner",
                "city": "Toronto",
                "country": "Canada",
                "sex": "M",
                "premium": False,
                "created_at": "2020-01-01T00:00:00Z",
                "updated_at": "2026-01-01T00:00:00Z",
            }

    def issue_tokens(self, athlete_id: int, *, expires_in: int | None = None) -> dict[str, Any]:
        """Tokens as if the athlete had connected earlier (``expires_in`` < 0: expired)."""
        with self._lock:
            return self._new_tokens(athlete_id, expires_in)

    def accepts(self, access_token: str) -> bool:
        """True if ``access_token`` would be accepted by the API now."""
        return self._bearer({"Authorization": f"Bearer {access_token}"}) is not None

    def current_refresh_token(self, athlete_id: int) -> str:
        """The only refresh token Strava would accept for ``athlete_id`` now."""
        with self._lock:
            return self._refresh[athlete_id]

    def add_activity(
        self,
        owner: int,
        activity_id: int,
        *,
        name: str,
        sport_type: str,
        start: dt.datetime,
        streams: dict[str, list[Any]] | None = None,
        trainer: bool = False,
        moving_time: int | None = None,
        distance: float | None = None,
    ) -> FakeActivity:
        """Put an activity on the fake, with streams (or none, like a manual entry)."""
        streams = streams or {}
        times = streams.get("time") or []
        distances = streams.get("distance") or []
        moving = moving_time if moving_time is not None else (int(times[-1]) if times else 0)
        total = distance if distance is not None else (float(distances[-1]) if distances else 0)
        heart = [h for h in streams.get("heartrate", []) if h]
        detail = {
            "id": activity_id,
            "resource_state": 3,
            "external_id": f"{activity_id}.fit",
            "upload_id": activity_id * 10,
            "athlete": {"id": owner, "resource_state": 1},
            "name": name,
            "distance": total,
            "moving_time": moving,
            "elapsed_time": int(times[-1]) if times else moving,
            "total_elevation_gain": 12.0,
            "type": "Run" if "Run" in sport_type else sport_type,
            "sport_type": sport_type,
            "start_date": start.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "start_date_local": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "timezone": "(GMT-05:00) America/Toronto",
            "utc_offset": -18000.0,
            "trainer": trainer,
            "commute": False,
            "manual": not times,
            "private": False,
            "visibility": "everyone",
            "flagged": False,
            "average_speed": total / moving if moving else 0.0,
            "has_heartrate": bool(heart),
            "average_heartrate": sum(heart) / len(heart) if heart else None,
            "max_heartrate": max(heart) if heart else None,
            "device_name": "Garmin Forerunner",
        }
        activity = FakeActivity(owner, detail, streams)
        with self._lock:
            self.activities[activity_id] = activity
        return activity

    def rename(self, activity_id: int, *, name: str | None = None, sport_type: str | None = None):
        """Change an activity on Strava (what an update event reports)."""
        with self._lock:
            detail = self.activities[activity_id].detail
            if name is not None:
                detail["name"] = name
            if sport_type is not None:
                detail["sport_type"] = sport_type
                detail["type"] = "Run" if "Run" in sport_type else sport_type

    def delete_activity(self, activity_id: int) -> None:
        """The athlete deleted the activity on Strava: the API answers 404 for it."""
        with self._lock:
            self.activities.pop(activity_id, None)

    def revoke(self, athlete_id: int) -> None:
        """The athlete revoked the app (Strava's settings page, or ``/oauth/deauthorize``):
        every access token and the refresh token stop working."""
        with self._lock:
            for token, (owner, _expiry) in list(self._access.items()):
                if owner == athlete_id:
                    del self._access[token]
            self._refresh.pop(athlete_id, None)

    # -- rate limits -------------------------------------------------------------------------
    def exhaust(self, window: str = "15-minute") -> None:
        """Use up the application's requests, as other traffic would: the next API request
        gets 429 with usage over the limit in its headers. ``window`` is ``15-minute`` or
        ``daily``."""
        if window not in ("15-minute", "daily"):
            raise ValueError(f"window must be '15-minute' or 'daily', got {window!r}")
        with self._lock:
            if window == "daily":
                self.usage.daily = self.limits[1]
            else:
                self.usage.short = self.limits[0]

    def reset_window(self) -> None:
        """The quarter hour turned: the 15-minute counters start again."""
        with self._lock:
            self.usage.short = self.usage.read_short = 0

    def reset_day(self) -> None:
        """Midnight UTC passed: every counter starts again."""
        with self._lock:
            self.usage = Usage()

    # -- webhook events Strava sends to the app ---------------------------------------------
    @staticmethod
    def event(
        object_type: str,
        aspect_type: str,
        object_id: int,
        owner_id: int,
        subscription_id: int,
        updates: dict[str, str] | None = None,
        event_time: int = 1772535600,
    ) -> dict[str, Any]:
        """A webhook event body as Strava POSTs it."""
        return {
            "aspect_type": aspect_type,
            "event_time": event_time,
            "object_id": object_id,
            "object_type": object_type,
            "owner_id": owner_id,
            "subscription_id": subscription_id,
            "updates": updates or {},
        }

    # -- request handling ------------------------------------------------------------------
    def _new_tokens(self, athlete_id: int, expires_in: int | None = None) -> dict[str, Any]:
        lifetime = self.access_token_lifetime if expires_in is None else expires_in
        access = "acc-" + secrets.token_hex(8)
        refresh = "ref-" + secrets.token_hex(8)
        expires_at = int(self.clock()) + lifetime
        self._access[access] = (athlete_id, expires_at)
        self._refresh[athlete_id] = refresh
        return {
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_at": expires_at,
            "expires_in": lifetime,
        }

    def _bearer(self, headers: Any) -> int | None:
        auth = headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        with self._lock:
            found = self._access.get(token)
        if found is None or found[1] < self.clock():
            return None
        return found[0]

    def _count(self, method: str) -> tuple[bool, dict[str, str]]:
        with self._lock:
            usage = self.usage
            usage.short += 1
            usage.daily += 1
            if method == "GET":
                usage.read_short += 1
                usage.read_daily += 1
            over = usage.short > self.limits[0] or usage.daily > self.limits[1]
            if method == "GET":
                over = over or usage.read_short > self.read_limits[0]
                over = over or usage.read_daily > self.read_limits[1]
            headers = {
                "X-RateLimit-Limit": f"{self.limits[0]},{self.limits[1]}",
                "X-RateLimit-Usage": f"{usage.short},{usage.daily}",
                "X-ReadRateLimit-Limit": f"{self.read_limits[0]},{self.read_limits[1]}",
                "X-ReadRateLimit-Usage": f"{usage.read_short},{usage.read_daily}",
            }
        return over, headers

    def handle(
        self, method: str, path: str, query: dict[str, str], form: dict[str, str], headers: Any
    ) -> tuple[int, Any, dict[str, str]]:
        """One request: ``(status, JSON body or None, extra headers)``."""
        with self._lock:
            self.requests.append((method, path))
        if path == "/oauth/authorize" and method == "GET":
            return self._authorize(query)
        if path == "/oauth/token" and method == "POST":
            return self._token(form)
        if path == "/oauth/deauthorize" and method == "POST":
            athlete = self._bearer(headers)
            if not athlete:
                return _unauthorized()
            self.revoke(athlete)
            return 200, {"access_token": "revoked"}, {}
        if not path.startswith("/api/v3/"):
            return 404, {"message": "Record Not Found", "errors": []}, {}
        over, rate_headers = self._count(method)
        if over:
            body = {
                "message": "Rate Limit Exceeded",
                "errors": [{"resource": "Application", "field": "rate limit", "code": "exceeded"}],
            }
            return 429, body, rate_headers
        status, body, extra = self._api(method, path.removeprefix("/api/v3"), query, form, headers)
        return status, body, {**rate_headers, **extra}

    def _authorize(self, query: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if query.get("client_id") != str(CLIENT_ID) or query.get("response_type") != "code":
            return 400, {"message": "Bad Request", "errors": [{"field": "client_id"}]}, {}
        redirect = query.get("redirect_uri", "")
        params: dict[str, str] = {"state": query.get("state", "")}
        if self.deny:
            params["error"] = "access_denied"
        else:
            with self._lock:
                athlete = next(iter(self.athletes))
                code = "code-" + secrets.token_hex(6)
                scope = self.grant_scope if self.grant_scope is not None else query["scope"]
                self._codes[code] = (athlete, scope)
            params.update(code=code, scope=scope)
        return 302, None, {"Location": f"{redirect}?{urlencode(params)}"}

    def _token(self, form: dict[str, str]) -> tuple[int, Any, dict[str, str]]:
        if self.token_delay:
            time.sleep(self.token_delay)
        if form.get("client_id") != str(CLIENT_ID) or form.get("client_secret") != CLIENT_SECRET:
            body = {
                "message": "Authorization Error",
                "errors": [{"resource": "Application", "field": "client_id", "code": "invalid"}],
            }
            return 401, body, {}
        grant = form.get("grant_type")
        with self._lock:
            if grant == "authorization_code":
                found = self._codes.pop(form.get("code", ""), None)
                if found is None:
                    return 400, _invalid("AuthorizationCode", "code"), {}
                athlete, _scope = found
                tokens = self._new_tokens(athlete)
                return 200, {**tokens, "athlete": self.athletes[athlete]}, {}
            if grant == "refresh_token":
                given = form.get("refresh_token", "")
                owner = next((a for a, r in self._refresh.items() if r == given), None)
                if owner is None:
                    return 400, _invalid("RefreshToken", "refresh_token"), {}
                self.refreshes += 1
                return 200, self._new_tokens(owner), {}
        return 400, _invalid("GrantType", "grant_type"), {}

    def _api(
        self, method: str, path: str, query: dict[str, str], form: dict[str, str], headers: Any
    ) -> tuple[int, Any, dict[str, str]]:
        if path.startswith("/push_subscriptions"):
            return self._subscriptions(method, path, {**query, **form})
        athlete = self._bearer(headers)
        if athlete is None:
            return _unauthorized()
        parts = path.strip("/").split("/")
        if parts == ["athlete"]:
            return 200, self.athletes[athlete], {}
        if parts == ["athlete", "activities"]:
            return 200, self._list(athlete, query), {}
        if len(parts) >= 2 and parts[0] == "activities" and parts[1].isdigit():
            with self._lock:
                activity = self.activities.get(int(parts[1]))
            if activity is None or activity.owner != athlete:
                return 404, _not_found("Activity"), {}
            if len(parts) == 2:
                return 200, activity.detail, {}
            if parts[2:] == ["streams"]:
                return 200, self._streams(activity, query), {}
        return 404, _not_found("Route"), {}

    def _list(self, athlete: int, query: dict[str, str]) -> list[dict[str, Any]]:
        before = int(query["before"]) if query.get("before") else None
        after = int(query["after"]) if query.get("after") else None
        page, per_page = int(query.get("page", 1)), int(query.get("per_page", 30))
        with self._lock:
            mine = [a.detail for a in self.activities.values() if a.owner == athlete]

        def epoch(detail: dict[str, Any]) -> int:
            started = dt.datetime.fromisoformat(detail["start_date"].replace("Z", "+00:00"))
            return int(started.timestamp())

        chosen = [
            d
            for d in mine
            if (before is None or epoch(d) < before) and (after is None or epoch(d) > after)
        ]
        chosen.sort(key=epoch, reverse=True)
        summaries = [{**d, "resource_state": 2} for d in chosen]
        return summaries[(page - 1) * per_page : page * per_page]

    def _streams(self, activity: FakeActivity, query: dict[str, str]) -> Any:
        keys = [k for k in query.get("keys", "").split(",") if k]
        if query.get("key_by_type", "").lower() != "true":
            return [{"type": k, "data": v} for k, v in activity.streams.items()]
        size = len(activity.streams.get("time", []))
        return {
            key: {
                "data": activity.streams[key],
                "series_type": "distance",
                "original_size": size,
                "resolution": "high",
            }
            for key in keys
            if key in activity.streams
        }

    def _subscriptions(self, method: str, path: str, params: dict[str, str]):
        if (
            params.get("client_id") != str(CLIENT_ID)
            or params.get("client_secret") != CLIENT_SECRET
        ):
            return 401, _invalid("Application", "client_secret"), {}
        if method == "GET":
            with self._lock:
                return 200, list(self.subscriptions.values()), {}
        if method == "POST":
            with self._lock:
                if self.subscriptions:
                    return 400, _invalid("PushSubscription", "callback url", "already exists"), {}
            callback = params.get("callback_url", "")
            challenge = secrets.token_hex(8)
            query = urlencode(
                {
                    "hub.mode": "subscribe",
                    "hub.challenge": challenge,
                    "hub.verify_token": params.get("verify_token", ""),
                }
            )
            try:
                with urllib.request.urlopen(f"{callback}?{query}", timeout=5) as response:
                    echoed = json.loads(response.read()).get("hub.challenge")
            except (urllib.error.URLError, ValueError, OSError):
                echoed = None
            if echoed != challenge:
                error = _invalid("PushSubscription", "callback url", "GET to callback URL failed")
                return 400, error, {}
            with self._lock:
                sub_id = next(self._ids) + 1000
                now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
                self.subscriptions[sub_id] = {
                    "id": sub_id,
                    "resource_state": 2,
                    "application_id": CLIENT_ID,
                    "callback_url": callback,
                    "created_at": now,
                    "updated_at": now,
                }
            return 201, {"id": sub_id}, {}
        if method == "DELETE":
            sub_id = int(path.rstrip("/").split("/")[-1])
            with self._lock:
                if self.subscriptions.pop(sub_id, None) is None:
                    return 404, _not_found("PushSubscription"), {}
            return 204, None, {}
        return 405, None, {}


def _invalid(resource: str, field_name: str, code: str = "invalid") -> dict[str, Any]:
    return {
        "message": "Bad Request",
        "errors": [{"resource": resource, "field": field_name, "code": code}],
    }


def _not_found(resource: str) -> dict[str, Any]:
    return {
        "message": "Record Not Found",
        "errors": [{"resource": resource, "field": "id", "code": "not found"}],
    }


def _unauthorized() -> tuple[int, Any, dict[str, str]]:
    body = {
        "message": "Authorization Error",
        "errors": [{"resource": "Athlete", "field": "access_token", "code": "invalid"}],
    }
    return 401, body, {}


class _Server(ThreadingHTTPServer):
    """A threaded server with a listen queue deep enough for bursts (the default is 5,
    after which connections are dropped and retried a second later)."""

    daemon_threads = True
    request_queue_size = 128


def _handler_for(fake: FakeStrava) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            if "json" in self.headers.get("Content-Type", ""):
                form = json.loads(raw) if raw else {}
            else:
                form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            status, body, headers = fake.handle(self.command, url.path, query, form, self.headers)
            data = b"" if body is None else json.dumps(body).encode()
            self.send_response(status)
            if body is not None:
                self.send_header("Content-Type", "application/json; charset=utf-8")
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

    return Handler


# -- streams from a real device file -------------------------------------------------------

_TCX = "{http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2}"


def streams_from_tcx(path: Path) -> dict[str, list[Any]]:
    """Strava-shaped streams (``time``, ``distance``, ``latlng``, ``altitude``,
    ``heartrate``, ``velocity_smooth``, ``grade_smooth``, ``moving``) from a TCX file's
    trackpoints, irregular sampling kept as recorded (Strava keeps it too)."""
    root = ET.parse(path).getroot()
    points = []
    for point in root.iter(f"{_TCX}Trackpoint"):
        when = point.findtext(f"{_TCX}Time")
        dist = point.findtext(f"{_TCX}DistanceMeters")
        lat = point.findtext(f"{_TCX}Position/{_TCX}LatitudeDegrees")
        lng = point.findtext(f"{_TCX}Position/{_TCX}LongitudeDegrees")
        if not when or dist is None or lat is None or lng is None:
            continue
        points.append(
            (
                dt.datetime.fromisoformat(when.replace("Z", "+00:00")),
                float(dist),
                [float(lat), float(lng)],
                float(point.findtext(f"{_TCX}AltitudeMeters") or 0.0),
                point.findtext(f"{_TCX}HeartRateBpm/{_TCX}Value"),
            )
        )
    start = points[0][0]
    streams: dict[str, list[Any]] = {k: [] for k in STREAM_KEYS if k not in ("watts", "temp")}
    del streams["cadence"]
    previous = None
    for when, dist, latlng, alt, hr in points:
        seconds = int((when - start).total_seconds())
        if previous is not None and seconds <= previous[0]:
            continue
        speed = grade = 0.0
        if previous is not None:
            gap = seconds - previous[0]
            run = dist - previous[1]
            speed = round(run / gap, 3)
            grade = round(100 * (alt - previous[2]) / run, 1) if run > 0.5 else 0.0
        streams["time"].append(seconds)
        streams["distance"].append(round(dist, 1))
        streams["latlng"].append(latlng)
        streams["altitude"].append(round(alt, 1))
        streams["heartrate"].append(int(hr) if hr else None)
        streams["velocity_smooth"].append(speed)
        streams["grade_smooth"].append(max(-50.0, min(50.0, grade)))
        streams["moving"].append(speed > 0.3)
        previous = (seconds, dist, alt)
    return streams


def synthetic_run(minutes: int = 45, *, hr: int = 140, pace_s_per_km: float = 360.0):
    """Strava-shaped 1 Hz streams of a steady treadmill run (no GPS), for quick tests."""
    speed = 1000.0 / pace_s_per_km
    seconds = range(minutes * 60 + 1)
    return {
        "time": list(seconds),
        "distance": [round(t * speed, 1) for t in seconds],
        "velocity_smooth": [round(speed, 3) for _ in seconds],
        "heartrate": [int(hr - 25 * math.exp(-t / 120)) for t in seconds],
        "cadence": [84 for _ in seconds],
        "grade_smooth": [1.0 for _ in seconds],
        "moving": [True for _ in seconds],
    }


# -- wiring an app to the fake -----------------------------------------------------------------

SUBSCRIPTION_ID = 1001
OWNER_ID = 134815


class ReviewRecorder:
    """Stands in for ``app.coach`` in Strava tests: records ``on_activity`` calls and can
    fail the first ``fail_times`` of them."""

    def __init__(self) -> None:
        self.reviews: list[tuple[str, str]] = []
        self.fail_times = 0
        self._lock = threading.Lock()

    def on_activity(self, athlete_id: str, activity_id: str) -> Any:
        """Record the review request (or fail while ``fail_times`` lasts)."""
        with self._lock:
            self.reviews.append((athlete_id, activity_id))
            failing = self.fail_times > 0
            self.fail_times -= 1 if failing else 0
        if failing:
            raise RuntimeError("model unavailable")
        return None


def strava_settings(fake: FakeStrava, home: Path, **overrides: Any) -> Any:
    """Settings pointing the Strava plugin at ``fake`` (subscription 1001)."""
    from momentum.core.config import Secret, Settings
    from momentum.plugins.strava.settings import StravaSettings

    strava = StravaSettings(
        client_id=str(CLIENT_ID),
        client_secret=Secret(CLIENT_SECRET),
        verify_token=Secret(VERIFY_TOKEN),
        subscription_id=str(SUBSCRIPTION_ID),
        base_url=fake.base_url,
    )
    return Settings(home=home, sections={"strava": strava}, **overrides)


def build_strava_app(
    fake: FakeStrava,
    clock: Any,
    athletes: list[Any],
    home: Path,
    *,
    coach: Any = None,
    storage: Any = None,
    scheduler: Any = None,
    chat: Any = None,
) -> Any:
    """An App with the built-in plugins, in-memory ports unless given, talking to ``fake``."""
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
        chat=chat or RecordingChat(),
        model=ScriptedModel(),
        clock=clock,
        plugins=load_plugins(),
        settings=strava_settings(fake, home),
        _coach=coach,
    )
    if isinstance(scheduler, InMemoryScheduler) and scheduler.runner is None:
        scheduler.runner = app.run_deferred
    if isinstance(scheduler, InMemoryScheduler) and scheduler.clock is None:
        scheduler.clock = clock  # delayed jobs (rate-limit retries) run as the clock moves
    return app


def connect_athlete(
    app: Any, fake: FakeStrava, athlete_id: str, owner_id: int = OWNER_ID, **kw: Any
) -> Any:
    """Store tokens as ``momentum strava connect`` would (``expires_in`` < 0: expired)."""
    from momentum.core.model import OAuthToken
    from momentum.plugins.strava.tokens import store_token

    if owner_id not in fake.athletes:
        fake.add_athlete(owner_id)
    tokens = fake.issue_tokens(owner_id, **kw)
    return store_token(
        app.storage,
        OAuthToken(
            athlete_id=athlete_id,
            provider="strava",
            access_token=tokens["access_token"],
            refresh_token=tokens["refresh_token"],
            expires_at=dt.datetime.fromtimestamp(tokens["expires_at"], dt.UTC),
            provider_athlete_id=str(owner_id),
            scope="read,activity:read_all",
        ),
    )


def webhook_request(method: str, body: bytes = b"", query: dict[str, str] | None = None) -> Any:
    """The neutral request the local server hands the app for ``/strava/webhook``."""
    from momentum.core.events import HttpRequest

    headers = {"Content-Type": "application/json"} if body else {}
    return HttpRequest(method, "/strava/webhook", headers=headers, query=query or {}, body=body)
