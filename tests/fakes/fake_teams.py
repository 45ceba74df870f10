"""A fake Bot Framework on 127.0.0.1 that speaks the real wire protocol.

- **OpenID metadata and JWKS** (``/v1/.well-known/openidconfiguration``, ``…/keys``): the
  documents the Bot Connector's tokens are checked against, holding the public half of an
  RSA key generated for each fake. :meth:`FakeBotFramework.token` signs the JWTs the
  Connector would send (issuer ``https://api.botframework.com``, audience the app id,
  ``serviceurl``); tests forge, expire or re-address them.
- **Microsoft Entra ID's token endpoint** for the bot (``/<tenant>/oauth2/v2.0/token``, the
  client-credentials grant MSAL makes, after its tenant discovery document).
- **The Bot Connector REST API** (``/v3/conversations/<id>/activities``, POST and PUT):
  it checks the bot's bearer token, records each activity (messages, typing) and answers
  ``{"id": …}`` as the service does, so the real ``microsoft-teams-api`` client talks to it.
- Builders for what Teams sends a bot: messages, ``installationUpdate``,
  ``conversationUpdate``.

Everything is served over TLS with a throw-away certificate for 127.0.0.1 (MSAL accepts
only ``https`` authorities, as Entra ID is). Trust it the supported ways:
``REQUESTS_CA_BUNDLE`` (MSAL's requests) and ``SSL_CERT_FILE`` (httpx in the Teams SDK,
and urllib for the OpenID documents); :meth:`FakeBotFramework.trust` sets both.
"""

from __future__ import annotations

import itertools
import json
import ssl
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from tests.fakes.fake_strava import make_certificate

APP_ID = "6f1b6a52-0d5e-4c5e-9b8e-5b0c0ffee001"
APP_PASSWORD = "fake-app-password-never-logged"
TENANT_ID = "7a2c1d43-5f6e-4a8b-9c0d-1e2f3a4b5c6d"
ISSUER = "https://api.botframework.com"
BOT_ID = f"28:{APP_ID}"
KEY_ID = "fake-signing-key"


def new_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Sent:
    """An activity the bot sent (or replaced) in a conversation."""

    conversation_id: str
    activity_id: str
    body: dict[str, Any]
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def type(self) -> str:
        """``message`` or ``typing``."""
        return str(self.body.get("type") or "")

    @property
    def text(self) -> str:
        """The message text."""
        return str(self.body.get("text") or "")

    @property
    def cards(self) -> list[dict[str, Any]]:
        """The Adaptive Cards attached."""
        return [
            a["content"]
            for a in self.body.get("attachments") or ()
            if a.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]


class FakeBotFramework:
    """The fake server. Use as a context manager; read ``sent``, ``token_requests``."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.cert_path = Path()
        self.key = new_key()
        self.sent: list[Sent] = []
        self.token_requests: list[dict[str, str]] = []
        self.requests: list[tuple[str, str]] = []
        self.failures: dict[str, int] = {}
        """``{"message": n}``: fail the next ``n`` message posts with a 500."""
        self._issued: set[str] = set()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    # -- lifecycle --------------------------------------------------------------------------
    def __enter__(self) -> FakeBotFramework:
        fake = self

        class Handler(_Handler):
            owner = fake

        self.cert_path, key_path = make_certificate(self.directory)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert_path, key_path)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def url(self) -> str:
        """``https://127.0.0.1:<port>``."""
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    def trust(self, monkeypatch: Any) -> None:
        """Make requests, httpx and urllib trust this fake's certificate (for one test)."""
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(self.cert_path))
        monkeypatch.setenv("SSL_CERT_FILE", str(self.cert_path))

    @property
    def service_url(self) -> str:
        """The ``serviceUrl`` activities carry (the Connector's base URL)."""
        return f"{self.url}/teams/"

    @property
    def openid_url(self) -> str:
        """The OpenID metadata document's URL."""
        return f"{self.url}/v1/.well-known/openidconfiguration"

    def settings_toml(self) -> str:
        """A ``[teams]`` section pointing a coach at this fake (the password comes from
        ``TEAMS_APP_PASSWORD``)."""
        return (
            f'[teams]\napp_id = "{APP_ID}"\ntenant_id = "{TENANT_ID}"\n'
            f'openid_metadata_url = "{self.openid_url}"\nlogin_endpoint = "{self.url}"\n'
        )

    # -- tokens the Connector sends ---------------------------------------------------------
    def token(
        self,
        *,
        audience: str = APP_ID,
        issuer: str = ISSUER,
        expires_in: float = 3600,
        now: float | None = None,
        service_url: str | None = None,
        key: rsa.RSAPrivateKey | None = None,
        kid: str = KEY_ID,
    ) -> str:
        """A JWT as the Bot Connector signs it (change any part to forge one)."""
        issued = time.time() if now is None else now
        claims = {
            "iss": issuer,
            "aud": audience,
            "iat": int(issued) - 5,
            "nbf": int(issued) - 5,
            "exp": int(issued + expires_in),
            "serviceurl": self.service_url if service_url is None else service_url,
        }
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid})

    def headers(self, token: str | None = None, **claims: Any) -> dict[str, str]:
        """Request headers with ``Authorization: Bearer <token>``."""
        return {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token or self.token(**claims)}",
        }

    # -- what the bot did ---------------------------------------------------------------------
    def in_conversation(self, conversation_id: str, kind: str = "message") -> list[Sent]:
        """What the bot sent into ``conversation_id`` (messages by default)."""
        with self._lock:
            return [s for s in self.sent if s.conversation_id == conversation_id and s.type == kind]

    # -- activities Teams sends -----------------------------------------------------------------
    def message(
        self, user: str, text: str, activity_id: str, *, conversation: str = "", aad: str = ""
    ) -> dict[str, Any]:
        """A personal-chat message from ``user``."""
        return {
            **self._envelope(user, conversation, aad),
            "type": "message",
            "id": activity_id,
            "text": text,
            "textFormat": "plain",
        }

    def installation(self, user: str, action: str, *, conversation: str = "") -> dict[str, Any]:
        """``installationUpdate`` with ``action`` ``add`` or ``remove`` (personal scope)."""
        return {
            **self._envelope(user, conversation, ""),
            "type": "installationUpdate",
            "id": f"f:{next(self._ids)}",
            "action": action,
        }

    def conversation_update(
        self, user: str, *, added: bool = True, conversation: str = ""
    ) -> dict[str, Any]:
        """``conversationUpdate`` adding (or removing) the bot."""
        key = "membersAdded" if added else "membersRemoved"
        return {
            **self._envelope(user, conversation, ""),
            "type": "conversationUpdate",
            "id": f"f:{next(self._ids)}",
            key: [{"id": BOT_ID}],
        }

    def _envelope(self, user: str, conversation: str, aad: str) -> dict[str, Any]:
        sender: dict[str, Any] = {"id": user, "name": "Athlete"}
        if aad:
            sender["aadObjectId"] = aad
        return {
            "timestamp": "2026-03-03T11:00:00.000Z",
            "serviceUrl": self.service_url,
            "channelId": "msteams",
            "from": sender,
            "conversation": {
                "id": conversation or dm_conversation(user),
                "conversationType": "personal",
                "tenantId": TENANT_ID,
            },
            "recipient": {"id": BOT_ID, "name": "Momentum"},
            "channelData": {"tenant": {"id": TENANT_ID}},
            "locale": "en-US",
        }

    # -- server side -------------------------------------------------------------------------------
    def _issue(self) -> str:
        token = f"bot-access-{next(self._ids)}"
        with self._lock:
            self._issued.add(token)
        return token

    def _authorised(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        with self._lock:
            return scheme == "Bearer" and token in self._issued


def dm_conversation(user: str) -> str:
    """The personal conversation id Teams would give ``user`` and the bot."""
    return f"a:personal-{user.replace(':', '-')}"


class _Handler(BaseHTTPRequestHandler):
    owner: FakeBotFramework

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _json(self, status: int, payload: Any) -> None:
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def do_GET(self) -> None:
        fake = self.owner
        path = urlsplit(self.path).path
        fake.requests.append(("GET", path))
        if path == "/v1/.well-known/openidconfiguration":
            self._json(
                200,
                {
                    "issuer": ISSUER,
                    "authorization_endpoint": f"{fake.url}/v1/authorize",
                    "jwks_uri": f"{fake.url}/v1/.well-known/keys",
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                },
            )
        elif path == "/v1/.well-known/keys":
            jwk = json.loads(RSAAlgorithm.to_jwk(fake.key.public_key()))
            jwk.update({"kid": KEY_ID, "use": "sig", "alg": "RS256", "endorsements": ["msteams"]})
            self._json(200, {"keys": [jwk]})
        elif path.endswith("/v2.0/.well-known/openid-configuration"):
            tenant = path.split("/")[1]
            self._json(
                200,
                {
                    "token_endpoint": f"{fake.url}/{tenant}/oauth2/v2.0/token",
                    "authorization_endpoint": f"{fake.url}/{tenant}/oauth2/v2.0/authorize",
                    "issuer": f"{fake.url}/{tenant}/v2.0",
                },
            )
        else:
            self._json(404, {"error": {"code": "NotFound", "message": path}})

    def do_POST(self) -> None:
        fake = self.owner
        path = urlsplit(self.path).path
        body = self._body()
        fake.requests.append(("POST", path))
        if path.endswith("/oauth2/v2.0/token"):
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            fake.token_requests.append({k: v for k, v in form.items() if k != "client_secret"})
            ok = (
                form.get("grant_type") == "client_credentials"
                and form.get("client_id") == APP_ID
                and form.get("client_secret") == APP_PASSWORD
                and path.split("/")[1] == TENANT_ID
            )
            if not ok:
                self._json(401, {"error": "invalid_client", "error_description": "bad secret"})
                return
            self._json(
                200, {"token_type": "Bearer", "expires_in": 3600, "access_token": fake._issue()}
            )
            return
        conversation = _conversation(path, "activities")
        if conversation is None:
            self._json(404, {"error": {"code": "NotFound", "message": path}})
            return
        if not fake._authorised(self.headers.get("Authorization", "")):
            self._json(401, {"message": "Authorization has been denied for this request."})
            return
        activity = json.loads(body or b"{}")
        if activity.get("type") == "message" and fake.failures.get("message", 0) > 0:
            fake.failures["message"] -= 1
            self._json(500, {"error": {"code": "ServiceError", "message": "injected"}})
            return
        activity_id = f"1:{next(fake._ids)}"
        with fake._lock:
            fake.sent.append(Sent(conversation, activity_id, activity))
        self._json(
            201 if activity.get("type") == "message" else 200,
            {"id": activity_id} if activity.get("type") == "message" else {},
        )

    def do_PUT(self) -> None:
        fake = self.owner
        path = urlsplit(self.path).path
        body = self._body()
        fake.requests.append(("PUT", path))
        head, _, activity_id = path.rpartition("/")
        conversation = _conversation(head, "activities")
        if conversation is None:
            self._json(404, {"error": {"code": "NotFound"}})
            return
        if not fake._authorised(self.headers.get("Authorization", "")):
            self._json(401, {"message": "Authorization has been denied for this request."})
            return
        with fake._lock:
            for sent in fake.sent:
                if sent.activity_id == unquote(activity_id):
                    sent.history.append(sent.body)
                    sent.body = json.loads(body)
                    break
            else:
                self._json(404, {"error": {"code": "ActivityNotFound"}})
                return
        self._json(200, {"id": unquote(activity_id)})


def _conversation(path: str, tail: str) -> str | None:
    """The conversation id of ``…/v3/conversations/<id>/<tail>``."""
    parts = path.split("/")
    if "v3" not in parts:
        return None
    at = parts.index("v3")
    if parts[at + 1 : at + 2] != ["conversations"] or len(parts) != at + 4 or parts[-1] != tail:
        return None
    return unquote(parts[at + 2])


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:
    """POST ``body``; ``(status, body)`` even for error statuses."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
