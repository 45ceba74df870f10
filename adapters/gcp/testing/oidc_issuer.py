"""A local stand-in for Google's ID-token issuer: an RSA key made in the test, its public
key served on loopback in the v1 certs format (``{kid: PEM}``), and tokens signed with it
the way Cloud Tasks and Cloud Scheduler sign theirs."""

from __future__ import annotations

import time
import uuid
from typing import Any

from momentum.adapters.gcp.testing.loopback import LoopbackServer


class LocalOidcIssuer:
    """Signs Google-shaped ID tokens and serves the certificate to check them."""

    def __init__(self) -> None:
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = uuid.uuid4().hex
        self._private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        self._public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self._server: LoopbackServer | None = None
        self.cert_fetches = 0
        """How many times the certificates were fetched."""

    @property
    def certs_url(self) -> str:
        """Where the certificates are served (give it to ``verify_oidc``)."""
        assert self._server is not None, "start() first"
        return f"{self._server.endpoint}/oauth2/v1/certs"

    def sign(self, audience: str, email: str, **overrides: Any) -> str:
        """An ID token for ``email`` and ``audience``, valid for an hour."""
        from google.auth import crypt, jwt

        now = int(time.time())
        claims = {
            "iss": "https://accounts.google.com",
            "aud": audience,
            "email": email,
            "email_verified": True,
            "sub": "1" * 21,
            "iat": now,
            "exp": now + 3600,
            **overrides,
        }
        signer = crypt.RSASigner.from_string(self._private_pem, key_id=self.kid)
        token: bytes = jwt.encode(signer, claims)
        return token.decode()

    def start(self) -> str:
        """Serve the certificates on a free port; returns :attr:`certs_url`."""
        certs = {self.kid: self._public_pem.decode()}

        def serve(method: str, path: str, body: bytes) -> tuple[int, Any]:
            self.cert_fetches += 1
            return 200, certs

        # Google serves its certificates with a max-age of a few hours; so does this.
        cache = {"Cache-Control": "public, max-age=3600, must-revalidate, no-transform"}
        self._server = LoopbackServer(serve, headers=cache)
        self._server.start()
        return self.certs_url

    def stop(self) -> None:
        """Stop serving."""
        if self._server is not None:
            self._server.stop()
            self._server = None
